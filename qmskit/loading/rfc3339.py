"""RFC 3339 dates and date-times (JSON Schema's `date` and `date-time` formats), checked strictly.

Python's `fromisoformat` accepts much more of ISO 8601: the basic format (`20260122T080000+0200`), week and
ordinal dates (`2026-W10-1`), no offset at all. Other readers of the same files (check-jsonschema, ajv-formats,
editors) do not, so what passes here must be exactly RFC 3339 section 5.6. Leap seconds (`:60`) are refused,
as check-jsonschema does: Python's datetime cannot hold them.
"""

from __future__ import annotations

import re
from calendar import monthrange

_FULL_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_DATE = re.compile(_FULL_DATE, re.ASCII)
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?"
_OFFSET = r"(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
_DATE_TIME = re.compile(_FULL_DATE + "[Tt]" + _TIME + _OFFSET, re.ASCII)


def is_date(value: str) -> bool:
    """`full-date`: YYYY-MM-DD, a day that exists."""
    match = _DATE.fullmatch(value)
    return match is not None and _real_day(*match.groups())


def is_date_time(value: str) -> bool:
    """`date-time`: full-date "T" HH:MM:SS[.fraction] and an offset, `Z` or ±HH:MM."""
    match = _DATE_TIME.fullmatch(value)
    return match is not None and _real_day(*match.groups())


def _real_day(year: str, month: str, day: str) -> bool:
    y, m, d = int(year), int(month), int(day)
    return 1 <= m <= 12 and 1 <= d <= monthrange(y, m)[1] and y >= 1
