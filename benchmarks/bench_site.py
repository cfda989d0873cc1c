"""`qms build` of a 1,000-document manual against mkdocs-material alone on the same 1,000 Markdown files.

    python -m benchmarks.bench_site [--documents 1000]

Target (issues 7 and 14): at most 1.2x mkdocs-material with navigation.prune on the same pages organised in
folders of 40, and a site size linear in N (5,000 documents in under 3 minutes). Also reported: mkdocs-material
with its default configuration (every page embeds the whole navigation, so it grows with the square of the pages).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.measure import interleaved, measure
from qmskit.loading.yamlsource import dump_yaml

OUT = Path(__file__).resolve().parent / "out"


def baseline(pages: Path, folder: Path, prune: bool) -> Path:
    """The documents qms generated, as a plain mkdocs-material project (no qmskit involved), organised in
    folders of at most 40 pages, and folders of at most 40 folders (mkdocs makes its navigation from the folders),
    as a team would organise a large set of pages by hand. A flat folder would put every link on every page and
    flatter no one.

    Without `navigation.sections`: sections render expanded, so pruning would keep every link of every folder
    (1,063 links on each of 1,000 pages, measured); collapsible folders are what `navigation.prune` removes."""
    if folder.exists():
        shutil.rmtree(folder)
    documents = sorted((pages / "docs" / "documents").glob("*.md"))
    nested = len(documents) > 40 * 40
    for index, page in enumerate(documents):
        part = f"part-{index // 40 % 40:02d}"
        parts = [f"group-{index // 1600:02d}", part] if nested else [part]
        target = folder.joinpath("docs", "documents", *parts, page.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
    (folder / "docs" / "index.md").write_text("# Documents\n")
    features = ["navigation.tabs"] + (["navigation.prune"] if prune else [])
    config = {"site_name": "Baseline", "theme": {"name": "material", "features": features},
              "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables", "toc"]}
    (folder / "mkdocs.yml").write_text(dump_yaml(config))
    return folder / "mkdocs.yml"


def nav_links(site: Path) -> int:
    """Navigation links on the middle document page: bounded, or the site grows with the square of N."""
    pages = sorted((site / "documents").rglob("index.html"))
    return pages[len(pages) // 2].read_text(encoding="utf-8").count('class="md-nav__link') if pages else 0


def size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-default", action="store_true", help="skip the slow unpruned baseline")
    args = parser.parse_args()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    manual = generate(OUT / f"site-{args.documents}", args.documents, 10)
    qms = str(Path(sys.executable).parent / "qms")
    pages = OUT / "site-pages"
    for old in (OUT / "site-built", pages):  # earlier runs' output: qms build only replaces folders it marked
        shutil.rmtree(old, ignore_errors=True)
    # the baseline's corpus: the pages qms generates, kept with --pages (not timed: --pages writes every page as a
    # file for people to read, which a plain `qms build` does not)
    measure([qms, "build", str(manual), "-o", str(OUT / "site-built"), "--pages", str(pages), "--no-strict"], 1)
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-f"]
    ours, pruned = interleaved([[qms, "build", str(manual), "-o", str(OUT / "site-built"), "--no-strict"],
                                [*mkdocs, str(baseline(pages, OUT / "baseline-pruned", True)), "-d", str(OUT / "b1")]],
                               args.repeat)
    print(f"{args.documents} documents (load average {os.getloadavg()[0]:.1f} at the end; wall times grow with the "
          "load, CPU times do not)")
    print(f"  qms build (all pages, diagrams, registers): {ours.seconds:6.1f} s wall, {ours.cpu_seconds:6.1f} s CPU  "
          f"{ours.peak_mb:4.0f} MB  site {size_mb(OUT / 'site-built'):.0f} MB")
    print(f"  mkdocs-material, navigation.prune:           {pruned.seconds:6.1f} s wall, "
          f"{pruned.cpu_seconds:6.1f} s CPU  site {size_mb(OUT / 'b1'):.0f} MB")
    print(f"  navigation links on a document page: qms build {nav_links(OUT / 'site-built')}, "
          f"baseline {nav_links(OUT / 'b1')}")
    print(f"  qms build / baseline: {ours.seconds / pruned.seconds:.2f}x wall, "
          f"{ours.cpu_seconds / pruned.cpu_seconds:.2f}x CPU")
    if not args.skip_default:
        default = measure([*mkdocs, str(baseline(pages, OUT / "baseline-default", False)), "-d", str(OUT / "b2")], 1)
        print(f"  mkdocs-material, default navigation:         {default.seconds:6.1f} s")


if __name__ == "__main__":
    main()
