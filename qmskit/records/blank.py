"""A form as a readable blank form in Markdown: for paper, and for the form's page on the site. Pure."""

from __future__ import annotations

from qmskit.escape import code_span, markdown_text
from qmskit.i18n import NP_, _, pgettext
from qmskit.model import Form, FormField
from qmskit.records.forms import workflow

_BOX = "☐"
# what a reference field names, as the blank line's hint says it (the form schema's `of` values)
_REFERENCED = {"person": NP_("reference field", "person"), "role": NP_("reference field", "role"),
               "process": NP_("reference field", "process"), "document": NP_("reference field", "document"),
               "customer": NP_("reference field", "customer"), "party": NP_("reference field", "party"),
               "record": NP_("reference field", "record")}


def _escape(text: str) -> str:
    """Markdown-safe text: nothing in a label can become HTML, a link, attributes or other markup."""
    return markdown_text(text)


def _answer(field: FormField) -> str:
    spec = field.spec
    if field.type in ("choice", "multichoice"):
        hint = _("tick one") if field.type == "choice" else _("tick all that apply")
        return f"*({_escape(hint)})* " + "  ".join(f"{_BOX} {_escape(str(o))}" for o in spec.get("options") or [])
    if field.type == "scale":
        low, high = int(spec.get("min", 1)), int(spec.get("max", 5))
        return "  ".join(f"{_BOX} {n}" for n in range(low, high + 1))
    if field.type == "reference":
        of = str(spec.get("of", "id"))
        return f"__________________________ *({_escape(pgettext(*_REFERENCED[of]) if of in _REFERENCED else of)})*"
    yes, no, order = _escape(_("yes")), _escape(_("no")), _escape(_("year - month - day"))
    blanks = {"boolean": f"{_BOX} {yes}  {_BOX} {no}", "date": f"____ - ____ - ____ *({order})*",
              "longtext": "\n\n" + "\n\n".join(["_" * 60] * 3)}
    return blanks.get(field.type, "__________________________")


def blank_form(form: Form, organisation: str = "") -> str:
    lines = [f"# {_escape(form.title)}", ""]
    meta = [_escape(_("Form")) + f" {code_span(form.id)}",
            _escape(_("record id {prefix}").format(prefix=form.record_prefix)) + "-YYYY-NNNN"]
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
            field_name = str(when.get("field"))
            condition = _escape(_("only when {field} is {value}").format(field=field_name, value=when["equals"])
                                if "equals" in when else _("only when {field} is filled in").format(field=field_name))
            condition = f" *({condition})*"
        lines.append(f"**{_escape(field.label)}**{mark}{condition}  ")
        if field.spec.get("help"):
            lines.append(f"*{_escape(str(field.spec['help']))}*  ")
        lines += [_answer(field), ""]
    flow = workflow(form)
    if flow is not None:
        heading, state, when, by = (_escape(text) for text in (_("Progress"), _("State"), _("Date"), _("By")))
        lines += [f"## {heading}", "", f"| {state} | {when} | {by} |", "| --- | --- | --- |"]
        lines += [f"| {_escape(state)} | | |" for state in flow.states]
        lines.append("")
    lines += ["---", "", "\\* " + _escape(_("required"))]
    return "\n".join(lines) + "\n"
