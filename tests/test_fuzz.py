"""Seeded fuzzing of every file kind of a manual over the read-only commands (issue 12, "fuzz test").

Each round mutates a few files of a copy of the example manual (each of another kind), runs `validate`,
`diagram`, `report *`, `todo`, `competence`, `register` and the site generator on it, and restores the files. A
command may report findings (exit 1) or refuse (exit 2), never crash (exit 3) or print a traceback. One full
`qms build` with mkdocs runs on the last round's manual.

The CI run is short and fixed by its seed. A longer run: `QMS_FUZZ_ITERATIONS=500 pytest tests/test_fuzz.py`,
with `QMS_FUZZ_SEED=N` for other mutations. A failure names the seed, the round and every mutation, so
`QMS_FUZZ_SEED=... QMS_FUZZ_ITERATIONS=...` reproduces it.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from qmskit.site.build import generate
from tests.conftest import EXAMPLE, Result, commit_all, git

Qms = Callable[..., Result]
ITERATIONS = int(os.environ.get("QMS_FUZZ_ITERATIONS", "6"))
SEED = int(os.environ.get("QMS_FUZZ_SEED", "20261127"))
MUTATIONS_PER_ROUND = 3

# One glob per file kind of a manual; each round picks files of different kinds.
KINDS = {
    "config": "qms.yaml", "document": "documents/**/*.md", "process": "processes/**/*.yaml",
    "form": "forms/*.yaml", "record": "records/*/*.yaml", "roles": "organisation/roles.yaml",
    "people": "organisation/people.yaml", "competences": "organisation/competences.yaml",
    "training": "organisation/training.yaml", "parties": "organisation/parties.yaml",
    "objectives": "objectives.yaml", "risks": "risks.yaml", "communication": "communication.yaml",
}

# Values put in place of any value of a parsed file: wrong types, edge numbers, hostile strings.
HOSTILE_VALUES: list[Any] = [
    None, "", [], {}, 0, -1, True, 10**400, -(10**40), 1e308, float("nan"), float("inf"), -float("inf"),
    "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31T25:61:61+99:00", "../../etc/passwd", "x" * 100_000,
    "</script><script>alert(1)</script>", "\x1b[31mred\x1b[0m", "\u202eevil", "=cmd|' /C calc'!A0", "\t-1",
    "é" * 1000, [[[[[["deep"]]]]]], {"nested": {"nested": {"nested": [1, "a", None]}}}, ["a", "a", "a"],
    "NC-2026-0001", "production", "customer", "quality-manager", "8.5.1", 3.5, "^(a+)+$",
]

# Snippets of YAML with the language's corners, appended or put in front of a file's text.
YAML_SNIPPETS = [
    "x_anchor: &a {k: v, n: [1, 2]}\nx_alias: *a\n",
    "<<: {merged: 1, id: merged-id}\n",
    "x_merge:\n  <<: [{a: 1}, {b: 2}]\n  c: 3\n",
    "x_tag: !!python/object/apply:os.system [echo hacked]\n",
    "x_custom: !custom value\n",
    "x_binary: !!binary aGVsbG8=\n",
    "x_set: !!set {a, b}\n",
    "x_omap: !!omap [{a: 1}, {b: 2}]\n",
    "x_time: !!timestamp 2026-02-30\n",
    "x_huge: 1234567890123456789012345678901234567890123456789012345678901234567890\n",
    "x_float: 1e400\nx_nan: .nan\nx_inf: -.inf\nx_hex: 0x1F\nx_oct: 0o17\n",
    "1: integer key\nnull: null key\ntrue: boolean key\n2026-01-01: date key\n",
    "? [a, b]\n: sequence key\n",
    "? {a: 1}\n: mapping key\n",
    "x_date: 2026-02-30\nx_date2: 2026-13-45T99:99:99Z\n",
    "x_laughs: &l1 [a, a, a, a, a, a, a, a, a, a]\nx_l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\n"
    "x_l3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]\nx_l4: [*l3, *l3, *l3, *l3, *l3, *l3, *l3]\n",
    "x_recursive: &r [*r]\n",
    "x_deep: " + "[" * 200 + "]" * 200 + "\n",
    "x_long: " + "y" * 300_000 + "\n",
    "%YAML 1.1\n---\n",
    "---\nsecond: document\n",
    "x_dup: 1\nx_dup: 2\n",
    "\t- tab indented\n",
]

MARKDOWN_BODIES = [
    "```\nunclosed fence\n", "> " * 500 + "deep quote\n", "- " * 500 + "deep list\n",
    "<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n", "[x](javascript:alert(1))\n",
    "# " + "h" * 100_000 + "\n", "|a|b|\n|-|-|\n" + "|x|y|\n" * 2000, "\x00\x01\x02 control\n",
    "[[" * 1000 + "]]" * 1000 + "\n", "*" * 10_000 + "\n",
]


def _mutate_tree(data: Any, rng: random.Random) -> Any:
    """Replace, delete or duplicate one randomly chosen value somewhere in parsed YAML."""
    containers: list[Any] = []
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, dict) and node:
            containers.append(node)
            pending.extend(node.values())
        elif isinstance(node, list) and node:
            containers.append(node)
            pending.extend(node)
    if not containers:
        return rng.choice(HOSTILE_VALUES)
    target = rng.choice(containers)
    key: Any = rng.choice(list(target)) if isinstance(target, dict) else rng.randrange(len(target))
    action = rng.random()
    if action < 0.15:
        del target[key]
    elif action < 0.25 and isinstance(target, list):
        target.append(target[key])
    else:
        target[key] = rng.choice(HOSTILE_VALUES)
    return data


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100_000)


def _mutate_yaml(text: str, rng: random.Random) -> tuple[str, str]:
    """A mutated YAML text and a description of what was done."""
    choice = rng.randrange(7)
    if choice <= 2:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
        if data is not None:
            return _dump(_mutate_tree(data, rng)), "changed a value"
    if choice == 3:
        snippet = rng.choice(YAML_SNIPPETS)
        return (snippet + text if rng.random() < 0.3 else text.rstrip("\n") + "\n" + snippet), f"added {snippet[:40]!r}"
    if choice == 4:
        cut = rng.randrange(len(text) + 1)
        return text[:cut], f"cut at {cut}"
    if choice == 5:
        return "\ufeff" + text.replace("\n", "\r\n"), "BOM and CRLF"
    lines = text.splitlines(keepends=True) or [""]
    at = rng.randrange(len(lines))
    lines[at] = lines[at].rstrip("\n") + rng.choice([" " * 50_000 + "x", "\x00", "\ud7ff", ": :", " #", "'"]) + "\n"
    return "".join(lines), f"damaged line {at + 1}"


def _mutate_document(text: str, rng: random.Random) -> tuple[str, str]:
    if text.startswith("---\n") and "\n---\n" in text[4:] and rng.random() < 0.6:
        front, body = text[4:].split("\n---\n", 1)
        mutated, how = _mutate_yaml(front + "\n", rng)
        return f"---\n{mutated.rstrip(chr(10))}\n---\n{body}", f"front matter: {how}"
    if rng.random() < 0.5:
        extra = rng.choice(MARKDOWN_BODIES)
        return text + "\n" + extra, f"body: added {extra[:30]!r}"
    return _mutate_yaml(text, rng)


def _mutate(path: Path, rng: random.Random) -> str:
    raw = path.read_bytes()
    if rng.random() < 0.05:  # invalid UTF-8
        at = rng.randrange(len(raw) + 1)
        path.write_bytes(raw[:at] + b"\xff\xfe\xc3" + raw[at:])
        return "invalid UTF-8"
    text = raw.decode("utf-8")
    mutated, how = (_mutate_document if path.suffix == ".md" else _mutate_yaml)(text, rng)
    path.write_bytes(mutated.encode("utf-8", "surrogatepass"))
    return how


COMMANDS: list[tuple[str, ...]] = [
    ("validate", "--format", "json"),
    ("validate", "--format", "sarif"),
    ("diagram", "-f", "dot"),
    ("diagram", "-f", "dot", "--depth", "2"),
    ("diagram", "-f", "dot", "--view", "chain"),
    ("diagram", "-f", "dot", "--view", "process", "--process", "production"),
    ("report", "kpi", "--period", "2026"),
    ("report", "customers", "--period", "2026"),
    ("report", "flow"),
    ("report", "review", "--period", "2026", "-f", "html", "-o", "{out}/review.html"),
    ("report", "chart", "nps", "-o", "{out}/nps.svg"),
    ("report", "chart", "delay", "-o", "{out}/delay.svg"),
    ("todo",),
    ("competence",),
    ("competence", "--gaps", "-f", "csv"),
    ("register",),
]


@pytest.fixture
def fuzz_manual(tmp_path: Path) -> Path:
    target = tmp_path / "manual"
    shutil.copytree(EXAMPLE, target)
    git(target, "init", "-q", "-b", "main")
    commit_all(target, "Example manual")
    return target


def _run_all(qms: Qms, manual: Path, out: Path, story: str) -> None:
    for command in COMMANDS:
        args = [arg.replace("{out}", str(out)) for arg in command]
        result = qms(*args[:1], *([args[1]] if args[0] == "report" else []), manual,
                     *args[2 if args[0] == "report" else 1:])
        crashed = result.code == 3 or "Traceback" in result.err or "internal error" in result.err
        assert not crashed, f"{story}\nqms {' '.join(args)} -> exit {result.code}\n{result.err[-3000:]}"
        assert result.code in (0, 1, 2), f"{story}\nqms {' '.join(args)} -> exit {result.code}"
    for audience in ("internal", "external"):
        pages = out / f"pages-{audience}"
        try:
            generate(manual, pages, audience, date(2026, 11, 27))
        except Exception as error:  # the site generator is pure Python: anything it raises is a bug
            pytest.fail(f"{story}\nsite generator ({audience}) raised {error!r}")
        shutil.rmtree(pages, ignore_errors=True)


def test_fuzzed_manuals_never_crash_a_command(fuzz_manual: Path, qms: Qms, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    files = {kind: sorted(fuzz_manual.glob(pattern)) for kind, pattern in KINDS.items()}
    out = tmp_path / "out"
    out.mkdir()
    for iteration in range(ITERATIONS):
        kinds = rng.sample(sorted(files), MUTATIONS_PER_ROUND)
        originals: dict[Path, bytes] = {}
        story = [f"QMS_FUZZ_SEED={SEED}, round {iteration + 1} of QMS_FUZZ_ITERATIONS={ITERATIONS}:"]
        for kind in kinds:
            path = rng.choice(files[kind])
            originals.setdefault(path, path.read_bytes())
            story.append(f"  {path.relative_to(fuzz_manual)}: {_mutate(path, rng)}")
        _run_all(qms, fuzz_manual, out, "\n".join(story))
        if iteration < ITERATIONS - 1:
            for path, content in originals.items():
                path.write_bytes(content)
    # mkdocs itself, once, on the last round's manual: it may refuse (exit 2) but never crash
    result = qms("build", fuzz_manual, "-o", tmp_path / "site")
    assert result.code in (0, 1, 2) and "Traceback" not in result.err, result.err[-3000:]


@pytest.mark.parametrize("snippet", YAML_SNIPPETS, ids=lambda s: s.split(":")[0][:20].strip("?%-\n ") or "x")
def test_every_yaml_edge_case_in_every_kind_is_a_finding(loose_example: Path, qms: Qms, snippet: str) -> None:
    """Each YAML corner appended to one file of every kind at once: validate reports, never crashes."""
    for pattern in KINDS.values():
        path = sorted(loose_example.glob(pattern))[0]
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            front, body = text[4:].split("\n---\n", 1)
            path.write_text(f"---\n{front}\n{snippet.rstrip()}\n---\n{body}", encoding="utf-8")
        else:
            path.write_text(text.rstrip("\n") + "\n" + snippet, encoding="utf-8")
    result = qms("validate", loose_example, "--format", "json")
    assert result.code in (0, 1), result.err[-3000:]
    assert result.json()["diagnostics"], "a YAML corner in every file kind went unnoticed"


# Regression tests for what the fuzzer found; each failed before its fix.

def test_an_empty_owner_or_control_characters_still_draw(fuzz_manual: Path, qms: Qms) -> None:
    """dot refuses an empty element (`<font></font>`) and characters XML forbids: a process file cut after its
    id (no name, no owner) or a name with an escape character made `qms diagram` and `qms build` fail."""
    process = fuzz_manual / "processes" / "document-control.yaml"
    process.write_text("id: document-contr\nname: \"\\e[31mred\\x00 \\uFFFE\"\nowner: ''\n")
    for fmt in ("svg", "dot"):
        result = qms("diagram", fuzz_manual, "-f", fmt)
        assert result.code == 0, result.err
    assert "\x1b" not in result.out and "document-contr" in result.out


def test_an_empty_flow_name_between_processes_of_one_row_still_draws(loose_example: Path, qms: Qms) -> None:
    """Found with QMS_FUZZ_SEED=2: sorting a row's edge labels looked at the first character of each name."""
    process = loose_example / "processes" / "sales.order-handling.yaml"
    process.write_text(process.read_text().replace("{name: Confirmed production order,", '{name: "",'))
    result = qms("diagram", loose_example, "-f", "dot", "--depth", "2")
    assert result.code == 0, result.err


@pytest.mark.parametrize("of", ["[]", "[person]", "{a: 1}", "7"])
def test_a_reference_field_whose_of_is_not_a_word_is_a_finding(template: Path, qms: Qms, of: str) -> None:
    """Found by fuzzing: `of: []` made validate crash (a list cannot be looked up in a dict)."""
    form = template / "forms" / "management-review.yaml"
    form.write_text(form.read_text() + f"  - {{id: chair, label: Chair, type: reference, of: {of}}}\n")
    result = qms("validate", template, "--format", "json")
    assert result.code == 1, result.err
    found = {(d["rule"], d["path"]) for d in result.json()["diagnostics"]}
    assert ("QMS-FORM-001", "forms/management-review.yaml") in found
