"""The site's evidence pages (management reviews, audit programme, internal complaints, customer feedback) over a
manual with many records: the 50,000 of bench_records plus ten years of quarterly reviews, audits and internal
complaints.

    python -m benchmarks.bench_evidence [--records 50000] [--reviews 40] [--audits 400] [--complaints 2000]

Each management review's page rebuilds the review pack for its period, one `qms report review` each (bench_reports:
under 5 s at 50,000 records); packs are rebuilt for at most 12 reviews of the last three years, so the reviews
cost at most 12 reports however long the history. Target: every other evidence page together under 15 s at
the defaults, and the reviews within 12 x the review report's time.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.bench_records import OUT
from benchmarks.bench_records import generate as records
from qmskit.loading.load import load_manual
from qmskit.site import evidence, feedback
from qmskit.site.generate import SiteBuilder, SiteInput
from qmskit.vcs.history import History

PROCESSES = ["sales", "purchasing", "production", "delivery", "field-service", "improvement"]


def _write(root: Path, form: str, record_id: str, values: str, status: str = "") -> None:
    folder = root / "records" / form
    folder.mkdir(parents=True, exist_ok=True)
    state = f"status: {status}\n" if status else ""
    (folder / f"{record_id}.yaml").write_text(
        f"id: {record_id}\nform: {form}\nform_revision: 1\ncreated_at: '2025-06-01T10:00:00+03:00'\n"
        f"created_by: mikko-heinonen\n{state}values:\n{values}")


def generate(root: Path, count: int, reviews: int, audits: int, complaints: int) -> Path:
    records(root, count)
    start = date(2026, 11, 1)
    for n in range(reviews):  # quarterly, going back
        day = start - timedelta(days=91 * n)
        _write(root, "management-review", f"MR-2016-{n + 1:04d}",
               f"  date: '{day}'\n  participants: Everyone\n  previous-actions: Done.\n  performance: Fine.\n"
               f"  decisions: Decision {n}.\n")
    for n in range(audits):
        day = start - timedelta(days=9 * n)
        _write(root, "internal-audit", f"IA-2016-{n + 1:04d}",
               f"  process: {PROCESSES[n % len(PROCESSES)]}\n  date: '{day}'\n  auditor: mikko-heinonen\n"
               f"  auditee: jari-koskinen\n  findings: Finding {n}.\n  nonconformities: {n % 2}\n"
               f"  conclusion: effective\n  actions: NC-2026-000{1 + n % 9}\n")
    for n in range(complaints):
        day = start - timedelta(days=n % 700)
        _write(root, "internal-complaint", f"IC-2016-{n + 1:05d}",
               f"  noticed: '{day}'\n  complaining-process: {PROCESSES[n % 6]}\n"
               f"  supplying-process: {PROCESSES[(n + 1) % 6]}\n  input: Input {n % 7}\n  problem: late\n"
               f"  delay-days: {n % 5}\n  description: Late again.\n", "received")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--reviews", type=int, default=40)
    parser.add_argument("--audits", type=int, default=400)
    parser.add_argument("--complaints", type=int, default=2_000)
    args = parser.parse_args()
    root = OUT / f"evidence-{args.records}-{args.reviews}-{args.audits}-{args.complaints}"
    if not root.exists():
        generate(root, args.records, args.reviews, args.audits, args.complaints)
    manual = load_manual(root, use_cache=True).manual
    site = SiteBuilder(SiteInput(manual, History(available=False), date(2026, 11, 27)))
    print(f"{len(manual.records)} records, {args.reviews} reviews, {args.audits} audits, "
          f"{args.complaints} internal complaints")
    total = 0.0
    for name, make in (("reviews", lambda: evidence.review_pages(site)), ("audits", lambda: evidence.audits_page(site)),
                       ("internal complaints", lambda: evidence.complaints_page(site)),
                       ("customer feedback", lambda: feedback.feedback_page(site))):
        started = time.perf_counter()
        made = make()
        seconds = time.perf_counter() - started
        total += seconds
        size = sum(len(c) for _, c in made) if isinstance(made, list) else len(made)
        print(f"  {name:>20}: {seconds:6.2f} s  {size / 1e6:6.2f} MB of Markdown")
    print(f"  {'together':>20}: {total:6.2f} s")


if __name__ == "__main__":
    main()
