"""Generate large manuals for benchmarks: the example manual plus N documents and P processes in a chain.

    python -m benchmarks.generate OUT --documents 5000 --processes 300
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "example_manual"
TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "manual"
CATEGORIES = ("management", "core", "support")
CLAUSES = ("8.1", "8.5.1", "8.5.2", "7.5.3.1", "9.1.1", "10.2.1")


def process_yaml(index: int, count: int, fan: int = 1) -> str:
    """Process `index` of a chain: it delivers to the next `fan` processes and receives from the previous `fan`
    (the first receives from the customer, the last delivers to it), so interfaces agree on both ends."""
    pid = f"gen-{index:04d}"
    before, after = range(max(0, index - fan), index), range(index + 1, min(count, index + 1 + fan))
    flows_in = [f"  - {{name: Work package {j}-{index}, from: gen-{j:04d}}}" for j in before]
    flows_out = [f"  - {{name: Work package {index}-{j}, to: gen-{j:04d}}}" for j in after]
    if index == 0:
        flows_in.append("  - {name: Orders, from: customer}")
    if index == count - 1:
        flows_out.append("  - {name: Delivered product, to: customer}")
    customer = f"gen-{index + 1:04d}" if index < count - 1 else "customer"
    return "\n".join([
        f"id: {pid}", f"name: Generated process {index}", f"category: {CATEGORIES[index % 3]}",
        "owner: production-manager", f"purpose: Step {index} of a long generated chain.", f"customer: {customer}",
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


def generate(out: Path, documents: int, processes: int, fan: int = 1) -> Path:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(EXAMPLE, out)
    (out / "processes" / "generated").mkdir()
    for index in range(processes):
        (out / "processes" / "generated" / f"gen-{index:04d}.yaml").write_text(process_yaml(index, processes, fan))
    docs = out / "documents" / "generated"
    docs.mkdir()
    for index in range(documents):
        (docs / f"PRO-{10000 + index}.md").write_text(document_md(index, max(processes, 1)))
    return out


def deep_chain(out: Path, depth: int, nested: bool = True) -> Path:
    """The starter manual plus `depth` processes, each delivering to the next. `nested`: each is the sub-process
    of the one before (under `operations`), so the hierarchy is as deep as the input says; otherwise they are
    siblings under `operations`, so the value chain is that long."""
    shutil.copytree(TEMPLATE, out)
    folder = out / "processes" / "deep"
    folder.mkdir()
    for index in range(depth):
        parent = f"deep-{index - 1:04d}" if index and nested else "operations"
        source = f"deep-{index - 1:04d}" if index else "customer"
        target = f"deep-{index + 1:04d}" if index < depth - 1 else "customer"
        (folder / f"deep-{index:04d}.yaml").write_text("\n".join([
            f"id: deep-{index:04d}", f"name: Level {index + 1}", "category: core", "owner: operations-manager",
            f"parent: {parent}", f"purpose: Level {index + 1} of a deep hierarchy.", "customer: customer",
            "inputs:", f"  - {{name: Work {index}, from: {source}}}",
            "outputs:", f"  - {{name: Work {index + 1}, to: {target}}}", ""]))
    return out


def many_flows(out: Path, flows: int) -> Path:
    """The starter manual plus two processes with `flows` different things flowing from one to the other."""
    shutil.copytree(TEMPLATE, out)
    names = [f"Part {index:05d}" for index in range(flows)]
    (out / "processes" / "hub.yaml").write_text("\n".join([
        "id: hub", "name: Hub", "category: core", "owner: operations-manager", "purpose: Sends many things.",
        "customer: spoke", "inputs:", "  - {name: Orders, from: customer}", "outputs:",
        *(f"  - {{name: {name}, to: spoke}}" for name in names), ""]))
    (out / "processes" / "spoke.yaml").write_text("\n".join([
        "id: spoke", "name: Spoke", "category: core", "owner: operations-manager", "purpose: Receives them.",
        "customer: customer", "inputs:", *(f"  - {{name: {name}, from: hub}}" for name in names), "outputs:",
        "  - {name: Products, to: customer}", ""]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=300)
    parser.add_argument("--fan", type=int, default=1, help="flows from each process to the next N processes")
    args = parser.parse_args()
    generate(args.out, args.documents, args.processes, args.fan)


if __name__ == "__main__":
    main()
