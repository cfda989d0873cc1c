"""The manual as immutable data: what the loader builds and every rule, report and renderer reads.

No I/O here. Every object remembers its `Origin` (file and position inside the file) so that findings point at the
exact line; `Manual.locate` turns an origin into a `Location` through the per-file source maps.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from qmskit.diagnostics import Location, Severity

Pointer = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an object came from: a manual-relative path and the path of keys/indices inside that file."""

    path: str
    pointer: Pointer = ()

    def child(self, *parts: str | int) -> Origin:
        return Origin(self.path, (*self.pointer, *parts))


class PositionLookup(Protocol):
    """What the loader's source maps offer (a protocol, so the model stays free of YAML)."""

    def value(self, path: Pointer = ()) -> Location: ...

    def key(self, path: Pointer) -> Location: ...


DEFAULT_STANDARD = "iso9001:2015+amd1:2024"


# --- qms.yaml -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentType:
    name: str
    prefix: str
    approvers: tuple[str, ...] = ()
    required_sections: tuple[str, ...] = ()
    review_every: int | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A clause the organisation declares not applicable (ISO 9001 4.3), with its justification."""

    clause: str
    justification: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Per-manual rule configuration: rules switched off and severities changed."""

    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Baseline:
    """Documents released before the manual moved to Git (e.g. approved on paper): revisions up to `until`
    count as released by `approved_by`. `until` is a date, a date-time, or "first-commit"."""

    until: str
    approved_by: tuple[str, ...]
    note: str = ""


EVIDENCE_LEVELS = ("forge", "signed", "asserted")


@dataclass(frozen=True, slots=True)
class Forge:
    """Where merged pull/merge requests and their reviews are read from (forge evidence)."""

    kind: str  # github | gitlab
    repository: str  # OWNER/NAME on GitHub, the project path (or numeric id) on GitLab
    api: str = ""  # the API's base address; "" = the forge's public one


@dataclass(frozen=True, slots=True)
class ApprovalPolicy:
    """Which approval evidence counts (qms.yaml `approvals:`, always read from the trusted base, DESIGN 0016).

    `declared` is False for a manual from before the trust model: then trailers and notes count as asserted
    evidence from anyone, and the manual is told so."""

    declared: bool = False
    evidence: tuple[str, ...] = ("asserted",)
    merge_identities: tuple[str, ...] = ()  # e-mails the forge commits merges as (asserted evidence only)
    bots: tuple[str, ...] = ()  # e-mails of identities that are no person: may write changes, never approve
    policy_approvers: tuple[str, ...] = ()  # roles that approve changes to the policy files
    signers: str = ""  # the allowed-signers file, relative to the repository root
    forge: Forge | None = None


@dataclass(frozen=True, slots=True)
class Config:
    organisation: str
    description: str = ""
    standards: tuple[str, ...] = (DEFAULT_STANDARD,)  # the first is the primary one (see decision 0011)
    standards_key: str = ""  # where qms.yaml declares them: "standards", the older "standard", or "" (default)
    language: str = "en"
    currency: str = "EUR"  # ISO 4217: the money in the records (order values, penalties, costs) is in it
    document_types: Mapping[str, DocumentType] = field(default_factory=dict)
    review_every: int = 12
    exclusions: tuple[Exclusion, ...] = ()
    rules: RuleSettings = field(default_factory=RuleSettings)
    expiry_warning_days: int = 60
    audit_cycle_months: int = 36
    churn_quarters: int = 2  # customers silent this long have stopped ordering
    site_url: str = ""
    baseline: Baseline | None = None
    forge: Mapping[str, str] = field(default_factory=dict)  # kind (github, gitlab), url, branch
    approvals: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    as_of: date | None = None  # a manual that is a snapshot (an example, a training copy) is judged as of this day
    origin: Origin = Origin("qms.yaml")

    def judged_day(self, today: date) -> date:
        """The day dates are judged on: today, but never after the day a snapshot manual's story ends (its
        reviews and qualifications would all fall due while nobody keeps it)."""
        return min(today, self.as_of) if self.as_of else today


def standard_pointer(config: Config, index: int) -> Pointer:
    """Where in qms.yaml the `index`-th standard is declared (for findings about it)."""
    if config.standards_key == "standards":
        return ("standards", index)
    return (config.standards_key,) if config.standards_key else ()


# --- documents and processes --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    type: str
    owner: str
    status: str
    origin: Origin
    audience: str = "internal"
    processes: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # what of the context it considers, e.g. climate change (see Clause.topics)
    references: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    review_every: int | None = None
    headings: tuple[Heading, ...] = ()
    body: str = ""
    body_line: int = 1


@dataclass(frozen=True, slots=True)
class Translation:
    """A document's text in another language: the file `<stem>.<language>.md` beside the document's `<stem>.md`,
    with its own title and body; everything else (id, type, owner, status) is the document's."""

    source: str  # the manual-relative path of the document's file it translates
    language: str  # a two-letter language code (ISO 639-1), from the file name
    title: str
    origin: Origin
    id: str = ""  # the document's id, when the front matter repeats it (checked against the document)
    headings: tuple[Heading, ...] = ()
    body: str = ""
    body_line: int = 1


@dataclass(frozen=True, slots=True)
class Flow:
    """One input (`party` is where it comes from) or output (`party` is who receives it) of a process."""

    name: str
    party: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str
    name: str
    target: str
    origin: Origin
    spec: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Process:
    id: str
    name: str
    category: str
    origin: Origin
    owner: str = ""
    parent: str = ""
    purpose: str = ""
    customer: str = ""
    inputs: tuple[Flow, ...] = ()
    outputs: tuple[Flow, ...] = ()
    resources: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    risks: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    lead_time_days: float | None = None


# --- forms and records --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormField:
    id: str
    label: str
    type: str
    origin: Origin
    required: bool = False
    spec: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    title: str
    origin: Origin
    record_prefix: str = ""
    processes: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    fields: tuple[FormField, ...] = ()
    workflow: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    purpose: str = ""  # what the form is for (records/meaning.py): how reports find it, never by its id
    binds: Mapping[str, str] = field(default_factory=dict)  # meaning -> field id


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One step of a workflow record: who moved it to which state, when."""

    state: str
    at: str
    by: str
    origin: Origin
    note: str = ""


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    form: str
    origin: Origin
    created_at: str = ""
    created_by: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    form_revision: int | None = None
    status: str = ""
    history: tuple[StatusChange, ...] = ()
    source: Mapping[str, str] = field(default_factory=dict)  # kind, name, id, url: where an imported record came from


@dataclass(frozen=True, slots=True)
class Communication:
    """One line of the communication plan (ISO 9001 7.4): what, with whom, how, who, how often."""

    id: str
    what: str
    origin: Origin
    with_: tuple[str, ...] = ()  # role, person or party ids, or "everyone"
    how: str = ""
    who: str = ""  # a role or a person
    when: str = "on-event"  # weekly | monthly | quarterly | yearly | on-event
    held: tuple[str, ...] = ()  # days it happened
    process: str = ""
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Where one form field's value comes from in a survey export (see records/intake.py)."""

    target: str  # the form's field id
    column: str = ""  # the export's column ("" when the value is a constant)
    constant: Any = None
    labels: Mapping[str, Any] = field(default_factory=dict)  # the export's words -> the form's values
    date_format: str = ""
    scale: tuple[float, float, float, float] | None = None  # from low, from high, to low, to high


@dataclass(frozen=True, slots=True)
class ImportMapping:
    """imports/NAME.yaml: how a survey tool's export becomes records of one form."""

    name: str  # the file's stem: records remember it, with the response id
    form: str
    response_id: str
    origin: Origin
    fields: tuple[FieldMap, ...] = ()
    date_format: str = ""
    encoding: str = "utf-8"
    delimiter: str = ""
    sheet: str = ""
    created_by: str = ""


# --- organisation -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requirement:
    competence: str
    level: int
    origin: Origin


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    origin: Origin
    responsibilities: tuple[str, ...] = ()
    requires: tuple[Requirement, ...] = ()
    authorities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Qualification:
    competence: str
    level: int
    origin: Origin
    gained: str = ""
    valid_until: str = ""
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    origin: Origin
    emails: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    qualifications: tuple[Qualification, ...] = ()
    github: str = ""  # forge logins, to match pull/merge request reviews to people
    gitlab: str = ""


@dataclass(frozen=True, slots=True)
class Competence:
    id: str
    name: str
    origin: Origin
    description: str = ""
    valid_months: int | None = None
    critical: bool = False


@dataclass(frozen=True, slots=True)
class Training:
    id: str
    person: str
    competence: str
    origin: Origin
    planned: str = ""
    status: str = "planned"  # planned | done | cancelled
    completed: str = ""
    effectiveness: str = ""  # how the effect was evaluated; "" = not yet (ISO 9001 7.2 c)
    provider: str = ""
    cost: float | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """An external party: a customer, a supplier, a regulator."""

    id: str
    name: str
    kind: str
    origin: Origin
    agreement: Mapping[str, Any] = field(default_factory=dict)  # e.g. late-delivery penalty terms
    topics: tuple[str, ...] = ()  # topics its requirements concern, e.g. climate change (4.2)


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    title: str
    origin: Origin
    target: str = ""
    owner: str = ""
    due: str = ""
    process: str = ""
    kpi: str = ""
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Risk:
    id: str
    title: str
    kind: str
    origin: Origin
    owner: str = ""
    processes: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


# --- clause catalogues of the standards ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topic:
    """Something a clause asks the organisation to consider, e.g. climate change (ISO 9001:2015/Amd 1:2024, 4.1)."""

    id: str
    asks: str  # what to determine, in a few words
    required: bool = True  # a requirement (shall); False: a note
    parties: bool = False  # interested parties that name the topic answer it too (4.2)


@dataclass(frozen=True, slots=True)
class Clause:
    number: str
    title: str
    parent: str = ""
    maintain: str = ""  # what documented information the clause asks to maintain ("" = none)
    retain: str = ""  # what documented information the clause asks to retain as evidence
    hs: bool = False  # the harmonized structure's clause: the same requirement in every standard built on it
    topics: tuple[Topic, ...] = ()

    @property
    def depth(self) -> int:
        return self.number.count(".")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One edition of one standard, e.g. "iso9001:2015+amd1:2024"."""

    standard: str
    clauses: tuple[Clause, ...]
    name: str = ""  # as people write it: "ISO 9001:2015 + Amd 1:2024"
    amended_by: str = ""  # the edition that amends this one, when there is one
    index: Mapping[str, Clause] = field(init=False, repr=False, compare=False)

    @property
    def family(self) -> str:
        """The standard without its edition ("iso9001"): what qualified clause references name."""
        return self.standard.partition(":")[0]

    @property
    def label(self) -> str:
        return self.name or self.standard

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {c.number: c for c in self.clauses})

    def get(self, number: str) -> Clause | None:
        return self.index.get(number)

    def leaves(self) -> list[Clause]:
        """Clauses without sub-clauses: the units that must each be addressed."""
        parents = {c.parent for c in self.clauses}
        return [c for c in self.clauses if c.number not in parents]


# --- the whole manual ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Manual:
    config: Config
    catalogues: tuple[Catalogue, ...]  # one per standard in `standards:`, the primary first
    documents: tuple[Document, ...] = ()
    processes: tuple[Process, ...] = ()
    forms: tuple[Form, ...] = ()
    records: tuple[Record, ...] = ()
    roles: tuple[Role, ...] = ()
    people: tuple[Person, ...] = ()
    competences: tuple[Competence, ...] = ()
    training: tuple[Training, ...] = ()
    parties: tuple[Party, ...] = ()
    objectives: tuple[Objective, ...] = ()
    risks: tuple[Risk, ...] = ()
    imports: tuple[ImportMapping, ...] = ()
    communication: tuple[Communication, ...] = ()
    translations: tuple[Translation, ...] = ()
    files: tuple[str, ...] = ()
    sources: Mapping[str, PositionLookup] = field(default_factory=dict)
    # Kinds of object (e.g. "process") of which some file could not be read: references to them cannot be judged.
    incomplete: frozenset[str] = frozenset()

    @property
    def catalogue(self) -> Catalogue:
        """The primary standard's catalogue (the first in `standards:`); empty when no standard is known."""
        return self.catalogues[0] if self.catalogues else Catalogue("", ())

    def locate(self, origin: Origin, *parts: str | int, key: bool = False) -> Location:
        """The exact place of `origin` (or of one of its fields) in its file."""
        source = self.sources.get(origin.path)
        if source is None:
            return Location(origin.path, 1, 1)
        pointer = (*origin.pointer, *parts)
        return source.key(pointer) if key else source.value(pointer)

    def clause_owners(self) -> tuple[Document | Process | Form | Objective | Risk, ...]:
        """Everything that may declare the clauses it addresses."""
        return (*self.documents, *self.processes, *self.forms, *self.objectives, *self.risks)

    def groups(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """(kind, objects) for every kind of identified object, for uniqueness and reference checks."""
        yield "document", self.documents
        yield "process", self.processes
        yield "form", self.forms
        yield "record", self.records
        yield "role", self.roles
        yield "person", self.people
        yield "competence", self.competences
        yield "training", self.training
        yield "party", self.parties
        yield "objective", self.objectives
        yield "risk", self.risks
        yield "communication", self.communication
