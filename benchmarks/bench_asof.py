"""The documents in time on the site: page generation and `qms build` with 0, 10 and 100 release tags.

    python -m benchmarks.bench_asof [--documents 1000] [--commits 10000] [--tags 0 10 100]

Target (issue 14): the history is read once however many releases there are (DESIGN 0022), so generating the
pages grows with the pages written (a register per release), not with a history walk per release; `qms build`
grows linearly in releases x documents. The repository is bench_register's (fast-import, every 20th change
merged from a side branch); the tags are spread evenly along its main line, as `qms release` names them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from benchmarks.bench_register import build
from benchmarks.measure import measure
from qmskit.site.build import generate

OUT = Path(__file__).resolve().parent / "out"


def tag(repo: Path, count: int) -> None:
    """Exactly `count` release tags, spread along the main line (earlier runs' tags removed first)."""
    old = subprocess.run(["git", "-C", str(repo), "tag", "--list", "bench-*"], capture_output=True, text=True,
                         check=True).stdout.split()
    if old:
        subprocess.run(["git", "-C", str(repo), "tag", "-d", *old], check=True, capture_output=True)
    line = subprocess.run(["git", "-C", str(repo), "rev-list", "--first-parent", "--reverse", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.split()
    for number in range(count):
        commit = line[(number + 1) * (len(line) - 1) // count]
        name = f"bench-{number:04d}"
        subprocess.run(["git", "-C", str(repo), "tag", "-a", name, "-m",
                        f"Release {name} of the quality manual of Pohjolan Tarkkuustyö Oy", commit], check=True)


def generate_seconds(repo: Path, pages: Path) -> float:
    """Page generation alone (history, judging, Markdown; no mkdocs), in this process."""
    started = time.perf_counter()
    generate(repo, pages, "internal", date(2026, 11, 27))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--tags", type=int, nargs="+", default=[0, 10, 100])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-mkdocs", action="store_true", help="only page generation, not `qms build`")
    args = parser.parse_args()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ.setdefault("QMS_TODAY", "2026-11-27")
    repo = OUT / f"history-{args.documents}-{args.commits}"
    if not (repo / ".git").exists():
        print(f"building {repo} ...", flush=True)
        build(repo, args.documents, args.commits)
    qms = str(Path(sys.executable).parent / "qms")
    print(f"{args.documents} documents, {args.commits} commits")
    for count in args.tags:
        tag(repo, count)
        shutil.rmtree(OUT / "asof-pages", ignore_errors=True)
        shutil.rmtree(OUT / "asof-site", ignore_errors=True)
        seconds = generate_seconds(repo, OUT / "asof-pages")
        line = f"  {count:4d} release tags: pages generated in {seconds:6.1f} s"
        if not args.no_mkdocs:
            built = measure([qms, "build", str(repo), "-o", str(OUT / "asof-site"), "--no-strict"], args.repeat)
            size = sum(f.stat().st_size for f in (OUT / "asof-site").rglob("*") if f.is_file()) / 1e6
            line += f"; qms build {built.seconds:6.1f} s, {built.peak_mb:4.0f} MB, site {size:.0f} MB"
        print(line, flush=True)


if __name__ == "__main__":
    main()
