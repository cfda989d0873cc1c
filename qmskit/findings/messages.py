"""Finding messages in the reader's language. Checks write findings in English (the check cache is shared by every
language, and JSON, SARIF and JUnit stay English for the tools that read them); text output for people takes each
message apart by the English template it was built from and writes it again from the catalogue. A message no
template fits stays English. Pure."""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from typing import Any

from qmskit.i18n import N_, SOURCE_LANGUAGE, _, current, format_date
from qmskit.patterns import compile_pattern
from qmskit.wording import quantity

# The messages and hints rule modules build for one finding, exactly as they write them, the most frequent first.
TEMPLATES = (
    N_("{person}'s {competence} qualification has expired; role '{role}' requires it (renewal planned {day})"),
    N_("{person}'s {competence} qualification has expired; role '{role}' requires it"),
    N_("{person} ({role}) lacks {competence} level {required} (holds {held}) and no training is planned"),
    N_("{person} ({role}) lacks {competence} and no training is planned"),
    N_("{person}'s {competence} qualification expires on {day}"),
    N_("training {training} ({person}, {competence}) was planned for {day}"),
    N_("training {training} ({person}, {competence}) is done but its effectiveness was not evaluated"),
    N_("process '{process}' is owned by role '{role}', but nobody holds it"),
    N_("process '{process}' is owned by role '{role}', but none of its holders ({holders}) has all the "
       "competences it requires"),
    N_("role '{role}' approves {kind} documents, but nobody holds it"),
    N_("role '{role}' approves {kind} documents, but none of its holders ({holders}) has all the competences it "
       "requires"),
    N_("{document} was due for review on {day} (every {interval}); {late} overdue"),
    N_("{document} is due for review on {day}"),
    N_("{record} is '{status}' and its action was due on {day} ({late} ago)"),
    N_("{field} '{value}' is not a known {kind}"),
    N_("{file} is missing or differs from the schema of this qmskit version"),
    N_("Did you mean '{id}'?"),
    N_("Add the {kind} or use an existing id ({count} known)."),
)
# The kinds of things a reference names, as the reference rules write them
KINDS = (N_("role"), N_("person"), N_("process"), N_("document"), N_("form"), N_("party"), N_("record"),
         N_("competence"), N_("document type"))
_LONGEST = 2000  # a longer message is left as it is: matching stays cheap whatever a manual holds
_COUNT = re.compile(r"(-?\d+) ([a-z ]+)")


@functools.cache
def _patterns() -> tuple[tuple[str, Any], ...]:
    """Each template as a linear-time pattern (RE2) with one named group per placeholder."""
    compiled = []
    for template in TEMPLATES:
        parts = []
        for literal, name, _spec, _conversion in string.Formatter().parse(template):
            parts.append(re.escape(literal))
            if name is not None:
                parts.append(f"(?P<{name}>.+?)")
        compiled.append((template, compile_pattern("".join(parts))))
    return tuple(compiled)


def translate(message: str) -> str:
    """`message` in the current language when a template fits it, else as it is."""
    if current() == SOURCE_LANGUAGE or not message or len(message) > _LONGEST:
        return message
    for template, pattern in _patterns():
        found = pattern.fullmatch(message)
        if found is not None:
            return _(template).format(**{name: _value(value) for name, value in found.groupdict().items()})
    return message


def _value(value: str) -> str:
    """A value taken from an English message, in the current language where it is qmskit's own word: a date, a
    count of days or months, a kind of thing ("role or process"). Anything else came from the manual."""
    try:
        return format_date(dt.date.fromisoformat(value))
    except ValueError:
        pass
    count = _COUNT.fullmatch(value)
    if count is not None:
        singular = count.group(2).removesuffix("s")
        if singular in ("day", "month"):
            return quantity(int(count.group(1)), singular)
    kinds = value.split(" or ")
    if all(kind in KINDS for kind in kinds):
        return _(" or ").join(_(kind) for kind in kinds)
    return value
