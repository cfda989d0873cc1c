"""The generated pages handed to mkdocs in one file instead of one file per page (DESIGN 0031): creating a
thousand small files costs most of a second on one core, and mkdocs reads them all back at once.

This file is also loaded by mkdocs itself, as one of the `hooks:` of the build's configuration (site/shards.py).
Its pages join mkdocs' files as a walk of the docs folder would have found them, in the same order and ahead of
the theme's files, so the site is the same, byte for byte, as one built from a folder of pages."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qmskit.atomic import write_text

BUNDLE_VARIABLE = "QMS_SITE_PAGES"  # the bundle's path; unset: the pages are files in the docs folder
BUNDLE_NAME = ".qms-pages.json"  # beside mkdocs.yml, outside docs/, so mkdocs never sees it as a page


def write_bundle(path: Path, pages: Sequence[tuple[str, str]]) -> None:
    """Write `pages` (path in docs/, content) as one bundle; its path goes in BUNDLE_VARIABLE."""
    write_text(path, json.dumps([[page, content] for page, content in pages], ensure_ascii=False), durable=False)


def read_bundle(path: Path) -> list[tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(str(page), str(content)) for page, content in data]


# --- mkdocs hook (runs inside the mkdocs process) ---

def on_files(files: Any, config: Any) -> Any:
    path = os.environ.get(BUNDLE_VARIABLE)
    if not path:
        return files
    from mkdocs.structure.files import File, Files, file_sort_key  # noqa: PLC0415 - only inside mkdocs

    pages = sorted((File.generated(config, page, content=content) for page, content in read_bundle(Path(path))),
                   key=file_sort_key)  # the order in which mkdocs walks a docs folder
    ours = {file.src_uri for file in pages}
    return Files([*pages, *(file for file in files if file.src_uri not in ours)])  # a page overrides the theme's
