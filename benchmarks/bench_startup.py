"""Start-up: whole-process wall time of short commands, and what importing costs.

    python -m benchmarks.bench_startup [--repeat 15] [--baseline DIR]

Target (issue 16): `qms --version` and `qms --help` under 150 ms; no command imports what it does not use.
Each command runs in a fresh process; the median of the runs is printed next to a bare `python -c pass`,
the floor no command can go below. Then `python -X importtime` for `qms validate` lists the costliest imports.
`--baseline DIR` (a checkout of another revision, e.g. `git worktree add /tmp/base main`) runs `python -m qmskit`
from there and from here in turn, so both see the same load.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
EXAMPLE = Path(__file__).resolve().parent.parent / "example_manual"
NC = ["--set", "detected=2026-03-02", "--set", "source=production", "--set", "process=production.machining",
      "--set", "description=Bore 0.02 mm oversize", "--set", "quantity=12", "--by", "timo-laine", "--no-input"]


def timed(command: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system, the process and its children) of `repeat` runs.
    On a busy machine wall time mostly measures the other processes; CPU time much less so."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}")
    return statistics.median(walls), statistics.median(cpus)


def report(label: str, figures: tuple[float, float]) -> None:
    print(f"{label:<40} {figures[0] * 1000:7.0f} ms wall {figures[1] * 1000:7.0f} ms CPU")


def import_costs(command: list[str], top: int, env: dict[str, str]) -> list[tuple[int, str]]:
    """The top-level imports (and their cumulative microseconds) of one run, costliest first."""
    done = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True, text=True,
                          check=False, env=env)
    costs = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)", line)
        if match and len(match[2]) <= 2:  # top-level and their direct children
            costs.append((int(match[1]), match[2] + match[3]))
    return sorted(costs, reverse=True)[:top]


def compare(baseline: Path, repeat: int, env: dict[str, str]) -> None:
    """Each command from the baseline checkout and from this one, alternately (PYTHONPATH puts the baseline's
    qmskit first; the runs start outside both checkouts so neither is on the path by accident)."""
    here = Path(__file__).resolve().parent.parent
    print(f"\nbaseline {baseline} against {here} (python -m qmskit, CPU time):")
    for label, args in (("--version", ["--version"]), ("--help", ["--help"]),
                        ("validate (example)", ["validate", "example_manual"])):
        figures: dict[str, list[float]] = {"baseline": [], "this": []}
        for _ in range(repeat):
            for name, root in (("baseline", baseline), ("this", here)):
                # each checkout validates its own example manual
                command = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(root)!r}); "
                           "sys.argv[0] = 'qms'; from qmskit.cli import main; main()",
                           *(str(root / a) if a == "example_manual" else a for a in args)]
                figures[name].append(timed(command, 1, env={**env, "PWD": "/"})[1])
        print(f"  {label:<20} baseline {statistics.median(figures['baseline']) * 1000:6.0f} ms, "
              f"this {statistics.median(figures['this']) * 1000:6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="a checkout of another revision to compare with")
    args = parser.parse_args()
    qms = shutil.which("qms") or str(Path(sys.executable).parent / "qms")
    manual = OUT / "startup-manual"
    shutil.rmtree(manual, ignore_errors=True)
    shutil.copytree(EXAMPLE, manual)
    env = {**os.environ, "QMS_TODAY": "2026-11-27", "QMS_CACHE_DIR": str(OUT / "startup-cache")}
    rows = [
        ("python -c pass (the floor)", [sys.executable, "-c", "pass"]),
        ("qms --version", [qms, "--version"]),
        ("qms --help", [qms, "--help"]),
        ("qms validate --help", [qms, "validate", "--help"]),
        ("qms rules", [qms, "rules"]),
        ("qms validate (example, cached)", [qms, "validate", str(manual)]),
        ("qms validate (example, --no-cache)", [qms, "validate", str(manual), "--no-cache"]),
    ]
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    for label, command in rows:
        report(label, timed(command, args.repeat, env=env))
    # Every run writes a record: a few runs are enough, and the folder grows only by them.
    subprocess.run(["git", "init", "-q", str(manual)], check=True)
    report("qms record new (example, --no-input)",
           timed([qms, "record", "new", "nonconformity", str(manual), *NC], max(3, args.repeat // 3), env=env))
    if args.baseline:
        compare(args.baseline.resolve(), args.repeat, env)
    print("\nslowest imports of `qms validate` (cumulative, python -X importtime):")
    for micros, name in import_costs(["-m", "qmskit", "validate", str(manual)], 12, env):
        print(f"  {micros / 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
