"""Document bodies for the site, part of them rendered in a second process while this one builds the other pages:
rendering and sanitising Markdown is most of a large site's generation, and a machine's other core idles during
it (DESIGN 0031). A body is a pure function of its text, its file, its page and the link targets, so it is the
same HTML wherever it is rendered.

The worker is `python -m qmskit.site.bodies`, given its jobs as JSON on stdin and answering with JSON on stdout:
unlike multiprocessing, it never runs the parent's main script again (a script without a main guard, `python -c`
or stdin would break or repeat), and it shares no locks with the parent's threads."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from qmskit.escape import markdown_body
from qmskit.site import shards
from qmskit.site.bodylinks import body_links

# A job: (the text without its title, the manual file it comes from, the page it is shown on)
Job = tuple[str, str, str]
WORKER_FROM = 200  # documents; below this, starting a process costs more than it saves
WORKER_SHARE = 0.5  # of the bodies: this process renders the rest, and every page's other parts


def render(job: Job, targets: Mapping[str, str | None]) -> str:
    text, source, page = job
    return markdown_body(text, body_links(source, page, targets))


def render_all(jobs: Sequence[Job], targets: Mapping[str, str | None]) -> list[str]:
    return [render(job, targets) for job in jobs]


_cores = shards.available_cores  # a name of this module's own, which tests can replace


def _run_worker(jobs: Sequence[Job], targets: Mapping[str, str | None]) -> list[str] | None:
    """The bodies of `jobs` from a worker process, or None when it failed (this process then renders them)."""
    payload = json.dumps({"jobs": list(jobs), "targets": dict(targets)}).encode("utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "qmskit.site.bodies"], input=payload, capture_output=True,
                              check=False)
    except OSError:
        return None
    if done.returncode != 0:
        return None
    try:
        bodies = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(bodies, list) or len(bodies) != len(jobs) or not all(isinstance(b, str) for b in bodies):
        return None
    return bodies


class Bodies:
    """The bodies of `jobs` (in the order their pages are built): once started, the later ones are rendered by a
    worker process, the others here when asked for."""

    def __init__(self, jobs: Sequence[Job], targets: Mapping[str, str | None]) -> None:
        self.jobs = list(jobs)
        self.targets = targets
        self.ready: dict[Job, str] = {}
        self.pending: tuple[list[Job], set[Job], Future[list[str] | None]] | None = None
        self.waiter: ThreadPoolExecutor | None = None

    def start(self) -> None:
        """Hand the later bodies to a worker process, when there are enough to pay for starting it."""
        if self.waiter is not None or len(self.jobs) < WORKER_FROM or _cores() < 2:
            return
        later = self.jobs[int(len(self.jobs) * (1 - WORKER_SHARE)):]
        self.waiter = ThreadPoolExecutor(1, thread_name_prefix="qms-bodies")  # waits for the worker's answer
        self.pending = (later, set(later), self.waiter.submit(_run_worker, later, self.targets))

    def get(self, job: Job) -> str:
        if self.pending is not None and job in self.pending[1]:
            jobs, _, answer = self.pending
            self.pending = None
            bodies = answer.result()
            if bodies is not None:
                self.ready.update(zip(jobs, bodies, strict=True))
            self.close()
        found = self.ready.pop(job, None)
        return found if found is not None else render(job, self.targets)

    def close(self) -> None:
        if self.waiter is not None:
            self.waiter.shutdown(wait=False)
            self.waiter = None


def _serve() -> None:
    """The worker: jobs and link targets as JSON on stdin, their bodies as a JSON list on stdout."""
    given = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    jobs = [(str(text), str(source), str(page)) for text, source, page in given["jobs"]]
    sys.stdout.write(json.dumps(render_all(jobs, given["targets"])))


if __name__ == "__main__":
    _serve()
