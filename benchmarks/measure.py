"""Run a command several times in a child process; report the median wall time and the peak memory."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    seconds: float  # median wall time
    peak_mb: float  # largest resident set of any run
    exit_code: int


def measure(command: list[str], repeat: int = 3, ok_codes: tuple[int, ...] = (0,)) -> Measurement:
    times: list[float] = []
    peak = 0.0
    code = 0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        code = done.returncode
        if code not in ok_codes:
            raise SystemExit(f"{' '.join(command)} exited {code}:\n{done.stderr.decode()[-2000:]}")
        # ru_maxrss of children is the largest of all children so far (KiB on Linux)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, before / 1024)
    return Measurement(statistics.median(times), peak, code)
