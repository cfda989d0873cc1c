"""Release qmskit: pin the install instructions to the new tag, commit, tag, and build the wheel.

    python tools/release.py 0.2.0 [--no-wheel]

Run it on a clean work tree of the commit to release. Until a package index has qmskit, people install it from
this Git repository, so every place that tells them how (README, docs/ci.md, the CI templates, the pre-commit
snippet) names a ref; this script is the only thing that creates a release tag, and it moves those refs to the
tag in the same commit the tag points at, so no instruction ever names a tag that does not exist.
Then: `git push origin HEAD vX.Y.Z` and attach dist/qmskit-X.Y.Z-py3-none-any.whl to the release.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VERSION_FILE = REPO / "qmskit" / "__init__.py"
# Every file that tells people which qmskit to install, and the patterns that carry the ref.
PINNED_FILES = ("README.md", "docs/ci.md", "templates/ci/github-workflow.yml", "templates/ci/gitlab-ci.yml",
                ".pre-commit-hooks.yaml")
REF = r"(?:v\d+\.\d+\.\d+|[0-9a-f]{40})"
PIN_PATTERNS = (
    re.compile(rf"(git\+https://github\.com/qmskit/qmskit(?:\.git)?@)({REF})"),  # pip
    re.compile(rf"(uses: qmskit/qmskit@)({REF})"),  # GitHub Actions
    re.compile(rf"(rev: )({REF})"),  # pre-commit
)


def pins(text: str) -> list[str]:
    """Every ref the install instructions in `text` name."""
    return [match.group(2) for pattern in PIN_PATTERNS for match in pattern.finditer(text)]


def repin(text: str, ref: str) -> str:
    for pattern in PIN_PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + ref, text)
    return text


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout


def _fail(message: str) -> None:
    print(f"release: {message}", file=sys.stderr)
    sys.exit(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("version", help="the version to release, e.g. 0.2.0")
    parser.add_argument("--no-wheel", action="store_true", help="tag only, do not build the wheel")
    args = parser.parse_args()
    if not re.fullmatch(r"\d+\.\d+\.\d+", args.version):
        _fail(f"{args.version!r} is not a version like 0.2.0")
    tag = f"v{args.version}"
    if _git("status", "--porcelain"):
        _fail("the work tree has uncommitted changes; commit or stash them first")
    if _git("tag", "--list", tag).strip():
        _fail(f"tag {tag} exists already; release a new version instead of moving a tag")

    version_text = VERSION_FILE.read_text(encoding="utf-8")
    VERSION_FILE.write_text(re.sub(r'__version__ = "[^"]*"', f'__version__ = "{args.version}"', version_text),
                            encoding="utf-8")
    for name in PINNED_FILES:
        path = REPO / name
        path.write_text(repin(path.read_text(encoding="utf-8"), tag), encoding="utf-8")
    if _git("status", "--porcelain"):
        _git("commit", "-q", "-am", f"Release {tag}: install instructions name the tag")
    _git("tag", "-a", tag, "-m", f"qmskit {args.version}")
    print(f"tagged {tag} at {_git('rev-parse', 'HEAD').strip()}")

    if not args.no_wheel:
        dist = REPO / "dist"
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist),
                        str(REPO)], check=True)
        print(f"built {dist / f'qmskit-{args.version}-py3-none-any.whl'}")
    print(f"next: git push origin HEAD {tag}")


if __name__ == "__main__":
    main()
