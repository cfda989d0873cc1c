"""`qms coverage`: clause coverage per declared standard, and what moving to another edition changes."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from qmskit import clausetexts
from qmskit.analysis.coverage import Change, Owner, StandardCoverage, coverage, transition
from qmskit.clausetexts import title_text
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    OutputOption,
    app,
    check_choice,
    complete_choices,
    resolve_manual,
    speak,
)
from qmskit.cli.tables import show
from qmskit.errors import ConfigError
from qmskit.i18n import N_, NP_, _, ngettext, pgettext
from qmskit.model import Catalogue, Document, Manual, Process
from qmskit.tables import TABLE_FORMATS, TableData

COLUMNS = (N_("Standard"), N_("Clause"), N_("Title"), N_("Status"), N_("Addressed by"))
KEYS = ("standard", "clause", "title", "status", "addressed_by")
CHANGE_COLUMNS = (N_("Clause"), N_("Change"), N_("Was"), N_("Becomes"), N_("What it asks"), N_("Addressed today by"))
CHANGE_KEYS = ("clause", "change", "was", "becomes", "asks", "addressed_by")


@app.command("coverage")
def coverage_command(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    standard: Annotated[str | None, typer.Option("--standard", help="Only this declared standard, e.g. iso14001 "
                                                                   "or iso14001:2015+amd1:2024.")] = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="Only clauses nothing addresses.")] = False,
    to: Annotated[str | None, typer.Option("--transition", help="Instead: what moving the declared edition of this "
                                                                "standard to this edition changes, clause by clause, "
                                                                "and what addresses each clause today.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", autocompletion=complete_choices(TABLE_FORMATS),
                                               help=f"One of: {', '.join(TABLE_FORMATS)}.")] = "text",
    output: OutputOption = None,
) -> None:
    """Clause coverage per standard the manual declares, or what moving to another edition changes.

    Each clause with what addresses it (active documents, processes, forms, objectives, risks), or *excluded*,
    or *not addressed* for a clause without sub-clauses that nothing addresses.
    """
    from qmskit.loading.load import catalogue_files, load_manual  # noqa: PLC0415 - not for --help

    check_choice(output_format, TABLE_FORMATS, "format")
    manual = load_manual(resolve_manual(path, manual_dir), use_cache=True).manual
    speak(manual)
    if not manual.catalogues:
        raise ConfigError(_("qms.yaml declares no standard qmskit has a catalogue for"),
                          _("Use one of: {choices}. `qms validate` says which is wrong.").format(
                              choices=", ".join(sorted(catalogue_files()))))
    if to is not None:
        show(_transition_table(manual, to), output_format, output)
        return
    chosen = [s for s in coverage(manual) if standard is None or standard in (s.catalogue.standard,
                                                                               s.catalogue.family)]
    if not chosen:
        raise ConfigError(_("the manual does not declare '{standard}'").format(standard=standard),
                          _("Declared: {standards}.").format(
                              standards=", ".join(c.standard for c in manual.catalogues)))
    records = [r for s in chosen for r in _records(s) if not gaps or r["status"] == "not addressed"]
    summary = "; ".join(f"{s.catalogue.label} {s.addressed}/{len(s.leaves)}" for s in chosen)
    show(TableData.of(_("Clause coverage — {organisation} ({summary} addressed or excluded)").format(
                          organisation=manual.config.organisation, summary=summary),
                      COLUMNS, records, KEYS, words={"title": title_text, "status": _coverage_status,
                                                     "addressed_by": _addressed_by}),
         output_format, output)


_STATUS_WORDS = {"excluded": NP_("clause status", "excluded"), "addressed": NP_("clause status", "addressed"),
                 "not addressed": NP_("clause status", "not addressed")}


_KIND_WORDS = {"form": N_("form"), "objective": N_("objective"), "risk": N_("risk")}
_CHANGE_WORDS = {"added": NP_("clause change", "added"), "removed": NP_("clause change", "removed"),
                 "retitled": NP_("clause change", "retitled"), "topics": NP_("clause change", "topics")}


def _addressed_by(names: list[str]) -> str:
    """What addresses a clause as people read it: "lomake customer-feedback" for "form customer-feedback"."""
    said = []
    for name in names:
        kind, _space, rest = name.partition(" ")
        said.append(f"{_(_KIND_WORDS[kind])} {rest}" if rest and kind in _KIND_WORDS else name)
    return ", ".join(said)


def _change(kind: str) -> str:
    return pgettext(*_CHANGE_WORDS[kind]) if kind in _CHANGE_WORDS else kind


def _coverage_status(status: str) -> str:
    """A clause's status as people read it; JSON and CSV keep the English word tools match on."""
    return pgettext(*_STATUS_WORDS[status]) if status in _STATUS_WORDS else status


def _records(standard: StandardCoverage) -> list[dict[str, Any]]:
    leaves = {r.clause.number for r in standard.leaves}
    records = []
    for row in standard.rows:
        status = ("excluded" if row.excluded else "addressed" if row.addressed_by
                  else "not addressed" if row.clause.number in leaves else "")
        records.append({"standard": standard.catalogue.standard, "clause": row.clause.number,
                        "title": row.clause.title, "status": status,
                        "addressed_by": [_name(o) for o in row.addressed_by]})
    return records


def _asks(change: Change) -> str:
    """What a change's new topics ask, as people read it (the same words as `Change.detail`, which JSON keeps)."""
    return "; ".join((_("shall determine {asks} (topic {topic})") if t.required else
                      _("note: {asks} (topic {topic})")).format(asks=clausetexts.asks(t), topic=t.id)
                     for t in change.topics)


def _name(owner: Owner) -> str:
    if isinstance(owner, Document | Process):
        return owner.id
    return f"{type(owner).__name__.lower()} {owner.id}"


def _transition_table(manual: Manual, target_edition: str) -> TableData:
    from qmskit.loading.load import catalogue, catalogue_files  # noqa: PLC0415

    target = catalogue(target_edition)
    if target is None:
        raise ConfigError(_("no clause catalogue for '{edition}'").format(edition=target_edition),
                          _("Bundled: {editions}. An edition is added when its clause numbers and titles can be "
                            "checked against public sources (docs/standards.md).").format(
                              editions=", ".join(sorted(catalogue_files()))))
    current: Catalogue | None = next((c for c in manual.catalogues if c.family == target.family), None)
    if current is None:
        raise ConfigError(_("the manual does not declare {standard}").format(standard=target.family),
                          _("Add an edition of {standard} under `standards:` in qms.yaml first.").format(
                              standard=target.family))
    changes = transition(manual, current, target)
    records = [{"clause": c.number, "change": c.kind, "was": c.old_title, "becomes": c.new_title, "asks": c.detail,
                "addressed_by": [_name(o) for o in c.addressed_by]} for c in changes]
    said = {c.detail: _asks(c) for c in changes if c.detail}
    title = ngettext("From {old} to {new}: {count} clause change", "From {old} to {new}: {count} clause changes",
                     len(changes)).format(old=current.label, new=target.label, count=len(changes))
    return TableData.of(title, CHANGE_COLUMNS, records, CHANGE_KEYS,
                        words={"change": _change, "was": title_text, "becomes": title_text,
                               "asks": lambda detail: said.get(detail, detail),
                               "addressed_by": _addressed_by})
