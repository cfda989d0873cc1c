"""Document bodies for the site, rendered from both ends at once: this process renders them from the first page
on, a worker process from the last page back, until the two meet (DESIGN 0031). Rendering and sanitising
Markdown is most of a large site's generation, and a machine's other core would idle during it. Neither side ever
waits for the other, so the split follows the machine's load and the manual's mix of pages by itself, and a worker
that is slow, hangs or dies costs nothing but its own core. A body is a pure function of its text, its file, its
page and the link targets, so it is the same HTML wherever it is rendered.

The worker is `python -m qmskit.site.bodies`: its jobs as JSON on stdin, each body as one JSON line
`[index, html]` on stdout, the last job first. Unlike multiprocessing, it never runs the parent's main script
again (a script without a main guard, `python -c` or stdin would break or repeat), and it shares no locks with
the parent's threads."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import IO

from qmskit.escape import markdown_body
from qmskit.site import shards
from qmskit.site.bodylinks import body_links
from qmskit.site.children import python_module

# A job: (the text without its title, the manual file it comes from, the page it is shown on)
Job = tuple[str, str, str]
WORKER_FROM = 200  # documents; below this, starting a process costs more than it saves


def render(job: Job, targets: Mapping[str, str | None]) -> str:
    text, source, page = job
    return markdown_body(text, body_links(source, page, targets))


def render_all(jobs: Sequence[Job], targets: Mapping[str, str | None]) -> list[str]:
    return [render(job, targets) for job in jobs]


_cores = shards.available_cores  # a name of this module's own, which tests can replace
# The worker's answers are read up to this many bytes per byte of its jobs (plus 1 MiB): Markdown and escaping make
# HTML a few times longer than its source, never by this much. What is past it is rendered here.
ANSWER_GROWTH = 64


class Worker:
    """A `python -m qmskit.site.bodies` process, started early so that its imports overlap this process's
    loading, and given its jobs later (`give`). Its answers are read by a thread as they come."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.answers: dict[int, str] = {}
        self.lock = threading.Lock()
        self.reader: threading.Thread | None = None
        try:  # in a process group of its own: stopping it stops whatever it started that holds its output open
            self.process = subprocess.Popen(python_module("qmskit.site.bodies"), stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            self.process = None  # no worker: this process renders every body

    def give(self, jobs: Sequence[Job], targets: Mapping[str, str | None]) -> None:
        if self.process is None or self.reader is not None:
            return
        payload = json.dumps({"jobs": list(jobs), "targets": dict(targets)}).encode("utf-8")
        limit = ANSWER_GROWTH * len(payload) + (1 << 20)
        self.reader = threading.Thread(target=self._talk, args=(self.process, payload, len(jobs), limit),
                                       name="qms-bodies", daemon=True)
        self.reader.start()

    def _talk(self, process: subprocess.Popen[bytes], payload: bytes, count: int, limit: int) -> None:
        if process.stdin is None or process.stdout is None:
            return
        try:
            process.stdin.write(payload)
            process.stdin.close()
            for index, body in _answers(process.stdout, count, limit):
                with self.lock:
                    self.answers[index] = body
        except (OSError, ValueError):
            pass  # the worker died or was stopped: what it answered stays usable, the rest is rendered here

    def take(self, index: int) -> str | None:
        with self.lock:
            return self.answers.pop(index, None)

    def stop(self) -> None:
        """Stop the process (at once: what it has not answered is rendered here); its answers stay."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.returncode is None and hasattr(os, "killpg"):  # not reaped (alive, or a zombie): its id and
            with contextlib.suppress(ProcessLookupError):  # its group's are still its own
                os.killpg(process.pid, signal.SIGKILL)
        elif process.returncode is None:
            process.kill()  # a system without process groups
        process.wait()
        if self.reader is not None:
            self.reader.join()  # it reads to the end of the dead process's output
        for stream in (process.stdin, process.stdout):
            if stream is not None and not stream.closed:
                stream.close()


def _answers(stream: IO[bytes], count: int, limit: int) -> Iterator[tuple[int, str]]:
    """The worker's `[index, html]` lines, at most `limit` bytes of them; the first line that is not one, or that
    would pass the limit, ends the answers."""
    while limit > 0:
        line = stream.readline(limit)
        if not line.endswith(b"\n"):
            return  # the end of its output, or more than bodies can be
        limit -= len(line)
        try:
            index, body = json.loads(line)
        except (UnicodeDecodeError, ValueError, TypeError):
            return
        if not (isinstance(index, int) and 0 <= index < count and isinstance(body, str)):
            return
        yield index, body


class Bodies:
    """The bodies of `jobs`, asked for in their order: this process renders each one the worker has not yet
    answered; the worker renders from the last one back. Once this process reaches a body the worker answered,
    every later one is answered too, and the worker is stopped."""

    def __init__(self, jobs: Sequence[Job], targets: Mapping[str, str | None], worker: Worker | None = None) -> None:
        self.jobs = list(jobs)
        self.position = {job: index for index, job in enumerate(self.jobs)}
        self.targets = targets
        self.worker = worker
        self.started = False

    def start(self) -> None:
        """Give the worker its jobs, when there are enough to pay for it; else stop it."""
        if self.started:
            return
        self.started = True
        if self.worker is not None and (len(self.jobs) < WORKER_FROM or _cores() < 2):
            self.close()
        elif self.worker is not None:
            self.worker.give(self.jobs, self.targets)

    def get(self, job: Job) -> str:
        index = self.position.get(job)
        if self.worker is not None and index is not None:
            answered = self.worker.take(index)
            if answered is not None:  # the two ends met: the worker now renders bodies this process has
                self.worker.stop()  # and keeps its answers, every later body among them
                return answered
        return render(job, self.targets)

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()


def start_worker(documents: int) -> Worker | None:
    """A worker for a site of `documents` documents, started now, when a worker pays off on this machine."""
    return Worker() if documents >= WORKER_FROM and _cores() >= 2 else None


def _serve() -> None:
    """The worker: jobs and link targets as JSON on stdin; each body as a JSON line, the last job first."""
    given = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    jobs = [(str(text), str(source), str(page)) for text, source, page in given["jobs"]]
    targets = given["targets"]
    for index in range(len(jobs) - 1, -1, -1):
        sys.stdout.write(json.dumps([index, render(jobs[index], targets)]) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
