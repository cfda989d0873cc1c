"""What a branch changes in the manual: for reviewers (`qms changes`) and for `qms validate --base`."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from qmskit.escape import code_fence, code_span, markdown_text, one_line, terminal
from qmskit.i18n import N_, _
from qmskit.model import Manual
from qmskit.vcs import gitrepo
from qmskit.vcs.history import History

KINDS = {"documents": "document", "processes": "process", "forms": "form", "records": "record",
         "organisation": "organisation"}
# What people read for a kind and a status (JSON keeps the keys)
KIND_NAMES = {"document": N_("document"), "process": N_("process"), "form": N_("form"), "record": N_("record"),
              "organisation": N_("organisation"), "configuration": N_("configuration"), "other": N_("other")}
STATUS_NAMES = {"A": N_("new"), "M": N_("changed"), "D": N_("deleted"), "R": N_("renamed")}


@dataclass(frozen=True, slots=True)
class ChangedItem:
    path: str
    status: str  # A added, M modified, D deleted, R renamed
    kind: str
    id: str
    title: str
    old_revision: int
    new_revision: int
    old_path: str = ""
    diff: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "status": self.status, "kind": self.kind, "id": self.id, "title": self.title,
                "old_revision": self.old_revision, "new_revision": self.new_revision, "old_path": self.old_path,
                "diff": self.diff}


def kind_of(path: str) -> str:
    top = path.split("/", 1)[0]
    return KINDS.get(top, "configuration" if path == "qms.yaml" else "other")


def _titles(manual: Manual) -> Mapping[str, tuple[str, str]]:
    """Manual path -> (id, title) for everything that has one."""
    found: dict[str, tuple[str, str]] = {}
    for document in manual.documents:
        found[document.origin.path] = (document.id, document.title)
    for process in manual.processes:
        found[process.origin.path] = (process.id, process.name)
    for form in manual.forms:
        found[form.origin.path] = (form.id, form.title)
    return found


def changes_since(root: Path, manual: Manual, history: History, base_ref: str, with_diff: bool = True) -> list[
        ChangedItem]:
    """Every manual file changed between the merge base with `base_ref` and the work tree, with the revision it
    has on the base and the one it gets when the change is merged (one merge = one new revision)."""
    base = gitrepo.merge_base(root, base_ref)
    on_base = gitrepo.reachable(root, base)
    titles = _titles(manual)
    items = []
    for status, path, old_path in gitrepo.changed_paths(root, base):
        file = history.of(path) or next((f for f in history.deleted if f.path == path), None)
        old = sum(1 for r in file.revisions if r.commit.sha in on_base) if file else 0
        if not file and old_path and (previous := history.of(old_path)):
            old = sum(1 for r in previous.revisions if r.commit.sha in on_base)
        item_id, title = titles.get(path, ("", ""))
        diff = gitrepo.diff_text(root, base, path, old_path) if with_diff or status == "R" else ""
        new = 0 if status == "D" else old + 1
        if status == "R" and "\n@@" not in diff:
            new = old  # a pure rename is not a new revision
        items.append(ChangedItem(path, status, kind_of(path), item_id, title, old, new, old_path,
                                 diff if with_diff else ""))
    return items


def affected_paths(root: Path, manual: Manual, base_ref: str) -> set[str]:
    """Files changed since `base_ref`, and the files that depend on them (documents referring to a changed
    document or process, processes using a changed document or form). Findings about qms.yaml as a whole
    (coverage) count as affected whenever anything changed."""
    base = gitrepo.merge_base(root, base_ref)
    changed = {path for _, new, old in gitrepo.changed_paths(root, base) for path in (new, old) if path}
    ids = {item_id for path, (item_id, _) in _titles(manual).items() if path in changed}
    affected = set(changed)
    for document in manual.documents:
        if ids & {*document.references, *document.processes}:
            affected.add(document.origin.path)
    for process in manual.processes:
        if ids & {*process.documents, *process.forms, process.parent}:
            affected.add(process.origin.path)
    if changed:
        affected.add("qms.yaml")
    return affected


def render_markdown(items: list[ChangedItem], base_ref: str) -> str:
    """A pull-request comment: a table of what changes, then each diff folded away. Titles, ids and paths are
    whatever the branch wrote: every one is escaped, and each diff gets a fence longer than any backtick run in
    it, so nothing a change contains can add a heading, a link or a fake approval to the comment."""
    base = code_span(base_ref)
    if not items:
        return _("No changes to the quality manual since {base}.").format(base=base) + "\n"
    lines = [_("### Quality manual changes since {base}").format(base=base), "",
             "| | {} | {} | {} | {} |".format(_("Item"), _("Kind"), _("Revision"), _("File")),
             "| --- | --- | --- | --- | --- |"]
    for item in items:
        name = f"**{markdown_text(item.id)}** {markdown_text(item.title)}" if item.id else "—"
        revision = f"{item.old_revision} → {item.new_revision}" if item.status != "D" else f"{item.old_revision} → —"
        status = _(STATUS_NAMES[item.status]) if item.status in STATUS_NAMES else item.status
        kind = _(KIND_NAMES[item.kind]) if item.kind in KIND_NAMES else item.kind
        lines.append(f"| {markdown_text(status)} | {name} | {markdown_text(kind)} "
                     f"| {revision} | {_code_cell(item.path)} |")
    lines.append("")
    for item in items:
        if item.diff:
            diff = terminal(item.diff.rstrip("\n"))
            fence = code_fence(diff)
            summary = _("Diff of {file}").format(file=f"<code>{html.escape(one_line(item.path))}</code>")
            lines += ["<details>", f"<summary>{summary}</summary>", "",
                      f"{fence}diff", diff, fence, "", "</details>", ""]
    return "\n".join(lines) + "\n"


def _code_cell(text: str) -> str:
    """Inline code in a table cell: GitHub splits cells at a pipe even inside code, unless it is escaped."""
    return code_span(text).replace("|", "\\|")
