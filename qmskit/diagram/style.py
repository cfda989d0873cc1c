"""How diagrams look: one place for fonts and colours, and the escaping every label goes through."""

from __future__ import annotations

import hashlib
import html
import re

import graphviz

from qmskit.i18n import N_

FONT = "Helvetica"  # fontconfig maps it to a sans-serif that is installed (e.g. Nimbus Sans, DejaVu Sans)

# category -> (fill, border, text)
CATEGORY_COLOURS = {
    "management": ("#dbeafe", "#1d4ed8", "#1e3a8a"),
    "core": ("#dcfce7", "#15803d", "#14532d"),
    "support": ("#fef3c7", "#b45309", "#78350f"),
}
OTHER = ("#f3f4f6", "#6b7280", "#111827")
PARTY_COLOURS = {"customer": ("#fce7f3", "#be185d", "#831843")}
# English message ids: translated where they are drawn (the language is the command's, not the import's)
CATEGORY_TITLES = {"management": N_("Management processes"), "core": N_("Core processes"),
                   "support": N_("Support processes")}
EDGE_COLOUR = "#4b5563"
# The widest a diagram may be drawn at its natural size (points; a browser shows 4/3 px each): the content
# column of mkdocs-material at a 1280 px wide window, less room for the scroll area's outline; 938 px on a
# page without the left navigation (the home page), 688 px with it. At that size no text is below 12 px (9 pt,
# the smallest font used here).
PAGE_WIDTH = 690.0
NARROW_PAGE_WIDTH = 500.0


def category_colours(category: str) -> tuple[str, str, str]:
    return CATEGORY_COLOURS.get(category, OTHER)


def party_colours(kind: str) -> tuple[str, str, str]:
    return PARTY_COLOURS.get(kind, OTHER)


# Characters XML 1.0 does not allow: dot parses HTML-like labels as XML and fails on them, and SVG is XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", _NOT_XML.sub("", value)).strip()


def text(value: str) -> str:
    """User text for an HTML-like label: entities for <, >, &, quotes; newlines and tabs become spaces; characters
    XML forbids are dropped. Never empty: dot refuses an empty element such as `<b></b>`, so "" becomes a space.

    HTML-like labels do not interpret backslash escapes (\\N, \\G, \\l), so nothing in a name can reach the graph.
    """
    return html.escape(_clean(value), quote=True) or " "


def plain(value: str) -> graphviz.quoting.NoHtml:
    """User text for a quoted attribute such as a tooltip: backslashes doubled, never read as HTML."""
    return graphviz.nohtml(graphviz.escape(_clean(value)))


def node_name(kind: str, item_id: str) -> str:
    """A DOT node name that no id can break: only [A-Za-z0-9_], plus a readable prefix."""
    safe = re.sub(r"[^A-Za-z0-9]", "_", item_id)[:40]
    digest = hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8]
    return f"{kind}_{safe}_{digest}"
