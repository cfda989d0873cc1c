"""The generated pages handed to mkdocs in one file instead of one file per page (DESIGN 0031): creating a
thousand small files costs most of a second on one core, and mkdocs reads them all back at once. The navigation
travels in the same file, as JSON: as YAML in mkdocs.yml, every mkdocs process of the build spent a quarter of a
second parsing it at 1,000 documents.

This file is also loaded by mkdocs itself, as one of the `hooks:` of the build's configuration (site/shards.py).
Its pages join mkdocs' files as a walk of the docs folder would have found them, in the same order and ahead of
the theme's files, and its navigation is the configuration's, so the site is the same, byte for byte, as one
built from a folder of pages and a full mkdocs.yml."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qmskit.atomic import write_text

BUNDLE_VARIABLE = "QMS_SITE_PAGES"  # the bundle's path; unset: the pages are files in the docs folder
BUNDLE_NAME = ".qms-pages.json"  # beside mkdocs.yml, outside docs/, so mkdocs never sees it as a page


def write_bundle(path: Path, pages: Sequence[tuple[str, str]], nav: list[Any] | None = None) -> None:
    """Write `pages` (path in docs/, content) and the navigation (None: mkdocs.yml has it) as one bundle; its path
    goes in BUNDLE_VARIABLE."""
    data = {"pages": [[page, content] for page, content in pages], "nav": nav}
    write_text(path, json.dumps(data, ensure_ascii=False), durable=False)


def read_bundle(path: Path) -> tuple[list[tuple[str, str]], list[Any] | None]:
    data = json.loads(path.read_text(encoding="utf-8"))
    nav = data.get("nav")
    return [(str(page), str(content)) for page, content in data["pages"]], nav if isinstance(nav, list) else None


# --- mkdocs hooks (run inside the mkdocs process) ---

_bundle: list[tuple[list[tuple[str, str]], list[Any] | None]] = []  # read once, at on_config


def on_config(config: Any) -> Any:
    path = os.environ.get(BUNDLE_VARIABLE)
    if not path:
        return config
    _bundle[:] = [read_bundle(Path(path))]
    nav = _bundle[0][1]
    if nav is not None:
        config["nav"] = nav  # as mkdocs' validation leaves a nav it read from YAML: the same lists and strings
    _fast_front_matter()
    return config


def _fast_front_matter() -> None:
    """mkdocs reads every page's front matter with PyYAML's pure-Python loader, in every process of the build (a
    quarter of a second at 1,000 pages); libyaml's loader builds the same values from the YAML qmskit writes."""
    from mkdocs.utils import meta  # noqa: PLC0415 - only inside mkdocs

    yaml: Any = getattr(meta, "yaml", None)  # PyYAML as mkdocs imported it
    if getattr(yaml, "__with_libyaml__", False) and getattr(meta, "SafeLoader", None) is yaml.SafeLoader:
        setattr(meta, "SafeLoader", yaml.CSafeLoader)  # noqa: B010 - a name mkdocs does not export


def on_files(files: Any, config: Any) -> Any:
    if not _bundle:
        return files
    from mkdocs.structure.files import File, Files, file_sort_key  # noqa: PLC0415 - only inside mkdocs

    pages = sorted((File.generated(config, page, content=content) for page, content in _bundle[0][0]),
                   key=file_sort_key)  # the order in which mkdocs walks a docs folder
    ours = {file.src_uri for file in pages}
    return Files([*pages, *(file for file in files if file.src_uri not in ours)])  # a page overrides the theme's
