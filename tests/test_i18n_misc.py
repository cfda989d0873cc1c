"""The rest of the manual in the company's language (issue 18): days in registers written as the language writes
them and still sorted by the day, money in the manual's currency, search that finds a word in its other forms,
translations that say when they are behind their document, and no English credit line on a Finnish site. On a
manual that is not the example (tests/data/manuals/itservices)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qmskit import catalogues, i18n
from qmskit.site.build import generate
from qmskit.tables import TableData, to_csv, to_json, to_markdown
from tests.conftest import ITSERVICES, Result, build_with_plugin, commit_all, edit, git, line_of, site_server

TODAY = "2026-11-27"
FINNISH_DAY = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")
PINNED = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "QMS_TODAY": TODAY,
          "NO_MKDOCS_2_WARNING": "1", "GIT_AUTHOR_NAME": "Test Person", "GIT_AUTHOR_EMAIL": "test.person@example.com",
          "GIT_COMMITTER_NAME": "Test Person", "GIT_COMMITTER_EMAIL": "test.person@example.com"}
BASELINE_DAY, REVISED_DAY = "2026-01-15T12:00:00+02:00", "2026-03-10T12:00:00+02:00"
APPROVER = "Approved-by: Aino Salo <aino.salo@kestrel.example>"  # top management approves procedures
TRANSLATION = """---
title: Palvelujen toimitus
---
# Palvelujen toimitus

## Tarkoitus

Toimitamme palvelut, jotka täyttävät vaatimukset. Jokainen asiakas saa vahvistuksen. Kirjanpitäjä tarkistaa
laskut.
"""


def _manual(base: Path) -> Path:
    """The second manual in a repository of its own, with PRO-002 translated into Finnish; the first commit is the
    baseline its qms.yaml releases."""
    manual = base / "manual"
    shutil.copytree(ITSERVICES, manual)
    git(manual, "init", "-q", "-b", "main")
    edit(manual / "documents/PRO-002-operations.md", "The operations manager plans and controls the work.",
         "The operations manager plans and controls the work. The bookkeeper checks the invoices.")
    (manual / "documents/PRO-002-operations.fi.md").write_text(TRANSLATION, encoding="utf-8")
    return manual


def _revise_pro_002(manual: Path) -> None:
    """A second revision of PRO-002, approved; its Finnish translation is not touched."""
    edit(manual / "documents/PRO-002-operations.md", "1. Review each order before accepting it.",
         "1. Review each order and its price before accepting it.")
    commit_all(manual, "PRO-002: review the price too", APPROVER, date=REVISED_DAY)


def _qms(*args: str | Path) -> Result:
    done = subprocess.run([sys.executable, "-m", "qmskit", *map(str, args)], capture_output=True, text=True,
                          check=False)
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second manual in Swedish crowns, PRO-002 revised after its Finnish translation was approved, built in
    Finnish and English side by side."""
    base = tmp_path_factory.mktemp("i18n-misc")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**PINNED, "QMS_CACHE_DIR": str(base / "cache")}.items():
            patch.setenv(key, value)
        manual = _manual(base)
        edit(manual / "qms.yaml", "language: en\n", "language: en\ncurrency: SEK\n")
        commit_all(manual, "The second manual, with a Finnish PRO-002", date=BASELINE_DAY)
        _revise_pro_002(manual)
        done = _qms("build", manual, "-o", base / "site", "--lang", "fi,en", "--today", TODAY)
        assert done.code == 0, done.err
    return base / "site"


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with site_server(built) as url:
        yield url


# -- 1. days in registers ----------------------------------------------------------------------------------------

@pytest.mark.browser
def test_a_finnish_register_shows_finnish_days_and_sorts_them_by_the_day(page: Any, server: str) -> None:
    page.goto(f"{server}/fi/records/")
    header = page.locator(".qms-sortable th", has_text="Luotu")
    column = page.locator(".qms-sortable th").all_inner_texts().index(header.inner_text())
    cells = page.locator(f".qms-sortable tbody tr td:nth-child({column + 1})")
    shown = cells.all_inner_texts()
    assert shown and all(FINNISH_DAY.fullmatch(text.strip()) for text in shown), shown
    # sorted as text (day first) the shown days would not be in time order: sorting by the text would be wrong
    as_text = sorted(shown, key=lambda text: [int(part) for part in text.split(".")])
    assert as_text != sorted(shown, key=lambda text: [int(part) for part in reversed(text.split("."))])
    header.locator("button").click()
    ascending = cells.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert ascending == sorted(ascending) and len(ascending) == len(shown)
    assert [FINNISH_DAY.fullmatch(t.strip()) is not None for t in cells.all_inner_texts()] == [True] * len(shown)
    header.locator("button").click()
    descending = cells.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert descending == sorted(ascending, reverse=True)


@pytest.mark.browser
def test_the_day_picker_of_a_finnish_register_still_filters_by_the_day(page: Any, server: str) -> None:
    """What was in effect on a day, asked on the Finnish site: PRO-002 revision 1 until 10.3.2026, then 2."""
    page.goto(f"{server}/fi/asof/")
    box = page.locator(".qms-dated")
    assert "10.3.2026" in box.inner_text()  # the days are Finnish
    picker = page.get_by_label("Näytä mikä oli voimassa")
    picker.fill("2026-02-01")
    rows = box.locator("tbody tr:not([hidden])")
    february = {(r.locator("td").nth(0).inner_text(), r.locator("td").nth(2).inner_text()) for r in rows.all()}
    assert ("PRO-002", "1") in february and ("PRO-002", "2") not in february
    picker.fill("2026-03-11")
    march = {(r.locator("td").nth(0).inner_text(), r.locator("td").nth(2).inner_text()) for r in rows.all()}
    assert ("PRO-002", "2") in march and ("PRO-002", "1") not in march


def test_the_site_registers_carry_the_iso_day_beside_the_shown_one(built: Path) -> None:
    register = (built / "fi/documents/index.html").read_text()
    assert re.search(r'<time datetime="2026-03-10">(&#49;|1)0\.3\.2026</time>', register)
    english = (built / "en/documents/index.html").read_text()
    assert '<time datetime="2026-03-10">' in english and "10.3.2026" not in english


def test_terminal_and_markdown_tables_write_days_for_people_and_csv_and_json_keep_iso() -> None:
    table = TableData.of("Register", ["ID", "Effective", "Note"],
                         [{"ID": "PRO-002", "Effective": "2026-03-10", "Note": "2026-03-10 or later"}])
    with i18n.use("fi"):
        assert table.shown_rows == (("PRO-002", "10.3.2026", "2026-03-10 or later"),)  # only a day is a day
        assert "10.3.2026" in to_markdown(table).replace("&#49;", "1")
        assert "2026-03-10,2026-03-10 or later" in to_csv(table)
        assert '"Effective": "2026-03-10"' in to_json(table)
    with i18n.use("en"):
        assert table.shown_rows[0][1] == "2026-03-10"


def test_qms_register_in_finnish(tmp_path: Path, qms: Any) -> None:
    manual = _manual(tmp_path)
    commit_all(manual, "The second manual", date=BASELINE_DAY)
    text = qms("register", manual, "--lang", "fi").out
    assert "15.1.2026" in text and "2026-01-15" not in text
    assert "2026-01-15" in qms("register", manual, "--lang", "fi", "-f", "csv").out
    assert {r["effective"] for r in qms("register", manual, "--lang", "fi", "-f", "json").json()} == {"2026-01-15"}


# -- 2. money in the manual's currency ---------------------------------------------------------------------------

def test_money_is_shown_in_the_manuals_currency(tmp_path: Path, qms: Any) -> None:
    manual = _manual(tmp_path)
    edit(manual / "qms.yaml", "language: en\n", "language: en\ncurrency: SEK\n")
    commit_all(manual, "The second manual in Swedish crowns", date=BASELINE_DAY)
    nbsp = "\N{NO-BREAK SPACE}"
    flow = qms("report", "flow", manual).out
    assert "penalties SEK6,000.00." in flow and "| CR-103 | harbor-bank | 12 | SEK5,000.00 |" in flow
    assert "€" not in flow and "EUR" not in flow
    customers = qms("report", "customers", manual, "--lang", "fi").out
    assert f"Yhteensä **110{nbsp}000,00{nbsp}SEK**" in customers
    assert f"| Harbor Bank Oyj | 3 | 54{nbsp}000,00{nbsp}SEK |" in customers
    review = qms("report", "review", manual, "--lang", "fi").out
    assert f"sopimussakot 6{nbsp}000,00{nbsp}SEK." in review and "€" not in review
    data = qms("report", "customers", manual, "-f", "json").json()
    assert data["life"]["currency"] == "SEK" if "life" in data else data["currency"] == "SEK"
    assert qms("report", "flow", manual, "-f", "json").json()["currency"] == "SEK"


def test_the_site_dashboard_shows_the_manuals_currency(built: Path) -> None:
    dashboards = (built / "en/dashboards/index.html").read_text()
    assert re.search(r"Value per customer, [^<]*: total SEK[\d,.]+", dashboards)
    assert "SEK" in (built / "fi/dashboards/index.html").read_text()


def test_money_defaults_to_euros(tmp_path: Path, qms: Any) -> None:
    manual = _manual(tmp_path)
    commit_all(manual, "The second manual", date=BASELINE_DAY)
    assert "penalties €6,000.00." in qms("report", "flow", manual).out


def test_an_unknown_currency_is_a_located_finding(tmp_path: Path, findings: Any) -> None:
    manual = _manual(tmp_path)
    edit(manual / "qms.yaml", "language: en\n", "language: en\ncurrency: XBT\n")
    commit_all(manual, "A currency that is not one", date=BASELINE_DAY)
    line = line_of(manual / "qms.yaml", "currency:")
    assert ("QMS-CFG-001", "qms.yaml", line) in findings(manual)
    edit(manual / "qms.yaml", "currency: XBT", "currency: sek")  # not an ISO code at all: the schema says so
    commit_all(manual, "A currency in the wrong form", date=BASELINE_DAY)
    assert ("QMS-SCHEMA-001", "qms.yaml", line) in findings(manual)


def test_the_unknown_currency_finding_has_its_column_and_hint(tmp_path: Path, qms: Any) -> None:
    manual = _manual(tmp_path)
    edit(manual / "qms.yaml", "language: en\n", "language: en\ncurrency: XBT\n")
    commit_all(manual, "A currency that is not one", date=BASELINE_DAY)
    found = [f for f in qms("validate", manual, "-f", "json").json()["diagnostics"] if f["rule"] == "QMS-CFG-001"]
    assert len(found) == 1 and found[0]["column"] == len("currency: ") + 1
    assert "'XBT' is no ISO 4217 currency code" in found[0]["message"] and "EUR, SEK or USD" in found[0]["hint"]


# -- 3. search in each language ----------------------------------------------------------------------------------

def _search(page: Any, url: str, words: str) -> list[str]:
    """The results mkdocs-material's search shows for `words` typed at once (no answer to a part of them)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url)
    page.wait_for_load_state("networkidle")
    answered = ("() => /^(\\d|No matching|Ei täsmääviä)/"
                ".test(document.querySelector('.md-search-result__meta').textContent.trim())")
    for _ in range(10):  # the search index loads in a web worker; ask again until it answers
        page.fill(".md-search__input", "")
        page.fill(".md-search__input", words)
        page.press(".md-search__input", "End")  # mkdocs-material reads the query on a key's release
        try:
            page.wait_for_function(answered, timeout=3000)
        except PlaywrightTimeout:
            continue
        return page.locator(".md-search-result__item").all_inner_texts()
    raise AssertionError(f"the search on {url} never answered {words!r}")


@pytest.mark.browser
@pytest.mark.parametrize(("language", "written", "searched"), [
    ("fi", "asiakas", "asiakkaan"),  # the genitive finds the nominative, across the consonant gradation
    ("fi", "Kirjanpitäjä", "kirjanpitäjän"),
    ("fi", "laskut", "laskujen"),
    ("en", "invoices", "invoicing"),
    ("en", "bookkeeper", "bookkeepers"),
])
def test_search_finds_a_word_in_another_form(page: Any, server: str, language: str, written: str,
                                             searched: str) -> None:
    results = _search(page, f"{server}/{language}/", searched)
    assert any(written in text for text in results), results


@pytest.mark.browser
def test_each_language_searches_its_own_pages(page: Any, server: str) -> None:
    assert _search(page, f"{server}/en/", "kirjanpitäjän") == []  # the Finnish text is on the Finnish site only
    assert not any("bookkeeper" in text for text in _search(page, f"{server}/fi/", "bookkeeper"))


def test_the_search_worker_is_mkdocs_materials_with_the_stemmer_in_front(built: Path) -> None:
    import material

    theirs = next((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))
    ours = (built / "fi/assets/javascripts/workers" / theirs.name).read_text()
    assert ours.startswith("// qmskit: search that finds a word") and ours.endswith(theirs.read_text())


# -- 4. translations under control ---------------------------------------------------------------------------------

def test_a_translation_behind_its_document_is_a_warning_once_the_document_is_revised(tmp_path: Path,
                                                                                   qms: Any) -> None:
    manual = _manual(tmp_path)
    commit_all(manual, "The second manual, with a Finnish PRO-002", date=BASELINE_DAY)
    found = qms("validate", manual, "-f", "json").json()["diagnostics"]
    assert not [f for f in found if f["rule"] == "QMS-TRN-005"]
    _revise_pro_002(manual)
    behind = [f for f in qms("validate", manual, "-f", "json").json()["diagnostics"] if f["rule"] == "QMS-TRN-005"]
    assert [(f["path"], f["line"], f["severity"]) for f in behind] == [
        ("documents/PRO-002-operations.fi.md", 1, "warning")]
    assert "translates revision 1 of PRO-002; revision 2 is in effect since 2026-03-10" in behind[0]["message"]
    # translated and approved again: up to date
    edit(manual / "documents/PRO-002-operations.fi.md", "Toimitamme palvelut",
         "Tarkistamme tilauksen ja sen hinnan. Toimitamme palvelut")
    commit_all(manual, "PRO-002 in Finnish: revision 2", APPROVER)
    assert not [f for f in qms("validate", manual, "-f", "json").json()["diagnostics"]
                if f["rule"] == "QMS-TRN-005"]


def test_an_unapproved_translation_is_not_reported_as_behind(tmp_path: Path, qms: Any) -> None:
    manual = _manual(tmp_path)
    (manual / "documents/PRO-002-operations.fi.md").unlink()
    commit_all(manual, "The second manual", date=BASELINE_DAY)
    (manual / "documents/PRO-002-operations.fi.md").write_text(TRANSLATION, encoding="utf-8")
    commit_all(manual, "PRO-002 in Finnish, not approved yet")
    _revise_pro_002(manual)
    rules = {f["rule"] for f in qms("validate", manual, "-f", "json").json()["diagnostics"]}
    assert "QMS-TRN-005" not in rules and "QMS-CTRL-001" in rules  # unapproved is its own finding
    rows = {r["id"]: r for r in qms("register", manual, "-f", "json").json()}
    assert rows["PRO-002 (fi)"]["translation_state"] == "not approved"


def test_the_register_lists_each_translation_after_its_document_with_its_state(tmp_path: Path, qms: Any) -> None:
    manual = _manual(tmp_path)
    commit_all(manual, "The second manual, with a Finnish PRO-002", date=BASELINE_DAY)
    rows = qms("register", manual, "-f", "json").json()
    ids = [r["id"] for r in rows]
    assert ids[ids.index("PRO-002") + 1] == "PRO-002 (fi)"
    translation = rows[ids.index("PRO-002 (fi)")]
    assert (translation["translation_state"], translation["translates"], translation["revision"]) == ("current", 1, 1)
    assert translation["title"] == "Palvelujen toimitus" and translation["path"] == "documents/PRO-002-operations.fi.md"
    _revise_pro_002(manual)
    rows = {r["id"]: r for r in qms("register", manual, "-f", "json").json()}
    assert (rows["PRO-002 (fi)"]["translation_state"], rows["PRO-002 (fi)"]["translates"],
            rows["PRO-002 (fi)"]["source_revision"]) == ("behind", 1, 2)
    text = qms("register", manual, "--lang", "fi", "-f", "markdown").out
    assert "| jäljessä: kääntää revision 1, voimassa on 2 |" in text and "behind" not in text
    assert "| voimassa |" in text and "active" not in text  # the documents' own statuses, in Finnish too
    assert rows["PRO-002"]["status"] == "active"  # JSON keeps the English words tools read
    assert rows["PRO-002 (fi)"]["status"] == "behind: translates revision 1 of 2"


def test_the_translated_page_says_it_is_behind(built: Path) -> None:
    page = (built / "fi/documents/pro-002/index.html").read_text()
    assert "Käännös on jäljessä asiakirjasta" in page
    assert "Tämä käännös (versio 1) on käännös asiakirjan versiosta 1; versio 2 on ollut voimassa 10.3.2026" in page
    assert "Käännös on jäljessä" not in (built / "fi/documents/pro-001/index.html").read_text()
    assert "behind" not in (built / "en/documents/pro-002/index.html").read_text()


def test_no_behind_note_when_the_translation_is_current(tmp_path: Path) -> None:
    manual = _manual(tmp_path)
    commit_all(manual, "The second manual, with a Finnish PRO-002", date=BASELINE_DAY)
    generated = generate(manual, tmp_path / "pages", "internal", date.fromisoformat(TODAY), language="fi")
    page = (generated.folder / "docs/documents/pro-002.md").read_text()
    assert "Palvelujen toimitus" in page and "jäljessä" not in page


# -- 5. the theme's credit line ----------------------------------------------------------------------------------

def test_a_finnish_site_has_no_english_credit_line(built: Path) -> None:
    for page in ("index.html", "documents/pro-002/index.html", "records/index.html"):
        assert "Made with" not in (built / "fi" / page).read_text()
    assert "Made with" in (built / "en/index.html").read_text()  # the theme is credited where it speaks English


def test_the_mkdocs_plugin_stems_the_index_as_the_queries_are_stemmed(tmp_path: Path) -> None:
    """With `plugins: [search, qms]` in a mkdocs.yml of the company's own, the stemmed queries must meet a stemmed
    index: mkdocs-material's default pipeline would leave the stemmer out and find nothing."""
    import json

    manual = _manual(tmp_path)
    commit_all(manual, "The second manual, with a Finnish PRO-002", date=BASELINE_DAY)
    build_with_plugin(tmp_path, TODAY)
    index = json.loads((tmp_path / "site/search/search_index.json").read_text())
    assert index["config"]["lang"] == ["fi"] and "stemmer" in index["config"]["pipeline"]
    worker = next((tmp_path / "site/assets/javascripts/workers").glob("search.*.min.js"))
    assert worker.read_text().startswith("// qmskit: search that finds a word")


def test_a_records_date_fields_are_finnish_days_on_the_finnish_site(built: Path) -> None:
    field = r'<td>Billed on</td>\s*<td><time datetime="\d{4}-\d{2}-\d{2}">(&#\d+;)?[\d.]+</time></td>'
    billing = next((built / "fi/records").glob("billing-entry/*/index.html")).read_text()
    assert re.search(field, billing) and re.search(r'>(&#\d+;)?\d*\.\d{1,2}\.\d{4}</time></td>', billing)
    english = next((built / "en/records").glob("billing-entry/*/index.html")).read_text()
    assert re.search(r'<td>Billed on</td>\s*<td><time datetime="(\d{4}-\d{2}-\d{2})">(&#\d+;)?\d*-\d{2}-\d{2}</time>',
                     english)


def test_finnish_names_a_document_and_a_record_with_one_word_each() -> None:
    # the site said "Dokumentit" and "tietue" where the command line says "asiakirja" and "tallenne"
    def finnish(message: Any) -> str:
        return " ".join(message.string) if isinstance(message.string, tuple | list) else str(message.string)

    # a YAML document is "YAML-dokumentti": no document of the manual
    mixed = {str(m.id): finnish(m) for m in catalogues.read("fi")
             if m.id and re.search(r"(?<!YAML-)\b[Dd]okument(?!oi)|[Tt]ietue", finnish(m))}
    assert mixed == {}, mixed
    with i18n.use("fi"):
        assert (i18n._("Documents"), i18n._("Download the record file")) == ("Asiakirjat", "Lataa tallennetiedosto")
