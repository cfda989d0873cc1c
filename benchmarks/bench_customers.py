"""`qms report customers` (the customer ledger, cohorts, churn, acquisition, reputation) over a manual with many
customers and invoices: the example plus CUSTOMERS customers, each won on a day of 2025 or 2026 (one in ten by
referral), with invoices spread over both years, feedback and public mentions; one in five stops ordering.

    python -m benchmarks.bench_customers [--customers 2000] [--invoices 50000]

Target: like every report (issue 8), under 5 s for 50,000 records.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from benchmarks.bench_records import OUT
from benchmarks.generate import EXAMPLE
from benchmarks.measure import measure

START = date(2025, 1, 1)


def _record(root: Path, form: str, record_id: str, values: str) -> None:
    folder = root / "records" / form
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{record_id}.yaml").write_text(
        f"id: {record_id}\nform: {form}\nform_revision: 1\ncreated_at: '2025-01-02T10:00:00+02:00'\n"
        f"created_by: paula-ojala\nvalues:\n{values}", encoding="utf-8")


def generate(root: Path, customers: int, invoices: int) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(EXAMPLE, root)
    rng = random.Random(17)
    ids = [f"bench-customer-{n:05d}" for n in range(customers)]
    with (root / "organisation" / "parties.yaml").open("a", encoding="utf-8") as parties:
        parties.writelines(f"  - {{id: {c}, name: Customer {n}, kind: customer}}\n" for n, c in enumerate(ids))
    won = {c: START + timedelta(days=rng.randint(0, 660)) for c in ids}
    lost = {c for n, c in enumerate(ids) if n % 5 == 0}
    for n, customer in enumerate(ids):
        referred = n % 10 == 1
        _record(root, "customer-acquisition", f"ACQ-2025-{n + 1:05d}",
                f"  customer: {customer}\n  won-on: '{won[customer]}'\n"
                f"  channel: {'referral' if referred else rng.choice(['web', 'fair', 'tender'])}\n"
                + (f"  referred-by: {ids[n - 1]}\n" if referred else ""))
        _record(root, "customer-feedback", f"CF-2025-{n + 1:05d}",
                f"  customer: {customer}\n  received: '{won[customer] + timedelta(days=30)}'\n"
                f"  recommend: {rng.randint(0, 10)}\n  satisfaction: 3\n")
        _record(root, "public-feedback", f"PUB-2025-{n + 1:05d}",
                f"  seen-on: '{won[customer] + timedelta(days=40)}'\n  channel: review-site\n"
                f"  sentiment: {rng.choice(['positive', 'neutral', 'negative'])}\n  customer: {customer}\n"
                "  summary: Generated.\n")
    for n in range(invoices):
        customer = ids[n % customers]
        last = date(2026, 3, 31) if customer in lost else date(2026, 11, 27)
        first = won[customer] if won[customer] < last else last
        day = first + timedelta(days=rng.randint(0, (last - first).days))
        _record(root, "sales-invoice", f"INV-2025-{n + 1:05d}",
                f"  customer: {customer}\n  invoice: '{n % 1_000_000:06d}'\n  invoiced: '{day}'\n"
                f"  line: {rng.choice(['machining', 'field-service'])}\n  amount: {rng.randint(500, 50_000)}\n"
                f"  direct-cost: {rng.randint(300, 30_000)}\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    manual = generate(OUT / f"customers-{args.customers}-{args.invoices}", args.customers, args.invoices)
    qms = str(Path(sys.executable).parent / "qms")
    measure([qms, "validate", str(manual), "-f", "json"], 1, ok_codes=(0, 1))  # warms the load cache
    print(f"{args.customers} customers, {args.invoices} invoices")
    day = ["--today", "2026-11-27"]
    for name, extra in (("markdown", []), ("json", ["-f", "json"]), ("csv", ["-f", "csv"]),
                        ("quarters", ["--cohorts", "quarter"])):
        result = measure([qms, "report", "customers", str(manual), "--period", "2026", *day, *extra], args.repeat)
        print(f"  {name:>10}: {result.seconds:5.2f} s  {result.peak_mb:4.0f} MB")


if __name__ == "__main__":
    main()
