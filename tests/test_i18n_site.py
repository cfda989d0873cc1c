"""The published manual in Finnish and in English: every word qmskit writes comes from the catalogue, numbers and
dates are written as the language writes them, and a document translated into Finnish is published in Finnish,
linked to its English page, under the same document control as any revision."""

from __future__ import annotations

import html
import json
import re
import shutil
import string
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qmskit import i18n
from qmskit.analysis import charts
from qmskit.catalogues import read
from qmskit.diagram import views
from qmskit.loading.load import load_manual
from qmskit.site.build import generate
from tests.conftest import EXAMPLE, ITSERVICES, Result, build_with_plugin, commit_all, git, site_server
from tests.test_site import HOSTILE, PAGE_TYPES, _shot

pytestmark = pytest.mark.browser
TODAY = "2026-11-27"
NBSP = "\N{NO-BREAK SPACE}"
TRANSLATION = """---
title: Tuotannon suunnittelu ja ohjaus
---
# Tuotannon suunnittelu ja ohjaus

## Tarkoitus

Valmistamme piirustuksen mukaisia osia hallituissa olosuhteissa, ja jokainen tilaus valmistuu luvattuna päivänä.
Tuotannonsuunnittelija ajoittaa työmääräykset ja varoittaa myyntiä myöhästymisvaarasta.
Jokaisesta tilauksesta tehdään työmääräys.
"""


def _qms(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "qms"), *map(str, args)], capture_output=True,
                          text=True, check=False)


def _manual(base: Path, source: Path = EXAMPLE) -> Path:
    """A copy of a manual in a repository of its own; the first commit is the baseline the manual releases."""
    manual = base / "manual"
    shutil.copytree(source, manual)
    git(manual, "init", "-q", "-b", "main")
    return manual


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example manual with PRO-006 translated into Finnish (released with the rest by the baseline), built in
    Finnish and English side by side."""
    base = tmp_path_factory.mktemp("bilingual")
    manual = _manual(base)
    (manual / "documents/procedures/PRO-006-production.fi.md").write_text(TRANSLATION, encoding="utf-8")
    commit_all(manual, "Example, with a Finnish PRO-006")
    # a release, as `qms release` tags it (test_site's page types include the register at a release)
    git(manual, "tag", "-a", "manual-2026-11", "-m", "Release manual-2026-11 of the quality manual of Pohjolan "
        "Tarkkuustyö Oy\n\nPRO-006 rev 1")
    out = base / "site"
    done = _qms("build", manual, "-o", out, "--lang", "fi,en", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with site_server(built) as url:
        yield url


# -- no English left on a Finnish page --------------------------------------------------------------------------

COUNTS = {"n", "count", "number", "total", "more"}  # placeholders that a number fills ("{n} documents")
NUMBER = r"(?<![\w-])[-+\u2212]?\d[\d\u00a0\u202f ,.]*"  # a number, not the end of an id (MR-2026-0004)


def _english_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The catalogue's English messages whose Finnish differs, as patterns (a placeholder matches any text), left
    out when their words are too few to tell English from a name ("Id", "{n} d")."""
    found = []
    for message in read("fi"):
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
        strings = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
        for english in ids:
            if english in strings:
                continue
            literal = [text for text, _name, _spec, _conv in string.Formatter().parse(english)]
            if sum(ch.isalpha() for part in literal for ch in part) < 4:
                continue
            pattern = ""
            for text, name, _spec, _conv in string.Formatter().parse(english):
                pattern += re.escape(text) + ("" if name is None else NUMBER if name in COUNTS else r"[^\t\n]{1,80}?")
            start = r"(?<![\w])" if english[:1].isalnum() else ""
            end = r"(?![\w])" if english[-1:].isalnum() else ""
            found.append((english, re.compile(start + pattern + end)))
    return found


def _manual_text(manual: Path) -> str:
    """Everything the manual itself says (its files), where English is the manual's, not qmskit's."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(manual.rglob("*"))
                     if p.is_file() and p.suffix in (".md", ".yaml", ".yml"))


def _visible_text(page: Any) -> str:
    """What a reader sees: the page's rendered text, the diagrams' and charts' words, and the window title."""
    return page.evaluate("""() => [document.title, document.body.innerText,
        ...[...document.querySelectorAll("svg text, svg title")].map(e => e.textContent)].join("\\n")""")


def _the_manuals(hit: str, own: str) -> bool:
    """A hit that ends in the manual's own words ("bar arrived 3 days" in a record's summary, which joins values
    with " · ") is the manual speaking, not qmskit."""
    last = re.split(r" · |\t|\n", hit)[-1].strip(" ([{:;,.")  # "Management review (" of "Management review (MR-1)"
    return " ".join(last[-30:].split()) in own


# the page types of the browser tests, and the other registers and pages a reader meets
FINNISH_PAGES = [*PAGE_TYPES, "/forms/", "/registers/communication/", "/registers/objectives/", "/obsolete/",
                 "/404.html"]


@pytest.mark.parametrize("path", FINNISH_PAGES)
def test_no_english_word_of_qmskit_remains_on_a_finnish_page(page: Any, server: str, path: str) -> None:
    page.goto(f"{server}/fi{path}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "fi"
    text = _visible_text(page)
    own = " ".join(_manual_text(EXAMPLE).split())
    # a hit whose end is the manual's own text ("parts 5 days" in a record's summary) is the manual speaking
    left = sorted({f"{english!r} as {hit.group(0)!r}" for english, pattern in _english_patterns()
                   for hit in pattern.finditer(text) if not _the_manuals(hit.group(0), own)})
    assert left == [], (path, left)
    assert len(text) > 200  # the page was there, not an empty shell


def test_the_check_finds_english_where_the_site_is_english(page: Any, server: str) -> None:
    """The same search on the English site finds qmskit's English: the test can fail."""
    page.goto(f"{server}/en/dashboards/")
    text = _visible_text(page)
    hits = {english for english, pattern in _english_patterns() if pattern.search(text)}
    assert {"{order}: {days} late", "{n} days", "target {value}", "Dashboards"} <= hits


# -- numbers, dates, plural forms --------------------------------------------------------------------------------

def test_finnish_pages_write_dates_numbers_and_plurals_the_finnish_way(built: Path) -> None:
    fi = built / "fi"
    document = (fi / "documents/pro-001/index.html").read_text()
    header = document.split('class="qms-header"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>\d{1,2}\.\d{1,2}\.20\d\d</td>", header), header  # effective and next review: 27.11.2026
    assert not re.search(r"20\d\d-\d\d-\d\d", header)
    dashboards = (fi / "dashboards/index.html").read_text()
    assert re.search(r"SO-\d+: \d+ päivää myöhässä", dashboards)
    assert "tavoite " in dashboards and "target " not in dashboards
    assert re.search(r">\d+,\d+<", dashboards)  # a decimal comma on a chart's axis or points
    actions = (fi / "registers/actions/index.html").read_text()
    assert re.search(r"\d+ työnkulun (tallenne|tallennetta) .*avoinna 27\.11\.2026", actions)
    process = (fi / "processes/production.planning/index.html").read_text()
    assert re.search(r"<td>\d+ päivää?</td>", process)
    with i18n.use("fi"):
        assert (i18n.days(1), i18n.days(2)) == ("1 päivä", "2 päivää")


def test_plural_forms_of_the_record_pages_follow_the_count(tmp_path: Path) -> None:
    manual = _manual(tmp_path)
    folders = sorted(f for f in (manual / "records").iterdir() if len(list(f.glob("*.yaml"))) > 2)
    for record in sorted(folders[0].glob("*.yaml"))[1:]:  # one form keeps one record: "1 tallenne"
        record.unlink()
    commit_all(manual, "Example")
    generated = generate(manual, tmp_path / "pages", "internal", date.fromisoformat(TODAY), language="fi")
    pages = {p.relative_to(generated.folder / "docs").as_posix(): p.read_text() for p in
             (generated.folder / "docs").rglob("*.md")}
    intros = [re.search(r"^(\d+) (tallenne|tallennetta)\. ", text, re.M) for path, text in pages.items()
              if path.startswith("records/") and path != "records/index.md"]
    counts = {(int(m.group(1)), m.group(2)) for m in intros if m}
    assert counts and all(word == ("tallenne" if n == 1 else "tallennetta") for n, word in counts), counts
    assert any(n == 1 for n, _ in counts) and any(n > 1 for n, _ in counts), (counts, folders[0])


def test_charts_and_maps_speak_the_language() -> None:
    with i18n.use("fi"):
        line = charts.line_chart("X", [("Q1", 2.5), ("Q2", 3.0)], 40)
        waterfall = charts.waterfall("Y", [("A", 1.5), ("B", 2.0)])
        graph = views.interaction_map(load_manual(ITSERVICES).manual).source
    assert "tavoite 40" in line and "2,5" in line and "2.5" not in line
    assert "yhteensä +3,5" in waterfall
    assert "prosessikartta" in graph and "process map" not in graph
    assert "Ydinprosessit" in graph and "Core processes" not in graph
    with i18n.use("en"):
        assert "target 40" in charts.line_chart("X", [("Q1", 2.5)], 40)


# -- the theme, search and the language of the build -------------------------------------------------------------

def test_theme_and_search_follow_the_sites_language(built: Path) -> None:
    for code in ("fi", "en"):
        home = (built / code / "index.html").read_text()
        assert f'<html lang="{code}"' in home
        index = json.loads((built / code / "search/search_index.json").read_text())
        assert index["config"]["lang"] == [code]
    assert "Pohjolan Tarkkuustyö Oy — laatukäsikirja" in (built / "fi/index.html").read_text()
    assert "quality manual" not in (built / "fi/index.html").read_text()


def test_finnish_search_finds_the_translations_text(page: Any, server: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{server}/fi/")
    page.wait_for_load_state("networkidle")
    results: list[str] = []
    for _ in range(10):  # the search index loads in a web worker; type again until it answers
        page.fill(".md-search__input", "")
        page.locator(".md-search__input").press_sequentially("piirustuksen", delay=20)  # only the translation has it
        try:
            page.wait_for_selector(".md-search-result__item", timeout=3000)
        except PlaywrightTimeout:
            continue
        results = page.locator(".md-search-result__item").all_inner_texts()
        break
    assert any("Tuotannon suunnittelu ja ohjaus" in text for text in results), results
    _shot(page, "fi-search")


def test_an_unknown_language_is_refused_before_anything_is_built(tmp_path: Path, qms: Any) -> None:
    manual = _manual(tmp_path)
    commit_all(manual, "Example")
    result: Result = qms("build", manual, "-o", tmp_path / "out", "--lang", "sv")
    assert result.code == 2 and "cannot write the site in 'sv'" in result.err and "en, fi" in result.err
    assert not (tmp_path / "out" / "index.html").exists()


def test_qms_lang_chooses_the_language_when_no_option_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manual = _manual(tmp_path, ITSERVICES)
    commit_all(manual, "A manual that is not the example")
    monkeypatch.setenv("QMS_LANG", "fi")
    generated = generate(manual, tmp_path / "fi", "internal", date.fromisoformat(TODAY))
    config = (generated.folder / "mkdocs.yml").read_text()
    assert "language: fi" in config and "Etusivu" in config
    english = generate(manual, tmp_path / "en", "internal", date.fromisoformat(TODAY), language="en")
    assert "language: en" in (english.folder / "mkdocs.yml").read_text()


# -- documents in two languages --------------------------------------------------------------------------------

def test_a_translated_document_is_published_in_finnish_and_linked_to_its_english_page(page: Any, server: str) -> None:
    page.goto(f"{server}/fi/documents/pro-006/")
    assert page.text_content("h1").startswith("PRO-006 Tuotannon suunnittelu ja ohjaus")
    assert "Valmistamme piirustuksen mukaisia osia" in page.text_content("article")
    assert "Tämä käännös: versio 1" in page.text_content("article")
    _shot(page, "fi-document")
    page.click(".qms-languages a[hreflang=en]")
    page.wait_for_load_state()
    assert page.url.endswith("/en/documents/pro-006/")
    assert page.text_content("h1").startswith("PRO-006 Production planning and control")
    page.click(".qms-languages a[hreflang=fi]")
    assert page.url.endswith("/fi/documents/pro-006/")


def test_the_finnish_navigation_uses_the_translated_title_and_says_what_is_not_translated(built: Path) -> None:
    register = (built / "fi/documents/index.html").read_text()
    assert "Tuotannon suunnittelu ja ohjaus" in register
    untranslated = (built / "fi/documents/pro-001/index.html").read_text()
    assert "Ei käännetty" in untranslated
    assert "Ei käännetty" not in (built / "fi/documents/pro-006/index.html").read_text()
    assert "Not translated" not in (built / "en/documents/pro-001/index.html").read_text()  # English is the manual's


def test_the_top_of_a_bilingual_site_leads_to_each_language_and_the_header_selects(page: Any, server: str) -> None:
    page.goto(f"{server}/fi/")
    page.wait_for_load_state("networkidle")
    _shot(page, "fi-home")
    links = page.eval_on_selector_all(".md-select__link", "els => els.map(e => [e.hreflang, e.href])")
    assert sorted(code for code, _ in links) == ["en", "fi"]
    assert dict(links)["en"] == f"{server}/en/"
    page.goto(f"{server}/")
    page.wait_for_url(f"{server}/fi/")  # the first language given


def test_an_unapproved_translation_is_not_published(tmp_path: Path, qms: Any) -> None:
    """A translation is a revision like any other: the site shows the last approved one, and none before one."""
    manual = _manual(tmp_path)
    commit_all(manual, "Example")  # the baseline releases this commit
    translation = manual / "documents/procedures/PRO-006-production.fi.md"
    translation.write_text(TRANSLATION, encoding="utf-8")
    commit_all(manual, "Finnish PRO-006, not approved")
    findings = qms("validate", manual, "-f", "json").json()
    unapproved = [f for f in findings["diagnostics"] if f["rule"] == "QMS-CTRL-001"]
    assert [f["path"] for f in unapproved] == ["documents/procedures/PRO-006-production.fi.md"], unapproved
    generated = generate(manual, tmp_path / "pages", "internal", date.fromisoformat(TODAY), language="fi")
    shown = (generated.folder / "docs/documents/pro-006.md").read_text()
    assert "Tuotannon suunnittelu" not in shown and "Production planning and control" in shown
    assert "Ei käännetty" in shown


# -- findings about translations ---------------------------------------------------------------------------------

def test_translations_that_cannot_be_used_are_located_findings(tmp_path: Path, qms: Any) -> None:
    manual = _manual(tmp_path, ITSERVICES)
    documents = manual / "documents"
    (documents / "PRO-404-nothing.fi.md").write_text("---\ntitle: Ei mitään\n---\nTeksti.\n")
    (documents / "PRO-002-operations.fi.md").write_text("---\ntitle: Toiminta\nowner: ceo\n---\nTeksti.\n")
    (documents / "QM-002-scope.en.md").write_text("---\ntitle: Scope\n---\nText.\n")
    (documents / "POL-001-quality-policy.fi.md").write_text("---\nid: PRO-001\ntitle: Politiikka\n---\nTeksti.\n")
    (documents / "QM-001-quality-manual.sv.md").write_text("---\ntitle: Kvalitetshandbok\n---\nText.\n")
    commit_all(manual, "Translations")
    found = {(f["rule"], f["path"], f["line"]) for f in qms("validate", manual, "-f", "json").json()["diagnostics"]
             if f["rule"].startswith("QMS-TRN")}
    assert found == {
        ("QMS-TRN-001", "documents/PRO-404-nothing.fi.md", 1),
        ("QMS-TRN-002", "documents/PRO-002-operations.fi.md", 3),  # the key that does not belong
        ("QMS-TRN-003", "documents/QM-002-scope.en.md", 1),
        ("QMS-TRN-002", "documents/POL-001-quality-policy.fi.md", 2),
        ("QMS-TRN-004", "documents/QM-001-quality-manual.sv.md", 1),
    }
    assert not [f for f in qms("validate", manual, "-f", "json").json()["diagnostics"]
                if f["rule"] == "QMS-DOC-002"]  # a translation is not taken for a document without front matter


def test_a_hostile_translation_is_text_on_every_page_it_reaches(tmp_path: Path) -> None:
    manual = _manual(tmp_path, ITSERVICES)
    (manual / "documents/PRO-002-operations.fi.md").write_text(
        f"---\ntitle: '{HOSTILE}'\n---\n<script>alert(3)</script>\n\n[x](javascript:alert(4))\n", encoding="utf-8")
    commit_all(manual, "A translation an attacker wrote, released with the rest")
    generated = generate(manual, tmp_path / "pages", "internal", date.fromisoformat(TODAY), language="fi")
    docs = generated.folder / "docs"
    page = (docs / "documents/pro-002.md").read_text()
    assert "&lt;/title&gt;&lt;script&gt;" in page  # the title, escaped, is shown
    everything = page + (generated.folder / "mkdocs.yml").read_text() + (docs / "documents/index.md").read_text()
    assert "<script>" not in everything and "<img" not in everything and "javascript:alert" not in everything


def test_the_mkdocs_plugin_takes_the_language_too(tmp_path: Path) -> None:
    manual = _manual(tmp_path, ITSERVICES)
    commit_all(manual, "A manual that is not the example")
    build_with_plugin(tmp_path, TODAY)
    home = (tmp_path / "site" / "index.html").read_text()
    assert "Etusivu" in home and "Tilanne" in home and "Status" not in home.split("<article", 1)[1]


def test_finnish_pages_name_a_waiting_revision_a_summarys_day_and_a_review_span_in_finnish(tmp_path: Path) -> None:
    # the notice on the document's page quoted the register's English: "(pending approval: revision 2 (...))"
    manual = _manual(tmp_path, ITSERVICES)
    commit_all(manual, "IT services")
    document = manual / "documents/PRO-001-documented-information.md"
    document.write_text(document.read_text(encoding="utf-8") + "\nUusi kappale.\n", encoding="utf-8")
    sha = commit_all(manual, "Uusi kappale")[:10]
    day = git(manual, "log", "-1", "--format=%cs").strip()
    generated = generate(manual, tmp_path / "pages", "internal", date.fromisoformat(TODAY), language="fi")
    page = next((generated.folder / "docs").rglob("pro-001*.md")).read_text(encoding="utf-8")
    with i18n.use("fi"):
        finnish_day = i18n.format_date(date.fromisoformat(day))
    assert f"(odottaa hyväksyntää: versio 2 \\({finnish_day}, {sha}\\))" in page, page  # Markdown-escaped
    assert "pending approval" not in page and "revision 2" not in page
    billing = (generated.folder / "docs/records/billing-entry/2026.md").read_text(encoding="utf-8")
    assert "aalto-games · 15.11.2026 · development" in billing and "2026-11-15 ·" not in billing  # a summary's day
    review = html.unescape((generated.folder / "docs/registers/reviews/mrm-2026-0001.md").read_text(encoding="utf-8"))
    assert "**Katselmoitu jakso:** 29.1.2025 \u2013 28.1.2026 ·" in review and "2025-01-29" not in review
