"""`qms records [list]` and `qms records import`: records from people who never touch Git (survey exports)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from qmskit.cli.app import ManualPath, acting_person, app, resolve_manual, stderr, stdout
from qmskit.cli.records import records_list
from qmskit.diagnostics import Diagnostic, Severity
from qmskit.errors import ConfigError, ExitCode, QmsError
from qmskit.loading import schemas
from qmskit.loading.load import load_manual
from qmskit.loading.yamlsource import parse_yaml
from qmskit.model import Form, ImportMapping, Manual
from qmskit.records.forms import REFERENCE_KINDS
from qmskit.records.intake import IMPORTS_FOLDER, mapping_problems, plan_import, provisional_problems
from qmskit.records.sheets import read_sheet
from qmskit.records.store import NewRecord, create, create_many
from qmskit.rules.context import Context
from qmskit.rules.imports import check_imports
from qmskit.vcs import gitrepo

MAX_LISTED = 200  # problems printed; the count says how many more


class ListByDefault(TyperGroup):
    """`qms records` and `qms records FORM ...` list records, as they always have; `qms records import` imports."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click.Context, vendored by typer
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["list", *args]
        return super().parse_args(ctx, args)


records_app = typer.Typer(cls=ListByDefault, help="List records (the default) or import them from a survey export.")
app.add_typer(records_app, name="records")
records_app.command("list")(records_list)


@records_app.command("import")
def records_import(
    name: Annotated[str, typer.Argument(metavar="MAPPING", help=f"The import mapping: {IMPORTS_FOLDER}/MAPPING.yaml "
                                                                "in the manual.")],
    source: Annotated[Path, typer.Argument(metavar="FILE", help="The export: .csv (comma, semicolon or tab) or "
                                                                ".xlsx.")],
    path: ManualPath = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Write the good rows and report the bad "
                                                                      "ones (default: any bad row writes "
                                                                      "nothing).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row, write nothing.")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the new records in one commit.")] = False,
    by: Annotated[str | None, typer.Option("--by", help="Who enters them (a person id). Default: the mapping's "
                                                        "created_by, else the git user.")] = None,
) -> None:
    """Import a survey tool's export as records: every row checked first; a response imported before is skipped."""
    root = resolve_manual(path)
    loaded = load_manual(root, use_cache=True)
    manual = loaded.manual
    mapping = _mapping(root, name, manual, loaded.diagnostics)
    form = next((f for f in manual.forms if f.id == mapping.form), None)
    if form is None:
        raise ConfigError(f"{IMPORTS_FOLDER}/{name}.yaml: no form '{mapping.form}'",
                          f"Forms: {', '.join(sorted(f.id for f in manual.forms))}.")
    sheet = read_sheet(source, encoding=mapping.encoding, delimiter=mapping.delimiter, sheet=mapping.sheet)
    unusable = mapping_problems(mapping, sheet.columns)
    if unusable:
        raise ConfigError(f"{IMPORTS_FOLDER}/{name}.yaml does not fit {source.name}: {unusable[0]}",
                          "\n".join(unusable[1:]) or "Fix the mapping or the export's column headings.")
    imported = {r.source.get("id", "") for r in manual.records
                if r.form == form.id and r.source.get("kind") == "import" and r.source.get("name") == name}
    plan = plan_import(mapping, form, sheet.rows, imported, _references(manual))
    out = stdout()
    for problem in plan.problems[:MAX_LISTED]:
        out.print(f"{escape(source.name)} {escape(str(problem))}", highlight=False)
    if len(plan.problems) > MAX_LISTED:
        out.print(f"... and {len(plan.problems) - MAX_LISTED} more problems")
    bad_rows = len({p.where for p in plan.problems})
    if plan.problems and not skip_invalid:
        raise typer.Exit(_refuse(bad_rows, len(sheet.rows)))
    summary = f"{len(plan.records)} new, {plan.already} imported before, {bad_rows} invalid"
    if dry_run or not plan.records:
        out.print(f"{'Checked' if dry_run else 'Nothing to import'}: {summary}; nothing written")
        raise typer.Exit(ExitCode.FINDINGS if plan.problems else ExitCode.OK)
    history = gitrepo.read_history(root)
    file = history.of(form.origin.path) if history.usable else None
    revision = file.latest.number if file and file.latest and form.origin.path not in history.uncommitted else 0
    person = acting_person(root, manual, by or mapping.created_by or None)
    now = datetime.now().astimezone()
    news = [NewRecord(form, revision, now, person, p.values, {"kind": "import", "name": name, "id": p.response})
            for p in plan.records]
    written = create_many(root, news, history)
    out.print(f"Imported {len(written)} records ({written[0].id} to {written[-1].id}) into "
              f"records/{escape(form.id)}/: {summary}")
    if commit:
        sha = gitrepo.commit_files(root, [w.rel for w in written],
                                   f"Import {len(written)} {form.title} records from {source.name} "
                                   f"(mapping {name})")
        out.print(f"Committed {sha[:10]}")
    if plan.problems:
        raise typer.Exit(ExitCode.FINDINGS)


def _refuse(bad_rows: int, rows: int) -> int:
    stderr().print(f"[red]Nothing imported:[/] {bad_rows} of {rows} rows are invalid (listed above). Fix them in "
                   "the export or the mapping, or import the good rows with --skip-invalid.")
    return int(ExitCode.FINDINGS)


def _mapping(root: Path, name: str, manual: Manual, diagnostics: list[Diagnostic]) -> ImportMapping:
    if not name or "/" in name or "\\" in name or name.startswith(".") or len(name) > 100:
        raise ConfigError(f"'{name}' is not a mapping name", f"Give the name of a file in {IMPORTS_FOLDER}/, "
                                                             "without .yaml.")
    rel = f"{IMPORTS_FOLDER}/{name}.yaml"
    misfits = list(check_imports(Context.of(manual)))
    mine = [d for d in [*diagnostics, *misfits] if d.location.path == rel and d.severity is Severity.ERROR]
    if mine:  # the mapping file itself is broken: say where, as validate would
        raise ConfigError(str(mine[0]), mine[0].hint)
    mapping = next((m for m in manual.imports if m.origin.path == rel), None)
    if mapping is None:
        known = sorted(m.name for m in manual.imports)
        raise ConfigError(f"no import mapping {rel}", f"Mappings: {', '.join(known)}." if known else
                          f"Write {rel} (see the README, Importing survey exports).")
    return mapping


def _references(manual: Manual) -> dict[str, set[str]]:
    """Ids by the kinds reference fields name (customer -> party)."""
    groups = {kind: {item.id for item in items} for kind, items in manual.groups()}
    return {kind: groups.get(kind, set()) for kind in set(REFERENCE_KINDS.values())}


MAX_RECORD_BYTES = 1_000_000


@records_app.command("add")
def records_add(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Record files made by the site's forms "
                                                                      "(provisional ids like CF-2026-NEW-1a2b3c4d).")],
    path: Annotated[Path | None, typer.Option("--manual", "-C", help="The manual's folder. Default: the "
                                                                     "nearest qms.yaml at or above here.")] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the numbered records (and the removal of "
                                                          "provisional files that were committed).")] = False,
) -> None:
    """Give records filled in on the site their next free ids: every file checked first, then all written."""
    root = resolve_manual(path)
    manual = load_manual(root, use_cache=True).manual
    forms = {f.id: f for f in manual.forms}
    people = {p.id for p in manual.people}
    references = _references(manual)
    checked: list[tuple[Path, NewRecord]] = []
    problems: list[str] = []
    for file in files:
        found = _provisional(file, forms, people, references)
        if isinstance(found, list):
            problems += [f"{file}: {problem}" for problem in found]
        else:
            checked.append((file, found))
    out = stdout()
    if problems:
        for problem in problems[:MAX_LISTED]:
            out.print(escape(problem), highlight=False)
        raise QmsError(f"nothing added: {len(problems)} problems in {len(files)} files (listed above)",
                       "Fix the files (or the manual's ids they name) and add them again.")
    history = gitrepo.read_history(root)
    to_commit: list[str] = []
    for file, new in checked:
        written = create(root, new, history)
        out.print(f"{escape(file.name)} -> {escape(written.id)} ({escape(written.rel)})", highlight=False)
        to_commit.append(written.rel)
        inside = _inside(root, file)
        if inside is not None:  # a provisional file proposed into the manual gives way to the numbered one
            file.unlink()
            if history.usable and history.of(inside) is not None:
                to_commit.append(inside)
    if commit:
        sha = gitrepo.commit_files(root, to_commit, f"Add {len(checked)} records filled in on the site")
        out.print(f"Committed {sha[:10]}")


def _inside(root: Path, file: Path) -> str | None:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _provisional(file: Path, forms: dict[str, Form], people: set[str],
                 references: dict[str, set[str]]) -> NewRecord | list[str]:
    """A provisional record file -> the record to write, or what is wrong with it."""
    data, found = _record_file(file)
    if data is None:
        return found
    form, found = provisional_problems(data, forms, people, references)
    if form is None or found:
        return found
    source = data.get("source")
    token = source.get("id") if isinstance(source, dict) else None
    return NewRecord(form, int(data.get("form_revision") or 0), datetime.fromisoformat(str(data["created_at"])),
                     str(data["created_by"]), dict(data.get("values") or {}),
                     {"kind": "site-form", "id": str(token or data["id"])})


def _record_file(file: Path) -> tuple[dict[str, Any] | None, list[str]]:
    try:
        if file.stat().st_size > MAX_RECORD_BYTES:
            return None, ["larger than a record can be"]
        text = file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"cannot be read as UTF-8 text: {exc}"]
    parsed = parse_yaml(text, file.name)
    if parsed.diagnostics:
        return None, [str(d) for d in parsed.diagnostics]
    found = [p.message for p in schemas.check("record", parsed.data)]
    return (None, found) if found else (parsed.data, [])
