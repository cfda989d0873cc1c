"""Work done in parallel builds the site one process builds, byte for byte: mkdocs in shares, document bodies
rendered by a worker process."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from qmskit.errors import QmsError
from qmskit.site import bodies, build, pagebundle, shards
from qmskit.site.build import generate, mkdocs_build
from qmskit.site.generate import Page
from tests.conftest import Result
from tests.hostile import make_hostile_manual


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file()}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The manual full of payloads (tests/hostile.py): hostile ids, titles, tag names and bodies."""
    return make_hostile_manual(tmp_path / "hostile")


@pytest.mark.parametrize(("manual", "audience", "language"), [
    ("example", "internal", None), ("example", "external", None), ("example", "internal", "fi"),
    ("itservices", "internal", None), ("hostile", "internal", None)])
def test_shares_build_the_same_site(manual: str, audience: str, language: str | None, request: pytest.FixtureRequest,
                                    tmp_path: Path) -> None:
    root: Path = request.getfixturevalue(manual)
    generated = generate(root, tmp_path / "pages", audience, date(2026, 11, 27), language=language)
    mkdocs_build(generated, tmp_path / "one", shares=1)
    mkdocs_build(generated, tmp_path / "three", shares=3)
    one, three = _files(tmp_path / "one"), _files(tmp_path / "three")
    assert sorted(three) == sorted(one)  # no page missing, none extra, no share's bookkeeping left behind
    assert [name for name in one if one[name] != three[name]] == []
    # what every share writes alike (and only the first share's copy is kept) is among what was compared
    assert {"404.html", "sitemap.xml", "sitemap.xml.gz", "assets/qms.css"} <= set(one)
    assert any(name.startswith("assets/javascripts/workers/search.") for name in one)  # the stemming worker
    assert any(name.startswith("assets/stylesheets/main.") for name in one)  # the theme's own assets
    docs = json.loads(one["search/search_index.json"])["docs"]
    pages = {entry["location"].partition("#")[0] for entry in docs}
    assert len(pages) > (20 if audience == "internal" else 4)  # the index covers many pages (few are external)
    assert json.loads(one["search/search_index.json"])["config"]["lang"] == [language or "en"]
    assert sorted(path.name for path in (tmp_path / "pages").iterdir()) == ["docs", "mkdocs.yml"]


@pytest.mark.parametrize("manual", ["example", "itservices", "hostile"])
def test_pages_in_memory_build_the_site_a_folder_of_pages_builds(manual: str, request: pytest.FixtureRequest,
                                                                 tmp_path: Path) -> None:
    # in memory, the navigation travels with the pages as JSON and the shares read front matter with libyaml: the
    # site is still the one plain mkdocs builds from a folder of pages and a full mkdocs.yml
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
    written = (tmp_path / "memory" / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith("nav:") for line in written)  # it went with the pages


def _old_site(site: Path) -> dict[str, bytes]:
    """A site an earlier build left in `site` (with the marker and a deployment's .git, hidden as mkdocs keeps)."""
    for name, text in {"index.html": "the old site", "documents/qm-001/index.html": "an old page",
                       ".qms-output": "marker", ".git/HEAD": "ref: refs/heads/gh-pages"}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return _files(site)


@pytest.mark.parametrize(("shares", "in_memory"), [(1, False), (2, False), (1, True)])  # in memory: `qms build`
def test_a_failing_build_leaves_the_previous_site(shares: int, in_memory: bool, example: Path,
                                                   tmp_path: Path) -> None:
    generated = generate(example, tmp_path / "pages", "internal", date(2026, 11, 27), in_memory=in_memory)
    broken = "[broken](missing-page.md)\n"
    if in_memory:
        generated = dataclasses.replace(generated, contents=tuple(
            Page(page.path, broken if page.path == "index.md" else page.content) for page in generated.contents))
    else:
        (generated.folder / "docs" / "index.md").write_text(broken, encoding="utf-8")
    before = _old_site(tmp_path / "site")
    with pytest.raises(QmsError, match=r"missing-page\.md"):
        mkdocs_build(generated, tmp_path / "site", strict=True, shares=shares)
    assert _files(tmp_path / "site") == before  # mkdocs emptied the folder it built into: that is not this one
    assert sorted(path.name for path in (tmp_path / "site").iterdir()) == [".git", ".qms-output", "documents",
                                                                           "index.html"]
    assert sorted(path.name for path in generated.folder.iterdir()) == ["docs", "mkdocs.yml"]


def test_a_build_replaces_the_old_site_but_keeps_hidden_entries(example: Path, tmp_path: Path) -> None:
    generated = generate(example, tmp_path / "pages", "internal", date(2026, 11, 27))
    _old_site(tmp_path / "site")
    (tmp_path / "site" / "gone.html").write_text("a page the manual no longer has", encoding="utf-8")
    mkdocs_build(generated, tmp_path / "site", shares=2)
    built = _files(tmp_path / "site")
    assert "gone.html" not in built and built["index.html"] != b"the old site"  # as mkdocs cleans its folder
    assert built[".qms-output"] == b"marker" and built[".git/HEAD"] == b"ref: refs/heads/gh-pages"
    assert [name for name in built if name.startswith(".") and not name.startswith((".git/", ".qms-output"))] == []


def test_a_site_that_cannot_be_put_in_place_leaves_the_previous_one(tmp_path: Path) -> None:
    pages = _one_page(tmp_path / "pages")
    before = _old_site(tmp_path / "site")
    stuck = tmp_path / "site" / "index.html"  # an entry that cannot be moved: `documents` before it can and is
    if subprocess.run(["chattr", "+i", str(stuck)], capture_output=True, check=False).returncode != 0:
        pytest.skip("chattr +i needs root and a file system that has it")
    try:
        with pytest.raises(QmsError, match="could not put the new site into") as caught:
            mkdocs_build(pages, tmp_path / "site", shares=1)
    finally:
        subprocess.run(["chattr", "-i", str(stuck)], check=True)
    assert "previous site is as it was" in caught.value.hint
    assert _files(tmp_path / "site") == before
    assert sorted(path.name for path in (tmp_path / "site").iterdir()) == [".git", ".qms-output", "documents",
                                                                           "index.html"]


def _one_page(folder: Path) -> build.Generated:
    """Generated pages as small as a site gets, for what does not depend on the pages."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# New\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: New\ntheme: {name: material}\n", encoding="utf-8")
    return build.Generated(folder, 1, False)


def test_a_page_bundle_named_in_the_environment_is_never_built(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # left over from another build, or set by whoever starts qms: the hooks read the bundle the variable names
    pagebundle.write_bundle(tmp_path / "elsewhere.json", [("index.md", "# Not this manual's page\n")])
    monkeypatch.setenv(pagebundle.BUNDLE_VARIABLE, str(tmp_path / "elsewhere.json"))
    mkdocs_build(_one_page(tmp_path / "pages"), tmp_path / "site", shares=2)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "New" in page and "this manual" not in page


def test_an_output_folder_nobody_may_write_in_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    pages = _one_page(tmp_path / "pages")
    before = _old_site(tmp_path / "site")
    if subprocess.run(["chattr", "+i", str(tmp_path / "site")], capture_output=True, check=False).returncode != 0:
        pytest.skip("chattr +i needs root and a file system that has it")  # root may write in any other folder
    try:
        with pytest.raises(QmsError, match=r"cannot build the site in .*site: Operation not permitted"):
            mkdocs_build(pages, tmp_path / "site", shares=1)
    finally:
        subprocess.run(["chattr", "-i", str(tmp_path / "site")], check=True)
    assert _files(tmp_path / "site") == before


def test_an_id_too_long_for_a_file_name_is_an_error_not_a_traceback(itservices: Path, tmp_path: Path,
                                                                     qms: Callable[..., Result]) -> None:
    # the schemas keep ids to 80 characters, but the build publishes a manual with errors: its pages are named after
    # ids, and a file name has at most 255 bytes
    process = sorted((itservices / "processes").glob("*.yaml"))[0]
    text = process.read_text(encoding="utf-8")
    (itservices / "processes" / "long.yaml").write_text(re.sub(r"(?m)^id: .*$", "id: " + "x" * 300, text, count=1),
                                                         encoding="utf-8")
    done = qms("build", itservices, "-o", tmp_path / "site", "--no-strict")
    assert done.code == 2, done.err
    assert "longer name than the file system allows" in done.err and "qms validate" in done.err
    assert "Traceback" not in done.err


def test_child_pythons_never_import_from_the_folder_qms_runs_in(example: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # `qms build` usually runs in the manual's folder, and its author may have committed modules there that mkdocs
    # and the body worker import: `python -m` would put that folder first on their module path
    generated = generate(example, tmp_path / "pages", "internal", date(2026, 11, 27))
    in_memory = generate(example, tmp_path / "memory", "internal", date(2026, 11, 27), in_memory=True)
    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    for name in ("json.py", "yaml.py", "markdown.py", "qmskit/__init__.py", "mkdocs/__init__.py"):
        (example / name).parent.mkdir(exist_ok=True)
        (example / name).write_text(payload, encoding="utf-8")
    monkeypatch.chdir(example)
    mkdocs_build(generated, tmp_path / "one", shares=1)
    mkdocs_build(in_memory, tmp_path / "two", shares=2)
    jobs, targets = _jobs(3)
    monkeypatch.setattr(bodies, "WORKER_FROM", 1)
    monkeypatch.setattr(bodies, "_cores", lambda: 2)
    worker = bodies.start_worker(len(jobs))
    assert worker is not None and worker.process is not None
    process = worker.process
    bodies.Bodies(jobs, targets, worker).start()
    process.wait()
    assert worker.reader is not None
    worker.reader.join()
    worker.stop()
    assert not marker.exists(), marker.read_text(encoding="utf-8")
    assert sorted(worker.answers) == [0, 1, 2]  # the worker ran, on qmskit as installed
    assert (tmp_path / "one" / "index.html").is_file() and (tmp_path / "two" / "index.html").is_file()


def _in_session(session: int) -> list[int]:
    """The live processes of a session (a process started with start_new_session leads its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text(encoding="utf-8").rpartition(")")[2].split()
        except (OSError, ValueError):
            continue  # not a process, or one that just ended
        if entry.name.isdigit() and int(fields[3]) == session and fields[0] != "Z":
            found.append(int(entry.name))
    return found


BUILD_IN_TWO = ("import sys; from pathlib import Path; from qmskit.site.build import Generated, mkdocs_build; "
                "mkdocs_build(Generated(Path(sys.argv[1]), 2, True), Path(sys.argv[2]), shares=2)")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])  # Ctrl-C; a CI runner cancelling the job
def test_a_stopped_build_ends_every_share_and_leaves_the_previous_site(stop: signal.Signals, example: Path,
                                                                       tmp_path: Path) -> None:
    generated = generate(example, tmp_path / "pages", "internal", date(2026, 11, 27))
    before = _old_site(tmp_path / "site")
    # the signal as `kill` sends it: to qms alone, not to the mkdocs processes it started
    build_ = subprocess.Popen([sys.executable, "-c", BUILD_IN_TWO, str(generated.folder), str(tmp_path / "site")],
                              start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(_in_session(build_.pid)) < 3 and build_.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # until both mkdocs processes run
        assert len(_in_session(build_.pid)) >= 3, "the build never started two mkdocs processes"
        os.kill(build_.pid, stop)
        assert build_.wait(timeout=60) != 0
        assert _in_session(build_.pid) == []  # no mkdocs process outlives the build
    finally:
        if _in_session(build_.pid):
            os.killpg(build_.pid, signal.SIGKILL)  # the processes this test started
        build_.wait()
    assert _files(tmp_path / "site") == before
    assert sorted(path.name for path in generated.folder.iterdir()) == ["docs", "mkdocs.yml"]


def test_a_share_that_crashes_or_is_killed_is_said_in_one_line(tmp_path: Path) -> None:
    def run(*command: str) -> list[tuple[list[str], dict[str, str], Path]]:
        return [(list(command), dict(os.environ), tmp_path / "share.log")]

    with pytest.raises(QmsError) as crashed:  # a hook's exception: mkdocs prints its traceback
        build._run_all(run(sys.executable, "-c", "print('INFO    -  Building')\ndef hook():\n raise RuntimeError("
                           "'no page <x>')\nhook()"))
    assert crashed.value.message == "mkdocs build failed: RuntimeError: no page <x>"
    assert "qms validate" in crashed.value.hint
    with pytest.raises(QmsError, match=r"^mkdocs build failed: stopped by signal SIGKILL$"):
        build._run_all(run("sh", "-c", "kill -9 $$"))  # the kernel's OOM killer, or an operator
    with pytest.raises(QmsError, match=r"^mkdocs build failed: exit code 3$"):
        build._run_all(run("sh", "-c", "echo 'INFO    -  Building'; exit 3"))


def test_the_first_share_to_fail_ends_the_build_at_once(tmp_path: Path) -> None:
    # one share still building; another fails after more output than a pipe holds (mkdocs lists every page that is
    # not in the navigation, in every share)
    slow = [sys.executable, "-c", "import time; time.sleep(120)"]
    loud = [sys.executable, "-c", "import sys; sys.stderr.write('INFO    -  - records/a/2026.md\\n' * 20000); "
                                  "sys.stderr.write('WARNING -  a broken link\\n'); sys.exit(1)"]
    failed: list[str] = []

    def build_both() -> None:
        with pytest.raises(QmsError) as caught:
            build._run_all([(slow, dict(os.environ), tmp_path / "slow.log"),
                            (loud, dict(os.environ), tmp_path / "loud.log")])
        failed.append(caught.value.message)

    building = threading.Thread(target=build_both, daemon=True)
    building.start()
    building.join(timeout=30)  # a bound for the test: the slow share takes minutes
    assert not building.is_alive(), "the build waits for a share that has not failed"
    assert failed == ["mkdocs build failed: WARNING -  a broken link"]


def test_cores_follow_the_affinity_mask() -> None:
    # taskset, or a container's cpuset: the machine's core count says more than the process may use
    code = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); from qmskit.site import shards; "
            "print(shards.available_cores(), shards.shares_for(100_000), os.cpu_count() >= 1)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "1", "True"]


def _group(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text + "\n", encoding="ascii")


def test_cores_follow_the_cgroup_quota(tmp_path: Path) -> None:
    # the files the kernel shows in /proc/self/cgroup and /sys/fs/cgroup, for `docker --cpus` and a CI runner's limit
    membership = tmp_path / "cgroup"
    membership.write_text("0::/ci/job\n", encoding="ascii")
    _group(tmp_path / "v2", {"cpu.max": "max 100000", "ci/cpu.max": "150000 100000", "ci/job/cpu.max": "max 100000"})
    assert shards.cpu_quota(membership, tmp_path / "v2") == 2  # the parent's 1.5 cores, rounded up
    _group(tmp_path / "container", {"cpu.max": "50000 100000"})  # no cgroup namespace: its root is the container's
    assert shards.cpu_quota(membership, tmp_path / "container") == 1
    membership.write_text("4:memory:/x\n3:cpu,cpuacct:/job\n0::/\n", encoding="ascii")
    _group(tmp_path / "v1", {"cpu,cpuacct/cpu.cfs_quota_us": "300000", "cpu,cpuacct/cpu.cfs_period_us": "100000",
                             "cpu,cpuacct/job/cpu.cfs_quota_us": "-1", "cpu,cpuacct/job/cpu.cfs_period_us": "100000"})
    assert shards.cpu_quota(membership, tmp_path / "v1") == 3
    _group(tmp_path / "none", {"cpu.max": "max 100000", "cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "0"})
    assert shards.cpu_quota(membership, tmp_path / "none") is None
    membership.write_text("0::/../../../..\n", encoding="ascii")  # never a file outside the mount
    assert shards.cpu_quota(membership, tmp_path / "v2" / "ci") == 2
    assert shards.cpu_quota(tmp_path / "missing", tmp_path / "v2") is None
    assert 1 <= shards.available_cores() <= len(os.sched_getaffinity(0))


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


@pytest.mark.parametrize("program", [
    "#!/bin/sh\nexit 3\n", "#!/bin/sh\necho '[0, 1]'; echo garbage\n", "#!/bin/sh\nexec sleep 60\n",
    # hangs in a child, which holds its output open; ends, and leaves such a child (then says it is there)
    "#!/bin/sh\ncat >/dev/null; sleep 120 & touch ready; wait\n",
    "#!/bin/sh\ncat >/dev/null; sleep 120 & touch ready\n",
], ids=["dies", "garbage", "hangs", "hangs-in-a-child", "leaves-a-child"])
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
    monkeypatch.chdir(tmp_path)
    worker = bodies.start_worker(len(jobs))
    assert worker is not None and worker.process is not None
    process = worker.process
    failing = bodies.Bodies(jobs, targets, worker)
    failing.start()
    rendered_here = _counting_render(monkeypatch)
    assert [failing.get(job) for job in jobs] == expected  # never waits for the worker
    assert rendered_here == jobs
    deadline = time.monotonic() + 20
    while "ready" in program and not (tmp_path / "ready").exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # until its child runs
    closing = threading.Thread(target=failing.close, daemon=True)
    closing.start()
    closing.join(timeout=20)  # a bound for the test: stopping the worker must not wait for what it started
    assert not closing.is_alive()
    assert process.poll() is not None  # stopped, not left behind


def test_a_worker_that_answers_without_end_is_read_no_further_than_bodies_can_be(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs, targets = _jobs(4)
    script = tmp_path / "worker"
    script.write_text("#!/bin/sh\ncat >/dev/null; yes '<p>garbage</p>' | tr -d '\\n'\n")  # one endless line
    script.chmod(0o755)
    monkeypatch.setattr(bodies, "WORKER_FROM", 1)
    monkeypatch.setattr(bodies, "_cores", lambda: 2)
    monkeypatch.setattr(sys, "executable", str(script))
    worker = bodies.start_worker(len(jobs))
    assert worker is not None and worker.process is not None
    process = worker.process
    flooded = bodies.Bodies(jobs, targets, worker)
    flooded.start()
    assert worker.reader is not None
    worker.reader.join(timeout=30)  # it stops reading by itself, while the worker still writes
    assert not worker.reader.is_alive() and process.poll() is None
    assert [flooded.get(job) for job in jobs] == bodies.render_all(jobs, targets)
    flooded.close()
    assert process.poll() is not None


def test_no_worker_for_a_small_site_or_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    assert bodies.start_worker(bodies.WORKER_FROM - 1) is None
    monkeypatch.setattr(bodies, "_cores", lambda: 1)
    assert bodies.start_worker(bodies.WORKER_FROM) is None
