"""Links inside a document's text that point at other files of the manual (`[PRO-006](PRO-006-purchasing.md)`,
as they work on a forge) lead to those files' pages on the site. Pure.

The body reaches mkdocs as HTML, which mkdocs does not rewrite as it does Markdown links, so the final
(directory-URL) address is computed here."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from urllib.parse import unquote, urlsplit


def directory_url(page: str) -> str:
    """A generated page's address from the site root as mkdocs serves it: `documents/pro-006.md` ->
    `documents/pro-006/`, `documents/index.md` -> `documents/`."""
    path = page.removesuffix(".md").removesuffix("index").rstrip("/")
    return path + "/" if path else ""


def relative_url(target: str, page: str) -> str:
    """The address of page `target` as seen from page `page` (both generated Markdown paths)."""
    here, there = directory_url(page) or ".", directory_url(target) or "."
    return posixpath.relpath(there, here).rstrip("/") + "/"


def body_links(source: str, page: str, targets: Mapping[str, str | None]) -> Callable[[str], str | None]:
    """A link mapper for the body of the manual file `source`, shown on the generated `page`. `targets` maps
    manual paths to their generated pages, or to None where the file is not published (the link is dropped, so
    an external site never points at an internal document). Other links are kept as written."""
    folder = posixpath.dirname(source)

    def link(href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path or href.startswith("/"):
            return href
        resolved = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        if resolved not in targets:
            return href
        target = targets[resolved]
        if target is None:
            return None
        return relative_url(target, page) + (f"#{parts.fragment}" if parts.fragment else "")

    return link
