"""What a release records (ISO 9001 7.5.3): every controlled document's revision, and the findings an approver
accepted so that the release could go ahead. Pure: takes findings and the model, returns judgements and text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qmskit.diagnostics import Diagnostic, finding_id
from qmskit.i18n import _
from qmskit.model import Manual, Person

# RULE, a family (QMS-COMP), RULE@FILE, or a finding's id as `qms release` lists it
_ID = re.compile(r"[0-9a-f]{8,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Acceptance:
    finding: Diagnostic
    selector: str  # what the approver wrote after --accept
    person: Person
    reason: str
    day: str  # YYYY-MM-DD


def matches(selector: str, finding: Diagnostic) -> bool:
    """Does `--accept selector` name this finding? A rule id or family, a rule in one file, or a finding id."""
    rule, at, path = selector.partition("@")
    if at:
        return _rule_matches(rule, finding.rule) and finding.location.path == path
    if _ID.fullmatch(selector):
        return finding_id(finding).startswith(selector)
    return _rule_matches(selector, finding.rule)


def _rule_matches(pattern: str, rule: str) -> bool:
    return rule == pattern or rule.startswith(pattern.rstrip("-") + "-")


def split(blocking: Sequence[Diagnostic], selectors: Sequence[str]) -> tuple[list[tuple[Diagnostic, str]],
                                                                               list[Diagnostic], list[str]]:
    """(accepted finding with the selector that named it, findings still blocking, selectors that named none)."""
    accepted, remaining = [], []
    for finding in blocking:
        selector = next((s for s in selectors if matches(s, finding)), None)
        if selector is None:
            remaining.append(finding)
        else:
            accepted.append((finding, selector))
    unused = [s for s in selectors if not any(matches(s, f) for f in blocking)]
    return accepted, remaining, unused


def may_accept(manual: Manual, person: Person, finding: Diagnostic) -> str:
    """Why `person` may not accept `finding` ("" when they may): a finding in a document needs someone who may
    approve that document; any other finding someone who may approve some type of document."""
    document = next((d for d in manual.documents if d.origin.path == finding.location.path), None)
    if document is not None:
        kind = manual.config.document_types.get(document.type)
        allowed: Iterable[str] = kind.approvers if kind else ()
        what = f"{document.id}"
    else:
        allowed = {role for kind in manual.config.document_types.values() for role in kind.approvers}
        what = "the manual"
    if set(person.roles) & set(allowed):
        return ""
    return (f"{person.name} holds no role that may approve {what} "
            f"({', '.join(sorted(allowed)) or 'no approvers named in qms.yaml'})")


def one_line(text: str) -> str:
    """Messages quote the manual's own values: no newline or control character may forge a line of the record."""
    return " ".join(_CONTROL.sub(" ", text).split())


def located(finding: Diagnostic, for_people: bool = False) -> str:
    """One line per finding: where, how bad, what, which rule, and the id `--accept` takes. English for the tag
    (a record in Git reads the same everywhere); in the reader's language `for_people` on a terminal."""
    severity, message, word = ((_(finding.severity.label), finding.text(), _("id")) if for_people
                               else (finding.severity.label, finding.message, "id"))
    return one_line(f"{finding.location} {severity}: {message} [{finding.rule}] {word} {finding_id(finding)[:12]}")


def headline(tag: str, organisation: str) -> str:
    return f"Release {tag} of the quality manual of {organisation}"


def is_release(tag: str, subject: str) -> bool:
    """Whether a tag's first line is the one `qms release` writes: other tags (software versions, say) in the
    same repository are no releases of the manual."""
    return subject.startswith(headline(tag, "").rstrip())


def accepted_section(message: str) -> str:
    """What a release tag's message records about accepted findings (its "Accepted findings" part; "" = none)."""
    start = message.find("\nAccepted findings (")
    return message[start + 1:].strip() if start >= 0 else ""


def tag_message(tag: str, organisation: str, documents: Iterable[str], acceptances: Sequence[Acceptance]) -> str:
    """The annotated tag's message: the documents, then each accepted finding with who accepted it and why."""
    lines = [headline(tag, organisation), "", *documents]
    if acceptances:
        lines += ["", f"Accepted findings ({len(acceptances)}):"]
        for item in acceptances:
            lines += [f"- {located(item.finding)}",
                      "  " + one_line(f"accepted by {item.person.name} ({item.person.id}) on {item.day} as "
                                      f"{item.selector}: {item.reason}")]
    return "\n".join(lines) + "\n"
