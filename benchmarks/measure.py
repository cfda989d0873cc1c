"""Run a command several times; report the median wall time, the median CPU time and the peak memory."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

# A fresh Python parent for every run: its RUSAGE_CHILDREN peak covers only the measured command and the
# processes that command starts (git, dot), not everything the benchmark ran before. It is the peak resident
# set of the largest single process, in KiB.
_WRAPPER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(f"\\nqms-bench code={done.returncode} maxrss={usage.ru_maxrss} "
                 f"cpu={usage.ru_utime + usage.ru_stime}\\n")
"""


@dataclass(frozen=True)
class Measurement:
    seconds: float  # median wall time
    peak_mb: float  # largest resident set of any process of any run
    exit_code: int
    # median user + system time of the command and every process it started: on a machine shared with other
    # work, wall time grows with the load and this does not
    cpu_seconds: float = 0.0


def measure(command: list[str], repeat: int = 3, ok_codes: tuple[int, ...] = (0,)) -> Measurement:
    times: list[float] = []
    cpu: list[float] = []
    peak, code = 0.0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _WRAPPER, *command], capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        err = done.stderr.decode(errors="replace")
        summary = err.strip().splitlines()[-1].split()
        code, kib = int(summary[1].removeprefix("code=")), int(summary[2].removeprefix("maxrss="))
        cpu.append(float(summary[3].removeprefix("cpu=")))
        if code not in ok_codes:
            raise SystemExit(f"{' '.join(command)} exited {code}:\n{err[-2000:]}")
        peak = max(peak, kib / 1024)
    return Measurement(statistics.median(times), peak, code, statistics.median(cpu))


def interleaved(commands: list[list[str]], repeat: int) -> list[Measurement]:
    """Measure each command `repeat` times, taking turns (A B A B ...), so that a change in the machine's load
    during the runs weighs on every command alike; medians as `measure`."""
    rounds = [[measure(command, 1) for command in commands] for _ in range(repeat)]
    return [Measurement(statistics.median(run[index].seconds for run in rounds),
                        max(run[index].peak_mb for run in rounds), rounds[-1][index].exit_code,
                        statistics.median(run[index].cpu_seconds for run in rounds)) for index in range(len(commands))]
