"""The communication plan over time (ISO 9001 7.4): when each periodic communication is next due. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from qmskit.control.register import add_months
from qmskit.model import Communication, Manual, Person

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
EVERYONE = "everyone"  # the documented keyword for the whole staff in `with:`


def last_held(item: Communication) -> date | None:
    days = []
    for text in item.held:
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            continue  # the schema reports it
    return max(days, default=None)


def next_due(item: Communication, today: date) -> date | None:
    """One period after it was last held; today when a periodic item was never held; None for on-event."""
    last = last_held(item)
    if item.when == "weekly":
        return last + timedelta(days=7) if last else today
    if item.when in PERIOD_MONTHS:
        return add_months(last, PERIOD_MONTHS[item.when]) if last else today
    return None


@dataclass(frozen=True, slots=True)
class Due:
    item: Communication
    due: date
    overdue: bool


def due_within(manual: Manual, today: date, days: int = 14) -> list[Due]:
    """Periodic communication due within `days` (or overdue), soonest first."""
    found = []
    for item in manual.communication:
        due = next_due(item, today)
        if due is not None and due <= today + timedelta(days=days):
            found.append(Due(item, due, due < today))
    return sorted(found, key=lambda d: (d.due, d.item.id))


def communicators(manual: Manual, item: Communication) -> list[Person]:
    """Who communicates: the person named, or every holder of the role named."""
    person = next((p for p in manual.people if p.id == item.who), None)
    if person is not None:
        return [person]
    return sorted((p for p in manual.people if item.who in p.roles), key=lambda p: p.name)
