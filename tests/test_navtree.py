"""The site's navigation stays bounded per page however many documents a manual has."""

from __future__ import annotations

from typing import Any

import pytest

from qmskit.site.navtree import bounded, grouped, links_per_page


def leaves(entries: list[Any]) -> list[tuple[str, str]]:
    """Every (label, path) leaf, in order."""
    found: list[tuple[str, str]] = []
    for entry in entries:
        for name, value in entry.items():
            found += leaves(value) if isinstance(value, list) else [(name, value)]
    return found


def widest(entries: list[Any]) -> int:
    return max([len(entries)] + [widest(v) for e in entries for v in e.values() if isinstance(v, list)])


@pytest.mark.parametrize("count", [0, 1, 40, 41, 1000, 5000])
def test_every_leaf_is_kept_in_order_and_no_level_is_wider_than_the_bound(count: int) -> None:
    items = [(f"PRO-{i:04d}", f"PRO-{i:04d} Title {i}", f"documents/pro-{i:04d}.md") for i in range(count)]
    nav = bounded(items, fanout=40)
    assert leaves(nav) == [(label, path) for _, label, path in items]
    if count:
        assert widest(nav) <= 40


def test_ranges_are_named_by_their_first_and_last_key_and_filled_evenly() -> None:
    items = [(f"D-{i:02d}", f"D-{i:02d}", f"d{i}.md") for i in range(1, 12)]
    nav = bounded(items, fanout=5)
    assert [next(iter(e)) for e in nav] == ["D-01 \u2013 D-04", "D-05 \u2013 D-08", "D-09 \u2013 D-11"]


def test_a_page_carries_a_bounded_number_of_links_as_the_manual_grows() -> None:
    def worst(count: int) -> int:
        return links_per_page(bounded([(f"{i:05d}", f"{i:05d}", f"{i}.md") for i in range(count)], fanout=40))

    assert worst(40) == 40
    assert worst(1000) <= 80  # 25 ranges of 40
    assert worst(5000) <= 120  # 4 ranges of 32 ranges of 40: depth grows with the logarithm
    assert worst(5000) < 5000 // 20


def test_grouped_keeps_first_appearance_order() -> None:
    assert grouped(["b1", "a1", "b2", "c1", "a2"], key=lambda s: s[0]) == {"b": ["b1", "b2"], "a": ["a1", "a2"],
                                                                          "c": ["c1"]}


def test_a_manual_with_many_documents_of_one_type_gets_a_nested_bounded_navigation(tmp_path: Any) -> None:
    """Not the example: a fresh `qms init` manual with 130 procedures of its own."""
    from datetime import date

    from qmskit.loading.load import load_manual
    from qmskit.loading.scaffold import scaffold, starter
    from qmskit.site.generate import SiteInput, build_pages
    from qmskit.vcs.history import History

    scaffold(tmp_path, starter(example=False), force=False)
    procedures = tmp_path / "documents" / "bulk"
    procedures.mkdir(parents=True)
    for i in range(130):
        (procedures / f"PR-{i:03d}.md").write_text(
            f"---\nid: PRO-{1000 + i}\ntitle: Step {i}\ntype: procedure\nowner: quality-manager\nstatus: active\n"
            f"---\n# Step {i}\n\n## Purpose\n\nx\n\n## Scope\n\nx\n\n## Procedure\n\nx\n")
    manual = load_manual(tmp_path).manual
    _, config = build_pages(SiteInput(manual, History(available=False), date(2026, 11, 27)))
    documents = next(v for e in config["nav"] for k, v in e.items() if k == "Documents")
    procedure_section = next(v for e in documents for k, v in e.items() if k == "Procedure")
    assert widest(documents) <= 40
    assert sum(1 for label, _ in leaves(procedure_section) if label.startswith("PRO-1")) == 130
    assert next(iter(procedure_section[0])).startswith("PRO-")  # ranges named by ids
