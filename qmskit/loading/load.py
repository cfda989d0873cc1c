"""Read a manual directory into a `Manual` plus the diagnostics of reading it (syntax, encoding, schema).

The I/O edge of the core: everything after this works on the immutable model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from qmskit.diagnostics import Diagnostic, Location, Severity, finding
from qmskit.i18n import N_
from qmskit.loading import assemble, modelines, schemas
from qmskit.loading.cache import Hit, LoadCache
from qmskit.loading.files import TextFile, iter_files, read_text
from qmskit.loading.markdown import TRANSLATION_FILE, headings, split_front_matter
from qmskit.loading.yamlsource import SourceMap, parse_yaml
from qmskit.messages import Join, Message, Word, say
from qmskit.model import (
    DEFAULT_STANDARD,
    Catalogue,
    Clause,
    Config,
    Document,
    Manual,
    Origin,
    PositionLookup,
    Topic,
    Translation,
    standard_pointer,
)
from qmskit.resources import schemas_dir

CONFIG_FILE = "qms.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
CURRENCY_CODE = re.compile(r"[A-Z]{3}")  # qms.schema.json's pattern for `currency`

# Single-file lists: path in the manual -> (schema kind, list key, builder)
LIST_FILES: dict[str, tuple[str, str, Callable[[dict[str, Any], Origin], Any]]] = {
    "organisation/roles.yaml": ("roles", "role", assemble.role),
    "organisation/people.yaml": ("people", "person", assemble.person),
    "organisation/competences.yaml": ("competences", "competence", assemble.competence),
    "organisation/training.yaml": ("training", "training", assemble.training),
    "organisation/parties.yaml": ("parties", "party", assemble.party),
    "objectives.yaml": ("objectives", "objective", assemble.objective),
    "risks.yaml": ("risks", "risk", assemble.risk),
    "communication.yaml": ("communication", "communication", assemble.communication),
}


@dataclass(slots=True)
class LoadResult:
    manual: Manual
    diagnostics: list[Diagnostic]
    config_ok: bool  # False: qms.yaml is broken, so rules that depend on it would only add noise


@dataclass(slots=True)
class _Collector:
    root: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, PositionLookup] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    incomplete: set[str] = field(default_factory=set)
    cache: LoadCache | None = None

    def read(self, rel: str) -> TextFile | None:
        result = read_text(self.root, rel)
        if isinstance(result, Diagnostic):
            self.diagnostics.append(result)
            return None
        self.files.append(result.rel)
        return result

    def parse(self, kind: str, text: str, rel: str, line_offset: int = 0) -> Any:
        """Parsed and schema-checked data, or None when the YAML itself is unusable."""
        doc = parse_yaml(text, rel, line_offset)
        self.sources[rel] = doc.source
        self.diagnostics.extend(doc.diagnostics)
        if doc.data is None and doc.diagnostics:
            return None  # unparseable; duplicate keys and odd tags still leave usable data
        if not isinstance(doc.data, dict):
            self.diagnostics.append(finding(doc.source.value(), "QMS-SCHEMA-001", Severity.ERROR,
                                            say("expected a mapping of keys to values, found {found}",
                                                found=Word(_kind_of(doc.data))),
                                            say("Start from the template for {kind} files.", kind=kind)))
            return None
        for problem in schemas.check(kind, doc.data):
            location = doc.source.key(problem.pointer) if problem.at_key else doc.source.value(problem.pointer)
            self.diagnostics.append(finding(location, "QMS-SCHEMA-001", Severity.ERROR, problem.said,
                                            _schema_hint(kind, problem.message)))
        return doc.data

    def parse_file(self, kind: str, rel: str) -> tuple[str, Any]:
        """A YAML file's checked data (None when unusable), from the cache when the file is unchanged."""
        path = self.root / rel
        if self.cache is not None:
            hit = self.cache.unchanged(rel, path)
            if hit is not None:
                return rel, self._replay(rel, path, hit)
        source = self.read(rel)
        if source is None:
            return "", None
        if self.cache is not None:
            hit = self.cache.same_content(rel, path, source.text)
            if hit is not None:
                return rel, self._replay(rel, path, hit)
        before = len(self.diagnostics)
        self.diagnostics.extend(modelines.check(kind, source.rel, source.text))
        data = self.parse(kind, source.text, source.rel)
        if self.cache is not None:
            self.cache.store(rel, path, source.text, data, self.diagnostics[before:])
        return source.rel, data

    def _replay(self, rel: str, path: Path, hit: Hit) -> Any:
        """Use a cached result: its diagnostics again, and positions parsed only if a rule asks for one."""
        if not self.files or self.files[-1] != rel:  # a file read to compare its content is counted already
            self.files.append(rel)
        self.diagnostics.extend(hit.diagnostics)
        self.sources[rel] = LazySource(path, rel)
        return hit.data


class LazySource:
    """Positions in a file whose parsed data came from the cache: parsed again on the first question."""

    def __init__(self, path: Path, rel: str) -> None:
        self.path, self.rel = path, rel
        self.parsed: SourceMap | None = None

    def _map(self) -> SourceMap:
        if self.parsed is None:
            try:
                self.parsed = parse_yaml(self.path.read_text(encoding="utf-8-sig"), self.rel).source
            except (OSError, UnicodeDecodeError):
                self.parsed = SourceMap(self.rel)
        return self.parsed

    def value(self, path: tuple[str | int, ...] = ()) -> Location:
        return self._map().value(path)

    def key(self, path: tuple[str | int, ...]) -> Location:
        return self._map().key(path)


def _kind_of(value: Any) -> str:
    if value is None:
        return N_("nothing")
    if isinstance(value, list):
        return N_("a list")
    return N_("a plain value")


def _schema_hint(kind: str, message: str) -> Message:
    if kind == "qms" and message.startswith("baseline/until:"):
        return say("A baseline is pinned to a commit, never a date (anyone can set a commit's date): write "
                   "`until: <full commit hash>` of the last commit released before the move to Git "
                   "(`git log --format=%H -1 --before=DATE`), or `until: first-commit`.")
    if message.startswith("unknown property '") and " " in message.removeprefix("unknown property '"):
        return say("Inside {{ }} a comma separates entries: put text that contains commas in quotes.")
    if "is not of type 'string'" in message and any(c.isdigit() for c in message.rsplit(":", maxsplit=1)[-1][:6]):
        return say("Put the value in quotes: unquoted 8.5 is read as a number, and 8.10 would become 8.1.")
    return say("See .qms/schemas/{kind}.schema.json for the fields this file may have.", kind=kind)


@cache
def catalogue_files() -> dict[str, str]:
    """Every bundled clause catalogue: standard and edition -> file name (`schemas/*.clauses.json`)."""
    found = {}
    for path in sorted(schemas_dir().glob("*.clauses.json")):
        found[str(json.loads(path.read_text(encoding="utf-8"))["standard"])] = path.name
    return found


@cache
def catalogue(standard: str = DEFAULT_STANDARD) -> Catalogue | None:
    """The bundled catalogue of one edition of a standard, or None when there is none.

    An amendment's file names its `base` edition and what it `changes`: its clauses are the base's with the
    changes applied (a new title, topics added).
    """
    name = catalogue_files().get(standard)
    if name is None:
        return None
    raw = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    if "base" in raw:
        base = catalogue(raw["base"]) if raw["base"] != standard else None
        if base is None:
            return None
        changes = {c["number"]: c for c in raw.get("changes", ())}
        clauses = tuple(_amended(clause, changes.get(clause.number)) for clause in base.clauses)
        return Catalogue(standard, clauses, raw.get("name", ""), raw.get("amended_by", ""))
    clauses = tuple(
        Clause(c["number"], c["title"], c["number"].rpartition(".")[0], c.get("maintain", ""), c.get("retain", ""),
               bool(c.get("hs")), tuple(_topic(t) for t in c.get("topics", ())))
        for c in raw["clauses"]
    )
    return Catalogue(standard, clauses, raw.get("name", ""), raw.get("amended_by", ""))


def _topic(raw: dict[str, Any]) -> Topic:
    return Topic(raw["id"], raw["asks"], bool(raw.get("required", True)), bool(raw.get("parties", False)))


def _amended(clause: Clause, change: dict[str, Any] | None) -> Clause:
    if change is None:
        return clause
    topics = (*clause.topics, *(_topic(t) for t in change.get("topics", ())))
    return replace(clause, title=change.get("title", clause.title), topics=topics)


def _catalogues(collector: _Collector, config: Config) -> tuple[Catalogue, ...]:
    """The catalogues of the standards qms.yaml declares; unknown ones and second editions are findings."""
    found: list[Catalogue] = []
    for index, standard in enumerate(config.standards):
        known = catalogue(standard)
        if known is None:
            collector.diagnostics.append(finding(
                _where(collector, config, index), "QMS-STD-001", Severity.ERROR,
                say("no clause catalogue for '{standard}'", standard=standard),
                say("Use one of: {choices}.", choices=", ".join(sorted(catalogue_files())))))
        elif any(c.family == known.family for c in found):
            collector.diagnostics.append(finding(
                _where(collector, config, index), "QMS-STD-001", Severity.ERROR,
                say("'{standard}' is a second edition of {family}", standard=standard, family=known.family),
                say("Declare one edition of each standard; `qms coverage --transition EDITION` compares two.")))
        else:
            found.append(known)
    return tuple(found)


def _check_currency(collector: _Collector, config: Config) -> None:
    """A currency code of the right form (the schema checks that) that no currency has is a finding: money would be
    shown with a code nobody reads."""
    if not CURRENCY_CODE.fullmatch(config.currency):
        return
    from babel.numbers import list_currencies  # noqa: PLC0415 - Babel is loaded only for a manual that names one

    if config.currency not in list_currencies():
        source = collector.sources.get(CONFIG_FILE)
        collector.diagnostics.append(finding(
            source.value(("currency",)) if source else Location(CONFIG_FILE, 1, 1), "QMS-CFG-001", Severity.ERROR,
            say("'{code}' is no ISO 4217 currency code", code=config.currency),
            "Write the ISO 4217 code of the currency the manual's money is in under `currency:` in qms.yaml, e.g. "
            "EUR, SEK or USD."))


def _where(collector: _Collector, config: Config, index: int) -> Location:
    """The `index`-th standard's place in qms.yaml (asked only for a finding: a cached file is parsed again)."""
    source = collector.sources.get(CONFIG_FILE)
    return source.value(standard_pointer(config, index)) if source else Location(CONFIG_FILE, 1, 1)


def load_manual(root: Path, use_cache: bool = False) -> LoadResult:
    """Read every file of the manual at `root` (the folder holding qms.yaml). Never raises for bad content.

    With `use_cache`, unchanged files come parsed from the cache (see cache.py).
    """
    collector = _Collector(root, cache=LoadCache(root) if use_cache else None)
    config, config_ok = _load_config(collector)
    _check_currency(collector, config)
    documents = _load_documents(collector)
    translations = _load_translations(collector)
    processes = _load_each(collector, "processes", "process", assemble.process)
    forms = _load_each(collector, "forms", "form", assemble.form)
    records = _load_each(collector, "records", "record", assemble.record)
    imports = _load_each(collector, "imports", "import", assemble.import_mapping)
    lists: dict[str, tuple[Any, ...]] = {}
    for rel, (kind, item_kind, make) in LIST_FILES.items():
        path = root / rel
        lists[kind] = ()
        if path.exists() or path.is_symlink():
            rel_path, data = collector.parse_file(kind, rel)
            if data is None:
                collector.incomplete.add(item_kind)
            else:
                lists[kind] = assemble.items(data, kind, Origin(rel_path), make)
    manual = Manual(
        config=config, catalogues=_catalogues(collector, config), documents=documents, processes=processes, forms=forms,
        records=records, roles=lists["roles"], people=lists["people"], competences=lists["competences"],
        training=lists["training"], parties=lists["parties"], objectives=lists["objectives"],
        risks=lists["risks"], imports=imports, communication=lists["communication"], translations=translations,
        files=tuple(sorted(set(collector.files))), sources=collector.sources,
        incomplete=frozenset(collector.incomplete),
    )
    if collector.cache is not None:
        collector.cache.save()
    return LoadResult(manual, collector.diagnostics, config_ok)


def _load_config(collector: _Collector) -> tuple[Config, bool]:
    before = len(collector.diagnostics)
    rel, data = collector.parse_file("qms", CONFIG_FILE)
    ok = data is not None and not any(d.severity is Severity.ERROR for d in collector.diagnostics[before:])
    return assemble.config(data or {}, Origin(rel or CONFIG_FILE)), ok


def _load_each(collector: _Collector, folder: str, kind: str,
               make: Callable[[dict[str, Any], Origin], Any]) -> tuple[Any, ...]:
    built = []
    for path in iter_files(collector.root, folder, YAML_SUFFIXES):
        rel, data = collector.parse_file(kind, path)
        item = make(data, Origin(rel)) if data is not None else None
        if item is None:
            collector.incomplete.add(kind)
        else:
            built.append(item)
    return tuple(built)


TRANSLATION_KEYS = ("title", "id")


def _load_documents(collector: _Collector) -> tuple[Document, ...]:
    documents = []
    for path in iter_files(collector.root, "documents", (".md",)):
        if TRANSLATION_FILE.fullmatch(path):
            continue
        document = _load_document(collector, path)
        if document is None:
            collector.incomplete.add("document")
        else:
            documents.append(document)
    return tuple(documents)


def _load_document(collector: _Collector, rel: str) -> Document | None:
    source = collector.read(rel)
    if source is None:
        return None
    split = split_front_matter(source.text)
    if split.front_matter is None:
        collector.diagnostics.append(_no_front_matter(source.rel, split.unterminated))
        return None
    data = collector.parse("document", split.front_matter, source.rel, line_offset=1)
    if data is None:
        return None
    heads = headings(split.body, split.body_line)
    return assemble.document(data, Origin(source.rel), split.body, split.body_line, heads)


def _load_translations(collector: _Collector) -> tuple[Translation, ...]:
    found = []
    for path in iter_files(collector.root, "documents", (".md",)):
        named = TRANSLATION_FILE.fullmatch(path)
        if named is not None:
            translation = _load_translation(collector, path, f"{named['stem']}.md", named["language"])
            if translation is not None:
                found.append(translation)
    return tuple(found)


def _load_translation(collector: _Collector, rel: str, source_path: str, language: str) -> Translation | None:
    """A translation's front matter holds its title (and may repeat the document's id); nothing else, because
    everything else is the document's and one place decides it."""
    source = collector.read(rel)
    if source is None:
        return None
    split = split_front_matter(source.text)
    if split.front_matter is None:
        collector.diagnostics.append(finding(
            Location(rel, 1, 1), "QMS-TRN-002", Severity.ERROR, say("translation has no YAML front matter"),
            say("Start the file with '---', `title:` and the translated title, then '---'.")))
        return None
    doc = parse_yaml(split.front_matter, rel, line_offset=1)
    collector.sources[rel] = doc.source
    collector.diagnostics.extend(doc.diagnostics)
    data = doc.data
    if not isinstance(data, dict):
        if data is not None or not doc.diagnostics:
            collector.diagnostics.append(finding(
                doc.source.value(), "QMS-TRN-002", Severity.ERROR, say("translation front matter is not a mapping"),
                say("Write `title: <the translated title>` between the '---' lines.")))
        return None
    usable = True
    for key in data:
        if key not in TRANSLATION_KEYS:
            usable = False
            collector.diagnostics.append(finding(
                doc.source.key((key,)), "QMS-TRN-002", Severity.ERROR,
                say("a translation takes only {keys}, not '{key}'", keys=Join(TRANSLATION_KEYS, "and"),
                    key=str(key)[:80]),
                say("Remove the key: type, owner, status and the rest are the translated document's own.")))
    for key in TRANSLATION_KEYS:
        value = data.get(key)
        if (key == "title" or key in data) and (not isinstance(value, str) or not value.strip()):
            usable = False
            collector.diagnostics.append(finding(
                doc.source.value((key,)) if key in data else doc.source.value(), "QMS-TRN-002", Severity.ERROR,
                say("a translation needs a non-empty text `{key}`", key=key),
                say("Give the translated title as text, e.g. `title: Tuotannon suunnittelu`.")))
    if not usable:
        return None
    return Translation(source_path, language, data["title"], Origin(rel), data.get("id", ""),
                       headings(split.body, split.body_line), split.body, split.body_line)


def _no_front_matter(rel: str, unterminated: bool) -> Diagnostic:
    if unterminated:
        return finding(Location(rel, 1, 1), "QMS-DOC-002", Severity.ERROR,
                       say("front matter starts with '---' but is never closed"),
                       say("Close the front matter with a line that holds only '---'."))
    return finding(Location(rel, 1, 1), "QMS-DOC-002", Severity.ERROR,
                   say("document has no YAML front matter, so it is not under document control"),
                   say("Start the file with '---', the id, title, type, owner and status, then '---'."))


SOURCE_FOLDERS = ("documents", "processes", "forms", "records", "imports")


def manual_source(path: Path) -> str | None:
    """The manual-relative path when `path` is (or would be) one of a manual's own source files: qms.yaml, a
    list file, or anything in a folder the loader reads. None for other paths, such as a report beside them."""
    target = path.resolve()
    root = find_manual_root(target.parent)
    if root is None:
        return None
    rel = target.relative_to(root).as_posix()
    if rel == CONFIG_FILE or rel in LIST_FILES or rel.split("/", 1)[0] in SOURCE_FOLDERS:
        return rel
    return None


def find_manual_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds qms.yaml, the way git finds a repository."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None

