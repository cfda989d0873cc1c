"""Every rule qmskit reports: stable id, default severity, a title and what to do about it.

Ids never change meaning once released; retired ids are not reused. SARIF output lists these in its driver.
"""

from __future__ import annotations

from dataclasses import dataclass

from qmskit.diagnostics import Diagnostic, Location, Severity, finding
from qmskit.messages import Message

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    hint: str

    @property
    def description(self) -> str:
        """What the rule finds and what to do about it, in full (SARIF's fullDescription, docs/rules.md)."""
        return f"{self.title}. {self.hint}"

    @property
    def anchor(self) -> str:
        """The rule's anchor on docs/rules.md: GitHub's heading slug of its id."""
        return self.id.lower()

    def at(self, location: Location, message: Message, hint: Message | None = None) -> Diagnostic:
        """A finding of this rule; `message` and a hint made for this finding are templates with values
        (`say(...)`), so that people read them in their language. Without one, the rule's own hint."""
        return finding(location, self.id, self.severity, message, hint or self.hint)


_RULES = (
    Rule("QMS-FILE-001", E, "File cannot be read", "Check that the file exists and is readable."),
    Rule("QMS-FILE-002", E, "File too large", "Split the file; manual files are small."),
    Rule("QMS-FILE-003", E, "Symbolic link leaves the manual", "Copy the file into the manual instead."),
    Rule("QMS-FILE-004", E, "File is not UTF-8", "Save the file as UTF-8."),
    Rule("QMS-FILE-005", E, "File is empty", "Fill the file in from its template, or delete it."),
    Rule("QMS-YAML-001", E, "YAML syntax error", "Fix the YAML syntax at this place."),
    Rule("QMS-YAML-002", E, "Duplicate key", "Remove one of the two entries."),
    Rule("QMS-YAML-003", E, "Complex mapping key", "Use a simple name as the key."),
    Rule("QMS-YAML-004", E, "Unsupported YAML tag", "Remove the tag."),
    Rule("QMS-YAML-005", E, "YAML structure too large or recursive", "Remove anchors and aliases."),
    Rule("QMS-SCHEMA-001", E, "File does not match its schema", "See the schema in .qms/schemas/."),
    Rule("QMS-SCHEMA-002", W, "Editor schemas missing or out of date",
         "Run `qms schemas sync` and commit .qms/schemas/: editors check files against that copy."),
    Rule("QMS-SCHEMA-003", W, "Editor modeline names a schema editors cannot load",
         "Point `# yaml-language-server: $schema=` at this file's schema in .qms/schemas/, relative to the file."),
    Rule("QMS-REF-001", E, "Reference does not resolve", "Use the id of an existing item, or add the item."),
    Rule("QMS-REF-002", E, "Duplicate id", "Give each item its own id."),
    Rule("QMS-REF-003", E, "Unknown clause",
         "Use a clause number of the primary standard, e.g. \"8.4.1\", or name another declared standard's clause "
         "as \"iso14001 6.1.2\" (`qms coverage` lists them)."),
    Rule("QMS-REF-004", E, "Unknown topic",
         "Use a topic that a clause of a declared standard asks about, e.g. climate-change (ISO 9001:2015/Amd 1:2024 "
         "4.1 and 4.2)."),
    Rule("QMS-REF-005", E, "Ids that differ only in case or in characters the site drops",
         "Rename one of the two: ids of one kind must differ in more than upper and lower case, spaces or "
         "punctuation, because they name one page on the site (only a-z, 0-9, '.', '_' and '-' remain) and one "
         "file on case-insensitive file systems."),
    Rule("QMS-PROC-001", E, "Process lacks owner, input, output or customer",
         "Every process needs an owner, at least one input and output, and a customer (ISO 9001 4.4.1)."),
    Rule("QMS-PROC-002", E, "Process interfaces disagree",
         "Record the flow on both ends: the supplier's output `to` and the receiver's input `from`."),
    Rule("QMS-PROC-003", E, "Process hierarchy has a cycle", "Make the `parent` chain end at a top-level process."),
    Rule("QMS-PROC-004", W, "Process is not connected to any other process",
         "Add the inputs and outputs that link it to the processes it serves and depends on."),
    Rule("QMS-PROC-005", W, "Process customer receives none of its outputs",
         "Add an output to the customer, or name as customer the party that receives the output."),
    Rule("QMS-PROC-006", E, "KPI has both a source and hand-entered values",
         "Keep `source:` when a form's records measure the KPI, or `entered:` when its values are typed in; "
         "remove the other."),
    Rule("QMS-COV-001", E, "Clause not addressed",
         "List the clause under `clauses:` of the document, process or form that addresses it, or exclude it "
         "with a justification in qms.yaml."),
    Rule("QMS-COV-002", E, "Documented information to maintain is missing",
         "Write an active document that lists this clause under `clauses:`."),
    Rule("QMS-COV-003", W, "No form keeps the records this clause asks for",
         "Add a form whose records are the evidence, and list the clause under its `clauses:`."),
    Rule("QMS-COV-004", W, "Exclusion outside clause 8",
         "ISO 9001 4.3 allows excluding only requirements that do not affect conformity, in practice from "
         "clause 8 (e.g. 8.3 design)."),
    Rule("QMS-COV-005", E, "The context does not consider what the standard asks about",
         "Say in the document or process that addresses the clause (e.g. 4.1) whether the topic is a relevant "
         "issue, and list it under its `topics:` (e.g. `topics: [climate-change]`)."),
    Rule("QMS-COV-006", W, "Interested parties' requirements on a topic not considered",
         "List the topic under `topics:` of the interested parties that have such requirements (organisation/"
         "parties.yaml), or of the document that addresses 4.2 and says none have."),
    Rule("QMS-CFG-001", E, "Unknown currency",
         "Write the ISO 4217 code of the currency the manual's money is in under `currency:` in qms.yaml, e.g. EUR, "
         "SEK or USD."),
    Rule("QMS-STD-001", E, "Standard not usable",
         "Write `standards:` in qms.yaml with bundled editions, one edition per standard, e.g. "
         "[iso9001:2015+amd1:2024, iso14001:2015+amd1:2024]."),
    Rule("QMS-STD-002", W, "Standard edition has been amended",
         "Declare the amended edition under `standards:` in qms.yaml."),
    Rule("QMS-DOC-001", E, "Document lacks a required section",
         "Add the section as a heading; the document type in qms.yaml lists the sections it needs."),
    Rule("QMS-DOC-002", E, "Document has no front matter", "Start the file with a YAML front matter block."),
    Rule("QMS-DOC-003", E, "Document id does not match its type's prefix",
         "Use the prefix qms.yaml gives the document type, e.g. PRO-001 for a procedure."),
    Rule("QMS-TRN-001", E, "Translation of a missing document",
         "Name a translation after the file of the document it translates, with the language before .md "
         "(PRO-006-planning.fi.md beside PRO-006-planning.md), or delete it."),
    Rule("QMS-TRN-002", E, "Translation front matter not usable",
         "A translation's front matter holds its translated `title` (and may repeat the document's `id`); "
         "everything else is the document's."),
    Rule("QMS-TRN-003", W, "Translation in the manual's own language",
         "The document's own file is the text in the manual's language: merge the two, or rename the translation "
         "with the language it is written in."),
    Rule("QMS-TRN-004", N, "Translation into a language qms build cannot publish",
         "qms build publishes the languages qmskit has a catalogue for (en, fi); the translation is kept but not "
         "shown."),
    Rule("QMS-TRN-005", W, "Translation behind its document",
         "Bring the translation up to date with the document's revision in effect and have it approved; until "
         "then the translated page says that it translates an earlier revision."),
    Rule("QMS-CTRL-001", E, "Change on the main line without valid approval",
         "Have an approver who did not write or commit the change approve it with evidence qms.yaml accepts "
         "(approvals.evidence): a review on the forge of the head that was merged, `qms approve DOC --sign`, or "
         "where asserted evidence is allowed an `Approved-by:` trailer on the merge identity's commit."),
    Rule("QMS-CTRL-002", W, "Approval by an author of the change",
         "Someone who did not write the change must approve it; an author's approval does not count."),
    Rule("QMS-CTRL-003", W, "Approval by someone without authority",
         "Approvers must be known people (organisation/people.yaml) holding a role that qms.yaml lets approve "
         "this document type."),
    Rule("QMS-CTRL-004", E, "Document review overdue",
         "Review the document; approve a new revision (even one that only records the review) to restart the cycle."),
    Rule("QMS-CTRL-005", N, "Document review due soon", "Plan the review with the document's owner."),
    Rule("QMS-CTRL-006", E, "Active document refers to an obsolete one",
         "Refer to the document that replaced it, or remove the reference."),
    Rule("QMS-CTRL-007", E, "Document id changed or reused across history",
         "Keep a document's id for its whole life; give a new document a new id, never a retired one."),
    Rule("QMS-CTRL-008", N, "Something this document depends on changed after its approval",
         "Check whether the document still fits, and re-approve it if it does."),
    Rule("QMS-REC-001", E, "Record does not match its form",
         "Correct the value; a record is checked against the form revision it was made with."),
    Rule("QMS-REC-002", E, "Record id or place is wrong",
         "Record ids are PREFIX-YEAR-NUMBER with the form's prefix and the year of created_at, in "
         "records/<form>/<id>.yaml. Let `qms record new` choose the id."),
    Rule("QMS-REC-003", E, "Record refers to something that does not exist",
         "Use the id of an existing person, process, document, customer or record."),
    Rule("QMS-REC-004", E, "Workflow record is in an impossible state",
         "Move records with `qms record update ID --to STATE`: it checks the transitions and required fields."),
    Rule("QMS-REC-005", W, "Action overdue", "Finish the action, or agree a new due date and record why."),
    Rule("QMS-REC-006", W, "Closed record changed after it was closed",
         "Closed records are evidence: revert the change and open a new record instead."),
    Rule("QMS-REC-007", E, "Record has a provisional id",
         "Give it the next free id: qms records add PATH (in the pull request that proposes it)."),
    Rule("QMS-REC-008", E, "Internal complaint about an input that is not a flow between the two processes",
         "Name an input the receiving process gets from the supplying one (its `inputs:`/`outputs:`), or add the "
         "flow to the process."),
    Rule("QMS-REC-009", E, "Record deleted",
         "Records are retained evidence (ISO 9001 7.5.3): restore the file from Git (`git checkout COMMIT^ -- "
         "PATH`, COMMIT being the deleting one) and commit it. To void a record, say so in a new record or a "
         "workflow state; never delete or renumber it."),
    Rule("QMS-FORM-001", E, "Form template is inconsistent", "Fix the form definition."),
    Rule("QMS-FORM-002", W, "Form change does not accept existing records",
         "Old records stay valid under the form revision they were made with; check that the change is meant "
         "(e.g. a new required field), or make the new field optional."),
    Rule("QMS-FORM-003", E, "Two forms share a record prefix", "Give each form its own record_prefix."),
    Rule("QMS-FORM-004", E, "Form declares its purpose or meanings wrongly",
         "Use a purpose and meanings from docs/forms.md and bind each meaning to a field of the right type."),
    Rule("QMS-FORM-005", E, "Field pattern cannot run on the linear-time engine",
         "Write the pattern in RE2 syntax (no backreferences like \\1, no lookahead or lookbehind, no possessive "
         "quantifiers; \\z for the end of the text), or check the value with a choice field instead. Until "
         "then qms does not check values against this pattern."),
    Rule("QMS-CUST-001", E, "Referral does not name another customer",
         "Name the customer who referred the new one in the field bound to `referred-by` (an id from "
         "organisation/parties.yaml of kind customer), or record another source."),
    Rule("QMS-CUST-002", E, "Acquisition cost without a period",
         "Give the cost the period it was spent in (2026, 2026-Q3 or 2026-07) in the field bound to `period`, "
         "or the day in the field bound to `date`: it counts against the customers won in that period."),
    Rule("QMS-COMM-001", E, "Communication plan names someone unknown",
         "Use role, person or party ids from organisation/, or `everyone` for the whole staff."),
    Rule("QMS-COMM-002", W, "Communication is overdue",
         "Hold it and add the day to `held:` in communication.yaml (keep the minutes or message as evidence)."),
    Rule("QMS-IMP-001", E, "Import mapping does not fit its form",
         "Name an existing form and its field ids; give each field either `column:` or `value:` "
         "(see schemas/import.schema.json)."),
    Rule("QMS-COMP-001", W, "Role holder lacks a required competence and no training is planned",
         "Plan training in organisation/training.yaml, or record the qualification the person already has."),
    Rule("QMS-COMP-002", E, "Required qualification expired",
         "Renew it and record the new dates; an expired critical qualification is an error (unsafe or unlawful "
         "work), others are warnings."),
    Rule("QMS-COMP-003", N, "Qualification expires soon", "Plan the renewal before it expires."),
    Rule("QMS-COMP-004", W, "Process owner or approver lacks the role's competences",
         "Someone who owns a process or approves documents must hold what the role requires."),
    Rule("QMS-COMP-005", W, "Planned training overdue", "Hold the training, or re-plan it with a new date."),
    Rule("QMS-COMP-006", W, "Training done without an effectiveness evaluation",
         "Record how the training's effect was evaluated (ISO 9001 7.2 c) under `effectiveness:`."),
    Rule("QMS-AUD-001", W, "Process not audited within the audit cycle",
         "Plan an internal audit of it (ISO 9001 9.2); `audit_cycle_months` in qms.yaml sets the cycle."),
    Rule("QMS-AUD-002", W, "Audit nonconformity without a corrective action",
         "Open a nonconformity record for each audit nonconformity and list its id under the audit's `actions`."),
    Rule("QMS-CTRL-009", E, "Signed approval does not verify",
         "The note was changed after it was signed, or the key is not in the allowed-signers file of the trusted "
         "base (approvals.signers in qms.yaml): approve again with `qms approve --sign`."),
    Rule("QMS-CTRL-010", E, "Baseline is not pinned to a commit of this history",
         "Set `baseline: {until: <full commit hash>}` to the last commit whose documents were released before "
         "the move to Git (`git log --format=%H -1`), or `until: first-commit`; the commit must be in HEAD's "
         "history (fetch it)."),
    Rule("QMS-CTRL-020", E, "Policy change without approval by the policy approvers",
         "qms.yaml, organisation/people.yaml, organisation/roles.yaml and the allowed-signers file are judged "
         "as of the trusted base; a change to them needs an approval by a role in approvals.policy_approvers."),
    Rule("QMS-CTRL-021", E, "Change to a controlled file by someone who is no known person",
         "Give the author's and committer's e-mail to their person in organisation/people.yaml, or list an "
         "automation identity under approvals.bots in qms.yaml (bots may write changes, never approve them)."),
    Rule("QMS-CTRL-022", W, "Approval evidence this manual does not accept",
         "Approve with evidence approvals.evidence lists: a forge review of the merged head, a signed approval "
         "(`qms approve --sign`), or an asserted one carried by a merge identity's commit where allowed."),
    Rule("QMS-CTRL-023", E, "Approval evidence cannot be checked",
         "Keep the allowed-signers file named by approvals.signers in the repository (path from its root), and "
         "give CI read access to the forge (GITHUB_TOKEN / GITLAB_TOKEN)."),
    Rule("QMS-CTRL-025", N, "Dates judged as of the manual's as_of day",
         "The manual is a snapshot (qms.yaml `as_of`): later days are judged as that day. Remove `as_of` when "
         "the manual is kept up to date again."),
    Rule("QMS-CTRL-024", N, "Approvals are asserted, not verified",
         "Declare `approvals:` in qms.yaml (evidence, merge_identities, policy_approvers, signers) so that only "
         "evidence the author of a change cannot create counts."),
    Rule("QMS-GIT-001", W, "Shallow clone: history is incomplete",
         "Fetch the full history (`git fetch --unshallow`; in GitHub Actions `fetch-depth: 0`, in GitLab "
         "`GIT_DEPTH: 0`); revisions and approvals are not judged on a cut-off history."),
    Rule("QMS-GIT-002", N, "Manual is not in a Git repository",
         "Put the manual under Git: revisions, approvals and review dates come from its history."),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
