"""`qms register` on a long history: 5,000 documents and 100,000 commits, built with git fast-import.

    python -m benchmarks.bench_register [--documents 5000] [--commits 100000]

Target (issue 3): at most 1.5x one bare `git log --name-status` pass over the same repository (the floor),
with peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.generate import EXAMPLE, document_md
from benchmarks.measure import measure

OUT = Path(__file__).resolve().parent / "out"
AUTHORS = [("Aino Lahtinen", "aino.lahtinen@tarkkuustyo.example"),
           ("Timo Laine", "timo.laine@tarkkuustyo.example"),
           ("Jari Koskinen", "jari.koskinen@tarkkuustyo.example"),
           ("Olli Rantanen", "olli.rantanen@tarkkuustyo.example")]
APPROVAL = "Approved-by: Mikko Heinonen <mikko.heinonen@tarkkuustyo.example>"
# changes reach main through the merge identity the example's qms.yaml names, so their trailers count
MERGER = b"Seed 2c654014 maintainers <maintainers@users.noreply.r-seed-2c654014.example>"


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def build(repo: Path, documents: int, commits: int, seed: int = 7) -> None:
    """A repository whose first commit is the example manual plus `documents` procedures, followed by
    `commits` commits that each change one document; every 20th reaches main as a merge of a side branch."""
    if repo.exists():
        shutil.rmtree(repo)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    rng = random.Random(seed)
    stream = bytearray()
    when = 1_700_000_000
    stream += b"commit refs/heads/main\nmark :1\n"
    stream += b"author Aino Lahtinen <aino.lahtinen@tarkkuustyo.example> %d +0000\n" % when
    stream += b"committer Aino Lahtinen <aino.lahtinen@tarkkuustyo.example> %d +0000\n" % when
    stream += _data("The quality manual")
    for path in sorted(EXAMPLE.rglob("*")):
        if path.is_file():
            stream += b"M 100644 inline " + path.relative_to(EXAMPLE).as_posix().encode() + b"\n"
            stream += _data(path.read_text(encoding="utf-8"))
    for index in range(documents):
        stream += b"M 100644 inline documents/generated/PRO-%d.md\n" % (10000 + index)
        stream += _data(document_md(index, 18).replace("gen-", "production").replace("production0", "production"))
    mark = 1
    for number in range(1, commits + 1):
        when += 60
        doc = rng.randrange(documents)
        author = AUTHORS[number % len(AUTHORS)]
        change = (b"M 100644 inline documents/generated/PRO-%d.md\n" % (10000 + doc)) + _data(
            document_md(doc, 18).replace("gen-", "production").replace("production0", "production")
            + f"\nRevision note {number}.\n")
        who = f"{author[0]} <{author[1]}> {when} +0000\n".encode()
        merger = MERGER + b" %d +0000\n" % when
        if number % 20 == 0:  # a side branch commit, merged with an approval trailer
            side = mark + 1
            stream += b"commit refs/heads/side\nmark :%d\nauthor " % side + who + b"committer " + who
            stream += _data(f"Change {number}") + b"from :%d\n" % mark + change
            stream += b"commit refs/heads/main\nmark :%d\nauthor " % (side + 1) + who + b"committer " + merger
            stream += _data(f"Merge change {number}\n\n{APPROVAL}") + b"from :%d\nmerge :%d\n" % (mark, side)
            mark = side + 1
        else:
            mark += 1
            stream += b"commit refs/heads/main\nmark :%d\nauthor " % mark + who + b"committer " + merger
            stream += _data(f"Change {number}\n\n{APPROVAL}") + b"from :%d\n" % (mark - 1) + change
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run(["git", "-C", str(repo), "branch", "-D", "side"], check=False, capture_output=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "main"], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    repo = OUT / f"history-{args.documents}-{args.commits}"
    if not (repo / ".git").exists():
        print(f"building {repo} ...", flush=True)
        build(repo, args.documents, args.commits)
    qms = shutil.which("qms") or str(Path(sys.executable).parent / "qms")
    floor = measure(["git", "-C", str(repo), "log", "--first-parent", "--name-status", "HEAD"], args.repeat)
    ours = measure([qms, "register", str(repo), "--format", "json", "-o", str(OUT / "register.json")], args.repeat)
    print(f"{args.documents} documents, {args.commits} commits")
    print(f"  git log --name-status (floor): {floor.seconds:6.2f} s  {floor.peak_mb:5.0f} MB")
    print(f"  qms register:                 {ours.seconds:6.2f} s  {ours.peak_mb:5.0f} MB  "
          f"({ours.seconds / floor.seconds:.2f}x the floor)")


if __name__ == "__main__":
    main()
