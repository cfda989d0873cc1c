"""A manual of another company with many processes: the `qms init` template (its three processes stay, so that
every reference in it still resolves) plus generated ones up to `count` (ids, names, categories and flows that
the example manual never uses).

Names vary in length as real ones do, a fifth of the processes have sub-processes, and every process hands
something to two or three others (inputs mirror outputs, so interfaces agree). Deterministic for a given seed.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from tests.conftest import TEMPLATE

WORDS = ("tender", "contract review", "design", "verification", "calibration", "warehouse", "dispatch",
         "customer onboarding", "invoicing", "supplier qualification", "maintenance", "change control",
         "training", "complaints", "risk assessment", "field installation", "spare parts", "returns",
         "laboratory testing", "release", "planning", "welding", "painting", "assembly", "packaging")
CATEGORIES = ("management", "core", "core", "support", "support")
OWNERS = ("top-management", "quality-manager", "operations-manager")


def _name(rng: random.Random, index: int) -> str:
    first, second = rng.sample(WORDS, 2)
    return [f"{first.capitalize()}", f"{first.capitalize()} and {second}",
            f"{first.capitalize()}, {second} and follow-up of results"][index % 3]


def _receiver(outputs: list[str]) -> str:
    return outputs[0].rsplit("to: ", 1)[1].rstrip("}") if outputs else "customer"


def process_manual(target: Path, count: int, seed: int = 14) -> Path:
    """Write the manual into `target` (which must not exist) and return it."""
    rng = random.Random(seed)
    shutil.copytree(TEMPLATE, target)
    ids = [f"area-{index:02d}" for index in range(count - len(list((target / "processes").glob("*.yaml"))))]
    parent: dict[str, str] = {}
    for index, pid in enumerate(ids):
        if index % 5 == 4 and index >= 5:  # sub-processes of the process four places earlier
            parent[pid] = ids[index - 4]
            parent.setdefault(ids[index - 1], ids[index - 4])
    categories = {pid: CATEGORIES[index % len(CATEGORIES)] for index, pid in enumerate(ids)}
    for kid, mother in parent.items():
        categories[kid] = categories[mother]
    inputs: dict[str, list[str]] = {pid: [] for pid in ids}
    outputs: dict[str, list[str]] = {pid: [] for pid in ids}
    for index, pid in enumerate(ids):
        for other in rng.sample([o for o in ids if o != pid], 2 + index % 2):
            what = f"{rng.choice(WORDS).capitalize()} results {index}-{ids.index(other)}"
            outputs[pid].append(f"  - {{name: {what}, to: {other}}}")
            inputs[other].append(f"  - {{name: {what}, from: {pid}}}")
    for index, pid in enumerate(ids):  # every process needs an input: from the one before it
        if not inputs[pid]:
            before = ids[index - 1]
            outputs[before].append(f"  - {{name: Handover {index}, to: {pid}}}")
            inputs[pid].append(f"  - {{name: Handover {index}, from: {before}}}")
    core = [pid for pid in ids if categories[pid] == "core"]
    inputs[core[0]].append("  - {name: Orders, from: customer}")
    outputs[core[-1]].append("  - {name: Delivered work, to: customer}")
    inputs[ids[-1]].append("  - {name: Material, from: supplier}")
    for index, pid in enumerate(ids):
        lines = [f"id: {pid}", f"name: {_name(rng, index)}", f"category: {categories[pid]}",
                 f"owner: {OWNERS[index % len(OWNERS)]}", f"purpose: Generated process {index}.",
                 f"customer: {_receiver(outputs[pid])}", f"lead_time_days: {1 + index % 4}"]
        if pid in parent:
            lines.append(f"parent: {parent[pid]}")
        lines += ["inputs:", *inputs[pid]] if inputs[pid] else ["inputs: []"]
        lines += ["outputs:", *outputs[pid]] if outputs[pid] else ["outputs: []"]
        (target / "processes" / f"{pid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
