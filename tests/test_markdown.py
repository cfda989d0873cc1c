from __future__ import annotations

from qmskit.loading.markdown import headings, section_name, split_front_matter


def test_front_matter_is_split_from_the_body_with_its_line() -> None:
    split = split_front_matter("---\nid: A\n---\n# Title\n\ntext\n")
    assert split.front_matter == "id: A\n"
    assert split.body.startswith("# Title")
    assert split.body_line == 4


def test_unterminated_and_missing_front_matter() -> None:
    assert split_front_matter("---\nid: A\n# Title\n").unterminated
    missing = split_front_matter("# Title\n")
    assert missing.front_matter is None
    assert not missing.unterminated


def test_headings_skip_fenced_code_and_read_setext() -> None:
    body = "# One\n```\n# not a heading\n```\nTwo\n---\n~~~md\n## no\n~~~\n### Three ###\n"
    found = headings(body, first_line=10)
    assert [(h.level, h.text, h.line) for h in found] == [(1, "One", 10), (2, "Two", 14), (3, "Three", 19)]


def test_section_names_ignore_numbering_case_and_emphasis() -> None:
    assert section_name("2. Scope") == "scope"
    assert section_name("RECORDS") == "records"
    assert [h.text for h in headings("## **Purpose**\n")] == ["Purpose"]
