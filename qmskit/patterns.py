"""Regular expressions that come from manual files (a form field's `pattern`) run on RE2, a linear-time engine.

Python's `re` backtracks: `^(a+)+$` against 35 characters runs for minutes. RE2 never backtracks, so a search
takes time proportional to the value, whatever the pattern. It has no backreferences, lookaround or possessive
quantifiers; a pattern that uses them is not run at all and its form gets a finding (QMS-FORM-005). Pattern
size is bounded too: RE2 refuses a pattern whose compiled program would exceed `_MAX_MEMORY`.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

MAX_PATTERN_LENGTH = 1000  # as form.schema.json says
_MAX_MEMORY = 8 << 20  # bytes for one compiled pattern: far above any sensible field pattern


class PatternError(ValueError):
    """A pattern the linear-time engine cannot take; the message says why."""


@cache
def _engine() -> tuple[Any, Any]:
    """The re2 module and its options, imported on first use (start-up stays fast for commands without forms)."""
    import re2  # noqa: PLC0415

    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern to standard error
    options.max_mem = _MAX_MEMORY
    return re2, options


@lru_cache(maxsize=2048)
def compile_pattern(text: str) -> Any:
    """The compiled pattern; PatternError when it is too long or uses syntax RE2 lacks."""
    if len(text) > MAX_PATTERN_LENGTH:
        raise PatternError(f"the pattern is {len(text)} characters long (at most {MAX_PATTERN_LENGTH})")
    re2, options = _engine()
    try:
        return re2.compile(text, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        raise PatternError(detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)) from exc


def pattern_problem(text: str) -> str | None:
    """Why the engine cannot run `text`, or None when it can."""
    try:
        compile_pattern(text)
    except PatternError as exc:
        return str(exc)
    return None


def matches(text: str, value: str) -> bool | None:
    """Whether `value` contains a match of the pattern (JSON Schema's `pattern`: a search, not a full match);
    None when the pattern cannot run (its form has a finding instead)."""
    try:
        compiled = compile_pattern(text)
    except PatternError:
        return None
    return compiled.search(value) is not None
