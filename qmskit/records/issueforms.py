"""Forms as forge issue forms, and submitted issues back as records. Pure.

A team that lives in GitHub or GitLab can collect records as issues: `qms form export` writes a GitHub issue
form (`.github/ISSUE_TEMPLATE/*.yml`) or a GitLab issue template (`.gitlab/issue_templates/*.md`) from a form,
labelled `qms:FORM`; `qms records import github-issues|gitlab-issues` reads the submitted issues and turns their
answers into records, each linking back to its issue. Both forges put each answer under a `### Label` heading,
which is how answers are found again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from qmskit.loading import schemas
from qmskit.model import FieldMap, Form, FormField, Manual
from qmskit.records.choices import reference_choices
from qmskit.records.intake import FormChecks, RowProblem, convert
from qmskit.records.workflow import BadValue, missing_required

MAX_DROPDOWN = 50  # longer lists are typed, with the ids named in the description
NO_ANSWER = ("_No response_", "None")  # what GitHub writes for an empty answer
_GITHUB_ID = re.compile(r"[^A-Za-z0-9_-]")
_TRAILING_ID = re.compile(r"\(([A-Za-z0-9][A-Za-z0-9._-]*)\)\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_QUICK_ACTION = re.compile(r"^/[a-z_]+(\s|$)")  # GitLab's `/label ~x` lines: commands, not answers


def label_of(form: Form) -> str:
    return f"qms:{form.id}"


def _labels(form: Form) -> dict[str, str]:
    """Field id -> a heading unique within the form (forges find answers by their heading)."""
    seen: dict[str, int] = {}
    for field in form.fields:
        seen[field.label.strip()] = seen.get(field.label.strip(), 0) + 1
    return {f.id: f.label.strip() if seen[f.label.strip()] == 1 else f"{f.label.strip()} ({f.id})"
            for f in form.fields}


def _choices(field: FormField, manual: Manual) -> list[str]:
    if field.type in ("choice", "multichoice"):
        return [str(o) for o in field.spec.get("options") or []]
    if field.type == "boolean":
        return ["yes", "no"]
    if field.type == "scale" and isinstance(field.spec.get("min"), int) and isinstance(field.spec.get("max"), int):
        low, high = field.spec["min"], field.spec["max"]
        return [str(n) for n in range(low, high + 1)] if high - low < MAX_DROPDOWN else []
    if field.type == "reference":
        known = reference_choices(field, manual)
        if 0 < len(known) <= MAX_DROPDOWN:
            return [label for _, label in known]
    return []


def _describe(field: FormField) -> str:
    parts = [str(field.spec.get("help", "")).strip().rstrip(".") + "." if field.spec.get("help") else ""]
    if field.type == "date":
        parts.append("Date as YYYY-MM-DD.")
    elif field.type == "datetime":
        parts.append("Date and time as YYYY-MM-DDTHH:MM:SS+02:00.")
    elif field.type == "reference":
        parts.append(f"The id of a {field.spec.get('of', 'thing')} in the quality manual.")
    elif field.type in ("number", "integer", "scale") and ("min" in field.spec or "max" in field.spec):
        parts.append(f"From {field.spec.get('min', '...')} to {field.spec.get('max', '...')}.")
    return " ".join(p for p in parts if p)


def github_issue_form(form: Form, manual: Manual) -> dict[str, Any]:
    """A GitHub issue form (YAML data) whose answers `parse_answers` reads back."""
    labels = _labels(form)
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": (
        f"{form.description or form.title}\n\nThis issue becomes a record of the form *{form.id}* in the quality "
        "manual. Please keep the headings as they are.")}}]
    for field in form.fields:
        element: dict[str, Any] = {"type": "input", "id": _GITHUB_ID.sub("_", field.id),
                                   "attributes": {"label": labels[field.id]}}
        description = _describe(field)
        if description:
            element["attributes"]["description"] = description
        choices = _choices(field, manual)
        if choices:
            element["type"] = "dropdown"
            element["attributes"]["options"] = choices
            if field.type == "multichoice":
                element["attributes"]["multiple"] = True
        else:
            element["type"] = "textarea" if field.type in ("longtext", "multichoice") else "input"
        if field.required and not isinstance(field.spec.get("when"), Mapping):
            element["validations"] = {"required": True}
        body.append(element)
    return {"name": form.title, "description": (form.description or f"Fill in: {form.title}")[:200],
            "title": f"[{form.record_prefix}] ", "labels": [label_of(form)], "body": body}


def gitlab_issue_template(form: Form, manual: Manual) -> str:
    """A GitLab issue template in Markdown: one `### Label` heading per field, guidance in comments."""
    labels = _labels(form)
    lines = [f"<!-- {form.title}: this issue becomes a record of the form {form.id} in the quality manual. "
             "Write each answer under its heading and keep the headings. -->", ""]
    for field in form.fields:
        guidance = [_describe(field)]
        choices = _choices(field, manual)
        if choices:
            guidance.append(("Any of: " if field.type == "multichoice" else "One of: ") + ", ".join(choices))
        if field.required:
            guidance.append("Required.")
        text = " ".join(g for g in guidance if g).replace("--", "- -")  # nothing may close the comment early
        lines += [f"### {labels[field.id]}", "", f"<!-- {text} -->" if text else "", ""]
    lines.append(f'/label ~"{label_of(form)}"')
    return "\n".join(lines) + "\n"


def parse_answers(form: Form, body: str) -> dict[str, str]:
    """Field id -> the answer written under its heading (empty answers left out)."""
    by_heading = {heading: field_id for field_id, heading in _labels(form).items()}
    answers: dict[str, list[str]] = {}
    current = ""
    for line in _COMMENT.sub("", body or "").replace("\r\n", "\n").split("\n"):
        if line.startswith("### ") and line[4:].strip() in by_heading:
            current = by_heading[line[4:].strip()]
            answers[current] = []
        elif current and not _QUICK_ACTION.match(line):
            answers[current].append(line)
    found = {}
    for field_id, lines in answers.items():
        text = "\n".join(lines).strip()
        if text and text not in NO_ANSWER:
            found[field_id] = text
    return found


@dataclass(frozen=True, slots=True)
class IssueRecord:
    number: str
    values: dict[str, Any]


def issue_values(form: Form, number: str, body: str,
                 references: Mapping[str, Set[str]]) -> IssueRecord | list[RowProblem]:
    """A submitted issue -> the record's values, or its problems (located as "issue #N")."""
    where = f"issue #{number}"
    answers = parse_answers(form, body)
    checks = FormChecks(form)
    values: dict[str, Any] = {}
    problems = []
    for field in form.fields:
        raw = answers.get(field.id)
        if raw is None:
            continue
        if field.type == "multichoice":
            raw_value: Any = [_item(p) for p in re.split(r"[,\n]", raw) if _item(p)]
        elif field.type == "reference":
            match = _TRAILING_ID.search(raw)
            raw_value = match.group(1) if match else raw
        else:
            raw_value = raw
        try:
            value = convert(field, FieldMap(field.id, field.label), raw_value, "", references)
            checks.value(field, value)
        except BadValue as bad:
            problems.append(RowProblem(where, field.label, str(bad)))
            continue
        values[field.id] = value
    if problems:
        return problems
    missing = missing_required(form, values)
    if missing:
        return [RowProblem(where, "", "required answers missing: " + ", ".join(f.label for f in missing))]
    found = [RowProblem(where, "", p.said.text()) for p in schemas.problems(checks.values, values)]
    return found or IssueRecord(number, values)


def _item(text: str) -> str:
    """One ticked or listed choice: `- [X] floor`, `- floor` or `floor`."""
    text = text.strip()
    if text.startswith(("- [ ]", "* [ ]")):
        return ""
    return re.sub(r"^[-*]\s*(\[[xX]\]\s*)?", "", text).strip()
