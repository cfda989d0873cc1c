"""`qms validate` on large generated manuals: wall time and peak memory.

    python -m benchmarks.bench_validate [--sizes 1000 5000] [--processes 300]

Target (issue 2): 5,000 documents + 300 processes under 2 s on a 2-core machine, growing linearly.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.measure import measure

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--processes", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    qms = shutil.which("qms") or str(Path(sys.executable).parent / "qms")
    print(f"{'documents':>10} {'processes':>10} {'files':>7} {'median s':>9} {'peak MB':>8}")
    for size in args.sizes:
        manual = generate(OUT / f"manual-{size}", size, args.processes)
        files = sum(1 for p in manual.rglob("*") if p.is_file())
        result = measure([qms, "validate", str(manual), "--format", "json"], args.repeat)
        print(f"{size:>10} {args.processes:>10} {files:>7} {result.seconds:>9.2f} {result.peak_mb:>8.0f}")


if __name__ == "__main__":
    main()
