"""The message catalogues and the language's formats: every message the code marks is translated with the same
placeholders, plural forms follow each language, and numbers, dates and money read as the language writes them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from babel.messages.pofile import read_po

from qmskit import i18n
from qmskit.catalogues import extract, problems, translated_languages
from qmskit.site.messages import messages

NBSP = "\N{NO-BREAK SPACE}"


@pytest.fixture(scope="module")
def template():  # type: ignore[no-untyped-def]
    return extract()


@pytest.mark.parametrize("code", translated_languages())
def test_every_message_is_translated_with_the_same_placeholders(template, code: str) -> None:  # type: ignore[no-untyped-def]
    assert len(template) > 100  # the extraction found the site's labels, not an empty catalogue
    assert [str(problem) for problem in problems(template, code)] == []


def test_the_check_names_a_missing_translation_and_a_changed_placeholder(template) -> None:  # type: ignore[no-untyped-def]
    po = io.BytesIO("\n".join([
        'msgid ""', 'msgstr ""', '"Language: fi\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', "",
        'msgid "{n} day"', 'msgid_plural "{n} days"', 'msgstr[0] "{m} päivä"', 'msgstr[1] "{n} päivää"', "",
        'msgid "Home"', 'msgstr ""', ""]).encode())
    found = {(p.message, p.problem.split(" ")[0]) for p in problems(template, "fi", read_po(po, locale="fi"))}
    assert ("{n} day", "placeholders") in found
    assert ("Home", "not") in found
    assert ("Documents", "not") in found  # absent altogether


@pytest.mark.parametrize(("code", "one", "two", "half"), [
    ("en", "1 day", "2 days", "1.5 days"),
    ("fi", "1 päivä", "2 päivää", "1,5 päivää"),
])
def test_plural_forms_follow_the_language(code: str, one: str, two: str, half: str) -> None:
    with i18n.use(code):
        assert (i18n.days(1), i18n.days(2), i18n.days(1.5)) == (one, two, half)
        assert i18n.days(0) == two.replace("2", "0")


def test_finnish_numbers_dates_and_money() -> None:
    with i18n.use("fi"):
        assert i18n.format_currency(1368) == f"1{NBSP}368,00{NBSP}€"
        assert i18n.format_date(dt.date(2026, 11, 27)) == "27.11.2026"
        assert i18n.format_number(1368.5) == f"1{NBSP}368,5"
        assert i18n.format_percent(0.375, 1) == f"37,5{NBSP}%"
    with i18n.use("en"):
        assert i18n.format_currency(1368) == "€1,368.00"
        assert i18n.format_date(dt.date(2026, 11, 27)) == "2026-11-27"
        assert i18n.format_number(1368.5) == "1,368.5"
        assert i18n.format_percent(0.375) == "38%"


def test_the_language_is_chosen_by_option_then_environment_then_manual(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QMS_LANG", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    assert i18n.resolve(None, None) == "en"  # generated text does not follow the terminal
    assert i18n.resolve(None, None, for_terminal=True) == "fi"
    assert i18n.resolve(None, "en", for_terminal=True) == "en"  # the manual's language comes first
    assert i18n.resolve(None, "fi-FI") == "fi"
    monkeypatch.setenv("QMS_LANG", "en")
    assert i18n.resolve(None, "fi") == "en"
    assert i18n.resolve("fi", "en") == "fi"
    assert i18n.resolve("sv", "fi") == "en"  # QMS_LANG decides when --lang names an unsupported language
    monkeypatch.setenv("LC_ALL", "C")
    assert i18n.terminal_language() is None  # LC_ALL decides first, even when it names no language


def test_the_same_english_word_can_need_two_finnish_words() -> None:
    fi = messages("fi")
    assert (fi["processes"], fi["processes_count"]) == ("Prosessit", "Prosesseja")
    assert (fi["status"], fi["dashboard"]) == ("Tila", "Tilanne")
    assert messages("en")["processes_count"] == "Processes"


def test_a_language_without_a_catalogue_writes_english() -> None:
    with i18n.use("sv") as chosen:
        assert chosen == "en"
        assert i18n.days(2) == "2 days"
