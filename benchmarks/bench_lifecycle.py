"""What a document's whole life costs on a long history: `qms new document` reads the id of every revision ever
made (so no id is handed out twice), and `qms validate` judges withdrawals and deleted records.

    python -m benchmarks.bench_lifecycle [--documents 2000] [--commits 20000]

Uses the repository of bench_register (built with git fast-import), with its git user set to a known person.
Compared with `qms register` on the same repository (one pass over the history).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_register import OUT, build
from benchmarks.measure import measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    repo = OUT / f"history-{args.documents}-{args.commits}"
    if not (repo / ".git").exists():
        print(f"building {repo} ...", flush=True)
        build(repo, args.documents, args.commits)
    qms = shutil.which("qms") or str(Path(sys.executable).parent / "qms")
    new = [qms, "new", "document", "--type", "procedure", "--title", "Benchmark", "--owner", "quality-manager",
           str(repo)]
    register = measure([qms, "register", str(repo), "--format", "json", "-o", str(OUT / "register.json")],
                       args.repeat)
    validate = measure([qms, "validate", str(repo), "--format", "json", "-o", str(OUT / "validate.json"),
                        "--today", "2026-11-27"], args.repeat, ok_codes=(0, 1))
    created = measure(new, 1)
    subprocess.run(["git", "-C", str(repo), "clean", "-qfd", "documents/procedures"], check=False)
    print(f"{args.documents} documents, {args.commits} commits")
    print(f"  qms register:      {register.seconds:6.2f} s  {register.peak_mb:5.0f} MB")
    print(f"  qms validate:      {validate.seconds:6.2f} s  {validate.peak_mb:5.0f} MB")
    print(f"  qms new document:  {created.seconds:6.2f} s  {created.peak_mb:5.0f} MB  (every revision's id read)")


if __name__ == "__main__":
    main()
