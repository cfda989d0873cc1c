"""A form as a readable blank form in Markdown: for paper, and for the form's page on the site. Pure."""

from __future__ import annotations

from qmskit.escape import code_span, markdown_text
from qmskit.model import Form, FormField
from qmskit.records.forms import workflow

_BOX = "☐"


def _escape(text: str) -> str:
    """Markdown-safe text: nothing in a label can become HTML, a link, attributes or other markup."""
    return markdown_text(text)


def _answer(field: FormField) -> str:
    spec = field.spec
    if field.type in ("choice", "multichoice"):
        hint = "tick one" if field.type == "choice" else "tick all that apply"
        return f"*({hint})* " + "  ".join(f"{_BOX} {_escape(str(o))}" for o in spec.get("options") or [])
    if field.type == "scale":
        low, high = int(spec.get("min", 1)), int(spec.get("max", 5))
        return "  ".join(f"{_BOX} {n}" for n in range(low, high + 1))
    if field.type == "reference":
        return f"__________________________ *({_escape(str(spec.get('of', 'id')))})*"
    return _BLANKS.get(field.type, "__________________________")


_BLANKS = {
    "boolean": f"{_BOX} yes  {_BOX} no",
    "date": "____ - ____ - ____ *(year - month - day)*",
    "longtext": "\n\n" + "\n\n".join(["_" * 60] * 3),
}


def blank_form(form: Form, organisation: str = "") -> str:
    lines = [f"# {_escape(form.title)}", ""]
    meta = [f"Form {code_span(form.id)}", f"record id {_escape(form.record_prefix)}-YYYY-NNNN"]
    if organisation:
        meta.insert(0, _escape(organisation))
    lines += [" · ".join(meta), ""]
    if form.description:
        lines += [_escape(form.description), ""]
    section = ""
    for field in form.fields:
        current = str(field.spec.get("section") or "")
        if current and current != section:
            section = current
            lines += [f"## {_escape(section)}", ""]
        mark = " \\*" if field.required else ""
        when = field.spec.get("when")
        condition = ""
        if isinstance(when, dict):
            equals = f" is {when['equals']}" if "equals" in when else " is filled in"
            condition = f" *(only when {_escape(str(when.get('field')))}{_escape(equals)})*"
        lines.append(f"**{_escape(field.label)}**{mark}{condition}  ")
        if field.spec.get("help"):
            lines.append(f"*{_escape(str(field.spec['help']))}*  ")
        lines += [_answer(field), ""]
    flow = workflow(form)
    if flow is not None:
        lines += ["## Progress", "", "| State | Date | By |", "| --- | --- | --- |"]
        lines += [f"| {_escape(state)} | | |" for state in flow.states]
        lines.append("")
    lines += ["---", "", "\\* required"]
    return "\n".join(lines) + "\n"
