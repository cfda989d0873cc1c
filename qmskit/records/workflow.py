"""Records: identifiers, turning typed-in text into field values, and workflow steps. Pure."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qmskit.i18n import _, format_date
from qmskit.loading import schemas
from qmskit.model import Form, FormField, Record
from qmskit.patterns import matches
from qmskit.records.forms import Workflow, field_schema, needed_on, record_values_schema, shown

RECORD_ID = re.compile(r"^(?P<prefix>[A-Z]{2,6})-(?P<year>[0-9]{4})-(?P<number>[0-9]{4,})$")
# A record filled in on the site: the browser cannot know the next free number, `qms records add` gives it.
PROVISIONAL_ID = re.compile(r"^(?P<prefix>[A-Z]{2,6})-(?P<year>[0-9]{4})-NEW-(?P<token>[0-9a-f]{8})$")


def record_id(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def next_number(prefix: str, year: int, taken: Iterable[str]) -> int:
    """One more than the highest number ever used for this prefix and year: ids are never reused, so deleted
    records' ids (from Git history) count as taken too."""
    highest = 0
    for item in taken:
        match = RECORD_ID.match(item)
        if match and match["prefix"] == prefix and int(match["year"]) == year:
            highest = max(highest, int(match["number"]))
    return highest + 1


class BadValue(Exception):
    """A value typed for a field that it cannot take; the message says why."""


_TRUE = {"yes", "y", "true", "1", "on", "kyllä", "k"}
_FALSE = {"no", "n", "false", "0", "off", "ei", "e"}


def parse_value(field: FormField, text: str) -> Any:
    """Text typed at a prompt or given with --set -> the field's value, checked against the field's schema."""
    raw = text.strip()
    value: Any = raw
    if field.type in ("integer", "scale"):
        try:
            value = int(raw)
        except ValueError:
            raise BadValue(_("enter a whole number")) from None
    elif field.type == "number":
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            raise BadValue(_("enter a number")) from None
        value = int(value) if value.is_integer() else value
    elif field.type == "boolean":
        if raw.lower() not in _TRUE | _FALSE:
            raise BadValue(_("answer yes or no"))
        value = raw.lower() in _TRUE
    elif field.type == "multichoice":
        value = [part.strip() for part in raw.split(",") if part.strip()]
    elif field.type == "choice":
        options = [str(o) for o in field.spec.get("options") or []]
        if raw.isdigit() and raw not in options and 1 <= int(raw) <= len(options):
            value = options[int(raw) - 1]  # the number shown next to the option
    check_value(field, value)
    return value


def check_value(field: FormField, value: Any) -> None:
    pattern = field.spec.get("pattern")
    if isinstance(pattern, str) and isinstance(value, str) and not _fits(pattern, value):
        # people cannot read regular expressions: show what a value looks like instead
        raise BadValue(_("'{value}' does not have the expected form ({example})").format(value=value,
                                                                                          example=example_of(field)))
    problem = next(schemas.problems(schemas.compiled(field_schema(field)), value), None)
    if problem is not None:
        raise BadValue(problem.said.text())


def _fits(pattern: str, value: str) -> bool:
    # the linear-time engine, as everywhere patterns run; a pattern it cannot take has its own finding
    # (QMS-FORM-005) and the value is not to blame
    return matches(pattern, value) is not False


def example_of(field: FormField) -> str:
    """How to describe a field's expected form without its regular expression."""
    if isinstance(field.spec.get("example"), str):
        return _("e.g. {example}").format(example=field.spec["example"])
    if isinstance(field.spec.get("help"), str):
        return str(field.spec["help"])
    return _("see the form's field '{field}'").format(field=field.id)


def missing_required(form: Form, values: Mapping[str, Any]) -> list[FormField]:
    return [f for f in form.fields if f.required and shown(f, dict(values)) and values.get(f.id) in (None, "", [])]


def values_problems(form: Form, values: Mapping[str, Any]) -> list[schemas.SchemaProblem]:
    return list(schemas.problems(schemas.compiled(record_values_schema(form)), dict(values)))


@dataclass(frozen=True, slots=True)
class StepProblem:
    message: str
    hint: str = ""


def step_problem(flow: Workflow, current: str, target: str, values: Mapping[str, Any],
                 passed: Iterable[str] = ()) -> StepProblem | None:
    """Why a workflow record may not move from `current` to `target` with these values (None: it may).
    `passed` are the states the record has been in (its status history): only they and `target` need fields."""
    if target not in flow.states:
        return StepProblem(_("'{state}' is not a state of this form").format(state=target),
                           _("States: {states}.").format(states=", ".join(flow.states)))
    if current == flow.final:
        return StepProblem(_("the record is {state}: closed records are not changed").format(state=current),
                           _("Open a new record that refers to this one."))
    allowed = flow.transitions.get(current, ())
    if target not in allowed:
        return StepProblem(_("a record cannot move from '{state}' to '{target}'").format(state=current, target=target),
                           _("From '{state}' it may move to: {states}.").format(state=current, states=", ".join(
                               allowed)) if allowed else _("From '{state}' it may move nowhere.").format(
                                   state=current))
    missing = [name for name in needed_on(flow, [*passed, current, target]) if values.get(name) in (None, "", [])]
    if missing:
        return StepProblem(_("state '{state}' needs values for: {fields}").format(state=target,
                                                                                 fields=", ".join(missing)),
                           _("Add them with --set FIELD=VALUE."))
    return None


def _day(value: Any) -> str:
    """A date field's value as the reader's language writes a day (27.11.2026); anything else as it is."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return format_date(day)


def summary(form: Form | None, record: Record, width: int = 60) -> str:
    """A one-line description of a record for lists: its first text-like values."""
    if form is None:
        return ""
    parts = []
    # words say more than dates and numbers: text fields first, in form order
    for field in sorted(form.fields, key=lambda f: f.type not in ("text", "longtext")):
        value = record.values.get(field.id)
        if value in (None, "", []) or field.type in ("boolean",):
            continue
        parts.append(", ".join(map(str, value)) if isinstance(value, list) else
                     _day(value) if field.type == "date" else str(value))
        if len(parts) == 3:
            break
    text = " · ".join(p.replace("\n", " ") for p in parts)
    return text if len(text) <= width else text[: width - 1] + "…"
