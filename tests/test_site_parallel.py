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


@pytest.mark.parametrize("manual", ["example", "itservices"])
def test_pages_in_memory_build_the_site_a_folder_of_pages_builds(manual: str, request: pytest.FixtureRequest,
                                                                 tmp_path: Path) -> None:
    root: Path = request.getfixturevalue(manual)
    on_disk = generate(root, tmp_path / "disk", "internal", date(2026, 11, 27))
    in_memory = generate(root, tmp_path / "memory", "internal", date(2026, 11, 27), in_memory=True)
    assert list((tmp_path / "memory" / "docs").iterdir()) == [] and len(in_memory.contents) == in_memory.pages
    mkdocs_build(on_disk, tmp_path / "one", shares=1)
    mkdocs_build(in_memory, tmp_path / "two", shares=2)
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(two) == sorted(one)
    assert [name for name in one if one[name] != two[name]] == []
    assert sorted(path.name for path in (tmp_path / "memory").iterdir()) == ["docs", "mkdocs.yml"]  # bundle gone


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
def test_pages_with_a_worker_are_the_pages_built_alone(manual: str, request: pytest.FixtureRequest,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root: Path = request.getfixturevalue(manual)
    here = generate(root, tmp_path / "here", "internal", date(2026, 11, 27))
    monkeypatch.setattr(bodies, "WORKER_FROM", 1)
    monkeypatch.setattr(bodies, "_cores", lambda: 2)
    workers: list[bodies.Worker | None] = []
    real_start = bodies.start_worker

    def start_worker(documents: int) -> bodies.Worker | None:
        workers.append(real_start(documents))
        return workers[-1]

    monkeypatch.setattr(bodies, "start_worker", start_worker)
    worker = generate(root, tmp_path / "worker", "internal", date(2026, 11, 27))
    assert workers and workers[0] is not None and workers[0].process is None  # started, and stopped at the end
    assert _files(worker.folder / "docs") == _files(here.folder / "docs")  # however the bodies were split


def _jobs(count: int) -> tuple[list[bodies.Job], dict[str, str | None]]:
    jobs = [(f"Text with a [link](b{n}.md) and <script>alert({n})</script>", f"a{n}.md", f"documents/a{n}.md")
            for n in range(count)]
    return jobs, {f"b{n}.md": f"documents/b{n}.md" for n in range(count)}


def _counting_render(monkeypatch: pytest.MonkeyPatch) -> list[bodies.Job]:
    rendered_here: list[bodies.Job] = []
    real_render = bodies.render

    def render(job: bodies.Job, targets: dict[str, str | None]) -> str:
        rendered_here.append(job)
        return real_render(job, targets)

    monkeypatch.setattr(bodies, "render", render)  # in this process only: the worker imports its own
    return rendered_here


def test_the_worker_answers_from_the_last_body_back(monkeypatch: pytest.MonkeyPatch) -> None:
    jobs, targets = _jobs(6)
    expected = bodies.render_all(jobs, targets)
    assert "script" not in expected[0] and "../b0/" in expected[0]
    monkeypatch.setattr(bodies, "WORKER_FROM", 1)
    monkeypatch.setattr(bodies, "_cores", lambda: 2)
    worker = bodies.start_worker(len(jobs))
    assert worker is not None and worker.process is not None
    process = worker.process
    both = bodies.Bodies(jobs, targets, worker)
    both.start()
    process.wait()  # let it answer everything before this process asks
    assert worker.reader is not None
    worker.reader.join()
    assert list(worker.answers) == [5, 4, 3, 2, 1, 0]
    rendered_here = _counting_render(monkeypatch)
    assert [both.get(job) for job in jobs] == expected
    assert rendered_here == []  # every body came from the worker


@pytest.mark.parametrize("program", ["#!/bin/sh\nexit 3\n", "#!/bin/sh\necho '[0, 1]'; echo garbage\n",
                                     "#!/bin/sh\nexec sleep 60\n"], ids=["dies", "garbage", "hangs"])
def test_a_failing_worker_leaves_the_bodies_to_this_process(program: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    jobs, targets = _jobs(4)
    expected = bodies.render_all(jobs, targets)
    script = tmp_path / "worker"
    script.write_text(program)
    script.chmod(0o755)
    monkeypatch.setattr(bodies, "WORKER_FROM", 1)
    monkeypatch.setattr(bodies, "_cores", lambda: 2)
    monkeypatch.setattr(sys, "executable", str(script))  # run instead of `python -m qmskit.site.bodies`
    worker = bodies.start_worker(len(jobs))
    assert worker is not None and worker.process is not None
    process = worker.process
    failing = bodies.Bodies(jobs, targets, worker)
    failing.start()
    rendered_here = _counting_render(monkeypatch)
    assert [failing.get(job) for job in jobs] == expected  # never waits for the worker
    assert rendered_here == jobs
    failing.close()
    assert process.poll() is not None  # stopped, not left behind


def test_no_worker_for_a_small_site_or_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    assert bodies.start_worker(bodies.WORKER_FROM - 1) is None
    monkeypatch.setattr(bodies, "_cores", lambda: 1)
    assert bodies.start_worker(bodies.WORKER_FROM) is None
