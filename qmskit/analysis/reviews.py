"""Management reviews that were held (ISO 9001 9.3): each review's record and the period it covered, from the day
after the review before it to its own day (the year before it, for the first one). Pure; read through the
`management-review` purpose, so any manual's minutes form works."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from qmskit.analysis.measures import Period
from qmskit.i18n import format_date
from qmskit.model import Manual, Record
from qmskit.records.meaning import Meanings

FIRST_SPAN_DAYS = 365  # what a first review looks back over, with no review before it


@dataclass(frozen=True, slots=True)
class HeldReview:
    record: Record
    day: date
    span: Period
    previous: Record | None


def held_reviews(manual: Manual, today: date, meaning: Meanings | None = None) -> list[HeldReview]:
    """Every management review held by `today`, oldest first (records without a day cannot be placed)."""
    meaning = meaning or Meanings(manual)
    dated = sorted(((day, r) for r in meaning.records("management-review")
                    if (day := meaning.event_day(r)) is not None and day <= today), key=lambda x: (x[0], x[1].id))
    held, previous = [], None
    for day, record in dated:
        start = min(previous[0] + timedelta(days=1), day) if previous else day - timedelta(days=FIRST_SPAN_DAYS - 1)
        # the span's name is only shown to people (the review pages), so its days are in the reader's language
        span = Period(start, day, f"{format_date(start)} \u2013 {format_date(day)}")
        held.append(HeldReview(record, day, span, previous[1] if previous else None))
        previous = (day, record)
    return held
