"""Importing records from survey-tool exports: an import mapping (kept in the manual under `imports/`) says
which column fills which field of which form and how values convert; every row is checked before anything is
written. Pure: rows in, planned records and located problems out.

A mapping, e.g. `imports/webropol-feedback.yaml`:

    form: customer-feedback
    response_id: Response ID          # the export's column that identifies a response: imports are idempotent
    date_format: "%d.%m.%Y"           # how the export writes dates (default: ISO 8601)
    fields:
      customer: {column: Company, map: {"Konepaja Virtanen Oy": virtanen}}
      score: {column: "How likely are you to recommend us?"}
      satisfaction: {column: Satisfaction, scale: {from: [1, 5], to: [1, 10]}}
      channel: {value: survey}
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qmskit.i18n import _
from qmskit.loading import schemas
from qmskit.model import FieldMap, Form, FormField, ImportMapping
from qmskit.records.forms import REFERENCE_KINDS, field_schema, record_values_schema
from qmskit.records.workflow import PROVISIONAL_ID, BadValue, missing_required, values_problems

IMPORTS_FOLDER = "imports"


class FormChecks:
    """A form's schemas compiled once: building a validator costs more than checking a row with it."""

    def __init__(self, form: Form) -> None:
        self.fields = {f.id: schemas.compiled(field_schema(f)) for f in form.fields}
        self.values = schemas.compiled(record_values_schema(form))

    def value(self, form_field: FormField, value: Any) -> None:
        problem = next(schemas.problems(self.fields[form_field.id], value), None)
        if problem is not None:
            raise BadValue(problem.said.text())


@dataclass(frozen=True, slots=True)
class RowProblem:
    where: str  # "line 7" / "row 7"
    column: str  # "" for the row as a whole
    message: str

    def __str__(self) -> str:
        where = _("{where}, column '{column}'").format(where=self.where, column=self.column) if self.column \
            else self.where
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Planned:
    response: str  # the export's response id
    where: str
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Plan:
    records: tuple[Planned, ...]  # new records, in the export's order
    already: int  # rows imported before (same response id): skipped, so importing twice adds nothing
    problems: tuple[RowProblem, ...]


def mapping_problems(mapping: ImportMapping, columns: tuple[str, ...]) -> list[str]:
    """Columns the mapping names that this export lacks (the mapping's fit with its form is a validate rule,
    QMS-IMP-001)."""
    wanted = [mapping.response_id, *(fm.column for fm in mapping.fields if fm.column)]
    return [_("column '{column}' is not in the export (columns: {columns})").format(column=column,
                                                                                     columns=", ".join(columns))
            for column in dict.fromkeys(wanted) if column not in columns]


def plan_import(mapping: ImportMapping, form: Form, rows: tuple[Any, ...], imported: Set[str],
                references: Mapping[str, Set[str]]) -> Plan:
    """Convert and check every row. `imported`: response ids this mapping has already brought in;
    `references`: ids by kind (person, process, party...) that reference fields may name."""
    checks = FormChecks(form)
    planned: list[Planned] = []
    problems: list[RowProblem] = []
    seen: dict[str, str] = {}
    already = 0
    for row in rows:
        response = _text(row.cells.get(mapping.response_id))
        if not response:
            problems.append(RowProblem(row.where, mapping.response_id, _("no response id")))
            continue
        if response in seen:
            problems.append(RowProblem(row.where, mapping.response_id,
                                       _("response id '{response}' also on {where}").format(
                                           response=response, where=seen[response])))
            continue
        seen[response] = row.where
        if response in imported:
            already += 1
            continue
        values, row_problems = _row_values(mapping, form, row, references, checks)
        if row_problems:
            problems += row_problems
        else:
            planned.append(Planned(response, row.where, values))
    return Plan(tuple(planned), already, tuple(problems))


def _row_values(mapping: ImportMapping, form: Form, row: Any, references: Mapping[str, Set[str]],
                checks: FormChecks) -> tuple[dict[str, Any], list[RowProblem]]:
    by_id = {f.id: f for f in form.fields}
    values: dict[str, Any] = {}
    problems = []
    for fm in mapping.fields:
        form_field = by_id.get(fm.target)
        if form_field is None:  # reported once by mapping_problems
            continue
        raw = fm.constant if not fm.column else row.cells.get(fm.column)
        try:
            value = convert(form_field, fm, raw, mapping.date_format, references)
            if value is not None:
                checks.value(form_field, value)
        except BadValue as bad:
            problems.append(RowProblem(row.where, fm.column or fm.target, str(bad)))
            continue
        if value is not None:
            values[form_field.id] = value
    if problems:
        return values, problems
    missing = missing_required(form, values)
    if missing:
        return values, [RowProblem(row.where, "", _("required fields missing: {fields}").format(
            fields=", ".join(f.id for f in missing)))]
    return values, [RowProblem(row.where, "", p.said.text()) for p in schemas.problems(checks.values, values)]


def reference_problems(form: Form, values: Mapping[str, Any], references: Mapping[str, Set[str]]) -> list[str]:
    """Reference fields whose value names nothing in the manual (customers, people, processes...)."""
    problems = []
    for form_field in form.fields:
        value = values.get(form_field.id)
        kind = REFERENCE_KINDS.get(str(form_field.spec.get("of", "")), "")
        if form_field.type == "reference" and isinstance(value, str) and kind and value not in references.get(kind, ()):
            problems.append(f"{form_field.id}: " + _("'{value}' is not a known {kind} id").format(
                value=value, kind=form_field.spec.get("of")))
    return problems


def provisional_problems(data: Mapping[str, Any], forms: Mapping[str, Form], people: Set[str],
                         references: Mapping[str, Set[str]]) -> tuple[Form | None, list[str]]:
    """A schema-valid record made by a site form: its form, and why it may not be numbered and added."""
    record_id = str(data["id"])
    if not PROVISIONAL_ID.match(record_id):
        return None, [_("'{id}' is not a provisional id (CF-2026-NEW-1a2b3c4d): it is numbered already").format(
            id=record_id)]
    form = forms.get(str(data["form"]))
    if form is None:
        return None, [_("no form '{form}' in this manual").format(form=data["form"])]
    problems = []
    if not record_id.startswith(form.record_prefix + "-"):
        problems.append(_("id '{id}' does not carry form {form}'s prefix {prefix}").format(
            id=record_id, form=form.id, prefix=form.record_prefix))
    if str(data.get("created_by", "")) not in people:
        problems.append(_("created_by '{person}' is not a person of this manual").format(
            person=data.get("created_by", "")))
    values = dict(data.get("values") or {})
    problems += [p.said.text() for p in values_problems(form, values)] + reference_problems(form, values, references)
    return form, problems


def convert(form_field: FormField, fm: FieldMap, raw: Any, date_format: str,
            references: Mapping[str, Set[str]]) -> Any:
    """One cell -> the field's value (None: empty), or BadValue saying why not (the field's own schema is checked
    by the caller)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = form_field.type
    if kind == "multichoice":
        parts = raw if isinstance(raw, list) else [p.strip() for p in str(raw).replace(";", ",").split(",")]
        value: Any = [_label(fm, p) for p in parts if str(p).strip()]
    else:
        value = _label(fm, raw)
    if kind == "date":
        value = _date(value, fm.date_format or date_format).isoformat()
    elif kind == "datetime":
        value = _datetime(value, fm.date_format or date_format)
    elif kind in ("integer", "scale", "number"):
        value = _number(value, kind, fm.scale)
    elif kind == "boolean":
        value = _boolean(value)
    elif kind == "reference":
        value = _text(value)
        of = REFERENCE_KINDS.get(str(form_field.spec.get("of", "")), "")
        if of and value not in references.get(of, set()):
            raise BadValue(_("'{value}' is not a known {kind} id; map the export's word to an id under `map:`").format(
                value=value, kind=form_field.spec.get("of")))
    elif kind in ("text", "longtext") or (kind == "choice" and not isinstance(value, str)):
        value = _text(value)
    return value


def _label(fm: FieldMap, raw: Any) -> Any:
    key = _text(raw)
    return fm.labels.get(key, raw) if fm.labels else raw


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # Excel stores every number as a float: response 17 arrives as 17.0
    return str(raw).strip()


def _date(raw: Any, date_format: str) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text(raw)
    try:
        if date_format:
            return datetime.strptime(text, date_format).date()
        return date.fromisoformat(text[:10])
    except ValueError:
        raise BadValue(_("'{text}' is not a date in the format {format}").format(
            text=text, format=date_format or "YYYY-MM-DD")) from None


def _datetime(raw: Any, date_format: str) -> str:
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime(raw.year, raw.month, raw.day)
    else:
        text = _text(raw)
        try:
            moment = datetime.strptime(text, date_format) if date_format else datetime.fromisoformat(text)
        except ValueError:
            raise BadValue(_("'{text}' is not a date and time in the format {format}").format(
                text=text, format=date_format) if date_format else _("'{text}' is not a date and time").format(
                    text=text)) from None
    # survey tools write local time without a zone: the importing machine's zone is the best guess there is
    return (moment if moment.tzinfo else moment.astimezone()).isoformat(timespec="seconds")


def _number(raw: Any, kind: str, scale: tuple[float, float, float, float] | None) -> int | float:
    if isinstance(raw, bool):
        raise BadValue(_("a yes/no answer where a number is needed"))
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = _text(raw).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise BadValue(_("'{text}' is not a number").format(text=_text(raw))) from None
    if scale is not None:
        low, high, to_low, to_high = scale
        if not low <= number <= high:
            raise BadValue(_("{number} is outside the export's scale {low}-{high}").format(
                number=f"{number:g}", low=f"{low:g}", high=f"{high:g}"))
        number = to_low + (number - low) * (to_high - to_low) / (high - low)
    if kind in ("integer", "scale"):
        if scale is not None:
            return round(number)
        if not number.is_integer():
            raise BadValue(_("{number} is not a whole number").format(number=f"{number:g}"))
        return int(number)
    return int(number) if number.is_integer() else number


_TRUE = {"yes", "y", "true", "1", "x", "kyllä", "k", "on"}
_FALSE = {"no", "n", "false", "0", "ei", "e", "off"}


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise BadValue(_("'{text}' is not yes or no; map it under `map:`").format(text=_text(raw)))
