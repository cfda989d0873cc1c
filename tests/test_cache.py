"""The load cache: reused for unchanged files, never for changed ones, harmless when broken or deleted."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from qmskit.loading import load
from tests.conftest import Result, edit

Qms = Callable[..., Result]
PROC = "processes/production.yaml"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader parsed (not served from the cache)."""
    seen: list[str] = []
    real = load.parse_yaml

    def counting(text: str, path: str, line_offset: int = 0) -> load.YamlDoc:  # type: ignore[name-defined]
        seen.append(path)
        return real(text, path, line_offset)

    monkeypatch.setattr(load, "parse_yaml", counting)
    return seen


def _age(root: Path) -> None:
    """Make every file look written a minute ago, so the cache can trust its metadata."""
    for path in root.rglob("*.yaml"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60_000_000_000))


def test_unchanged_files_come_from_the_cache(example: Path, qms: Qms, parses: list[str]) -> None:
    loose_example = example  # in Git, so the manual is clean and no finding needs a position
    _age(loose_example)
    assert qms("validate", loose_example).code == 0
    first = len(parses)
    assert first > 150
    parses.clear()
    assert qms("validate", loose_example).code == 0  # refreshes what the cache knows of each file
    parses.clear()
    report = qms("validate", loose_example, "--format", "json").json()
    with_findings = {d["path"] for d in report["diagnostics"]}
    # documents' front matter is read each time; of the YAML files only those with findings are parsed (for
    # the positions of their findings)
    assert {p for p in parses if not p.endswith(".md")} == {p for p in with_findings if not p.endswith(".md")}
    edit(loose_example / PROC, "owner: production-manager", "owner: nobody")
    parses.clear()
    result = qms("validate", loose_example)
    assert result.code == 1 and "owner 'nobody' is not a known role" in result.out
    assert PROC in parses and len({p for p in parses if not p.endswith(".md")}) == len(with_findings) + 1


def test_a_change_that_keeps_size_and_time_is_still_seen(loose_example: Path, qms: Qms) -> None:
    _age(loose_example)
    qms("validate", loose_example)
    qms("validate", loose_example)
    path = loose_example / PROC
    stat = path.stat()
    edit(path, "owner: production-manager", "owner: production-managex")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = qms("validate", loose_example)
    assert result.code == 1 and "production-managex" in result.out  # the inode's ctime changed


def test_the_cache_does_not_change_what_is_reported(example: Path, qms: Qms) -> None:
    _age(example)
    cold = qms("validate", example, "--no-cache", "--format", "json").json()
    qms("validate", example)
    for _ in range(2):  # the first run fills the cache, the second reads from it
        warm = qms("validate", example, "--format", "json").json()
        assert warm == cold


def test_cached_findings_point_at_the_right_line(loose_example: Path, qms: Qms) -> None:
    edit(loose_example / PROC, "category: core", "category: central")
    _age(loose_example)
    first = qms("validate", loose_example, "--format", "json").json()["diagnostics"]
    qms("validate", loose_example)
    again = qms("validate", loose_example, "--format", "json").json()["diagnostics"]
    assert again == first
    assert [d["line"] for d in first if d["path"] == PROC] == [4]


def test_a_broken_or_missing_cache_is_harmless(loose_example: Path, qms: Qms, tmp_path: Path) -> None:
    qms("validate", loose_example)
    caches = list((tmp_path / "qms-cache").rglob("*.json"))
    # kept outside the manual: its only JSON files are the editors' schema copy
    in_manual = {p.relative_to(loose_example).parent.as_posix() for p in loose_example.rglob("*.json")}
    assert caches and in_manual == {".qms/schemas"}
    caches[0].write_text("{not json")
    assert qms("validate", loose_example).code == 0
    caches[0].write_text('{"written_at": 9e99, "entries": {"processes/production.yaml": {"stamp": 1}}}')
    assert qms("validate", loose_example).code == 0
    assert qms("validate", loose_example, "--no-cache").code == 0
