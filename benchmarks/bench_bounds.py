"""Bounded work for hostile input (issue 12.4): deep hierarchies, many parallel flows, catastrophic patterns.

    python -m benchmarks.bench_bounds [--depth 500] [--flows 10000] [--records 1000]

Targets: a 500-deep parent chain validates and draws (`--depth 3`, a process card 9 levels deep) in seconds
and time grows about linearly with depth; one process with 10,000 flows to another draws as SVG in seconds (one
edge with a count); validating 1,000 records against `^(a+)+$` with 35-character values takes no longer than
validating them against a plain pattern.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from benchmarks.generate import TEMPLATE, deep_chain, many_flows
from benchmarks.measure import measure

OUT = Path(__file__).resolve().parent / "out" / "bounds"


def pattern_manual(out: Path, records: int, pattern: str) -> Path:
    """The starter manual with a field pattern and `records` records whose values the pattern rejects."""
    shutil.copytree(TEMPLATE, out)
    form = out / "forms" / "management-review.yaml"
    form.write_text(form.read_text().replace("type: longtext, required: true}",
                                             f'type: longtext, required: true, pattern: "{pattern}"}}', 1))
    folder = out / "records" / "management-review"
    folder.mkdir(parents=True, exist_ok=True)
    value = "a" * 35 + "!"
    for index in range(1, records + 1):
        (folder / f"MR-2026-{index:04d}.yaml").write_text(
            f"id: MR-2026-{index:04d}\nform: management-review\nform_revision: 1\n"
            "created_at: '2026-03-02T10:00:00+02:00'\ncreated_by: first-person\n"
            f"values: {{date: '2026-03-02', inputs: '{value}', decisions: Agreed}}\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--depth", type=int, default=500)
    parser.add_argument("--flows", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    qms = shutil.which("qms") or str(Path(sys.executable).parent / "qms")
    findings = (0, 1)
    for depth in (args.depth // 2, args.depth):
        manual = deep_chain(OUT / f"deep-{depth}", depth)
        print(f"{depth}-deep parent chain")
        for name, extra, codes in (
                ("validate", ["validate", str(manual)], findings),
                ("diagram --depth 3 (svg)", ["diagram", str(manual), "--depth", "3", "-o", str(OUT / "d.svg")], (0,)),
                ("process card, 9 levels (svg)", ["diagram", str(manual), "--view", "process", "--process",
                                                  "deep-0000", "--depth", "9", "-o", str(OUT / "c.svg")], (0,))):
            result = measure([qms, *extra], args.repeat, codes)
            print(f"  {name:>30}: median {result.seconds:.2f} s, peak {result.peak_mb:.0f} MB")
    wide = many_flows(OUT / "wide", args.flows)
    print(f"one process with {args.flows:,} flows to another")
    for fmt in ("dot", "svg"):
        result = measure([qms, "diagram", str(wide), "-f", fmt, "-o", str(OUT / f"wide.{fmt}")], args.repeat)
        print(f"  {'map (' + fmt + ')':>30}: median {result.seconds:.2f} s, peak {result.peak_mb:.0f} MB")
    print(f"{args.records:,} records checked against a field pattern, each value 35 characters")
    for label, pattern in (("plain ^[a-z]+$", "^[a-z]+$"), ("catastrophic ^(a+)+$", "^(a+)+$")):
        manual = pattern_manual(OUT / f"pattern-{len(pattern)}", args.records, pattern)
        result = measure([qms, "validate", str(manual), "--no-cache"], args.repeat, findings)
        print(f"  {label:>30}: median {result.seconds:.2f} s, peak {result.peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
