"""`qms init --example`: the example copied with a year of dated history (its story file through git fast-import
and a release tag), against the same copy without Git and with a single commit.

    python -m benchmarks.bench_init [--repeat 3]

Target (issue 13 item 9): the history costs no more than the copy itself; a few seconds in all.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    qms = str(Path(sys.executable).parent / "qms")
    # outside any work tree: inside one, qms init makes no repository of its own
    target = Path(tempfile.mkdtemp(prefix="qms-bench-init-")) / "manual"
    # each run needs an empty folder: the command removes it first, inside the measured child
    clear = f"import shutil; shutil.rmtree({str(target)!r}, ignore_errors=True)"
    rows = []
    for label, extra in (("copy only (--no-git)", ["--no-git"]), ("copy + story history + tag", [])):
        shutil.rmtree(target, ignore_errors=True)
        runs = []
        for _ in range(args.repeat):
            subprocess.run([sys.executable, "-c", clear], check=True)
            runs.append(measure([qms, "init", str(target), "--example", *extra], 1))
        seconds = sorted(r.seconds for r in runs)[len(runs) // 2]
        rows.append((label, seconds, max(r.peak_mb for r in runs)))
    commits = subprocess.run(["git", "-C", str(target), "rev-list", "--count", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
    shutil.rmtree(target.parent)
    for label, seconds, peak in rows:
        print(f"  {label:28} {seconds:5.2f} s {peak:4.0f} MB")
    print(f"  history: {commits} commits")


if __name__ == "__main__":
    main()
