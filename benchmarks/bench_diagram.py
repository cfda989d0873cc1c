"""`qms diagram` of a large process map: 300 processes and about 1,500 flows, DOT and SVG.

    python -m benchmarks.bench_diagram [--processes 300] [--fan 5]

Target (issue 4): renders in under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.measure import measure

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=300)
    parser.add_argument("--fan", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    manual = generate(OUT / f"diagram-{args.processes}", 0, args.processes, args.fan)
    flows = sum(p.read_text().count(", to: ") for p in (manual / "processes").rglob("*.yaml"))
    qms = shutil.which("qms") or str(Path(sys.executable).parent / "qms")
    print(f"{args.processes + 18} processes, {flows} flows (outputs)")
    for fmt in ("dot", "svg"):
        result = measure([qms, "diagram", str(manual), "--format", fmt, "-o", str(OUT / f"map.{fmt}")], args.repeat)
        print(f"  {fmt:>4}: median {result.seconds:.2f} s wall, {result.cpu_seconds:.2f} s CPU, "
              f"peak {result.peak_mb:.0f} MB (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
