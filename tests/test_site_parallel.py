"""Work done in parallel builds the site one process builds, byte for byte: mkdocs in shares, document bodies
rendered by a worker process."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from qmskit.errors import QmsError
from qmskit.site import bodies, shards
from qmskit.site.build import generate, mkdocs_build


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file()}


@pytest.mark.parametrize("manual", ["example", "itservices"])
def test_shares_build_the_same_site(manual: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    root: Path = request.getfixturevalue(manual)
    generated = generate(root, tmp_path / "pages", "internal", date(2026, 11, 27))
    mkdocs_build(generated, tmp_path / "one", shares=1)
    mkdocs_build(generated, tmp_path / "three", shares=3)
    one, three = _files(tmp_path / "one"), _files(tmp_path / "three")
    assert sorted(three) == sorted(one)  # no page missing, none extra, no share's bookkeeping left behind
    assert [name for name in one if one[name] != three[name]] == []
    docs = json.loads(one["search/search_index.json"])["docs"]
    assert len({entry["location"].partition("#")[0] for entry in docs}) > 20  # the index covers many pages
    assert sorted(path.name for path in (tmp_path / "pages").iterdir()) == ["docs", "mkdocs.yml"]


def test_a_failing_share_fails_the_build(example: Path, tmp_path: Path) -> None:
    generated = generate(example, tmp_path / "pages", "internal", date(2026, 11, 27))
    (generated.folder / "docs" / "index.md").write_text("[broken](missing-page.md)\n", encoding="utf-8")
    with pytest.raises(QmsError, match=r"missing-page\.md"):
        mkdocs_build(generated, tmp_path / "site", strict=True, shares=2)


def test_shares_follow_cores_and_size() -> None:
    assert shards.shares_for(100, cpus=8) == 1  # a small site: a second process costs more than it saves
    assert shards.shares_for(1000, cpus=2) == 2
    assert shards.shares_for(1000, cpus=1) == 1
    assert shards.shares_for(100_000, cpus=4) == 4


@pytest.mark.parametrize("text", ["2/2", "-1/2", "a/b", "1"])
def test_a_share_names_one_of_its_count(text: str) -> None:
    with pytest.raises(ValueError, match="share"):
        shards.parse_share(text)


@pytest.mark.parametrize("manual", ["example", "itservices"])
def test_bodies_from_a_worker_are_the_bodies_rendered_here(manual: str, request: pytest.FixtureRequest,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root: Path = request.getfixturevalue(manual)
    here = generate(root, tmp_path / "here", "internal", date(2026, 11, 27))
    monkeypatch.setattr(bodies, "WORKER_FROM", 1)
    monkeypatch.setattr(bodies, "_cores", lambda: 2)
    started: list[int] = []
    real_start = bodies.Bodies.start

    def start(self: bodies.Bodies) -> None:
        real_start(self)
        started.append(len(self.pending[0]) if self.pending else 0)

    monkeypatch.setattr(bodies.Bodies, "start", start)
    rendered_here: list[bodies.Job] = []
    real_render = bodies.render

    def render(job: bodies.Job, targets: dict[str, str | None]) -> str:
        rendered_here.append(job)
        return real_render(job, targets)

    monkeypatch.setattr(bodies, "render", render)  # in this process only: the worker imports its own
    worker = generate(root, tmp_path / "worker", "internal", date(2026, 11, 27))
    documents = len([page for folder in ("documents", "obsolete") for page in (worker.folder / "docs" / folder).glob(
        "*.md") if page.name != "index.md"])  # a document's page, current or obsolete, not a register
    assert started and started[0] >= 3
    assert len(rendered_here) == documents - started[0]  # the worker's bodies were not rendered again here
    assert _files(worker.folder / "docs") == _files(here.folder / "docs")


def test_a_dead_worker_leaves_the_bodies_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = [(f"Text with a [link](b{n}.md) and <script>alert({n})</script>", f"a{n}.md", f"documents/a{n}.md")
            for n in range(6)]
    targets = {f"b{n}.md": f"documents/b{n}.md" for n in range(6)}
    assert bodies._run_worker(jobs, targets) == bodies.render_all(jobs, targets)  # python -m qmskit.site.bodies
    monkeypatch.setattr(bodies, "WORKER_FROM", 1)
    monkeypatch.setattr(bodies, "_cores", lambda: 2)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # a worker that exits at once with an error
    dead = bodies.Bodies(jobs, targets)
    dead.start()
    assert dead.pending is not None and dead.pending[2].result() is None
    assert [dead.get(job) for job in jobs] == bodies.render_all(jobs, targets)
    assert "script" not in bodies.render(jobs[0], targets) and "../b0/" in bodies.render(jobs[0], targets)
