"""Where things live on the published site, in one place, so diagrams and pages link alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Page names a folder's own pages use: an item named like one gets another name rather than replace that page.
RESERVED = frozenset({"index"})


def slug(item_id: str) -> str:
    """A URL path segment for an id: lower case, only [a-z0-9._-]."""
    return re.sub(r"[^a-z0-9._-]+", "-", item_id.lower()).strip("-") or "item"


def folded(item_id: str) -> str:
    """An id as a case-insensitive file system or a reader compares it: compatibility-normalised, case-folded."""
    return unicodedata.normalize("NFKC", item_id).casefold()


def distinct_names(ids: Iterable[str], reserved: frozenset[str] = RESERVED) -> dict[str, str]:
    """Each id -> its own page name, distinct even when ids slug alike (`PRO-013`, `pro-013`, `PRO 013`).

    Of the ids that share a slug, the first in code point order keeps it and the others get -2, -3, ... in that
    order, skipping every name another id or the folder's own pages have. The names depend on the ids alone, not
    on file order, so diagrams, pages and `qms pdf` compute the same ones. QMS-REF-005 reports such ids."""
    unique = sorted(set(ids))
    bases = {item_id: slug(item_id) for item_id in unique}
    taken = set(reserved) | set(bases.values())
    names: dict[str, str] = {}
    holders: dict[str, str] = {}
    for item_id in unique:
        base = bases[item_id]
        if base not in holders and base not in reserved:
            holders[base] = item_id
            names[item_id] = base
            continue
        number = 1
        name = base
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name)
        names[item_id] = name
    return names


@dataclass(frozen=True, slots=True)
class PageNames:
    """The page names of one kind of item (an empty one names every id by its slug)."""

    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, ids: Iterable[str]) -> PageNames:
        return cls(MappingProxyType(distinct_names(ids)))

    def __call__(self, item_id: str) -> str:
        return self.names.get(item_id) or slug(item_id)


SLUGS = PageNames()  # every id by its slug: for pages of a kind whose ids are known not to clash


def process_page(item_id: str, names: PageNames = SLUGS) -> str:
    return f"processes/{names(item_id)}/"


def document_page(item_id: str, names: PageNames = SLUGS) -> str:
    return f"documents/{names(item_id)}/"


def form_page(item_id: str, names: PageNames = SLUGS) -> str:
    return f"forms/{names(item_id)}/"
