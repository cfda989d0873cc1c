"""Load a manual, run the rules, apply the rule configuration: the whole of `qms validate` without any output."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath

from qmskit import i18n
from qmskit.control.lifecycle import (
    DeletedRecord,
    Withdrawal,
    deleted_records,
    earlier_lives,
    withdrawal_candidates,
    withdrawals,
)
from qmskit.control.register import DocumentControl
from qmskit.control.trust import establish, pinned_baseline
from qmskit.diagnostics import Diagnostic, Severity, sorted_diagnostics
from qmskit.loading import assemble, editorschemas
from qmskit.loading.load import LoadResult, load_manual
from qmskit.loading.markdown import split_front_matter
from qmskit.loading.yamlsource import parse_yaml
from qmskit.messages import Day, say
from qmskit.model import Form, Manual, Origin, RuleSettings
from qmskit.records.forms import workflow
from qmskit.rules import run_rules
from qmskit.rules.catalog import rule
from qmskit.rules.context import Context
from qmskit.vcs.gitrepo import read_blobs, start_history
from qmskit.vcs.history import History, Revision


@dataclass(frozen=True, slots=True)
class Selection:
    """Which rules to report: `select` keeps only matching ids, `ignore` drops them. Prefixes match families
    (`QMS-COV` selects every coverage rule)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def wants(self, rule_id: str) -> bool:
        if self.select and not _matches(rule_id, self.select):
            return False
        return not _matches(rule_id, self.ignore)


def _matches(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(rule_id == p or rule_id.startswith(p.rstrip("-") + "-") for p in patterns)


@dataclass(frozen=True, slots=True)
class CheckResult:
    loaded: LoadResult
    diagnostics: list[Diagnostic]
    history: History

    def failed(self, strict: bool) -> bool:
        threshold = Severity.WARNING if strict else Severity.ERROR
        return any(d.severity >= threshold for d in self.diagnostics)


PROTECTED = ("QMS-CTRL",)  # rules a change may not switch off or soften for itself (DESIGN 0016)


def apply_settings(diagnostics: list[Diagnostic], settings: RuleSettings, selection: Selection,
                   trusted: RuleSettings | None = None) -> list[Diagnostic]:
    """Drop and re-grade findings as qms.yaml says; document-control rules as the trusted qms.yaml says."""
    kept = []
    for finding in diagnostics:
        own = trusted if trusted is not None and _matches(finding.rule, PROTECTED) else settings
        if not selection.wants(finding.rule) or _matches(finding.rule, own.ignore):
            continue
        severity = own.severity.get(finding.rule)
        kept.append(replace(finding, severity=severity) if severity else finding)
    return sorted_diagnostics(kept)


def check_manual(root: Path, selection: Selection = Selection(), today: date | None = None,
                 history: History | None = None, use_cache: bool = False, *, base: str | None = None,
                 request: int | None = None) -> CheckResult:
    """Everything `qms validate` checks. `history` defaults to what Git says about `root`; `base` is the branch
    a change goes into, whose policy judges it (else the last approved policy does); `request` the pull/merge
    request being judged, whose reviews of its head count as forge evidence. Findings are written in English
    whatever language the command speaks: they are cached and read by machines, and text output translates them
    (each finding keeps its template and values: diagnostics.py, messages.py)."""
    with i18n.use(i18n.SOURCE_LANGUAGE):
        return _check_manual(root, selection, today, history, use_cache, base=base, request=request)


def _check_manual(root: Path, selection: Selection, today: date | None, history: History | None, use_cache: bool,
                  *, base: str | None, request: int | None) -> CheckResult:
    if history is None:
        with start_history(root) as pending:  # git reads the history while the manual loads
            loaded = load_manual(root, use_cache)
            known = pending()
    else:
        loaded, known = load_manual(root, use_cache), history
    findings = list(loaded.diagnostics) + editorschemas.findings(root)
    trusted = None
    if loaded.config_ok:
        trust = establish(root, loaded.manual, known, base, request)
        trusted = trust.policy.config.rules if known.usable else None
        first_ids, deleted_ids = past_ids(root, loaded.manual, known)
        day = today or date.today()
        judged = trust.policy.config.judged_day(day)  # the trusted as_of: a change cannot stop its own clock
        if judged != day:
            findings.append(rule("QMS-CTRL-025").at(
                loaded.manual.locate(loaded.manual.config.origin, "as_of"),
                say("dates are judged as of {judged}, the manual's as_of day, not {day}",
                    judged=Day(judged.isoformat()), day=Day(day.isoformat()))))
        context = Context.of(loaded.manual, today=judged, history=known, first_ids=first_ids,
                             deleted_ids=deleted_ids, form_versions=form_versions(root, loaded.manual, known),
                             closed_changes=closed_changes(root, loaded.manual, known), trust=trust,
                             baseline_commits=pinned_baseline(root, trust.policy.config, known),
                             withdrawals=document_withdrawals(root, loaded.manual, known),
                             deleted_records=record_deletions(root, loaded.manual, known))
        findings += run_rules(context)
    return CheckResult(loaded, apply_settings(findings, loaded.manual.config.rules, selection, trusted), known)


def past_ids(root: Path, manual: Manual, history: History) -> tuple[dict[str, str], dict[str, str]]:
    """The id each current document had at its first revision, and the ids of deleted documents, read from
    Git in one batch (for QMS-CTRL-007)."""
    if not history.usable:
        return {}, {}
    firsts = {}
    for document in manual.documents:
        file = history.of(document.origin.path)
        if file is not None and len(file.revisions) > 1:
            firsts[document.origin.path] = (file.revisions[0].commit.sha, file.revisions[0].path)
    deleted = {}
    for file in history.deleted:
        if file.path.endswith(".md") and len(file.revisions) > 0:
            deleted[file.path] = (file.revisions[-1].commit.sha, file.revisions[-1].path)
    blobs = read_blobs(root, [*firsts.values(), *deleted.values()])
    first_ids = {path: doc_id for path, spec in firsts.items() if (doc_id := front_matter_id(blobs.get(spec, "")))}
    deleted_ids = {doc_id: path for path, spec in deleted.items() if (doc_id := front_matter_id(blobs.get(spec, "")))}
    return first_ids, deleted_ids


def form_versions(root: Path, manual: Manual, history: History) -> dict[tuple[str, int], Form]:
    """Forms as they were at the revisions records name, where that is not the current content, read from Git
    in one batch: a record is checked against the form it was filled in."""
    if not history.usable:
        return {}
    forms = {f.id: f for f in manual.forms}
    wanted: dict[tuple[str, int], tuple[str, str]] = {}
    for record in manual.records:
        form = forms.get(record.form)
        file = history.of(form.origin.path) if form else None
        if form is None or file is None or record.form_revision is None:
            continue
        current = file.latest.number if file.latest and form.origin.path not in history.uncommitted else -1
        if record.form_revision != current and 0 < record.form_revision <= len(file.revisions):
            revision = file.revisions[record.form_revision - 1]
            wanted[(form.id, record.form_revision)] = (revision.commit.sha, revision.path)
    blobs = read_blobs(root, wanted.values())
    versions = {}
    for key, spec in wanted.items():
        data = parse_yaml(blobs.get(spec, ""), spec[1]).data
        form = assemble.form(data, Origin(spec[1])) if isinstance(data, dict) else None
        if form is not None:
            versions[key] = form
    return versions


def closed_changes(root: Path, manual: Manual, history: History) -> dict[str, Revision]:
    """Closed workflow records changed after they were closed: record path -> the latest such revision.

    A record is tracked by its id, across deletions and re-adds: its revisions are those of every file that
    held it. Reads them (one batch) to find the first that was already closed; any later revision whose content
    differs from the one before it is a change (restoring the closed content is not, and neither is a change to
    comments or layout only, e.g. a schema modeline: the evidence stays as it was).
    """
    if not history.usable:
        return {}
    finals = {f.id: flow.final for f in manual.forms if (flow := workflow(f)) is not None}
    earlier = earlier_lives(history)
    candidates = {}
    for record in manual.records:
        file = history.of(record.origin.path)
        if finals.get(record.form) != record.status or file is None:
            continue
        timeline = [*earlier.get(PurePosixPath(record.origin.path).stem, ()), *file.revisions]
        if len(timeline) > 1:
            candidates[record.origin.path] = timeline
    blobs = read_blobs(root, [(r.commit.sha, r.path) for timeline in candidates.values() for r in timeline])
    changed = {}
    for path, timeline in candidates.items():
        texts = [blobs.get((r.commit.sha, r.path), "") for r in timeline]
        closed = next((i for i, text in enumerate(texts) if _closed(text, path, finals)), None)
        if closed is None:
            continue
        contents = [parse_yaml(text, path).data for text in texts]
        later = [timeline[i] for i in range(closed + 1, len(timeline)) if contents[i] != contents[i - 1]]
        if later:
            changed[path] = later[-1]
    return changed


def _closed(text: str, path: str, finals: dict[str, str]) -> bool:
    data = parse_yaml(text, path).data
    status = data.get("status") if isinstance(data, dict) else None
    form = data.get("form") if isinstance(data, dict) else None
    return status is not None and finals.get(str(form)) == status


def document_withdrawals(root: Path, manual: Manual, history: History) -> list[Withdrawal]:
    """Documents deleted or moved out of active, with the change that did it (past revisions read in one batch)."""
    candidates = withdrawal_candidates(manual, history)
    blobs = read_blobs(root, [(r.commit.sha, r.path) for f in candidates for r in f.revisions])
    return withdrawals(manual, history, blobs)


def record_deletions(root: Path, manual: Manual, history: History) -> list[DeletedRecord]:
    """Records deleted in a commit or in the working tree; a record file still on disk under its id is not."""
    folder = root / "records"
    present = {p.stem for p in folder.rglob("*.y*ml")} if folder.is_dir() else set()
    missing = [path for path in history.uncommitted if path in history.files and not (root / path).exists()]
    return deleted_records(manual, history, present, missing)


def control_of(root: Path, manual: Manual, history: History) -> DocumentControl:
    """Document control judged by the last approved policy, as `qms validate` judges (never by the work tree's
    qms.yaml), with what it needs from Git: verified signatures, forge reviews and the pinned baseline."""
    return establish(root, manual, history).control


def front_matter_id(text: str) -> str:
    front = split_front_matter(text).front_matter
    data = parse_yaml(front, "").data if front else None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""
