"""Where things live on the published site, in one place, so diagrams and pages link alike."""

from __future__ import annotations

import re


def slug(item_id: str) -> str:
    """A URL path segment for an id: lower case, only [a-z0-9._-]."""
    return re.sub(r"[^a-z0-9._-]+", "-", item_id.lower()).strip("-") or "item"


def process_page(item_id: str) -> str:
    return f"processes/{slug(item_id)}/"


def document_page(item_id: str) -> str:
    return f"documents/{slug(item_id)}/"


def form_page(item_id: str) -> str:
    return f"forms/{slug(item_id)}/"
