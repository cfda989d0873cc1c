"""`qms records [list]` and `qms records import`: records from people who never touch Git (survey exports)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from qmskit.atomic import write_bytes
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    OutputOption,
    QmsGroup,
    QmsTyper,
    acting_person,
    app,
    check_choice,
    complete_choices,
    emit,
    escape,
    resolve_manual,
    speak,
    stderr,
    stdout,
)
from qmskit.cli.records import form_app, records_list
from qmskit.diagnostics import Diagnostic, Severity
from qmskit.errors import ConfigError, ExitCode, QmsError
from qmskit.i18n import _
from qmskit.loading import schemas
from qmskit.loading.load import load_manual
from qmskit.loading.yamlsource import dump_yaml, parse_yaml
from qmskit.model import Form, ImportMapping, Manual
from qmskit.records.forms import REFERENCE_KINDS
from qmskit.records.intake import IMPORTS_FOLDER, RowProblem, mapping_problems, plan_import, provisional_problems
from qmskit.records.issueforms import github_issue_form, gitlab_issue_template, issue_values, label_of
from qmskit.records.sheets import read_sheet
from qmskit.records.store import NewRecord, create, create_many
from qmskit.rules.context import Context
from qmskit.rules.imports import check_imports
from qmskit.vcs import gitrepo
from qmskit.vcs.issues import Issue, github_issues, gitlab_issues
from qmskit.wording import quantity

MAX_LISTED = 200  # problems printed; the count says how many more


def default_to(command: str) -> type[QmsGroup]:
    """A command group that runs `command` when its first argument names no other subcommand, so that
    `qms records FORM` lists as it always has while `qms records import` imports."""

    class DefaultGroup(QmsGroup):
        def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click.Context, vendored by typer
            if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
                args = [command, *args]
            return super().parse_args(ctx, args)

    return DefaultGroup


records_app = QmsTyper(cls=default_to("list"), help="List records (the default), import or add them.")
import_app = QmsTyper(cls=default_to("file"), help="Import records: from a survey export (the default, "
                                                   "MAPPING FILE) or from forge issues.")
app.add_typer(records_app, name="records")
records_app.add_typer(import_app, name="import")
records_app.command("list")(records_list)

SkipInvalid = Annotated[bool, typer.Option("--skip-invalid", help="Write the good ones and report the bad ones "
                                                                  "(default: anything bad writes nothing).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check everything, write nothing.")]
Commit = Annotated[bool, typer.Option("--commit", help="Commit the new records in one commit.")]
By = Annotated[str | None, typer.Option("--by", help="Who enters them (a person id). Default: the git user.")]


@dataclass(frozen=True, slots=True)
class Incoming:
    """A record about to be written by an import, and where it came from."""

    values: dict[str, Any]
    source: dict[str, str]
    created_at: datetime | None = None  # None: now
    created_by: str = ""  # "" = the person running the import


@import_app.command("file")
def records_import(
    name: Annotated[str, typer.Argument(metavar="MAPPING", help=f"The import mapping: {IMPORTS_FOLDER}/MAPPING.yaml "
                                                                "in the manual.")],
    source: Annotated[Path, typer.Argument(metavar="FILE", help="The export: .csv (comma, semicolon or tab) or "
                                                                ".xlsx.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    skip_invalid: SkipInvalid = False,
    dry_run: DryRun = False,
    commit: Commit = False,
    by: By = None,
) -> None:
    """Import a survey tool's export as records: every row checked first; a response imported before is skipped."""
    root = resolve_manual(path, manual_dir)
    loaded = load_manual(root, use_cache=True)
    speak(loaded.manual)
    manual = loaded.manual
    mapping = _mapping(root, name, manual, loaded.diagnostics)
    form = _form(manual, mapping.form)
    sheet = read_sheet(source, encoding=mapping.encoding, delimiter=mapping.delimiter, sheet=mapping.sheet)
    unusable = mapping_problems(mapping, sheet.columns)
    if unusable:
        raise ConfigError(_("{mapping} does not fit {file}: {problem}").format(
            mapping=f"{IMPORTS_FOLDER}/{name}.yaml", file=source.name, problem=unusable[0]),
                          "\n".join(unusable[1:]) or _("Fix the mapping or the export's column headings."))
    plan = plan_import(mapping, form, sheet.rows, _imported(manual, form, "import", name), _references(manual))
    incoming = [Incoming(p.values, {"kind": "import", "name": name, "id": p.response}) for p in plan.records]
    _land(root, manual, form, incoming, plan.already, list(plan.problems), len(sheet.rows),
          _Options(skip_invalid, dry_run, commit, by or mapping.created_by or None,
                   f"from {source.name} (mapping {name})", source.name))


@import_app.command("github-issues")
def records_import_github(
    form_id: Annotated[str, typer.Argument(metavar="FORM", help="The form the issues were filled in with.")],
    repo: Annotated[str, typer.Option("--repo", help="OWNER/NAME of the GitHub repository.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    api: Annotated[str | None, typer.Option("--api", help="The REST API address. Default: $GITHUB_API_URL, else "
                                                          "https://api.github.com.")] = None,
    skip_invalid: SkipInvalid = False,
    dry_run: DryRun = False,
    commit: Commit = False,
    by: By = None,
) -> None:
    """Records from issues submitted with the form's GitHub issue form (label qms:FORM); token from $GITHUB_TOKEN."""
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    form = _form(manual, form_id)
    _from_issues(root, manual, form, github_issues(repo, label_of(form), api), "github-issue", repo,
                 _Options(skip_invalid, dry_run, commit, by, f"from GitHub issues of {repo}", repo))


@import_app.command("gitlab-issues")
def records_import_gitlab(
    form_id: Annotated[str, typer.Argument(metavar="FORM", help="The form the issues were filled in with.")],
    project: Annotated[str, typer.Option("--project", help="GROUP/PROJECT (or the numeric id) on GitLab.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    api: Annotated[str | None, typer.Option("--api", help="The REST API address. Default: $CI_API_V4_URL, else "
                                                          "https://gitlab.com/api/v4.")] = None,
    skip_invalid: SkipInvalid = False,
    dry_run: DryRun = False,
    commit: Commit = False,
    by: By = None,
) -> None:
    """Records from issues made with the form's GitLab issue template (label qms:FORM); token from $GITLAB_TOKEN."""
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    form = _form(manual, form_id)
    _from_issues(root, manual, form, gitlab_issues(project, label_of(form), api), "gitlab-issue", project,
                 _Options(skip_invalid, dry_run, commit, by, f"from GitLab issues of {project}", project))


@dataclass(frozen=True, slots=True)
class _Options:
    skip_invalid: bool
    dry_run: bool
    commit: bool
    by: str | None
    origin: str  # for the commit message: "from export.csv (mapping survey)"
    source_name: str  # prefixes each listed problem


def _from_issues(root: Path, manual: Manual, form: Form, issues: Iterable[Issue], kind: str, name: str,
                 options: _Options) -> None:
    done = _imported(manual, form, kind, name)
    references = _references(manual)
    logins = {p.github.lower(): p.id for p in manual.people if p.github} if kind == "github-issue" else {}
    incoming: list[Incoming] = []
    problems: list[RowProblem] = []
    already = total = 0
    for issue in issues:
        total += 1
        if issue.number in done:
            already += 1
            continue
        found = issue_values(form, issue.number, issue.body, references)
        if isinstance(found, list):
            problems += found
            continue
        source = {"kind": kind, "name": name, "id": issue.number, "url": issue.url}
        if issue.author:
            source["author"] = issue.author
        # the forge signed the author in: the record is theirs when the manual knows their login
        incoming.append(Incoming(found.values, source, _moment(issue.created_at), logins.get(issue.author.lower(), "")))
    _land(root, manual, form, incoming, already, problems, total, options)


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text).astimezone() if text else None
    except ValueError:
        return None


def _land(root: Path, manual: Manual, form: Form, incoming: list[Incoming], already: int,
          problems: list[RowProblem], total: int, options: _Options) -> None:
    """Report, then write all new records (or none) and commit them: the end of every import."""
    out = stdout()
    for problem in problems[:MAX_LISTED]:
        out.print(f"{escape(options.source_name)} {escape(str(problem))}", highlight=False)
    if len(problems) > MAX_LISTED:
        out.print(escape(_("... and {count} more problems").format(count=len(problems) - MAX_LISTED)))
    bad = len({p.where for p in problems})
    if problems and not options.skip_invalid:
        raise typer.Exit(_refuse(bad, total))
    summary = _("{new} new, {before} imported before, {invalid} invalid").format(new=len(incoming), before=already,
                                                                               invalid=bad)
    if options.dry_run or not incoming:
        said = _("Checked: {summary}; nothing written") if options.dry_run else _(
            "Nothing to import: {summary}; nothing written")
        out.print(escape(said.format(summary=summary)))
        raise typer.Exit(ExitCode.FINDINGS if problems else ExitCode.OK)
    history = gitrepo.read_history(root)
    file = history.of(form.origin.path) if history.usable else None
    revision = file.latest.number if file and file.latest and form.origin.path not in history.uncommitted else 0
    person = acting_person(root, manual, options.by)
    now = datetime.now().astimezone()
    news = [NewRecord(form, revision, item.created_at or now, item.created_by or person, item.values, item.source)
            for item in incoming]
    if not options.commit:
        written = create_many(root, news, history)
    else:  # the records and their commit go together, as for `record new --commit`
        with gitrepo.writer_lock(root):
            written = create_many(root, news, history)
            sha = _commit_or_take_back(root, [w.rel for w in written], [],
                                       f"Import {len(written)} {form.title} records {options.origin}")
    out.print(escape(_("Imported {records} ({first} to {last}) into {folder}: {summary}").format(
        records=quantity(len(written), "record"), first=written[0].id, last=written[-1].id,
        folder=f"records/{form.id}/", summary=summary)))
    if options.commit:
        out.print(_("Committed {commit}").format(commit=sha[:10]))
    if problems:
        raise typer.Exit(ExitCode.FINDINGS)


def _form(manual: Manual, form_id: str) -> Form:
    form = next((f for f in manual.forms if f.id == form_id), None)
    if form is None:
        raise ConfigError(_("no form '{form}'").format(form=form_id),
                          _("Forms: {forms}.").format(forms=", ".join(sorted(f.id for f in manual.forms))))
    return form


def _imported(manual: Manual, form: Form, kind: str, name: str) -> set[str]:
    """Ids (response ids, issue numbers) an earlier import of this source already brought in."""
    return {r.source.get("id", "") for r in manual.records
            if r.form == form.id and r.source.get("kind") == kind and r.source.get("name") == name}


def _refuse(bad: int, total: int) -> int:
    label = _("Nothing imported:")
    stderr().print(f"[red]{escape(label)}[/] " + escape(_(
        "{bad} of {total} are invalid (listed above). Fix them where they come from (the export, the mapping or "
        "the issue), or import the good ones with --skip-invalid.").format(bad=bad, total=total)))
    return int(ExitCode.FINDINGS)


def _mapping(root: Path, name: str, manual: Manual, diagnostics: list[Diagnostic]) -> ImportMapping:
    if not name or "/" in name or "\\" in name or name.startswith(".") or len(name) > 100:
        raise ConfigError(_("'{name}' is not a mapping name").format(name=name),
                          _("Give the name of a file in {folder}/, without .yaml.").format(folder=IMPORTS_FOLDER))
    rel = f"{IMPORTS_FOLDER}/{name}.yaml"
    misfits = list(check_imports(Context.of(manual)))
    mine = [d for d in [*diagnostics, *misfits] if d.location.path == rel and d.severity is Severity.ERROR]
    if mine:  # the mapping file itself is broken: say where, as validate would
        raise ConfigError(str(mine[0]), mine[0].hint)
    mapping = next((m for m in manual.imports if m.origin.path == rel), None)
    if mapping is None:
        known = sorted(m.name for m in manual.imports)
        raise ConfigError(_("no import mapping {file}").format(file=rel),
                          _("Mappings: {names}.").format(names=", ".join(known)) if known else
                          _("Write {file} (see the README, Importing survey exports).").format(file=rel))
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
    manual_dir: ManualOption = None,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the numbered records (and the removal of "
                                                          "provisional files that were committed).")] = False,
) -> None:
    """Give records filled in on the site their next free ids: every file checked first, then all written."""
    root = resolve_manual(None, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
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
        raise QmsError(_("nothing added: {problems} problems in {files} files (listed above)").format(
            problems=len(problems), files=len(files)),
                       _("Fix the files (or the manual's ids they name) and add them again."))
    history = gitrepo.read_history(root)
    with gitrepo.writer_lock(root) if commit else contextlib.nullcontext():
        written_paths: list[str] = []
        replaced: dict[str, bytes] = {}  # provisional files in the manual: given back if the commit fails
        for file, new in checked:
            written = create(root, new, history)
            out.print(f"{escape(file.name)} -> {escape(written.id)} ({escape(written.rel)})", highlight=False)
            written_paths.append(written.rel)
            inside = _inside(root, file)
            if inside is not None:  # a provisional file proposed into the manual gives way to the numbered one
                replaced[inside] = file.read_bytes()
                file.unlink()
        if commit:
            tracked = [rel for rel in replaced if history.usable and history.of(rel) is not None]
            try:
                sha = _commit_or_take_back(root, written_paths, tracked,
                                           f"Add {len(checked)} records filled in on the site")
            except QmsError:
                for rel, data in replaced.items():
                    write_bytes(root / rel, data, overwrite=False)
                raise
            out.print(_("Committed {commit}").format(commit=sha[:10]))


def _commit_or_take_back(root: Path, written: list[str], removed: list[str], message: str) -> str:
    """Commit new records (and the removal of files they replace); if the commit fails, take the new records
    back so that a reported failure leaves nothing written."""
    try:
        return gitrepo.commit_files(root, [*written, *removed], message)
    except QmsError as failed:
        for rel in written:
            (root / rel).unlink(missing_ok=True)
        with contextlib.suppress(QmsError):
            gitrepo.unstage(root, written)
        raise QmsError(_("{problem}; nothing was recorded").format(problem=failed.message),
                       failed.hint) from failed


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
            return None, [_("larger than a record can be")]
        text = file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [_("cannot be read as UTF-8 text: {problem}").format(problem=exc)]
    parsed = parse_yaml(text, file.name)
    if parsed.diagnostics:
        return None, [d.line() for d in parsed.diagnostics]
    found = [p.said.text() for p in schemas.check("record", parsed.data)]
    return (None, found) if found else (parsed.data, [])


EXPORTS = ("github-issue-form", "gitlab-issue-template")


@form_app.command("export")
def form_export(
    form_id: Annotated[str, typer.Argument(metavar="FORM")],
    to: Annotated[str, typer.Option("--to", autocompletion=complete_choices(EXPORTS),
                                    help="`github-issue-form` (.github/ISSUE_TEMPLATE/FORM.yml) or "
                                         "`gitlab-issue-template` (.gitlab/issue_templates/FORM.md).")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output: OutputOption = None,
) -> None:
    """The form as a forge issue form, so records can be submitted as issues (import them with
    `qms records import github-issues|gitlab-issues FORM`)."""
    check_choice(to, EXPORTS, "--to")
    root = resolve_manual(path, manual_dir)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    form = _form(manual, form_id)
    if to == "github-issue-form":
        text = "# Made by `qms form export` from the quality manual's form; re-export after changing the form.\n"
        emit(text + dump_yaml(github_issue_form(form, manual)), output)
    else:
        emit(gitlab_issue_template(form, manual), output)
