"""Document control commands: register, history, approve, approvals import, changes, release."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from qmskit.check import check_manual, control_of, document_withdrawals
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    OutputOption,
    QmsTyper,
    TodayOption,
    acting_person,
    app,
    check_choice,
    complete_choices,
    emit,
    escape,
    parse_day,
    resolve_manual,
    speak,
    stderr,
    stdout,
)
from qmskit.cli.tables import show
from qmskit.control import release as releasing
from qmskit.control.asof import register_at
from qmskit.control.changes import KIND_NAMES, STATUS_NAMES, changes_since, render_markdown
from qmskit.control.register import FORGES, LEVEL_LABELS, DocumentControl, Verdict
from qmskit.control.translations import state_text, state_words, translation_states, with_translations
from qmskit.diagnostics import Diagnostic, Severity
from qmskit.errors import ConfigError, ExitCode, RepoError
from qmskit.i18n import N_, _, format_date, pgettext
from qmskit.loading.load import load_manual
from qmskit.model import Manual
from qmskit.tables import TABLE_FORMATS, TableData
from qmskit.vcs import gitrepo
from qmskit.vcs.forge import effective_time
from qmskit.vcs.github import GitHubClient
from qmskit.vcs.gitlab import GitLabClient
from qmskit.vcs.history import Approval, History, Identity, note_fields, note_line, signed_payload
from qmskit.wording import quantity

FormatOption = Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(TABLE_FORMATS)}.",
                                           autocompletion=complete_choices(TABLE_FORMATS))]
MEANINGS = ("approved", "reviewed", "released")
_MEANING_WORDS = (N_("approved"), N_("reviewed"), N_("released"))  # as `qms approve` reports them
# where an approval was recorded, as `qms history` shows it (forges and `qms approve` are names)
_SOURCE_WORDS = {"trailer": N_("trailer"), "note": N_("note"), "baseline": N_("baseline")}

approvals_app = QmsTyper(help="Bring approvals recorded elsewhere (pull request reviews) into Git notes.",
                            no_args_is_help=True)
app.add_typer(approvals_app, name="approvals")


def _control(root: Path, manual: Manual, history: History) -> DocumentControl:
    """Judged by the last approved policy, as `qms validate` judges (never by the work tree's qms.yaml)."""
    return control_of(root, manual, history)


def _load(path: Path | None, manual_dir: Path | None, documents: bool = False) -> tuple[Path, Manual, History]:
    root = resolve_manual(path, manual_dir)
    with gitrepo.start_history(root) as pending:  # git reads the history while the manual loads
        manual = load_manual(root, use_cache=True).manual
        speak(manual, documents=documents)  # the PR comment is a document
        history = pending()
    if not history.available:
        raise RepoError(_("no Git history: {reason}").format(reason=history.reason),
                        _("Document control reads revisions from Git."))
    if history.shallow:
        raise RepoError(_("the repository is a shallow clone, so revisions would be wrong"),
                        _("Fetch the full history: `git fetch --unshallow` (CI: fetch-depth: 0 / GIT_DEPTH: 0)."))
    return root, manual, history


REGISTER_COLUMNS = (N_("ID"), N_("Title"), N_("Type"), N_("Owner"), N_("Rev"), N_("Effective"), N_("Approved by"),
                    N_("Evidence"), N_("Next review"), N_("Status"), N_("Pending approval"))
REGISTER_KEYS = ("id", "title", "type", "owner", "revision", "effective", "approved_by", "evidence", "next_review",
                 "status", "pending")
# A register row's status words (draft, active, obsolete; never committed, uncommitted changes), marked for the
# catalogue with this context where the site shows them
STATUS_WORDS = frozenset({"draft", "active", "obsolete", "never committed", "uncommitted changes"})


@app.command()
def register(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output_format: FormatOption = "text",
    output: OutputOption = None,
    at: Annotated[str | None, typer.Option("--at", help="The register as it stood on this day (YYYY-MM-DD): "
                                                         "what was effective then.")] = None,
) -> None:
    """The master list of documents: each one's effective (last approved) revision, and what is pending approval.

    Shows when each revision became effective, who approved it and on what evidence, and the next review; a
    newer revision or an uncommitted change is shown apart, as pending approval, never as the effective one."""
    check_choice(output_format, TABLE_FORMATS, "format")
    root, manual, history = _load(path, manual_dir)
    when = parse_day(at, "--at")
    control = _control(root, manual, history)
    rows = register_at(root, manual, history, when, control) if when else control.register()
    title = (_("Document register on {day} — {organisation}") if when else _("Document register — {organisation}")
             ).format(day=format_date(when) if when else "", organisation=manual.config.organisation)
    records = [r.as_dict() for r in rows]
    said: dict[str, str] = {}
    if not when:  # translations after their documents, with their state (decision 0030)
        states = translation_states(manual, history, control)
        records = with_translations(records, states, control)
        said = {state_text(found): state_words(found) for found in states}

    def status(value: Any) -> str:  # "active, uncommitted changes" for people; JSON and CSV keep the English
        return said.get(str(value)) or ", ".join(pgettext("document status", part) if part in STATUS_WORDS else part
                                                 for part in str(value).split(", "))

    waiting = {r.pending: r.pending_said.text() for r in rows if r.pending_said is not None}

    def pending(value: Any) -> str:  # "pending approval: revision 2 (...)" for people
        return waiting.get(str(value), str(value))

    def evidence(value: Any) -> str:  # how strong each approval's evidence is, in qmskit's words
        labels = value if isinstance(value, list | tuple) else [value]
        return ", ".join(_(label) if label in LEVEL_LABELS.values() else str(label) for label in labels)

    show(TableData.of(title, REGISTER_COLUMNS, records, REGISTER_KEYS,
                      words={"status": status, "pending": pending, "evidence": evidence}), output_format, output)


@app.command()
def history(
    document: Annotated[str, typer.Argument(help="The document id, e.g. PRO-001.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output_format: FormatOption = "text",
    output: OutputOption = None,
) -> None:
    """A document's revisions on the main line, with who wrote and who approved each one."""
    check_choice(output_format, TABLE_FORMATS, "format")
    root, manual, log = _load(path, manual_dir)
    doc = next((d for d in manual.documents if d.id == document), None)
    if doc is None:
        raise ConfigError(_("no document '{document}'").format(document=document),
                          _("List the documents with `qms register`."))
    file = log.of(doc.origin.path)
    control = _control(root, manual, log)
    records = []
    said: dict[str, str] = {}  # an approver as `describe()` writes it (English, for JSON) -> in the language
    for revision in reversed(file.revisions if file else ()):
        verdicts = control.verdicts(doc, revision)
        said.update({v.describe(): _approver(v) for v in verdicts})
        records.append({
            "revision": revision.number, "date": revision.date[:10], "commit": revision.commit.sha[:10],
            "authors": sorted(revision.authors), "committers": sorted(revision.committers),
            "change": revision.commit.subject, "approved_at": control.approved_at(doc, revision)[:10],
            "approved_by": [v.describe() for v in verdicts if v.counts],
            "not_counted": [f"{v.describe()}: {v.problem}" for v in verdicts if v.problem],
            "path": revision.path,
        })
    columns = (N_("Rev"), N_("Date"), N_("Commit"), N_("Authors"), N_("Committers"), N_("Change"), N_("Approved"),
               N_("Approved by"), N_("Not counted"))
    keys = ("revision", "date", "commit", "authors", "committers", "change", "approved_at", "approved_by",
            "not_counted")
    show(TableData.of(_("{id} {title} — history").format(id=doc.id, title=doc.title), columns, records, keys,
                      words={"approved_by": lambda approvers: ", ".join(said.get(a, a) for a in approvers)}),
         output_format, output)


def _approver(verdict: Verdict) -> str:
    """Who approved, in what meaning, where it was recorded and how strong the evidence is, in the language:
    "Mikko Heinonen (hyväksytty, trailer, ilmoitettu, ei varmennettu)"."""
    approval = verdict.approval
    who = verdict.person.name if verdict.person else str(approval.who)
    label = verdict.label
    where = "" if approval.source == label else _(_SOURCE_WORDS.get(approval.source, approval.source)) + ", "
    return f"{who} ({_(approval.meaning)}, {where}{_(label)})"


@app.command()
def approve(
    documents: Annotated[list[str], typer.Argument(metavar="DOC...", help="Document ids to approve (their latest "
                                                                          "revision, or their deletion).")],
    manual_dir: ManualOption = None,  # no positional manual: it would swallow the last document id
    meaning: Annotated[str, typer.Option("--meaning", help="`approved`, `reviewed` or `released`.")] = "approved",
    sign: Annotated[bool, typer.Option("--sign", help="Sign the approval with your SSH signing key (git's "
                                                      "`gpg.format ssh` and `user.signingkey`).")] = False,
) -> None:
    """Record your approval of documents' latest revisions in Git notes (refs/notes/qms).

    Share notes with `git push origin refs/notes/qms` and fetch them with
    `git fetch origin refs/notes/qms:refs/notes/qms`.
    """
    check_choice(meaning, MEANINGS, "meaning")
    folders = [d for d in documents if Path(d).is_dir()]
    if folders:  # the manual was once a second positional argument: say where it goes now
        raise ConfigError(_("'{folder}' is a folder, not a document id").format(folder=folders[0]),
                          _("Pass the manual's folder with --manual {folder}, or run the command inside it.").format(
                              folder=folders[0]))
    root, manual, log = _load(None, manual_dir)
    control = _control(root, manual, log)
    deleted = {w.document.id: w for w in document_withdrawals(root, manual, log) if w.kind == "deleted"}
    # every id is checked before anything is approved, and before asking git who approves: a mistyped id says so
    targets = []
    for document_id in documents:
        doc = next((d for d in manual.documents if d.id == document_id), None)
        if doc is None and document_id in deleted:  # approving a deletion: a change like any other
            targets.append((deleted[document_id].document, deleted[document_id].revision))
        elif doc is None:
            raise ConfigError(_("no document '{document}'").format(document=document_id),
                              _("List the documents with `qms register`."))
        else:
            file = log.of(doc.origin.path)
            if file is None or file.latest is None:
                raise RepoError(_("{document} has never been committed").format(document=document_id),
                                _("Commit it first, then approve."))
            targets.append((doc, file.latest))
    me = gitrepo.current_identity(root)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    console = stdout()
    for doc, latest in targets:
        signature = ""
        if sign:
            fields = note_fields(me, meaning, when, "qms approve", doc.id)
            signature = gitrepo.sign(root, signed_payload(fields, latest.commit.sha))
        line = note_line(me, meaning, when, "qms approve", doc.id, signature=signature)
        gitrepo.add_note(root, latest.commit.sha, line)
        console.print(escape(_("{meaning} {document} revision {revision} ({commit}) as {person}").format(
            meaning=_(meaning).capitalize(), document=doc.id, revision=latest.number, commit=latest.commit.sha[:10],
            person=me)))
        verdict = control.judge(doc, latest, Approval(me, meaning, when, "qms approve", latest.commit.sha, doc.id,
                                                      level="signed" if sign else "asserted"))
        if verdict.problem:
            warning = _("warning:")
            stderr().print(f"[yellow]{escape(warning)}[/] " + escape(_("this approval will not count: {problem}")
                                                                   .format(problem=str(verdict.problem_message()))))
    console.print(escape(_("Share the approvals: git push origin refs/notes/qms")))


@approvals_app.command("import")
def approvals_import(
    forge: Annotated[str, typer.Argument(help="Where the reviews are: github or gitlab.")],
    repo: Annotated[str, typer.Option("--repo", help="OWNER/NAME on GitHub, the project path or id on GitLab.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    api: Annotated[str | None, typer.Option("--api", help="API address (default $GITHUB_API_URL or "
                                                           "https://api.github.com; $CI_API_V4_URL or "
                                                           "https://gitlab.com/api/v4).")] = None,
) -> None:
    """Copy the approving reviews of merged pull/merge requests into approval notes on their merge commits.

    Reads the token from $GITHUB_TOKEN or $GITLAB_TOKEN. Reviews already imported are not recorded twice. The
    notes are a copy for offline reading: they count as asserted evidence (whoever can push refs/notes/qms
    could write them); forge evidence is read from the forge itself by `qms validate`.
    """
    check_choice(forge, FORGES, "forge")
    root, _manual, log = _load(path, manual_dir)
    existing = {(r.commit.sha, a.who.login) for f in log.files.values() for r in f.revisions
                for a in r.commit.approvals if a.source == forge}
    added = skipped = 0
    client = GitHubClient(repo, api) if forge == "github" else GitLabClient(repo, api)
    for review in client.approvals():
        sha = review.merged_commit
        if (sha, review.login) in existing or not gitrepo.commit_exists(root, sha):
            skipped += 1
            continue
        line = note_line(Identity("", "", review.login), "approved", effective_time(review), forge, "*")
        gitrepo.add_note(root, sha, line)
        existing.add((sha, review.login))
        added += 1
    stdout().print(escape(_("Imported {approvals} from {repo} ({skipped} already there or not in this repository). "
                            "Share them: git push origin refs/notes/qms").format(
        approvals=quantity(added, "approval"), repo=repo, skipped=skipped)))


@app.command()
def changes(
    base: Annotated[str, typer.Option("--base", help="The branch the change goes into, e.g. origin/main.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, markdown or json.")] = "text",
    output: OutputOption = None,
) -> None:
    """What a branch changes in the manual, with old and new revisions and a diff, for reviewers."""
    check_choice(output_format, ("text", "markdown", "json"), "format")
    root, manual, log = _load(path, manual_dir, documents=True)
    items = changes_since(root, manual, log, base)
    if output_format == "json":
        emit(json.dumps([i.as_dict() for i in items], indent=2, ensure_ascii=False) + "\n", output)
    elif output_format == "markdown":
        emit(render_markdown(items, base), output)
    else:
        columns = (N_("Status"), N_("ID"), N_("Title"), N_("Kind"), N_("Revision"), N_("File"))
        records = [{**i.as_dict(), "revision": f"{i.old_revision} → {i.new_revision or '—'}"} for i in items]
        keys = ("status", "id", "title", "kind", "revision", "path")
        words = {"status": lambda letter: _(STATUS_NAMES.get(str(letter), str(letter))),  # "changed", not "M"
                 "kind": lambda kind: _(KIND_NAMES.get(str(kind), str(kind)))}
        show(TableData.of(_("Changes since {base}").format(base=base), columns, records, keys, words=words), "text",
             output)


@app.command()
def release(
    tag: Annotated[str, typer.Argument(help="The tag name, e.g. manual-2026-06.")],
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    accept: Annotated[list[str] | None, typer.Option(
        "--accept", metavar="FINDING", help="Release despite these findings: a rule id (QMS-COMP-002), a family "
        "(QMS-COMP), RULE@FILE, or a finding's id as listed. Repeatable; needs --reason and an approver.")] = None,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why the accepted findings may wait; "
                                                                          "recorded in the tag.")] = "",
    by: Annotated[str | None, typer.Option("--by", metavar="PERSON", help="Who accepts them (a person id). "
                                                                          "Default: the git user.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings block the release too.")] = False,
    today: TodayOption = None,
) -> None:
    """Tag the current manual: an annotated tag listing every controlled document's revision and commit.

    Findings that fail `qms validate` block it; each is listed with its place and id. An approver can accept
    them with --accept (recorded in the tag with who accepted them, when and why).
    """
    root, manual, log = _load(path, manual_dir)
    if log.uncommitted:
        raise RepoError(_("{files} of the manual with uncommitted changes").format(
            files=quantity(len(log.uncommitted), "file")),
                        _("Commit or stash them: a release records committed revisions only."))
    day = parse_day(today) or date.today()
    result = check_manual(root, today=day, history=log)
    threshold = Severity.WARNING if strict else Severity.ERROR
    blocking = [d for d in result.diagnostics if d.severity >= threshold]
    selectors = accept or []
    accepted, remaining, unused = releasing.split(blocking, selectors)
    if unused:
        raise ConfigError(_("--accept {selectors} names no finding that blocks this release").format(
            selectors=", ".join(unused)),
                          _("Accept only what blocks it: a rule id, RULE@FILE or an id from the list."))
    acceptances = _acceptances(root, manual, accepted, reason, by, day.isoformat())
    if remaining:
        console = stderr()
        refused, block = _("qms: release refused:"), _("{findings} block it:").format(
            findings=quantity(len(remaining), "finding"))
        console.print(f"[bold red]{escape(refused)}[/] {escape(block)}")
        for finding in remaining:
            console.print(f"  {escape(releasing.located(finding, for_people=True))}", soft_wrap=True)
        hint = _("hint:")
        console.print(f"[green]{escape(hint)}[/] " + escape(_("Fix them, or let an approver accept them: --accept "
                                                              "RULE|RULE@FILE|ID --reason TEXT [--by PERSON].")))
        raise typer.Exit(ExitCode.FINDINGS)
    rows = _control(root, manual, log).register()
    documents = []
    for row in rows:  # the effective revision of each document: what was approved, not what is newest
        documents.append(f"{row.id} rev {row.revision} {row.commit or '-'} {row.status} {row.path}")
    message = releasing.tag_message(tag, manual.config.organisation, documents, acceptances)
    commit = gitrepo.create_tag(root, tag, message)
    accepted_note = f", {quantity(len(acceptances), 'accepted finding')}" if acceptances else ""
    stdout().print(escape(_("Tagged {tag} at {commit} with {documents}{accepted}. Share it: git push origin {tag}")
                          .format(tag=tag, commit=commit[:10], documents=quantity(len(rows), "document"),
                                  accepted=accepted_note)))


def _acceptances(root: Path, manual: Manual, accepted: list[tuple[Diagnostic, str]], reason: str,
                 by: str | None, day: str) -> list[releasing.Acceptance]:
    if not accepted:
        return []
    if not reason.strip():
        raise ConfigError(_("--accept needs --reason"), _("Say why the findings may wait, e.g. --reason \"licence "
                                                          "renewal booked for 2026-12-10\"."))
    person_id = acting_person(root, manual, by)
    person = next(p for p in manual.people if p.id == person_id)
    refusals = sorted({problem for finding, _ in accepted if (problem := releasing.may_accept(manual, person,
                                                                                               finding))})
    if refusals:
        raise ConfigError(_("{person} may not accept these findings: {problems}").format(
            person=person.name, problems="; ".join(refusals)),
                          _("An approver of the documents concerned accepts them (--by PERSON)."))
    return [releasing.Acceptance(finding, selector, person, reason, day)
            for finding, selector in accepted]
