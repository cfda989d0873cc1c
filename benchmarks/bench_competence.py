"""`qms competence` for 2,000 people and 300 competences: the whole matrix, and the gaps.

    python -m benchmarks.bench_competence [--people 2000] [--competences 300]

Target (issue 6): the matrix renders in under 2 s.
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


def generate(root: Path, people: int, competences: int, seed: int = 3) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(EXAMPLE, root)
    rng = random.Random(seed)
    org = root / "organisation"
    comps = [f"c{n:03d}" for n in range(competences)]
    (org / "competences.yaml").write_text("competences:\n" + "".join(
        f"  - {{id: {c}, name: Competence {c}, valid_months: {rng.choice([12, 24, 36, 60])}"
        f"{', critical: true' if n % 25 == 0 else ''}}}\n" for n, c in enumerate(comps)))
    roles = [f"r{n:02d}" for n in range(40)]
    (org / "roles.yaml").write_text("roles:\n" + "".join(
        f"  - id: {r}\n    name: Role {r}\n    requires: ["
        + ", ".join(f"{{competence: {c}, level: {rng.randint(1, 3)}}}" for c in rng.sample(comps, 8)) + "]\n"
        for r in roles) + "".join(f"  - {{id: {r.id}, name: {r.name}}}\n" for r in []))
    lines = ["people:"]
    for n in range(people):
        held = rng.sample(comps, 12)
        lines += [f"  - id: p{n:04d}", f"    name: Person {n:04d}", f"    roles: [{rng.choice(roles)}]",
                  "    qualifications:"]
        lines += [f"      - {{competence: {c}, level: {rng.randint(1, 4)}, gained: \"20{rng.randint(20, 26)}-0"
                  f"{rng.randint(1, 9)}-1{rng.randint(0, 9)}\"}}" for c in held]
    (org / "people.yaml").write_text("\n".join(lines) + "\n")
    (org / "training.yaml").write_text("training: []\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--competences", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    manual = generate(OUT / f"competence-{args.people}", args.people, args.competences)
    qms = str(Path(sys.executable).parent / "qms")
    print(f"{args.people} people, {args.competences} competences")
    for fmt in ("csv", "json", "markdown", "text"):
        result = measure([qms, "competence", str(manual), "--today", "2026-06-01", "--format", fmt,
                          "-o", str(OUT / f"matrix.{fmt}")], args.repeat)
        print(f"  matrix {fmt:>8}: {result.seconds:5.2f} s  {result.peak_mb:4.0f} MB")
    gaps = measure([qms, "competence", str(manual), "--gaps", "--today", "2026-06-01", "--format", "csv", "-o",
                    str(OUT / "gaps.csv")], args.repeat)
    print(f"  gaps       csv: {gaps.seconds:5.2f} s  {gaps.peak_mb:4.0f} MB")


if __name__ == "__main__":
    main()
