"""Plain parsed data -> model objects. Pure and forgiving: schema problems are reported elsewhere, so here a
wrongly typed value is simply left out, and the rest of the manual can still be checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TypeVar

from qmskit.diagnostics import Severity
from qmskit.model import (
    DEFAULT_STANDARD,
    EVIDENCE_LEVELS,
    ApprovalPolicy,
    Baseline,
    Communication,
    Competence,
    Config,
    Document,
    DocumentType,
    Exclusion,
    FieldMap,
    Flow,
    Forge,
    Form,
    FormField,
    Heading,
    ImportMapping,
    Kpi,
    Objective,
    Origin,
    Party,
    Person,
    Process,
    Qualification,
    Record,
    Requirement,
    Risk,
    Role,
    RuleSettings,
    StatusChange,
    Training,
)

T = TypeVar("T")
Data = dict[str, Any]


def text(data: Data, key: str, default: str = "") -> str:
    value = data.get(key)
    return value if isinstance(value, str) else default


def texts(data: Data, key: str) -> tuple[str, ...]:
    value = data.get(key)
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def integer(data: Data, key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def number(data: Data, key: str) -> float | None:
    value = data.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def mapping(data: Data, key: str) -> Data:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def mappings(data: Data, key: str) -> Iterator[tuple[int, Data]]:
    value = data.get(key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def items(data: Data, key: str, origin: Origin, make: Callable[[Data, Origin], T | None]) -> tuple[T, ...]:
    """Build each mapping in the list `data[key]`; entries without an id are skipped (the schema reports them)."""
    if not data.get(key):
        return ()  # the common case for optional lists: no generator to set up
    built = (make(item, origin.child(key, index)) for index, item in mappings(data, key))
    return tuple(b for b in built if b is not None)


def config(data: Data, origin: Origin) -> Config:
    types = {}
    for name, spec in mapping(data, "document_types").items():
        if isinstance(spec, dict):
            types[name] = DocumentType(name, text(spec, "prefix"), texts(spec, "approvers"),
                                       texts(spec, "required_sections"), integer(spec, "review_every"))
    rules = mapping(data, "rules")
    return Config(
        organisation=text(mapping(data, "organisation"), "name"),
        description=text(mapping(data, "organisation"), "description"),
        standards=texts(data, "standards") or ((text(data, "standard"),) if text(data, "standard")
                                                else (DEFAULT_STANDARD,)),
        standards_key="standards" if texts(data, "standards") else "standard" if text(data, "standard") else "",
        language=text(data, "language", "en"),
        currency=text(data, "currency", "EUR"),
        document_types=types,
        review_every=integer(data, "review_every") or 12,
        exclusions=items(data, "exclusions", origin, _exclusion),
        rules=RuleSettings(texts(rules, "ignore"), {
            rule: Severity.parse(level) for rule, level in mapping(rules, "severity").items()
            if isinstance(level, str) and level.upper() in Severity.__members__}),
        site_url=text(mapping(data, "site"), "url"),
        baseline=_baseline(mapping(data, "baseline")),
        forge={k: v for k, v in mapping(data, "forge").items() if isinstance(v, str)},
        approvals=_approvals(data.get("approvals")),
        expiry_warning_days=integer(mapping(data, "competence"), "warn_days") or 60,
        audit_cycle_months=integer(data, "audit_cycle_months") or 36,
        churn_quarters=integer(mapping(data, "reports"), "churn_quarters") or 2,
        as_of=_day(text(data, "as_of")),
        origin=origin,
    )


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:  # the schema reports it
        return None


def _baseline(data: Data) -> Baseline | None:
    until = text(data, "until")
    return Baseline(until, texts(data, "approved_by"), text(data, "note")) if until else None


def _approvals(data: object) -> ApprovalPolicy:
    if not isinstance(data, dict):
        return ApprovalPolicy()
    forge_data = mapping(data, "forge")
    kind, repository = text(forge_data, "type"), text(forge_data, "repository")
    forge = Forge(kind, repository, text(forge_data, "api")) if kind and repository else None
    evidence = tuple(level for level in texts(data, "evidence") if level in EVIDENCE_LEVELS)
    return ApprovalPolicy(
        declared=True, evidence=evidence if "evidence" in data else ("forge", "signed"),
        merge_identities=tuple(e.lower() for e in texts(data, "merge_identities")),
        bots=tuple(e.lower() for e in texts(data, "bots")), policy_approvers=texts(data, "policy_approvers"),
        signers=text(data, "signers"), forge=forge)


def _exclusion(data: Data, origin: Origin) -> Exclusion | None:
    clause = text(data, "clause")
    return Exclusion(clause, text(data, "justification"), origin) if clause else None


def document(data: Data, origin: Origin, body: str, body_line: int, heads: tuple[Heading, ...]) -> Document | None:
    doc_id = text(data, "id")
    if not doc_id:
        return None
    return Document(
        id=doc_id, title=text(data, "title"), type=text(data, "type"), owner=text(data, "owner"),
        status=text(data, "status", "draft"), origin=origin, audience=text(data, "audience", "internal"),
        processes=texts(data, "processes"), clauses=texts(data, "clauses"), topics=texts(data, "topics"),
        references=texts(data, "references"),
        roles=texts(data, "roles"), review_every=integer(data, "review_every"), headings=heads, body=body,
        body_line=body_line,
    )


def _flow(direction: str) -> Callable[[Data, Origin], Flow | None]:
    def make(data: Data, origin: Origin) -> Flow | None:
        party = text(data, direction)
        return Flow(text(data, "name"), party, origin) if party else None

    return make


def _kpi(data: Data, origin: Origin) -> Kpi | None:
    kpi_id = text(data, "id")
    return Kpi(kpi_id, text(data, "name"), text(data, "target"), origin, data) if kpi_id else None


def process(data: Data, origin: Origin) -> Process | None:
    process_id = text(data, "id")
    if not process_id:
        return None
    return Process(
        id=process_id, name=text(data, "name", process_id), category=text(data, "category"), origin=origin,
        owner=text(data, "owner"), parent=text(data, "parent"), purpose=text(data, "purpose"),
        customer=text(data, "customer"), inputs=items(data, "inputs", origin, _flow("from")),
        outputs=items(data, "outputs", origin, _flow("to")), resources=texts(data, "resources"),
        documents=texts(data, "documents"), forms=texts(data, "forms"), kpis=items(data, "kpis", origin, _kpi),
        risks=texts(data, "risks"), clauses=texts(data, "clauses"), topics=texts(data, "topics"),
        lead_time_days=number(data, "lead_time_days"),
    )


def _field(data: Data, origin: Origin) -> FormField | None:
    field_id = text(data, "id")
    if not field_id:
        return None
    return FormField(field_id, text(data, "label", field_id), text(data, "type", "text"), origin,
                     data.get("required") is True, data)


def form(data: Data, origin: Origin) -> Form | None:
    form_id = text(data, "id")
    if not form_id:
        return None
    return Form(form_id, text(data, "title", form_id), origin, text(data, "record_prefix"),
                texts(data, "processes"), texts(data, "clauses"), items(data, "fields", origin, _field),
                mapping(data, "workflow"), text(data, "description"), text(data, "purpose"),
                {k: v for k, v in mapping(data, "binds").items() if isinstance(k, str) and isinstance(v, str)})


def record(data: Data, origin: Origin) -> Record | None:
    record_id = text(data, "id")
    if not record_id:
        return None
    revision = data.get("form_revision")
    return Record(record_id, text(data, "form"), origin, text(data, "created_at"), text(data, "created_by"),
                  mapping(data, "values"), revision if isinstance(revision, int) and not isinstance(revision, bool)
                  else None, text(data, "status"), items(data, "history", origin, _status_change),
                  {str(k): str(v) for k, v in mapping(data, "source").items()})


def _status_change(data: Data, origin: Origin) -> StatusChange | None:
    state = text(data, "state")
    return StatusChange(state, text(data, "at"), text(data, "by"), origin, text(data, "note")) if state else None


def _requirement(data: Data, origin: Origin) -> Requirement | None:
    competence = text(data, "competence")
    return Requirement(competence, integer(data, "level") or 1, origin) if competence else None


def role(data: Data, origin: Origin) -> Role | None:
    role_id = text(data, "id")
    if not role_id:
        return None
    return Role(role_id, text(data, "name", role_id), origin, texts(data, "responsibilities"),
                items(data, "requires", origin, _requirement), texts(data, "authorities"))


def _qualification(data: Data, origin: Origin) -> Qualification | None:
    competence = text(data, "competence")
    if not competence:
        return None
    return Qualification(competence, integer(data, "level") or 1, origin, text(data, "gained"),
                         text(data, "valid_until"), text(data, "evidence"))


def person(data: Data, origin: Origin) -> Person | None:
    person_id = text(data, "id")
    if not person_id:
        return None
    return Person(person_id, text(data, "name", person_id), origin, texts(data, "emails"), texts(data, "roles"),
                  items(data, "qualifications", origin, _qualification), text(data, "github"),
                  text(data, "gitlab"))


def competence(data: Data, origin: Origin) -> Competence | None:
    competence_id = text(data, "id")
    if not competence_id:
        return None
    return Competence(competence_id, text(data, "name", competence_id), origin, text(data, "description"),
                      integer(data, "valid_months"), data.get("critical") is True)


def training(data: Data, origin: Origin) -> Training | None:
    training_id = text(data, "id")
    if not training_id:
        return None
    return Training(training_id, text(data, "person"), text(data, "competence"), origin, text(data, "planned"),
                    text(data, "status", "planned"), text(data, "completed"), text(data, "effectiveness"),
                    text(data, "provider"), number(data, "cost"))


def party(data: Data, origin: Origin) -> Party | None:
    party_id = text(data, "id")
    if not party_id:
        return None
    return Party(party_id, text(data, "name", party_id), text(data, "kind"), origin, mapping(data, "agreement"),
                 texts(data, "topics"))


def objective(data: Data, origin: Origin) -> Objective | None:
    objective_id = text(data, "id")
    if not objective_id:
        return None
    return Objective(objective_id, text(data, "title"), origin, text(data, "target"), text(data, "owner"),
                     text(data, "due"), text(data, "process"), text(data, "kpi"), texts(data, "clauses"))


def risk(data: Data, origin: Origin) -> Risk | None:
    risk_id = text(data, "id")
    if not risk_id:
        return None
    return Risk(risk_id, text(data, "title"), text(data, "kind"), origin, text(data, "owner"),
                texts(data, "processes"), texts(data, "actions"), texts(data, "clauses"), texts(data, "topics"))


def import_mapping(data: Data, origin: Origin) -> ImportMapping | None:
    """imports/NAME.yaml -> ImportMapping; the mapping's name is its file's stem."""
    form_id, response = text(data, "form"), text(data, "response_id")
    if not form_id or not response:
        return None
    fields = []
    for field_id, spec in mapping(data, "fields").items():
        if not isinstance(spec, dict):
            continue
        scale = spec.get("scale")
        bounds = [*scale.get("from", []), *scale.get("to", [])] if isinstance(scale, dict) else []
        fields.append(FieldMap(
            str(field_id), text(spec, "column"), spec.get("value"),
            {str(k): v for k, v in mapping(spec, "map").items()}, text(spec, "date_format"),
            (bounds[0], bounds[1], bounds[2], bounds[3]) if len(bounds) == 4 and all(
                isinstance(b, int | float) and not isinstance(b, bool) for b in bounds) else None))
    name = origin.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ImportMapping(name, form_id, response, origin, tuple(fields), text(data, "date_format"),
                         text(data, "encoding", "utf-8"), text(data, "delimiter"), text(data, "sheet"),
                         text(data, "created_by"))


def communication(data: Data, origin: Origin) -> Communication | None:
    item_id = text(data, "id")
    if not item_id:
        return None
    return Communication(item_id, text(data, "what"), origin, texts(data, "with"), text(data, "how"),
                         text(data, "who"), text(data, "when", "on-event"), texts(data, "held"), text(data, "process"),
                         texts(data, "clauses"))
