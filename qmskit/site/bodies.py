"""Document bodies for the site, part of them rendered in a second process while this one builds the other pages:
rendering and sanitising Markdown is most of a large site's generation, and a machine's other core idles during
it (DESIGN 0031). A body is a pure function of its text, its file, its page and the link targets, so it is the
same HTML wherever it is rendered."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from qmskit.escape import markdown_body
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


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Bodies:
    """The bodies of `jobs` (in the order their pages are built): once started, the later ones are rendered by a
    worker process, the others here when asked for."""

    def __init__(self, jobs: Sequence[Job], targets: Mapping[str, str | None]) -> None:
        self.jobs = list(jobs)
        self.targets = targets
        self.ready: dict[Job, str] = {}
        self.pending: tuple[list[Job], set[Job], Future[list[str]]] | None = None
        self.pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Hand the later bodies to a worker process, when there are enough to pay for starting it."""
        if self.pool is not None or len(self.jobs) < WORKER_FROM or _cores() < 2:
            return
        later = self.jobs[int(len(self.jobs) * (1 - WORKER_SHARE)):]
        # spawn, not fork: the parent may run threads (git readers, the progress bar) whose locks a fork would copy
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self.pending = (later, set(later), self.pool.submit(render_all, later, dict(self.targets)))

    def get(self, job: Job) -> str:
        if self.pending is not None and job in self.pending[1]:
            jobs, _, future = self.pending
            self.pending = None
            # the worker died (e.g. out of memory): this process renders those bodies itself
            with contextlib.suppress(BrokenProcessPool, OSError):
                self.ready.update(zip(jobs, future.result(), strict=True))
            self.close()
        found = self.ready.pop(job, None)
        return found if found is not None else render(job, self.targets)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
