"""The bundled standards' clause texts in the reader's language (issue #18): every title, documented information
and topic of `schemas/*.clauses.json` is a catalogue message with Finnish, shown in Finnish wherever people read a
clause (`qms coverage`, the site's coverage page, QMS-COV findings), while JSON, CSV and SARIF keep the English.
The English texts are read from the JSON files here, not from qmskit's extractor, so the check stands on its own."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from qmskit import clausetexts, i18n
from qmskit.catalogues import extract, problems
from qmskit.loading.load import load_manual
from qmskit.messages import Phrase, from_data, say, to_data
from qmskit.model import Clause, Topic
from qmskit.resources import schemas_dir
from qmskit.site.generate import SiteInput, build_pages
from qmskit.vcs.history import History
from tests.conftest import ITSERVICES, Result, edit

Qms = Callable[..., Result]
ALL_STANDARDS = "[iso9001:2015+amd1:2024, iso14001:2015, iso45001:2018+amd1:2024]"


def _english(key: str) -> set[str]:
    """Every text under `key` of the bundled clause files ("title", "maintain", "retain", "asks")."""
    found: set[str] = set()
    for path in schemas_dir().glob("*.clauses.json"):
        raw = json.loads(path.read_text(encoding="utf-8"))
        for clause in (*raw.get("clauses", ()), *raw.get("changes", ())):
            for item in (clause, *clause.get("topics", ())):
                if item.get(key):
                    found.add(item[key])
    return found


TITLES = _english("title")


def _titles_in_markdown(table: str) -> list[str]:
    """The Title column of `qms coverage -f markdown` (standard | clause | title | status | addressed by)."""
    rows = [line.split("|") for line in table.splitlines() if line.startswith("|")]
    return [html.unescape(cells[3].strip()) for cells in rows[2:] if len(cells) > 4]


def _english_titles_left(table: str) -> set[str]:
    return {title for title in _titles_in_markdown(table) if title in TITLES}


@pytest.fixture
def three_standards(tmp_path: Path) -> Path:
    """The second manual declaring all three bundled standards, so every catalogue's titles are shown."""
    manual = tmp_path / "itservices"
    shutil.copytree(ITSERVICES, manual)
    edit(manual / "qms.yaml", "standards: [iso9001:2015+amd1:2024]", f"standards: {ALL_STANDARDS}")
    return manual


def test_every_bundled_clause_text_is_in_the_catalogue_with_finnish() -> None:
    template = extract()
    wanted = {(clausetexts.TITLE, t) for t in TITLES}
    wanted |= {(clausetexts.DOCUMENTED, t) for t in _english("maintain") | _english("retain")}
    wanted |= {(clausetexts.TOPIC, t) for t in _english("asks")}
    assert len(wanted) > 150
    assert {(m.context, m.id) for m in template if m.context in {c for c, _ in wanted}} == wanted
    assert [p for p in problems(template, "fi") if (p.message in TITLES)] == []
    with i18n.use("fi"):
        same = sorted(text for context, text in wanted if i18n.pgettext(context, text) == text)
    assert same == []  # no text left in English, nor a Finnish word that happens to equal it


@pytest.mark.parametrize("source", ["example", "three_standards"])
def test_coverage_in_finnish_leaves_no_english_clause_title(source: str, qms: Qms,
                                                             request: pytest.FixtureRequest) -> None:
    manual: Path = request.getfixturevalue(source)
    english = qms("coverage", manual, "--lang", "en", "-f", "markdown").out
    finnish = qms("coverage", manual, "--lang", "fi", "-f", "markdown").out
    shown = _titles_in_markdown(finnish)
    assert len(shown) > 60 and all(shown)
    assert _english_titles_left(finnish) == set()
    # the check sees English where there is English: every title of the English table is caught
    assert _english_titles_left(english) == set(_titles_in_markdown(english))
    assert "Tunne organisaatio ja sen toimintaympäristö" in shown
    text = qms("coverage", manual, "--lang", "fi").out
    assert "Know the organisation and its context" not in text and "Tunne organisaatio" in text


def test_machine_formats_keep_the_english_clause_titles(three_standards: Path, qms: Qms) -> None:
    for output_format in ("json", "csv"):
        english = qms("coverage", three_standards, "--lang", "en", "-f", output_format).out
        assert qms("coverage", three_standards, "--lang", "fi", "-f", output_format).out == english
    rows = json.loads(qms("coverage", three_standards, "--lang", "fi", "-f", "json").out)
    assert {row["title"] for row in rows} <= TITLES


def test_a_transition_names_old_and_new_titles_in_finnish(tmp_path: Path, qms: Qms) -> None:
    manual = tmp_path / "itservices"
    shutil.copytree(ITSERVICES, manual)
    edit(manual / "qms.yaml", "standards: [iso9001:2015+amd1:2024]", "standards: [iso9001:2015]")
    move = ("coverage", manual, "--transition", "iso9001:2015+amd1:2024", "--lang", "fi")
    table = qms(*move, "-f", "markdown").out
    assert "Tunne organisaatio ja sen toimintaympäristö" in table
    assert "Know the organisation and its context" not in table
    assert "on määritettävä, onko ilmastonmuutos merkityksellinen asia \\(aihe climate-change\\)" in table
    assert not any(asks in table for asks in _english("asks")) and "shall determine" not in table
    rows = json.loads(qms(*move, "-f", "json").out)
    assert {row["was"] for row in rows} <= TITLES | {""}
    assert any(row["asks"].startswith("shall determine whether climate change") for row in rows)


def _coverage_page(manual: Path, language: str) -> str:
    loaded = load_manual(manual)
    pages, _ = build_pages(SiteInput(loaded.manual, History(available=False), date(2026, 11, 27),
                                     language=language))
    return next(page.content for page in pages if page.path.startswith("coverage"))


@pytest.mark.parametrize("source", ["example", "three_standards"])
def test_the_finnish_coverage_page_has_no_english_clause_title(source: str,
                                                               request: pytest.FixtureRequest) -> None:
    manual: Path = request.getfixturevalue(source)
    english, finnish = _coverage_page(manual, "en"), _coverage_page(manual, "fi")
    caught = {title for title in TITLES if title in english}
    assert "Know the organisation and its context" in caught  # the check finds English where it is
    # a Finnish title may contain a short English one ("Support" is in no Finnish title; checked as whole cells)
    cells = {part.strip(" *") for line in finnish.splitlines() for part in line.split("|")}
    assert cells & TITLES == set()
    assert "Tunne organisaatio ja sen toimintaympäristö" in cells


def test_coverage_findings_read_in_finnish_and_keep_their_english_fingerprint(tmp_path: Path, qms: Qms) -> None:
    manual = tmp_path / "itservices"
    shutil.copytree(ITSERVICES, manual)
    edit(manual / "qms.yaml", "standards: [iso9001:2015+amd1:2024]", f"standards: {ALL_STANDARDS}")
    finnish = qms("validate", manual, "--lang", "fi").out + qms("validate", manual, "--lang", "fi").err
    english = qms("validate", manual, "--lang", "en", "-f", "json").out
    assert "QMS-COV-001" in finnish
    assert not any(f" {title}" in finnish for title in TITLES if len(title.split()) > 2)
    assert "Ympäristöpolitiikka" in finnish or "Työterveys" in finnish
    assert qms("validate", manual, "--lang", "fi", "-f", "json").out == english


def test_a_phrase_is_stored_and_shown_in_each_language() -> None:
    message = say("{clause}: {what}", clause=Phrase(clausetexts.TITLE, "Quality policy"),
                  what=Phrase(clausetexts.DOCUMENTED, "the quality policy"))
    assert from_data(to_data(message)) == message
    with i18n.use("fi"):
        assert message.text() == "Laatupolitiikka: laatupolitiikka"
        assert message.english() == "Quality policy: the quality policy"


def test_a_clause_text_no_catalogue_knows_stays_as_written() -> None:
    own = Clause("8.9", "Our own words {not a field}", maintain="the handbook", topics=(Topic("x", "whether X"),))
    with i18n.use("fi"):
        assert clausetexts.title(own) == "Our own words {not a field}"
        assert clausetexts.maintain(own) == "the handbook"
        assert clausetexts.asks(own.topics[0]) == "whether X"
        assert clausetexts.retain(own) == ""
