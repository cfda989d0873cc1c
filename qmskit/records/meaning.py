"""What forms are for and what their fields mean: the only way reports find their data.

A form declares its `purpose` (complaint, order-flow, ...) and `binds` meanings to its own fields
(`binds: {date: received, score: recommend}`). Reports ask for "the score of each customer-feedback record",
never for a form id or a field name, so any manual's forms work. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from qmskit.messages import Join, Message, say
from qmskit.model import Form, FormField, Manual, Record

# meaning -> field types that can carry it ("" = any type)
_DATE, _NUMBER, _SCORE = ("date", "datetime"), ("number", "integer", "scale"), ("scale", "integer", "number")
MEANING_TYPES: dict[str, tuple[str, ...]] = {
    "date": _DATE, "customer": ("reference",), "process": ("reference",), "value": _NUMBER, "cost": _NUMBER,
    "line": (), "source": (), "referred-by": ("reference",), "responsible": ("reference",), "due": _DATE,
    "action": (), "closed": _DATE, "comment": (),
    "order": (), "step": ("reference",), "planned-start": _DATE, "planned-finish": _DATE, "actual-start": _DATE,
    "actual-finish": _DATE, "score": _SCORE, "satisfaction": _SCORE, "follow-up": (), "answered": _DATE,
    "nonconformity": ("reference",), "receiving-process": ("reference",), "supplying-process": ("reference",),
    "input": (), "problem": (), "delay": _NUMBER, "findings": (), "nonconformities": _NUMBER, "actions": (),
    "conclusion": (), "idea": (), "decision": (), "decisions": (), "supplier": ("reference",),
    "on-time": _NUMBER, "quality": _SCORE, "document": ("reference",), "revision": ("integer",),
    "person": ("reference",), "period": (), "sentiment": ("choice",),
}
# what a reference field of that meaning must point at
MEANING_REFERENCES: dict[str, tuple[str, ...]] = {
    "customer": ("customer", "party"), "referred-by": ("customer", "party"), "supplier": ("party",),
    "process": ("process",), "step": ("process",), "receiving-process": ("process",),
    "supplying-process": ("process",), "responsible": ("person",), "nonconformity": ("record",),
    "document": ("document",), "person": ("person",),
}
# meanings any form may bind, whatever its purpose (issue 17's customer ledger builds on these)
GENERAL = ("date", "customer", "process", "value", "cost", "line", "source", "referred-by", "responsible", "due",
           "action", "closed", "comment")


@dataclass(frozen=True, slots=True)
class Purpose:
    name: str
    description: str
    required: tuple[str, ...] = ()  # meanings a form of this purpose must bind
    optional: tuple[str, ...] = ()


PURPOSES: dict[str, Purpose] = {p.name: p for p in (
    Purpose("order-flow", "the steps of customer orders through the value chain",
            ("order", "step", "planned-finish"), ("planned-start", "actual-start", "actual-finish")),
    Purpose("customer-feedback", "customers' answers to satisfaction or NPS surveys", ("score",),
            ("satisfaction", "follow-up")),
    Purpose("complaint", "customer complaints", ("date",), ("answered", "nonconformity")),
    Purpose("internal-complaint",
            "complaints of a process about a late or faulty input from the process that supplied it",
            ("receiving-process", "supplying-process"), ("input", "problem", "delay")),
    Purpose("nonconformity", "nonconformities and their correction (8.7, 10.2)", (), ()),
    Purpose("corrective-action", "corrective actions (10.2)", (), ()),
    Purpose("audit", "internal audits (9.2)", ("process",), ("findings", "nonconformities", "actions",
                                                         "conclusion")),
    Purpose("idea", "improvement ideas from customers and employees (10.3)", (), ("idea", "decision")),
    Purpose("management-review", "the minutes of management reviews (9.3)", (), ("decisions",)),
    Purpose("supplier-evaluation", "evaluations of external providers (8.4.1)", ("supplier",),
            ("on-time", "quality", "decision")),
    Purpose("sale", "customers' orders or invoices", ("customer", "date", "value"), ()),
    Purpose("acknowledgement", "people's confirmations that they read a revision of a document (7.3)",
            ("document", "revision", "person"), ()),
    Purpose("acquisition", "how a new customer was won: the channel, and who referred them",
            ("customer", "date", "source"), ("referred-by",)),
    Purpose("acquisition-cost", "marketing and sales costs per period and channel", ("cost", "source"),
            ("period",)),
    Purpose("reputation", "public feedback: reviews, social-media mentions, press", ("date", "sentiment"),
            ("answered",)),
    Purpose("other", "anything else (reports read only its general meanings)", (), ()),
)}

TAKEN_DECISIONS = ("accepted", "implemented")  # an idea's decision values that count as taken into development
CUSTOMER_SOURCE = "customer"  # an idea's source value that marks it as the customer's
LATE_PROBLEM = "late"  # an internal complaint's problem value that means "came late"
REFERRAL_SOURCE = "referral"  # a new customer's source value that means another customer referred them
SENTIMENTS = ("positive", "neutral", "negative")  # the values a reputation record's sentiment may take


def allowed(purpose: str) -> tuple[str, ...]:
    found = PURPOSES.get(purpose)
    extra = (*found.required, *found.optional) if found else ()
    return tuple(dict.fromkeys((*GENERAL, *extra)))


def declaration_problems(form: Form) -> Iterable[tuple[tuple[str | int, ...], Message]]:
    """Mistakes in a form's purpose and binds: (pointer in the form file, message)."""
    if form.purpose and form.purpose not in PURPOSES:
        yield ("purpose",), say("unknown purpose '{purpose}' (known: {known})", purpose=form.purpose,
                                known=", ".join(PURPOSES))
        return
    fields = {f.id: f for f in form.fields}
    permitted = allowed(form.purpose)
    for meaning, field_id in form.binds.items():
        if meaning not in permitted:
            yield ("binds", meaning), (
                say("'{meaning}' is not a meaning of a {purpose} (possible: {possible})", meaning=meaning,
                    purpose=form.purpose, possible=", ".join(permitted)) if form.purpose else
                say("'{meaning}' is not a meaning of a form without purpose (possible: {possible})", meaning=meaning,
                    possible=", ".join(permitted)))
            continue
        field = fields.get(field_id)
        if field is None:
            yield ("binds", meaning), say("binds {meaning} to '{field}', which is not a field of the form",
                                         meaning=meaning, field=field_id)
            continue
        yield from (((("binds", meaning), message)) for message in _type_problems(meaning, field))
    found = PURPOSES.get(form.purpose)
    for meaning in found.required if found else ():
        if meaning not in form.binds:
            yield ("purpose",), say("a {purpose} form must bind '{meaning}' to one of its fields (binds:)",
                                    purpose=form.purpose, meaning=meaning)
    if form.purpose == "acquisition-cost" and not {"period", "date"} & set(form.binds):
        yield ("purpose",), say("an acquisition-cost form must bind 'period' (or 'date') to one of its fields "
                                "(binds:)")


def _type_problems(meaning: str, field: FormField) -> Iterable[Message]:
    types = MEANING_TYPES.get(meaning, ())
    if types and field.type not in types:
        yield say("{meaning} needs a {types} field, but '{field}' is {type}", meaning=meaning,
                  types=Join(tuple(types), "or"), field=field.id, type=field.type)
    options = field.spec.get("options")
    strange = [str(o) for o in options if o not in SENTIMENTS] if isinstance(options, list) else []
    if meaning == "sentiment" and field.type == "choice" and strange:
        yield say("sentiment options must be among {allowed}, not {given}", allowed=", ".join(SENTIMENTS),
                  given=", ".join(strange))
    kinds = MEANING_REFERENCES.get(meaning)
    if kinds and field.type == "reference" and field.spec.get("of") not in kinds:
        yield say("{meaning} needs a reference to a {kinds}, but '{field}' refers to a {of}", meaning=meaning,
                  kinds=Join(tuple(kinds), "or"), field=field.id, of=str(field.spec.get("of")))


def day_of(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Notice:
    """Why a report may miss data (e.g. no form declares a purpose it needs): a warning, never a silent
    "no data"."""

    message: str
    hint: str


class Meanings:
    """The manual's forms by purpose, and record values by meaning."""

    def __init__(self, manual: Manual) -> None:
        self.manual = manual
        self.forms: dict[str, Form] = {f.id: f for f in manual.forms}
        self._by_form: dict[str, list[Record]] = {}
        for record in manual.records:
            self._by_form.setdefault(record.form, []).append(record)
        self._days: dict[int, date | None] = {}  # id(record) -> event day: reports ask for it many times

    def forms_for(self, purpose: str) -> list[Form]:
        return [f for f in self.manual.forms if f.purpose == purpose]

    def records(self, purpose: str) -> list[Record]:
        return [r for f in self.forms_for(purpose) for r in self._by_form.get(f.id, [])]

    def binding(self, *meanings: str) -> list[Record]:
        """Records of every form that binds all these meanings, whatever its purpose."""
        return [r for f in self.manual.forms if all(m in f.binds for m in meanings)
                for r in self._by_form.get(f.id, [])]

    def field(self, record: Record, meaning: str) -> str | None:
        form = self.forms.get(record.form)
        return form.binds.get(meaning) if form else None

    def value(self, record: Record, meaning: str) -> Any:
        name = self.field(record, meaning)
        return record.values.get(name) if name else None

    def number(self, record: Record, meaning: str) -> float | None:
        value = self.value(record, meaning)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    def day(self, record: Record, meaning: str) -> date | None:
        return day_of(self.value(record, meaning))

    def event_day(self, record: Record) -> date | None:
        """The day the recorded event happened (the form's `date`); the day of entry when it declares none."""
        key = id(record)
        if key not in self._days:
            self._days[key] = event_day(record, self.forms.get(record.form))
        return self._days[key]

    def closed_day(self, record: Record) -> date | None:
        """When the matter was closed: the form's `closed` date, else the day it reached its workflow's final
        state."""
        if (closed := self.day(record, "closed")) is not None:
            return closed
        form = self.forms.get(record.form)
        flow = form.workflow if form else {}
        states = [s for s in flow.get("states", []) if isinstance(s, str)] if flow else []
        if not states:
            return None
        final = str(flow.get("final", states[-1]))
        return next((day_of(c.at) for c in record.history if c.state == final), None)

    def is_open(self, record: Record) -> bool:
        """A workflow record not yet in its final state (records of forms without a workflow are never open)."""
        form = self.forms.get(record.form)
        states = [s for s in form.workflow.get("states", []) if isinstance(s, str)] if form and form.workflow else []
        if not states or not form:
            return False
        return record.status != str(form.workflow.get("final", states[-1]))

    def unbound(self, report: str, *purposes: str) -> list[Notice]:
        """A notice for each purpose the report reads that no form declares."""
        return [Notice(f"{report}: no form declares `purpose: {p}`",
                       f"Add `purpose: {p}` and `binds:` (which field is which) to the form that records "
                       f"{PURPOSES[p].description}; see docs/forms.md.") for p in purposes if not self.forms_for(p)]

    def lacking(self, report: str, purpose: str, meaning: str, why: str) -> list[Notice]:
        """A notice for each form of the purpose that does not bind a meaning the report needs for one figure."""
        return [Notice(f"{report}: form {f.id} binds no `{meaning}`, so {why}",
                       f"Bind the field that holds it: `binds: {{{meaning}: FIELD}}` (see docs/forms.md).")
                for f in self.forms_for(purpose) if meaning not in f.binds]

    def unassigned(self, report: str) -> list[Notice]:
        """Workflow forms with open states whose actions nobody can be asked for: they bind no `responsible` and
        have no person field to fall back on."""
        return [Notice(f"{report}: form {f.id} has open actions but no field names who acts",
                       "Add a person field and bind it: `binds: {responsible: FIELD, due: FIELD}`.")
                for f in self.manual.forms if f.workflow.get("open") and "responsible" not in f.binds
                and not any(x.type == "reference" and x.spec.get("of") == "person" for x in f.fields)]


def event_day(record: Record, form: Form | None) -> date | None:
    name = form.binds.get("date") if form else None
    if name and (day := day_of(record.values.get(name))) is not None:
        return day
    return day_of(record.created_at)
