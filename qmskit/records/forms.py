"""Form templates: what a field asks, how a form compiles to the JSON Schema of its records, and how a form
is checked for mistakes the schema cannot see. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from qmskit.messages import Message, say
from qmskit.model import Form, FormField

ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$"
REFERENCE_KINDS = {"person": "person", "role": "role", "process": "process", "document": "document",
                   "customer": "party", "party": "party", "record": "record"}


_SIMPLE: dict[str, dict[str, Any]] = {
    "text": {"type": "string", "minLength": 1}, "longtext": {"type": "string", "minLength": 1},
    "number": {"type": "number"}, "integer": {"type": "integer"}, "scale": {"type": "integer"},
    "date": {"type": "string", "format": "date"}, "datetime": {"type": "string", "format": "date-time"},
    "boolean": {"type": "boolean"}, "reference": {"type": "string", "pattern": ID_PATTERN},
}


def field_schema(field: FormField) -> dict[str, Any]:
    """The JSON Schema of one field's value."""
    spec = field.spec
    schema: dict[str, Any] = dict(_SIMPLE.get(field.type, {}))
    options = list(spec.get("options") or [])
    if field.type == "choice":
        schema = {"enum": options}
    elif field.type == "multichoice":
        schema = {"type": "array", "items": {"enum": options}, "uniqueItems": True}
    if field.type in ("text", "longtext") and isinstance(spec.get("pattern"), str):
        schema["pattern"] = spec["pattern"]
    if field.type in ("number", "integer", "scale"):
        for key, keyword in (("min", "minimum"), ("max", "maximum")):
            if isinstance(spec.get(key), int | float) and not isinstance(spec.get(key), bool):
                schema[keyword] = spec[key]
    if isinstance(spec.get("help"), str):
        schema["description"] = spec["help"]
    schema["title"] = field.label
    return schema


def record_values_schema(form: Form) -> dict[str, Any]:
    """The JSON Schema of a record's `values`: known fields only, required ones present, conditional fields
    required only when their condition holds."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.id: field_schema(f) for f in form.fields},
        "additionalProperties": False,
    }
    required = [f.id for f in form.fields if f.required and not isinstance(f.spec.get("when"), dict)]
    if required:
        schema["required"] = required
    conditions = []
    for field in form.fields:
        when = field.spec.get("when")
        if field.required and isinstance(when, dict) and isinstance(when.get("field"), str):
            condition: dict[str, Any] = {"required": [when["field"]]}
            if "equals" in when:
                condition["properties"] = {when["field"]: {"const": when["equals"]}}
            conditions.append({"if": condition, "then": {"required": [field.id]}})
    if conditions:
        schema["allOf"] = conditions
    return schema


def shown(field: FormField, values: dict[str, Any]) -> bool:
    """Whether a conditional field applies, given the values entered so far."""
    when = field.spec.get("when")
    if not isinstance(when, dict):
        return True
    other = values.get(str(when.get("field")))
    if "equals" in when:
        return bool(other == when["equals"])
    return other not in (None, "", [])


@dataclass(frozen=True, slots=True)
class FormProblem:
    pointer: tuple[str | int, ...]
    message: Message


def form_problems(form: Form) -> Iterator[FormProblem]:
    """Mistakes in a form template that its JSON Schema cannot express."""
    seen: set[str] = set()
    for index, field in enumerate(form.fields):
        where = ("fields", index)
        if field.id in seen:
            yield FormProblem((*where, "id"), say("field id '{field}' appears twice", field=field.id))
        seen.add(field.id)
        spec = field.spec
        if field.type in ("choice", "multichoice") and not spec.get("options"):
            yield FormProblem(where, say("{type} field '{field}' has no options", type=field.type, field=field.id))
        if field.type == "scale" and not ("min" in spec and "max" in spec):
            yield FormProblem(where, say("scale field '{field}' needs min and max", field=field.id))
        low, high = spec.get("min"), spec.get("max")
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            yield FormProblem((*where, "min"), say("field '{field}' has min {low} greater than max {high}",
                                                   field=field.id, low=str(low), high=str(high)))
        if field.type == "reference" and str(spec.get("of")) not in REFERENCE_KINDS:  # `of` may be any YAML
            yield FormProblem(where, say("reference field '{field}' needs `of:` ({kinds})", field=field.id,
                                         kinds=", ".join(REFERENCE_KINDS)))
        when = spec.get("when")
        if isinstance(when, dict) and when.get("field") not in seen - {field.id}:
            yield FormProblem((*where, "when", "field"), say("field '{field}' depends on '{other}', which is not an "
                                                             "earlier field of the form", field=field.id,
                                                             other=str(when.get("field"))))
    for state, needed in workflow_requirements(form).items():
        for name in needed:
            if name not in seen:
                yield FormProblem(("workflow", "requires", state), say("state '{state}' requires unknown field "
                                                                       "'{field}'", state=state, field=name))


@dataclass(frozen=True, slots=True)
class Workflow:
    states: tuple[str, ...]
    transitions: dict[str, tuple[str, ...]]  # state -> states it may move to
    requires: dict[str, tuple[str, ...]]  # state -> fields that must have values in it
    open_states: tuple[str, ...]  # states in which an action is under way (overdue is checked)
    final: str


def workflow(form: Form) -> Workflow | None:
    spec = form.workflow
    states = tuple(s for s in spec.get("states", []) if isinstance(s, str)) if spec else ()
    if not states:
        return None
    raw = spec.get("transitions")
    if isinstance(raw, dict):
        transitions = {str(k): tuple(str(x) for x in v) for k, v in raw.items() if isinstance(v, list)}
    else:  # by default a record moves forward one state at a time
        transitions = {a: (b,) for a, b in pairwise(states)}
    final = str(spec.get("final", states[-1]))
    open_states = tuple(str(s) for s in spec.get("open", []) if isinstance(s, str))
    return Workflow(states, transitions, workflow_requirements(form), open_states, final)


def workflow_requirements(form: Form) -> dict[str, tuple[str, ...]]:
    raw = form.workflow.get("requires") if form.workflow else None
    if not isinstance(raw, dict):
        return {}
    return {str(k): tuple(str(x) for x in v) for k, v in raw.items() if isinstance(v, list)}


def needed_on(flow: Workflow, path: Iterable[str]) -> tuple[str, ...]:
    """Fields that must have values once a record has passed through the states of `path` (the states it
    actually reached, from its own status history): states it skipped ask for nothing."""
    return tuple(dict.fromkeys(f for s in path if s in flow.states for f in flow.requires.get(s, ())))
