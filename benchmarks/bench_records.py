"""`qms validate` of a manual with 50,000 records, cold and with the cache warm.

    python -m benchmarks.bench_records [--records 50000]

Target (issue 5): under 10 s cold; under 2 s when unchanged files come from the cache.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

from benchmarks.generate import EXAMPLE
from benchmarks.measure import measure

OUT = Path(__file__).resolve().parent / "out"
CUSTOMERS = ["hameen-traktori", "jarvi-paper", "baltic-marine"]
STEPS = ["sales.quotation", "sales.order-handling", "production.planning", "production.machining",
         "production.inspection", "delivery"]


def feedback(number: int, rng: random.Random) -> tuple[str, str, str]:
    day = f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}"
    score = rng.randint(0, 10)
    values = (f"  customer: {CUSTOMERS[number % 3]}\n  received: '{day}'\n  recommend: {score}\n"
              f"  satisfaction: {max(1, score // 2)}\n  comment: Generated feedback number {number}.\n")
    return "customer-feedback", "CF", values


def production(number: int, rng: random.Random) -> tuple[str, str, str]:
    start = f"2026-{1 + number % 12:02d}-{1 + number % 20:02d}"
    finish = f"2026-{1 + number % 12:02d}-{3 + number % 20 + rng.randint(0, 3):02d}"
    values = (f"  order: SO-{10000 + number // 6:05d}\n  step: {STEPS[number % 6]}\n"
              f"  customer: {CUSTOMERS[number % 3]}\n  part: PART-{number % 500} rev A\n  quantity: {1 + number % 90}\n"
              f"  planned-start: '{start}'\n  actual-start: '{start}'\n  planned-finish: '{start}'\n"
              f"  actual-finish: '{finish}'\n")
    return "production-log", "PL", values


def generate(root: Path, count: int) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(EXAMPLE, root)
    rng = random.Random(5)
    for number in range(count):
        form, prefix, values = (feedback if number % 2 else production)(number, rng)
        record_id = f"{prefix}-2025-{number + 1:05d}"
        folder = root / "records" / form
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{record_id}.yaml").write_text(
            f"id: {record_id}\nform: {form}\nform_revision: 1\ncreated_at: '2025-06-01T10:00:00+03:00'\n"
            f"created_by: mikko-heinonen\nvalues:\n{values}")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    manual = generate(OUT / f"records-{args.records}", args.records)
    qms = str(Path(sys.executable).parent / "qms")
    cache = manual / ".qms-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cold = measure([qms, "validate", str(manual), "--format", "json", "--no-cache"], args.repeat)
    measure([qms, "validate", str(manual), "--format", "json"], 1)  # fills the cache
    warm = measure([qms, "validate", str(manual), "--format", "json"], args.repeat)
    print(f"{args.records} records ({sum(1 for _ in manual.rglob('*.yaml'))} YAML files)")
    print(f"  cold (no cache): {cold.seconds:6.2f} s  {cold.peak_mb:5.0f} MB")
    print(f"  warm cache:      {warm.seconds:6.2f} s  {warm.peak_mb:5.0f} MB")


if __name__ == "__main__":
    main()
