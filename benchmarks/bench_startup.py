"""Start-up: whole-process wall time of short commands, and what importing costs.

    python -m benchmarks.bench_startup [--repeat 15]

Target (issue 16): `qms --version` and `qms --help` under 150 ms; no command imports what it does not use.
Each command runs in a fresh process; the median of the runs is printed next to a bare `python -c pass`,
the floor no command can go below. Then `python -X importtime` for `qms validate` lists the costliest imports.
"""

from __future__ import annotations

import argparse
import os
import re
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


def wall(command: list[str], repeat: int, cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False, cwd=cwd, env=env)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}")
    return statistics.median(times)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
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
    for label, command in rows:
        print(f"{label:<40} {wall(command, args.repeat, env=env) * 1000:7.0f} ms")
    # Every run writes a record: a few runs are enough, and the folder grows only by them.
    subprocess.run(["git", "init", "-q", str(manual)], check=True)
    seconds = wall([qms, "record", "new", "nonconformity", str(manual), *NC], max(3, args.repeat // 3), env=env)
    print(f"{'qms record new (example, --no-input)':<40} {seconds * 1000:7.0f} ms")
    print("\nslowest imports of `qms validate` (cumulative, python -X importtime):")
    for micros, name in import_costs(["-m", "qmskit", "validate", str(manual)], 12, env):
        print(f"  {micros / 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
