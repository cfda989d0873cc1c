"""Import mappings (imports/*.yaml): each names a form that exists and only fields that form has, so next
month's survey export imports without surprises."""

from __future__ import annotations

from collections.abc import Iterator

from qmskit.diagnostics import Diagnostic
from qmskit.messages import say
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context

MISFIT = rule("QMS-IMP-001")


def check_imports(ctx: Context) -> Iterator[Diagnostic]:
    forms = {f.id: f for f in ctx.manual.forms}
    people = {p.id for p in ctx.manual.people}
    for mapping in ctx.manual.imports:
        locate = ctx.manual.locate
        form = forms.get(mapping.form)
        if form is None:
            if "form" not in ctx.manual.incomplete:
                yield MISFIT.at(locate(mapping.origin, "form"),
                                say("no form '{form}' to import into", form=mapping.form))
            continue
        fields = {f.id for f in form.fields}
        for field_map in mapping.fields:
            where = ("fields", field_map.target)
            if field_map.target not in fields:
                yield MISFIT.at(locate(mapping.origin, *where, key=True),
                                say("form {form} has no field '{field}'", form=form.id, field=field_map.target))
            if bool(field_map.column) == (field_map.constant is not None):
                yield MISFIT.at(locate(mapping.origin, *where, key=True),
                                say("field '{field}' needs either `column:` or `value:`, not both or neither",
                                    field=field_map.target))
            if field_map.scale is not None and field_map.scale[0] >= field_map.scale[1]:
                yield MISFIT.at(locate(mapping.origin, *where, "scale"),
                                say("field '{field}': the scale's `from` needs a low and a higher high value",
                                    field=field_map.target))
        if mapping.created_by and mapping.created_by not in people and "person" not in ctx.manual.incomplete:
            yield MISFIT.at(locate(mapping.origin, "created_by"), say("created_by '{person}' is not a person",
                                                                 person=mapping.created_by))
