"""Bad input a user can cause gives a diagnostic and exit 1 or 2, never a traceback, and nothing is written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, edit

Qms = Callable[..., Result]

PROC = "processes/production.yaml"


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


BREAKS: dict[str, Callable[[Path], None]] = {
    "truncated": lambda root: (root / PROC).write_text((root / PROC).read_text()[:200] + '\npurpose: "unterminated\n'),
    "tabs": lambda root: edit(root / PROC, "  - {name: Confirmed", "\t- {name: Confirmed"),
    "duplicate-keys": lambda root: edit(root / PROC, "category: core", "category: core\nowner: x"),
    "latin-1": lambda root: (root / PROC).write_bytes("id: production\nname: Tuotanto ja ty\xf6\n".encode("latin-1")),
    "empty": lambda root: (root / PROC).write_text(""),
    "only-comments": lambda root: (root / PROC).write_text("# nothing here yet\n"),
    "a-list": lambda root: (root / PROC).write_text("- production\n"),
    "alias-bomb": lambda root: (root / PROC).write_text(
        "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))),
    "symlink-outside": lambda root: (root / "processes/evil.yaml").symlink_to("/etc/passwd"),
    "ten-megabytes": lambda root: (root / "forms/big.yaml").write_bytes(b"# " + b"x" * 10_000_000 + b"\n"),
    "nul-bytes": lambda root: (root / PROC).write_bytes(b"id: production\x00\n"),
    "binary": lambda root: (root / "documents/picture.md").write_bytes(bytes(range(256)) * 10),
    "broken-qms-yaml": lambda root: edit(root / "qms.yaml", "standards: [iso9001:2015+amd1:2024]", "standards: [iso"),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_bad_input_is_a_diagnostic_not_a_traceback(name: str, example: Path, qms: Qms) -> None:
    BREAKS[name](example)
    before = _tree_digest(example)
    result = qms("validate", example)
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.out + result.err
    assert "internal error" not in result.err
    assert "error" in result.out
    assert _tree_digest(example) == before, "validate must never change the manual"


def test_broken_qms_yaml_reports_only_itself(example: Path, qms: Qms) -> None:
    BREAKS["broken-qms-yaml"](example)
    data = qms("validate", example, "--format", "json").json()
    assert {d["path"] for d in data["diagnostics"]} == {"qms.yaml"}


def test_bom_and_crlf_are_read(example: Path, qms: Qms) -> None:
    path = example / PROC
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert qms("validate", example).code == 0


def test_missing_qms_yaml_is_a_usage_error(tmp_path: Path, qms: Qms) -> None:
    result = qms("validate", tmp_path)
    assert result.code == 2
    assert "no qms.yaml" in result.err
    assert "qms init" in result.err


def test_missing_qms_yaml_when_searching_upwards(tmp_path: Path, qms: Qms) -> None:
    result = qms("validate", cwd=tmp_path)
    assert result.code == 2
    assert "or any folder above it" in result.err


def test_hostile_strings_in_messages_are_shown_verbatim(example: Path, qms: Qms) -> None:
    edit(example / PROC, "owner: production-manager", 'owner: "[bold]<script>x</script>"')
    result = qms("validate", example)
    assert result.code == 1
    # rich markup in user text must be escaped, not interpreted (the brackets would vanish)
    assert "[bold]<script>x</script>" in result.out
