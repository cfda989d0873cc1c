"""The site's navigation as a tree with a bounded number of entries per level.

mkdocs-material renders, on every page, the navigation entries of the section the page is in (with
`navigation.prune`). One flat section of N documents puts N links on each of N pages, so the site grows with
N squared. Here every level holds at most `FANOUT` entries: long lists are split into id ranges, and ranges of
ranges, so a page carries about FANOUT x depth links however large the manual. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

FANOUT = 40

NavEntry = dict[str, Any]  # {label: path} or {label: [entries]}, as mkdocs' `nav` wants it


def bounded(entries: Sequence[tuple[str, str, str]], fanout: int = FANOUT) -> list[NavEntry]:
    """(key, label, path) leaves, in display order -> nav entries with at most `fanout` per level.

    A level that is too long becomes ranges named by the keys of their first and last leaf ("PRO-001 to PRO-040";
    keys must already be escaped for the nav, like labels),
    filled evenly; ranges of ranges when needed.
    """
    level: list[tuple[str, str, NavEntry]] = [(key, key, {label: path}) for key, label, path in entries]
    while len(level) > fanout:
        count = -(-len(level) // fanout)  # the fewest ranges that respect the bound
        size = -(-len(level) // count)
        level = [(chunk[0][0], chunk[-1][1], {f"{chunk[0][0]} \u2013 {chunk[-1][1]}": [entry for _, _, entry in chunk]})
                 for chunk in (level[start:start + size] for start in range(0, len(level), size))]
    return [entry for _, _, entry in level]


def grouped(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, list[Any]]:
    """Items by `key`, keeping their order within each group and the order in which groups first appear."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def links_per_page(nav: Sequence[NavEntry]) -> int:
    """The most links a pruned page shows: the top level plus, on the deepest path, every sibling list."""
    worst = 0
    for entry in nav:
        for value in entry.values():
            if isinstance(value, list):
                worst = max(worst, links_per_page(value))
    return len(nav) + worst
