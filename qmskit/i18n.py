"""The language of everything qmskit writes for people: one gettext catalogue per language, plural rules from
the catalogue, dates, numbers, percentages and money in the language's own form.

Source strings are English and are the message ids (`_("Open actions")`); `qmskit/locale/<code>/
LC_MESSAGES/qmskit.po` holds each other language. The current language is a context variable: a command sets it
once (`use(code)`), and text built anywhere below reads it, so a test or a bilingual build can run two languages
side by side. Catalogues are compiled from the `.po` text when first used, so no compiled file can go stale."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gettext
import io
import os
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

LOCALE_FOLDER = Path(__file__).parent / "locale"
DOMAIN = "qmskit"
SOURCE_LANGUAGE = "en"
# The languages with a complete catalogue. The manual schema's `language` accepts any tag; others fall back here.
LANGUAGES = ("en", "fi")

_current: ContextVar[str] = ContextVar("qms_language", default=SOURCE_LANGUAGE)


def supported(code: str | None) -> str | None:
    """The supported language a tag names (`fi`, `fi-FI`, `fi_FI.UTF-8` → `fi`), or None."""
    if not code:
        return None
    base = code.replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def terminal_language() -> str | None:
    """The language the terminal's locale asks for (POSIX order: LC_ALL, LC_MESSAGES, LANG), if supported."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:  # the first one set decides, as in POSIX, even when it is C or unsupported
            return supported(value)
    return None


def resolve(option: str | None = None, manual: str | None = None, *, for_terminal: bool = False) -> str:
    """Which language to write in: the command's `--lang`, then `QMS_LANG`, then the manual's `language`; for
    messages to the terminal (not generated documents) the terminal's locale when nothing else decides."""
    for candidate in (option, os.environ.get("QMS_LANG"), manual):
        chosen = supported(candidate)
        if chosen:
            return chosen
    if for_terminal:
        return terminal_language() or SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def current() -> str:
    return _current.get()


@contextlib.contextmanager
def use(code: str) -> Iterator[str]:
    """Write in `code` (a supported language; anything else writes English) inside the block."""
    language = supported(code) or SOURCE_LANGUAGE
    token = _current.set(language)
    try:
        yield language
    finally:
        _current.reset(token)


def activate(code: str) -> str:
    """Write in `code` from now on in this context (a CLI command: the whole process)."""
    language = supported(code) or SOURCE_LANGUAGE
    _current.set(language)
    return language


# -- messages -----------------------------------------------------------------------------------------------------

def catalogue_path(code: str) -> Path:
    return LOCALE_FOLDER / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language; the source language translates to itself (with English plurals)."""
    path = catalogue_path(code)
    if code == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - Babel is loaded only when a translation is used
    from babel.messages.pofile import read_po  # noqa: PLC0415

    with path.open("rb") as source:
        catalogue = read_po(source, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """`message` (English source text) in the current language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, number: float) -> str:
    """The form of a message for `number` by the current language's plural rule. Placeholders are filled by the
    caller: `ngettext("{n} day", "{n} days", n).format(n=...)`."""
    count = int(number) if float(number).is_integer() else 2  # 1.5 takes the plural in English and Finnish
    return translations(_current.get()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language where the same English needs different words (a count tile's
    "Processes" is "Prosesseja", the navigation's "Prosessit")."""
    return translations(_current.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet (tables built at import time)."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with its context for the catalogue without translating it yet."""
    return context, message


# -- formats ------------------------------------------------------------------------------------------------------

def _locale() -> str:
    return _current.get()


def format_date(day: dt.date) -> str:
    """A date as readers of the language write it: ISO 8601 in English (the manual's own form: 2026-11-27),
    the locale's short form otherwise (27.11.2026)."""
    if _current.get() == SOURCE_LANGUAGE:
        return day.isoformat()
    from babel.dates import format_date as babel_date  # noqa: PLC0415

    return str(babel_date(day, "short", locale=_locale()))


def format_number(value: float, decimals: int | None = None) -> str:
    """A number with the language's grouping and decimal signs (1,368.5 / 1 368,5); `decimals` fixes the digits
    after the sign, otherwise up to three are shown and trailing zeros dropped."""
    from babel.numbers import format_decimal  # noqa: PLC0415

    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(value, format=pattern, locale=_locale()))


def format_percent(ratio: float, decimals: int = 0) -> str:
    """A share (0.375) as a percentage in the language's form: 38%, 37,5 %."""
    from babel.numbers import format_percent as babel_percent  # noqa: PLC0415

    digits = "." + "0" * decimals if decimals else ""
    pattern = str(_percent_pattern()).replace("#,##0", "#,##0" + digits, 1)
    return str(babel_percent(ratio, format=pattern, locale=_locale()))


def _percent_pattern() -> str:
    from babel import Locale  # noqa: PLC0415

    pattern = Locale.parse(_locale()).percent_formats.get(None)
    return pattern.pattern if pattern is not None else "#,##0%"


def format_currency(amount: float, currency: str = "EUR") -> str:
    """Money in the language's form: €1,368.00, 1 368,00 €."""
    from babel.numbers import format_currency as babel_currency  # noqa: PLC0415

    return str(babel_currency(amount, currency, locale=_locale()))


def days(number: float) -> str:
    """A number of days, plural-aware: 1 day / 2 days, 1 päivä / 2 päivää."""
    return ngettext("{n} day", "{n} days", number).format(n=format_number(number))
