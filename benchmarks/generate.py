"""Generate large manuals for benchmarks: the example manual plus N documents and P processes in a chain.

    python -m benchmarks.generate OUT --documents 5000 --processes 300
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "example_manual"
CATEGORIES = ("management", "core", "support")
CLAUSES = ("8.1", "8.5.1", "8.5.2", "7.5.3.1", "9.1.1", "10.2.1")


def process_yaml(index: int, count: int) -> str:
    pid = f"gen-{index:04d}"
    source = f"gen-{index - 1:04d}" if index > 0 else "customer"
    target = f"gen-{index + 1:04d}" if index < count - 1 else "customer"
    flows_in = [f"  - {{name: Work package {index}, from: {source}}}"]
    flows_out = [f"  - {{name: Work package {index + 1}, to: {target}}}"]
    # every fifth process also hands a report to the one two steps ahead, for a denser map
    if index % 5 == 0 and index + 2 < count:
        flows_out.append(f"  - {{name: Report {index}, to: gen-{index + 2:04d}}}")
    if index % 5 == 2 and index >= 2:
        flows_in.append(f"  - {{name: Report {index - 2}, from: gen-{index - 2:04d}}}")
    return "\n".join([
        f"id: {pid}", f"name: Generated process {index}", f"category: {CATEGORIES[index % 3]}",
        "owner: production-manager", f"purpose: Step {index} of a long generated chain.", f"customer: {target}",
        "inputs:", *flows_in, "outputs:", *flows_out, f"lead_time_days: {1 + index % 4}",
        f'clauses: ["{CLAUSES[index % len(CLAUSES)]}"]', "",
    ])


def document_md(index: int, processes: int) -> str:
    return f"""---
id: PRO-{10000 + index}
title: Generated procedure {index}
type: procedure
owner: quality-manager
status: active
processes: [gen-{index % processes:04d}]
clauses: ["{CLAUSES[index % len(CLAUSES)]}"]
references: [PRO-001]
---
# Generated procedure {index}

## Purpose

Exercise the validator with a realistic document of about forty lines.

## Scope

Generated process gen-{index % processes:04d}.

## Responsibilities

- **Quality manager:** keeps the document current.

## Procedure

1. Receive the work package.
2. Do the work with the right tools and people.
3. Check the result against the requirements.
4. Hand the result to the next step.

## Records

The production log (form `production-log`).
"""


def generate(out: Path, documents: int, processes: int) -> Path:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(EXAMPLE, out)
    (out / "processes" / "generated").mkdir()
    for index in range(processes):
        (out / "processes" / "generated" / f"gen-{index:04d}.yaml").write_text(process_yaml(index, processes))
    docs = out / "documents" / "generated"
    docs.mkdir()
    for index in range(documents):
        (docs / f"PRO-{10000 + index}.md").write_text(document_md(index, max(processes, 1)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=300)
    args = parser.parse_args()
    generate(args.out, args.documents, args.processes)


if __name__ == "__main__":
    main()
