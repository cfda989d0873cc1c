"""`qms records import` of a survey export with 10,000 responses, as CSV and as Excel, and importing it again.

    python -m benchmarks.bench_import [--rows 10000]

Target (issue 15): 10,000 rows in under 5 s; a second import of the same file adds nothing and is faster.
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
CUSTOMERS = {"Hämeen Traktori Oy": "hameen-traktori", "Järvi Paper": "jarvi-paper", "Baltic Marine": "baltic-marine"}
MAPPING = """\
form: customer-feedback
response_id: Response ID
date_format: "%d.%m.%Y"
created_by: sanna-virtanen
fields:
  customer:
    column: Company
    map: {"Hämeen Traktori Oy": hameen-traktori, "Järvi Paper": jarvi-paper, "Baltic Marine": baltic-marine}
  received: {column: Answered}
  recommend: {column: Recommend 0-10}
  satisfaction: {column: Satisfaction 1-10, scale: {from: [1, 10], to: [1, 5]}}
  comment: {column: Comment}
"""


def export_rows(count: int) -> list[list[object]]:
    rng = random.Random(15)
    rows: list[list[object]] = [["Response ID", "Company", "Answered", "Recommend 0-10", "Satisfaction 1-10",
                                 "Comment"]]
    names = list(CUSTOMERS)
    for number in range(count):
        rows.append([f"R{number:06d}", names[number % 3], f"{1 + number % 28}.{1 + number % 12}.2026",
                     rng.randint(0, 10), rng.randint(1, 10), f"Answer number {number}; fine, thanks."])
    return rows


def manual_copy(name: str) -> Path:
    target = OUT / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(EXAMPLE, target)
    (target / "imports").mkdir(exist_ok=True)
    (target / "imports" / "survey.yaml").write_text(MAPPING)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    rows = export_rows(args.rows)
    csv_file = OUT / "survey.csv"
    csv_file.write_text("\ufeff" + "\n".join(";".join(f'"{c}"' if ";" in str(c) else str(c) for c in row)
                                             for row in rows) + "\n", encoding="utf-8")
    from openpyxl import Workbook  # noqa: PLC0415 - only this benchmark writes Excel

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    xlsx_file = OUT / "survey.xlsx"
    book.save(xlsx_file)
    qms = str(Path(sys.executable).parent / "qms")
    print(f"{args.rows:,} responses")
    for label, source in (("CSV (semicolon, BOM)", csv_file), ("Excel .xlsx", xlsx_file)):
        manual = manual_copy(f"import-{source.suffix[1:]}")
        first = measure([qms, "records", "import", "survey", str(source), str(manual)], 1)
        count = len(list((manual / "records" / "customer-feedback").glob("*.yaml")))
        again = measure([qms, "records", "import", "survey", str(source), str(manual)], 1)
        after = len(list((manual / "records" / "customer-feedback").glob("*.yaml")))
        assert after == count, "a second import must add nothing"
        print(f"  {label:22} first import {first.seconds:5.1f} s {first.peak_mb:4.0f} MB ({count:,} record files); "
              f"again {again.seconds:5.1f} s (added {after - count})")


if __name__ == "__main__":
    main()
