"""A fast yes/no check for the JSON Schema subset qmskit's schemas use.

python-jsonschema spends ~50 µs on a small record; most files are valid, so a compiled predicate answers
"valid" in a few µs and only files that fail it go to jsonschema for exact messages. The predicate is
conservative: for anything it does not understand it answers "unsure" (None) and jsonschema decides. Tests
compare it with jsonschema on every file of the example manual and on many broken variants.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qmskit.loading import rfc3339
from qmskit.patterns import PatternError, compile_pattern

Check = Callable[[Any], bool]
_IGNORED = {"$schema", "$id", "title", "description", "default", "examples", "$comment", "deprecated"}
_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


class Unsupported(Exception):
    """The schema uses something this compiler does not handle: use jsonschema alone."""


def _date(value: Any) -> bool:
    return not isinstance(value, str) or rfc3339.is_date(value)


def _date_time(value: Any) -> bool:
    return not isinstance(value, str) or rfc3339.is_date_time(value)


def _email(value: Any) -> bool:
    return not isinstance(value, str) or "@" in value  # as jsonschema checks it


_FORMATS: dict[str, Check] = {"date": _date, "date-time": _date_time, "email": _email}
# formats jsonschema's checker does not check without extra packages: it accepts anything there, so do we
_UNCHECKED = {"uri", "uri-reference", "iri", "iri-reference", "uri-template", "json-pointer",
              "relative-json-pointer"}


def compile_schema(schema: Any) -> Check | None:
    """A predicate that is True only for instances jsonschema would accept; None when the schema is beyond it."""
    try:
        return _compile(schema)
    except Unsupported:
        return None


def _compile(schema: Any) -> Check:
    if schema is True or schema == {}:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise Unsupported(str(schema))
    checks: list[Check] = []
    for key, value in schema.items():
        if key in _IGNORED or key in _PART_OF_ANOTHER:
            continue
        factory = _KEYWORDS.get(key)
        if factory is None:
            raise Unsupported(key)
        checks.append(factory(value))
    if {"properties", "additionalProperties", "propertyNames"} & schema.keys():
        checks.append(_object(schema))
    if "if" in schema:
        checks.append(_conditional(schema))
    if len(checks) == 1:
        return checks[0]
    return _all(checks)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _all(checks: list[Check]) -> Check:
    # unrolled for the common short lists: a generator per call costs more than the checks themselves
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    if len(checks) == 3:
        first, second, third = checks
        return lambda v: first(v) and second(v) and third(v)
    return lambda v: all(check(v) for check in checks)


_PLAIN_TYPES: dict[str, type | tuple[type, ...]] = {"string": str, "object": dict, "array": list}


def _type(names: Any) -> Check:
    listed = names if isinstance(names, list) else [names]
    if len(listed) == 1 and listed[0] in _PLAIN_TYPES:
        plain = _PLAIN_TYPES[listed[0]]
        return lambda v: isinstance(v, plain)
    tests = [_TYPES[name] for name in listed]
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(test(v) for test in tests)


def _enum(options: list[Any]) -> Check:
    if all(isinstance(o, str) for o in options):
        strings = frozenset(options)
        return lambda v: isinstance(v, str) and v in strings
    return lambda v: any(_equal(v, option) for option in options)


def _const(constant: Any) -> Check:
    return lambda v: _equal(v, constant)


def _minimum(low: float) -> Check:
    return lambda v: not _TYPES["number"](v) or v >= low


def _maximum(high: float) -> Check:
    return lambda v: not _TYPES["number"](v) or v <= high


def _min_length(shortest: int) -> Check:
    return lambda v: not isinstance(v, str) or len(v) >= shortest


def _max_length(longest: int) -> Check:
    return lambda v: not isinstance(v, str) or len(v) <= longest


def _pattern(text: str) -> Check:
    try:
        pattern = compile_pattern(text)  # RE2, as jsonschema's `pattern` in schemas.py
    except PatternError:
        return _always  # not run at all (schemas.py does the same); the form has a finding
    return lambda v: not isinstance(v, str) or pattern.search(v) is not None


def _format(name: str) -> Check:
    if name in _UNCHECKED:
        return _always
    check = _FORMATS.get(name)
    if check is None:
        raise Unsupported(f"format {name}")
    return check


def _required(names: list[str]) -> Check:
    wanted = frozenset(names)
    return lambda v: not isinstance(v, dict) or wanted <= v.keys()


def _items(schema: Any) -> Check:
    item = _compile(schema)
    return lambda v: not isinstance(v, list) or all(item(x) for x in v)


def _min_items(fewest: int) -> Check:
    return lambda v: not isinstance(v, list) or len(v) >= fewest


def _max_items(most: int) -> Check:
    return lambda v: not isinstance(v, list) or len(v) <= most


def _unique_items(wanted: bool) -> Check:
    return (lambda v: not isinstance(v, list) or _unique(v)) if wanted else _always


def _all_of(schemas: list[Any]) -> Check:
    return _all([_compile(s) for s in schemas])


def _any_of(schemas: list[Any]) -> Check:
    parts = [_compile(s) for s in schemas]
    return lambda v: any(part(v) for part in parts)


def _one_of(schemas: list[Any]) -> Check:
    parts = [_compile(s) for s in schemas]
    return lambda v: sum(1 for part in parts if part(v)) == 1


def _conditional(schema: dict[str, Any]) -> Check:
    condition, then = _compile(schema["if"]), _compile(schema.get("then", True))
    otherwise = _compile(schema.get("else", True))
    return lambda v: then(v) if condition(v) else otherwise(v)


_KEYWORDS: dict[str, Callable[[Any], Check]] = {
    "type": _type, "enum": _enum, "const": _const, "minimum": _minimum, "maximum": _maximum,
    "minLength": _min_length, "maxLength": _max_length, "pattern": _pattern, "format": _format,
    "required": _required, "items": _items, "minItems": _min_items, "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "allOf": _all_of, "anyOf": _any_of, "oneOf": _one_of,
}
# keywords handled together with others (object keywords in _object, if/then/else in _conditional)
_PART_OF_ANOTHER = {"properties", "additionalProperties", "propertyNames", "if", "then", "else"}


def _object(schema: dict[str, Any]) -> Check:
    properties = {name: _compile(sub) for name, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    extra_check = _compile(extra)
    names = _compile(schema["propertyNames"]) if "propertyNames" in schema else None

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            if names is not None and not names(key):
                return False
            sub = properties.get(key)
            if sub is not None:
                if not sub(item):
                    return False
            elif not extra_check(item):
                return False
        return True

    return check


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but True is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _unique(values: list[Any]) -> bool:
    seen: list[Any] = []
    for value in values:
        if any(_equal(value, other) for other in seen):
            return False
        seen.append(value)
    return True
