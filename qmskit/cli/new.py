"""`qms new document|process|form`: start a new item from the manual's own conventions, never over a file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from qmskit import urls
from qmskit.atomic import write_text
from qmskit.cli.app import ManualOption, ManualPath, QmsTyper, app, check_choice, escape, resolve_manual, speak, stdout
from qmskit.control.retired import EverIds, ever_ids
from qmskit.errors import ConfigError
from qmskit.i18n import _
from qmskit.loading.load import load_manual
from qmskit.loading.modelines import modeline
from qmskit.loading.yamlsource import dump_yaml
from qmskit.model import Manual
from qmskit.safepaths import check_id, inside

new_app = QmsTyper(help="Start a new document, process or form with the next free id.", no_args_is_help=True)
app.add_typer(new_app, name="new")


def _write(root: Path, rel: str, text: str) -> None:
    try:
        write_text(inside(root, *rel.split("/")), text, overwrite=False)
    except FileExistsError as exc:
        raise ConfigError(_("{file} already exists").format(file=rel),
                          _("Choose another id or title; files are never overwritten.")) from exc
    stdout().print(escape(_("Wrote {file}").format(file=rel)))


def next_document_id(manual: Manual, prefix: str, ever: Iterable[str] = ()) -> str:
    """One more than the highest number of this prefix in the manual now or in any earlier commit."""
    ids = [*(d.id for d in manual.documents), *ever]
    numbers = [int(m[1]) for doc_id in ids if (m := re.fullmatch(rf"{re.escape(prefix)}-(\d+)", doc_id))]
    return f"{prefix}-{max(numbers, default=0) + 1:03d}"


def _ever(root: Path) -> EverIds:
    return ever_ids(root)


@new_app.command("document")
def new_document(
    doc_type: Annotated[str, typer.Option("--type", help="A document type from qms.yaml, e.g. procedure.")],
    title: Annotated[str, typer.Option("--title", help="The document's title.")],
    owner: Annotated[str, typer.Option("--owner", help="The owning role.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
) -> None:
    """A new draft document: the next id of its type, front matter, and the sections its type requires."""
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    check_choice(doc_type, tuple(manual.config.document_types), "document type")
    if owner not in {r.id for r in manual.roles}:
        raise ConfigError(_("no role '{role}'").format(role=owner), _("Use an id from organisation/roles.yaml."))
    kind = manual.config.document_types[doc_type]
    doc_id = check_id(next_document_id(manual, kind.prefix, _ever(root).documents),
                      _("the next id of type '{type}'").format(type=doc_type))
    front = dump_yaml({"id": doc_id, "title": title, "type": doc_type, "owner": owner, "status": "draft",
                       "audience": "internal", "processes": [], "clauses": []})
    # the placeholders are the manual's text: in its language (or --lang)
    sections = "".join(f"## {section}\n\n" + _("Write the {section} here.").format(section=section.lower()) + "\n\n"
                       for section in kind.required_sections)
    rel = f"documents/{urls.slug(doc_type)}s/{doc_id}-{urls.slug(title)[:50]}.md"
    _write(root, rel, f"---\n{front}---\n# {title}\n\n{sections or _('Write the document here.')}".rstrip() + "\n")


@new_app.command("process")
def new_process(
    process_id: Annotated[str, typer.Option("--id", help="The process id, e.g. maintenance.")],
    name: Annotated[str, typer.Option("--name", help="The process's name.")],
    category: Annotated[str, typer.Option("--category", help="`management`, `core` or `support`.")],
    owner: Annotated[str, typer.Option("--owner", help="The owning role.")],
    parent: Annotated[str | None, typer.Option("--parent", help="The parent process, for a sub-process.")] = None,
    path: ManualPath = None,
    manual_dir: ManualOption = None,
) -> None:
    """A new process file with everything a process needs to be complete, to be filled in."""
    check_choice(category, ("management", "core", "support"), "category")
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    check_id(process_id, "process id")
    if process_id in {p.id for p in manual.processes}:
        raise ConfigError(_("process '{process}' exists already").format(process=process_id),
                          _("Choose another id."))
    if process_id in _ever(root).processes:
        raise ConfigError(_("process '{process}' existed earlier in Git").format(process=process_id),
                          _("Ids are never reused: choose another."))
    # customer, inputs and outputs are left out: `qms validate` names them (QMS-PROC-001) until they are there
    data: dict[str, object] = {"id": process_id, "name": name, "category": category, "owner": owner, "parent": parent,
            "purpose": _("Say in one sentence why this process exists and for whom."),
            "resources": [], "documents": [], "forms": [], "kpis": [], "clauses": []}
    if parent is None:
        del data["parent"]
    rel = f"processes/{process_id}.yaml"
    _write(root, rel, modeline("process", rel) + dump_yaml(data))
    stdout().print(escape(_("Fill in customer, inputs and outputs; `qms validate` says what is still missing.")))


@new_app.command("form")
def new_form(
    form_id: Annotated[str, typer.Option("--id", help="The form id, e.g. maintenance-log.")],
    title: Annotated[str, typer.Option("--title", help="The form's title.")],
    prefix: Annotated[str, typer.Option("--prefix", help="Record id prefix, 2-6 capital letters.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
) -> None:
    """A new form template with one field to start from."""
    check_id(form_id, "form id")
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    if not re.fullmatch(r"[A-Z]{2,6}", prefix) or prefix in {f.record_prefix for f in manual.forms}:
        raise ConfigError(_("record prefix '{prefix}' is taken or not 2-6 capital letters").format(prefix=prefix),
                          _("e.g. --prefix ML"))
    if form_id in {f.id for f in manual.forms}:
        raise ConfigError(_("form '{form}' exists already").format(form=form_id), _("Choose another id."))
    ever = _ever(root)
    if form_id in ever.forms:
        raise ConfigError(_("form '{form}' existed earlier in Git").format(form=form_id),
                          _("Ids are never reused: choose another."))
    if prefix in ever.record_prefixes:
        raise ConfigError(_("record prefix '{prefix}' was used by a form earlier in Git").format(prefix=prefix),
                          _("Records of the old form keep their ids: choose another prefix."))
    data: dict[str, object] = {"id": form_id, "title": title, "record_prefix": prefix, "processes": [], "clauses": [],
            "fields": [{"id": "date", "label": _("Date"), "type": "date", "required": True}]}
    rel = f"forms/{form_id}.yaml"
    _write(root, rel, modeline("form", rel) + dump_yaml(data))
