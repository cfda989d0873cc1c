"""The bundled JSON Schemas, compiled once and reused (rebuilding a validator per file costs ~40x more)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from qmskit.i18n import N_
from qmskit.loading import rfc3339
from qmskit.loading.fastcheck import compile_schema
from qmskit.messages import Message, say
from qmskit.patterns import matches
from qmskit.resources import schemas_dir

if TYPE_CHECKING:  # jsonschema is imported only to explain a file the compiled check doubts (start-up)
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

# The kinds of file in a manual and the schema each is checked against.
KINDS = ("qms", "document", "process", "form", "record", "roles", "people", "competences", "training",
         "parties", "objectives", "risks", "clauses", "import", "communication", "story")


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    pointer: tuple[str | int, ...]
    said: Message  # its English text is the message machine formats and finding ids use
    at_key: bool  # the problem is about a key (unknown property), not a value

    @property
    def message(self) -> str:
        return self.said.english()


def schema_id(kind: str) -> str:
    """A schema's `$id`: its file name. The ids and `$ref`s are relative, so the set works from wherever it is
    read (the package, a manual's `.qms/schemas/`, an editor, ajv, check-jsonschema), offline."""
    return f"{kind}.schema.json"


@cache
def _contents() -> dict[str, Any]:
    """Every bundled schema by its `$id` (its file name)."""
    found = {}
    for path in sorted(schemas_dir().glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        found[contents["$id"]] = contents
    return found


@cache
def _registry() -> Registry[Any]:
    from referencing import Registry, Resource  # noqa: PLC0415

    return Registry().with_resources((url, Resource.from_contents(c)) for url, c in _contents().items())


@cache
def format_checker() -> FormatChecker:
    """jsonschema's checker, with `date` and `date-time` checked as strictly as RFC 3339 says (jsonschema would
    need another package for `date-time`), exactly as the fast path checks them."""
    from jsonschema import FormatChecker  # noqa: PLC0415

    checker = FormatChecker()

    @checker.checks("date", raises=ValueError)
    def _date(value: object) -> bool:
        if isinstance(value, str) and not rfc3339.is_date(value):
            raise ValueError("a date is YYYY-MM-DD, e.g. 2026-03-02")
        return True

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if isinstance(value, str) and not rfc3339.is_date_time(value):
            raise ValueError("a date-time is RFC 3339: YYYY-MM-DDTHH:MM:SS with a time zone, e.g. "
                             "2026-03-02T10:15:00+02:00 or 2026-03-02T08:15:00Z")
        return True

    return checker


@cache
def _validator_class() -> Any:
    """Draft 2020-12 with `pattern` on RE2: jsonschema's own runs Python's backtracking `re`, where a pattern like
    `^(a+)+$` takes minutes on a short value. Every validator qmskit builds, for bundled schemas and forms' record
    schemas alike, is of this class. A pattern RE2 cannot take checks nothing: its form has QMS-FORM-005."""
    from jsonschema import Draft202012Validator, validators  # noqa: PLC0415
    from jsonschema.exceptions import ValidationError  # noqa: PLC0415

    def pattern(validator: Any, text: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and matches(text, instance) is False:
            yield ValidationError(f"{instance!r} does not match {text!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})  # type: ignore[no-untyped-call]


@cache
def _inlined(kind: str) -> dict[str, Any]:
    inlined: dict[str, Any] = _inline_references(_contents()[schema_id(kind)], schema_id(kind))
    return inlined


@cache
def validator(kind: str) -> Draft202012Validator:
    made: Draft202012Validator = _validator_class()(_inlined(kind), registry=_registry(),
                                                    format_checker=format_checker())
    return made


@dataclass(frozen=True, slots=True)
class Compiled:
    """A schema built at run time (a form's records): a predicate for speed, jsonschema for messages."""

    schema: dict[str, Any]
    quick: Callable[[Any], bool] | None

    @property
    def validator(self) -> Draft202012Validator:
        made: Draft202012Validator = _validator_class()(self.schema, format_checker=format_checker())
        return made


def compiled(schema: dict[str, Any]) -> Compiled:
    return Compiled(schema, compile_schema(schema))


def problems(schema: Compiled, data: Any) -> Iterator[SchemaProblem]:
    if schema.quick is not None and schema.quick(data):
        return
    for error in schema.validator.iter_errors(data):
        yield _problem(error)


def _inline_references(node: Any, base: str) -> Any:
    """Replace `$ref`s into the bundled schemas by what they point at.

    The files keep their `$ref`s (editors follow them), but resolving a reference costs python-jsonschema more than
    checking the value: inlining them once here makes validating a front matter ~3x faster. Our schemas have no
    recursive definitions, so inlining terminates.
    """
    if isinstance(node, list):
        return [_inline_references(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _inline_references(value, base) for key, value in node.items() if key != "$ref"}
    if "$ref" in node:
        target_url = urljoin(base, node["$ref"])
        document, _, fragment = target_url.partition("#")
        target = _contents()[document]
        for part in filter(None, fragment.split("/")):
            target = target[part]
        inlined = _inline_references(target, document)
        result = {**inlined, **result}
    return result


@cache
def _quick(kind: str) -> Callable[[Any], bool] | None:
    return compile_schema(_inlined(kind))


def check(kind: str, data: Any) -> Iterator[SchemaProblem]:
    """Every schema problem of `data`. Most files are valid: a compiled predicate says so quickly, and only
    files it doubts go through jsonschema for exact messages."""
    quick = _quick(kind)
    if quick is not None and quick(data):
        return
    for error in validator(kind).iter_errors(data):
        yield _problem(error)


def _problem(error: ValidationError) -> SchemaProblem:
    best = error
    if error.context:  # oneOf/anyOf: the sub-error that went deepest says most
        best = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.message)))
    pointer = tuple(best.absolute_path)
    if best.validator == "additionalProperties":
        extra = _extra_properties(best)
        if extra:
            return SchemaProblem((*pointer, extra[0]), say("unknown property '{name}'", name=str(extra[0])), True)
    if best.validator == "required":
        return SchemaProblem(pointer, say("missing required property: {name}",
                                          name=best.message.split(" is a")[0]), False)
    where = "/".join(str(p) for p in pointer)
    explained = explain(str(best.validator), best.message)
    return SchemaProblem(pointer, say("{where}: {problem}", where=where, problem=explained) if where else explained,
                         False)


# jsonschema's English messages for the validators people meet, as catalogue templates. Each message is cut at
# its fixed words, so the English of a template and its values is exactly jsonschema's own (finding ids stay); the
# values are the manual's data (repr, as jsonschema writes it) and the schema's. Ordered: longest words first.
_EXPLAINED: dict[str, tuple[tuple[str, str], ...]] = {
    "type": ((" is not of type ", N_("{value} is not of type {expected}")),),
    "enum": ((" is not one of ", N_("{value} is not one of {expected}")),),
    "pattern": ((" does not match ", N_("{value} does not match {expected}")),),
    "minimum": ((" is less than the minimum of ", N_("{value} is less than the minimum of {expected}")),),
    "maximum": ((" is greater than the maximum of ", N_("{value} is greater than the maximum of {expected}")),),
    "exclusiveMinimum": ((" is less than or equal to the minimum of ",
                          N_("{value} is less than or equal to the minimum of {expected}")),),
    "exclusiveMaximum": ((" is greater than or equal to the maximum of ",
                          N_("{value} is greater than or equal to the maximum of {expected}")),),
    "format": ((" is not a ", N_("{value} is not a {expected}")),),
    "const": ((" was expected", N_("{expected} was expected")),),
    "minLength": ((" should be non-empty", N_("{value} should be non-empty")),
                  (" is too short", N_("{value} is too short"))),
    "maxLength": ((" is expected to be empty", N_("{value} is expected to be empty")),
                  (" is too long", N_("{value} is too long"))),
    "oneOf": ((" is not valid under any of the given schemas", N_("{value} is not valid under any of the given "
                                                                  "schemas")),
              (" is valid under each of ", N_("{value} is valid under each of {expected}"))),
    "uniqueItems": ((" has non-unique elements", N_("{value} has non-unique elements")),),
    "anyOf": ((" is not valid under any of the given schemas", N_("{value} is not valid under any of the given "
                                                                  "schemas")),),
}
_EXPLAINED["minItems"] = _EXPLAINED["minLength"]
_EXPLAINED["maxItems"] = _EXPLAINED["maxLength"]
_EXPLAINED["minProperties"] = _EXPLAINED["minLength"]


def explain(validator: str, message: str) -> Message:
    """jsonschema's message for a failed `validator` as a template and values; a message no template fits is kept
    as it is (English rather than wrong)."""
    for words, template in _EXPLAINED.get(validator, ()):
        if words.endswith(" "):  # the words stand between the value and what the schema expects
            head, found, tail = message.rpartition(words)
        else:  # the words end the message
            head, found, tail = message.removesuffix(words), words if message.endswith(words) else "", ""
        if not found:
            continue
        values = {"expected": head} if template.startswith("{expected}") else {"value": head, "expected": tail}
        used = {name: value for name, value in values.items() if "{" + name + "}" in template}
        candidate = Message(template, tuple(used.items()))
        if candidate.english() == message:
            return candidate
    return say("{message}", message=message)


def _extra_properties(error: ValidationError) -> list[str]:
    allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
    instance = error.instance if isinstance(error.instance, dict) else {}
    return sorted(k for k in instance if k not in allowed)
