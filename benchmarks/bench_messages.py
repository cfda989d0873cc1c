"""Findings in the reader's language: `qms validate` of a manual with many findings, as JSON (English), as text in
English and as text in Finnish, and the cost of making one finding from a template.

    python -m benchmarks.bench_messages [--documents 5000] [--repeat 3]

Each generated document names an owner no role answers and a process that does not exist: two findings per
document. Target (decision 0028): making a finding from a template a few microseconds, JSON unchanged, Finnish
text about what English text costs (Finnish is longer to print). Measured (2 cores, shared): 2,000 documents,
4,000 findings: 4 µs a finding; JSON 1.16 s, English text 2.72 s, Finnish text 2.98 s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import timeit
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.measure import measure
from qmskit.diagnostics import Location
from qmskit.messages import Join, Word, say
from qmskit.rules.catalog import rule

OUT = Path(__file__).resolve().parent / "out"


def _break(manual: Path) -> int:
    count = 0
    for path in sorted((manual / "documents" / "generated").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("owner: quality-manager", "owner: ghost", 1)
                        .replace("processes: [gen-", "processes: [nowhere-", 1), encoding="utf-8")
        count += 2
    return count


def _per_finding() -> float:
    """Microseconds to make one finding from a template with a list of kinds (the common reference finding)."""
    unresolved = rule("QMS-REF-001")
    location = Location("documents/PRO-1.md", 5, 8)
    number = 20_000
    seconds = timeit.timeit(lambda: unresolved.at(location, say(
        "{field} '{value}' is not a known {kind}", field="owner", value="ghost",
        kind=Join((Word("role"), Word("person")), "or"))), number=number)
    return seconds / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    qms = shutil.which("qms") or str(Path(sys.executable).parent / "qms")
    manual = generate(OUT / f"messages-{args.documents}", args.documents, 10)
    findings = _break(manual)
    print(f"{args.documents} documents, about {findings} findings; one finding from a template: "
          f"{_per_finding():.1f} µs")
    print(f"{'output':>12} {'median s':>9} {'cpu s':>7} {'peak MB':>8}")
    for label, extra in (("json", ["--format", "json"]), ("text en", ["--lang", "en"]),
                         ("text fi", ["--lang", "fi"])):
        result = measure([qms, "validate", str(manual), "--no-cache", *extra], args.repeat, ok_codes=(1,))
        print(f"{label:>12} {result.seconds:>9.2f} {result.cpu_seconds:>7.2f} {result.peak_mb:>8.0f}")


if __name__ == "__main__":
    main()
