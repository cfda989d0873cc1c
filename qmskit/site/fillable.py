"""A form as a fillable HTML form on the published site: no server, nothing sent anywhere.

The page carries the form's fields as HTML controls and, as JSON data, the JSON Schema its records' values are
checked against (the same `record_values_schema` that `qms validate` uses). `qms-forms.js` checks the answers in
the browser with that schema and makes the record file to download, or a link that opens the forge's web editor
with the file filled in, on a new branch, where the forge authenticates the person and the usual review applies.
The file has a provisional id (`CF-2026-NEW-1a2b3c4d`); `qms records add` gives it the next free id. Pure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qmskit.model import Form, Manual
from qmskit.records.choices import reference_choices
from qmskit.records.forms import record_values_schema, workflow

MAX_CHOICES = 500  # a select longer than this is no help; past it the field takes typed ids (checked on add)
FORGES = ("github", "gitlab")


@dataclass(frozen=True, slots=True)
class Control:
    """One field as the page shows it."""

    id: str
    label: str
    type: str  # the form field's type
    required: bool
    help: str
    options: tuple[tuple[str, str], ...]  # (value, label) for choice, multichoice, boolean and references
    minimum: Any
    maximum: Any
    when_field: str
    when_equals: str  # JSON of the value the other field must have ("" = any answer)


def controls(form: Form, manual: Manual) -> list[Control]:
    result = []
    for field in form.fields:
        spec = field.spec
        options: tuple[tuple[str, str], ...] = ()
        if field.type in ("choice", "multichoice"):
            options = tuple((str(o), str(o)) for o in spec.get("options") or [])
        elif field.type == "reference":
            known = reference_choices(field, manual)
            options = tuple(known) if len(known) <= MAX_CHOICES else ()
        when = spec.get("when") if isinstance(spec.get("when"), Mapping) else {}
        result.append(Control(
            field.id, field.label, field.type, field.required, str(spec.get("help", "")), options,
            spec.get("min"), spec.get("max"), str(when.get("field", "")) if when else "",
            json.dumps(when["equals"]) if when and "equals" in when else ""))
    return result


def forge_of(manual: Manual) -> dict[str, str] | None:
    """The repository's forge from qms.yaml (`forge: {kind, url, branch}`), when it names one we can link to."""
    forge = manual.config.forge
    if not forge or forge.get("kind") not in FORGES or not str(forge.get("url", "")).startswith("https://"):
        return None
    return {"kind": forge["kind"], "url": forge["url"].rstrip("/"), "branch": forge.get("branch") or "main"}


def config(form: Form, manual: Manual, revision: int, modeline: str, texts: Mapping[str, str]) -> str:
    """What the page's script needs, as JSON that is safe inside a <script type="application/json"> element."""
    flow = workflow(form)
    data = {
        "form": form.id, "prefix": form.record_prefix, "revision": revision, "modeline": modeline,
        "schema": record_values_schema(form), "first_state": flow.states[0] if flow else "",
        "types": {f.id: f.type for f in form.fields}, "forge": forge_of(manual), "texts": dict(texts),
        "people": [p.id for p in manual.people],
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # nothing in the data may close the element or start markup, whatever a form's author wrote
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
