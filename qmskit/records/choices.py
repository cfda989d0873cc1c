"""What a reference field may name, as choices for people filling in a form (site forms, issue forms). Pure."""

from __future__ import annotations

from qmskit.model import FormField, Manual
from qmskit.records.forms import REFERENCE_KINDS


def reference_choices(field: FormField, manual: Manual) -> list[tuple[str, str]]:
    """(id, "Name (id)") of everything the field may refer to, by name. A customer field offers the parties
    that are customers (all parties when none is marked as one)."""
    of = str(field.spec.get("of", ""))
    kind = REFERENCE_KINDS.get(of, "")
    items = list(dict(manual.groups()).get(kind, ()))
    if of == "customer":
        customers = [p for p in manual.parties if p.kind == "customer"]
        items = customers or items
    pairs = []
    for item in items:
        name = getattr(item, "name", "") or getattr(item, "title", "")
        pairs.append((item.id, f"{name} ({item.id})" if name and name != item.id else item.id))
    return sorted(pairs, key=lambda pair: pair[1].lower())
