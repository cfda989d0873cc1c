"""The site's search in its own language: lunr stems words by the language (lunr-languages has Finnish), and a
query is stemmed the same way, so that a word is found in its other forms ("asiakkaan" finds "asiakas").

mkdocs-material completes every query term with `*` and lunr does not stem a term with a wildcard; its search
therefore leaves the stemmer out by default. qmskit keeps the stemmer in the index and puts a small script in front
of mkdocs-material's search worker (the same file name, in the docs folder: mkdocs takes a docs file over the
theme's) that stems the words of a query before they are completed (templates/site/qms-search-stems.js)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from qmskit.resources import templates_dir

WORKERS = "assets/javascripts/workers"
PIPELINE = ["stemmer", "stopWordFilter", "trimmer"]
# without the worker script the index is not stemmed either: mkdocs-material's own prefix search then works
UNSTEMMED = ["stopWordFilter"]


def material_worker() -> Path | None:
    """mkdocs-material's search worker (its name carries a hash of its content), or None when the installed
    theme has not exactly one."""
    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        return None
    found = sorted((Path(spec.origin).parent / "templates" / WORKERS).glob("search.*.min.js"))
    return found[0] if len(found) == 1 else None


def plugin(language: str, worker: Path | None) -> dict[str, Any]:
    """The search plugin's configuration for a site in `language`."""
    return {"search": {"lang": [language], "pipeline": PIPELINE if worker is not None else UNSTEMMED}}


def worker_page(worker: Path) -> tuple[str, str]:
    """The search worker with the query stemmer in front: (path in the docs folder, content)."""
    stems = (templates_dir() / "site" / "qms-search-stems.js").read_text(encoding="utf-8")
    return f"{WORKERS}/{worker.name}", stems + "\n" + worker.read_text(encoding="utf-8")
