"""A message for people as a catalogue template and named values, written in any language when it is shown.

A finding keeps its message this way (decision 0028): the English text, which finding ids, SARIF fingerprints,
baselines and the check cache rest on, is the template filled in English; text for people is the translated
template filled with the same values. Values that came from the manual (ids, titles, paths, a YAML excerpt) are
plain text and stay as written; values that are qmskit's own words or formats (a date, a count of days, a kind of
thing, a list joined with "and", another message) are written in the reader's language. Values are filled into a
template, never used as one, so braces or `%s` in a manual cannot break a message. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Union

from qmskit.i18n import N_, SOURCE_LANGUAGE, _, current, format_date, pgettext, use
from qmskit.wording import article, quantity


@dataclass(frozen=True, slots=True)
class Day:
    """A calendar date (ISO 8601 text): 2026-11-27 in English, 27.11.2026 in Finnish."""

    iso: str

    def text(self) -> str:
        try:
            return format_date(dt.date.fromisoformat(self.iso))
        except ValueError:  # not a date after all: shown as it came
            return self.iso


@dataclass(frozen=True, slots=True)
class Count:
    """A number with the noun it counts (a noun `wording.quantity` knows): 3 days, 3 päivää."""

    number: int
    noun: str

    def text(self) -> str:
        return quantity(self.number, self.noun)


@dataclass(frozen=True, slots=True)
class Word:
    """One of qmskit's own words (a kind of thing: "role"), marked for the catalogue where it is made."""

    english: str

    def text(self) -> str:
        return _(self.english)


@dataclass(frozen=True, slots=True)
class Phrase:
    """Text from qmskit's own data with a message context (a bundled standard's clause title, `clausetexts.py`):
    translated where the catalogue knows it, shown as written where it does not."""

    context: str
    english: str

    def text(self) -> str:
        return pgettext(self.context, self.english) if self.english else ""


@dataclass(frozen=True, slots=True)
class Article:
    """A word from the manual with the English article English needs before it ("a procedure", "an SOP"); other
    languages have no articles and take the word alone."""

    word: str

    def text(self) -> str:
        return article(self.word) if current() == SOURCE_LANGUAGE else self.word


@dataclass(frozen=True, slots=True)
class Join:
    """Values joined by "and" or "or": between every two (`a or b or c`), or after separators (`a, b and c`);
    with no conjunction, by the separator alone (`a; b`)."""

    items: tuple[Value, ...]
    conjunction: str = ""  # one of CONJUNCTIONS, or "" for a plain list
    serial: bool = False  # the separator between all but the last two
    separator: str = ", "

    def text(self) -> str:
        words = [render(item) for item in self.items]
        if not self.conjunction:
            return self.separator.join(words)
        link = f" {_(self.conjunction)} "
        if self.serial and len(words) > 2:
            return self.separator.join(words[:-1]) + link + words[-1]
        return link.join(words)


CONJUNCTIONS = (N_("and"), N_("or"))


Value = Union[str, int, Day, Count, Word, Phrase, Article, Join, "Message"]


@dataclass(frozen=True, slots=True)
class Message:
    """An English template (the catalogue's message id) and the values its placeholders take."""

    template: str
    values: tuple[tuple[str, Value], ...] = ()

    def text(self) -> str:
        """The message in the current language; the English template when a translation does not fit."""
        filled = {name: render(value) for name, value in self.values}
        try:
            return _(self.template).format_map(filled)
        except (KeyError, IndexError, ValueError, AttributeError):  # a broken translation: say it in English
            return self.template.format_map(filled)

    def english(self) -> str:
        if current() == SOURCE_LANGUAGE:  # checks run in English: no switch needed (a finding is made in ~5 µs)
            return self.text()
        with use(SOURCE_LANGUAGE):
            return self.text()

    def __str__(self) -> str:
        return self.text()


def say(template: str, **values: Value) -> Message:
    """A message from a template marked for the catalogue (the extractor reads `say("...")`) and its values."""
    return Message(template, tuple(values.items()))


def render(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return value.text()


# -- storage (the check cache) ------------------------------------------------------------------------------------

def to_data(value: Value) -> Any:  # noqa: PLR0911 - one return per kind of value
    """A value as JSON data, each kind tagged, so the cache gives back the same message."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("a message value is never a truth value")
    if isinstance(value, int):
        return ["int", value]
    if isinstance(value, Day):
        return ["day", value.iso]
    if isinstance(value, Count):
        return ["count", value.number, value.noun]
    if isinstance(value, Word):
        return ["word", value.english]
    if isinstance(value, Phrase):
        return ["phrase", value.context, value.english]
    if isinstance(value, Article):
        return ["article", value.word]
    if isinstance(value, Join):
        return ["join", [to_data(item) for item in value.items], value.conjunction, value.serial, value.separator]
    return ["message", value.template, [[name, to_data(item)] for name, item in value.values]]


def from_data(data: Any) -> Value:  # noqa: PLR0911 - one return per kind of value
    """The value `to_data` wrote; TypeError or ValueError for anything else."""
    if isinstance(data, str):
        return data
    if not isinstance(data, list) or not data or not isinstance(data[0], str):
        raise TypeError("not a stored message value")
    tag, rest = data[0], data[1:]
    if tag == "int" and len(rest) == 1 and isinstance(rest[0], int):
        return int(rest[0])
    if tag == "day" and len(rest) == 1:
        return Day(_text(rest[0]))
    if tag == "count" and len(rest) == 2 and isinstance(rest[0], int):
        return Count(rest[0], _text(rest[1]))
    if tag == "word" and len(rest) == 1:
        return Word(_text(rest[0]))
    if tag == "phrase" and len(rest) == 2:
        return Phrase(_text(rest[0]), _text(rest[1]))
    if tag == "article" and len(rest) == 1:
        return Article(_text(rest[0]))
    if tag == "join" and len(rest) == 4 and isinstance(rest[0], list):
        return Join(tuple(from_data(item) for item in rest[0]), _text(rest[1]), bool(rest[2]), _text(rest[3]))
    if tag == "message" and len(rest) == 2:
        return message_from_data([rest[0], rest[1]])
    raise ValueError(f"unknown message value {tag!r}")


def message_to_data(message: Message) -> list[Any]:
    return [message.template, [[name, to_data(value)] for name, value in message.values]]


def message_from_data(data: Any) -> Message:
    if not isinstance(data, list) or len(data) != 2 or not isinstance(data[1], list):
        raise TypeError("not a stored message")
    return Message(_text(data[0]), tuple((_text(name), from_data(value)) for name, value in data[1]))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def templates(message: Message) -> Iterator[str]:
    """The message's template and those of the messages among its values."""
    yield message.template
    for _name, value in message.values:
        yield from _nested(value)


def _nested(value: Value) -> Iterator[str]:
    if isinstance(value, Message):
        yield from templates(value)
    elif isinstance(value, Join):
        for item in value.items:
            yield from _nested(item)
