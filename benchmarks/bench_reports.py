"""Every report over a manual with 50,000 records (the one bench_records builds).

    python -m benchmarks.bench_reports [--records 50000]

Target (issue 8): each report in under 5 s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.bench_records import OUT, generate
from benchmarks.measure import measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    manual = OUT / f"records-{args.records}"
    if not manual.exists():
        generate(manual, args.records)
    qms = str(Path(sys.executable).parent / "qms")
    measure([qms, "validate", str(manual), "-f", "json"], 1, ok_codes=(0, 1))  # warms the load cache
    print(f"{args.records} records")
    day = ["--today", "2026-11-27"]
    runs = {
        "kpi": ["report", "kpi", str(manual), "--period", "2026", *day],
        "customers": ["report", "customers", str(manual), "--period", "2026", *day],
        "flow": ["report", "flow", str(manual)],
        "review": ["report", "review", str(manual), "--period", "2026", *day],
        "chart nps": ["report", "chart", "nps", str(manual), "-o", str(OUT / "nps.svg"), *day],
        "todo": ["todo", str(manual), *day],
    }
    for name, arguments in runs.items():
        result = measure([qms, *arguments], args.repeat)
        print(f"  {name:>10}: {result.seconds:5.2f} s  {result.peak_mb:4.0f} MB")

if __name__ == "__main__":
    main()
