"""Read YAML the way a QMS needs it: safely, with YAML 1.2 meanings, and with the position of every value.

This is the only module that imports PyYAML. PyYAML resolves YAML 1.1 (`no` -> False, `2026-13-01` -> a crash in
the date constructor) and silently keeps the last of two duplicate keys. We let PyYAML's C parser compose the node
graph (fast, and linear even for alias bombs because aliases share nodes), resolve plain scalars with the YAML 1.2
core schema, and build plain Python values ourselves, recording positions and reporting duplicates as we go.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from qmskit.diagnostics import Diagnostic, Location, Severity, finding
from qmskit.i18n import N_
from qmskit.messages import Message, Word, say

try:  # the C parser is ~5x faster; fall back to pure Python where libyaml is missing
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

Path_ = tuple[str | int, ...]

STR, INT, FLOAT, BOOL, NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null"))
MAP, SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"

MAX_DEPTH = 64
# An alias may be expanded, but the expanded document may not grow beyond this many nodes (billion laughs).
MAX_EXPANDED_NODES = 200_000


class _Yaml12Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader whose implicit resolvers are YAML 1.2's core schema (no yes/no/on/off booleans, no dates)."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}


_CORE_RESOLVERS = [
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (FLOAT, r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]
for _tag, _pattern, _first in _CORE_RESOLVERS:
    _Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


@dataclass(slots=True)
class SourceMap:
    """Positions (1-based line, column) of values and mapping keys, addressed by JSON-pointer-like paths."""

    path: str
    line_offset: int = 0
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def value(self, path: Path_ = ()) -> Location:
        """The value at `path`, or the nearest enclosing value that has a position."""
        for i in range(len(path), -1, -1):
            pos = self.values.get(path[:i])
            if pos is not None:
                return Location(self.path, pos[0] + self.line_offset, pos[1])
        return Location(self.path, 1 + self.line_offset, 1)

    def key(self, path: Path_) -> Location:
        """The key that introduces `path` (better for "unknown property" findings), else its value."""
        pos = self.keys.get(path)
        if pos is not None:
            return Location(self.path, pos[0] + self.line_offset, pos[1])
        return self.value(path)


@dataclass(slots=True)
class YamlDoc:
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]



def _position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


_HINT_TABS = say("YAML does not allow tab characters for indentation: indent with spaces.")
_HINT_SYNTAX = say("Fix the YAML syntax at this place; a YAML-aware editor shows the problem as you type.")


# What the YAML parser says most often (its C and Python forms), in the reader's language; anything else it says
# stays in its own words.
_PARSER_WORDS = frozenset((
    N_("while scanning for the next token"), N_("while scanning a simple key"), N_("while scanning a quoted scalar"),
    N_("while scanning a plain scalar"), N_("while scanning a block scalar"), N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"), N_("while parsing a block collection"), N_("while parsing a block mapping"),
    N_("while parsing a block node"), N_("mapping values are not allowed in this context"),
    N_("mapping values are not allowed here"), N_("found character that cannot start any token"),
    N_("did not find expected ',' or ']'"), N_("found unexpected end of stream"),
    N_("did not find expected '-' indicator"), N_("found undefined alias"), N_("did not find expected key"),
    N_("could not find expected ':'"), N_("did not find expected node content"),
    N_("block sequence entries are not allowed in this context"), N_("found unknown escape character"),
))


def _parser_words(text: str) -> Word | str:
    return Word(text) if text in _PARSER_WORDS else text


def _syntax_diagnostic(exc: yaml.YAMLError, source: SourceMap, text: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = _position(mark) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = (say("invalid YAML: {context}, {problem}", context=_parser_words(str(context)),
                   problem=_parser_words(str(problem))) if context
               else say("invalid YAML: {problem}", problem=_parser_words(str(problem))))
    lines = text.splitlines()
    has_tab = "\t" in problem or (0 < line <= len(lines) and "\t" in lines[line - 1][: max(column, 1)])
    return finding(
        Location(source.path, line + source.line_offset, column),
        "QMS-YAML-001",
        Severity.ERROR,
        message,
        _HINT_TABS if has_tab else _HINT_SYNTAX,
    )


class _Builder:
    """Turns a composed node graph into plain values, recording positions and problems."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.expanded = 0
        self.active: set[int] = set()

    def error(self, node: yaml.Node, rule: str, message: Message, hint: Message) -> None:
        line, column = _position(node.start_mark)
        location = Location(self.source.path, line + self.source.line_offset, column)
        self.diagnostics.append(finding(location, rule, Severity.ERROR, message, hint))

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.expanded += 1
        if self.expanded > MAX_EXPANDED_NODES:
            raise _TooLarge(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        self.source.values.setdefault(path, _position(node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            raise _Recursive(node)
        if node.tag not in (SEQ, MAP):
            self.unsupported_tag(node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
            return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.Node, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, "QMS-YAML-003", say("a mapping key must be a plain value, not a list or mapping"),
                           say("Use a simple name as the key."))
                continue
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1 + self.source.line_offset
            if key in first_seen:
                self.error(key_node, "QMS-YAML-002",
                           say("duplicate key '{key}' (first defined on line {line})", key=key,
                               line=first_seen[key]),
                           say("Remove one of the two entries; YAML keeps only one of them and would silently drop "
                               "the other."))
                continue
            first_seen[key] = key_line
            self.source.keys[(*path, key)] = _position(key_node.start_mark)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == STR or node.style:  # quoted or block scalars are always strings
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            return text.lower() == "true"
        if tag == INT:
            return _parse_int(text)
        if tag == FLOAT:
            return _parse_float(text)
        self.unsupported_tag(node)
        return text

    def unsupported_tag(self, node: yaml.Node) -> None:
        self.error(node, "QMS-YAML-004", say("unsupported YAML tag '{tag}'", tag=str(node.tag)),
                   say("Remove the tag; qmskit reads plain strings, numbers, booleans, lists and mappings."))


def _parse_int(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


def _parse_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)


class _Abort(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


class _TooLarge(_Abort):
    pass


class _TooDeep(_Abort):
    pass


class _Recursive(_Abort):
    pass


_EXPANDED_LIMIT = f"{MAX_EXPANDED_NODES:,}"
_ABORT_MESSAGES: dict[type[_Abort], tuple[Message, Message]] = {
    _TooLarge: (say("the document expands to more than {limit} values through aliases", limit=_EXPANDED_LIMIT),
                say("Remove the anchors (&) and aliases (*) that repeat large parts of the file.")),
    _TooDeep: (say("the document nests deeper than {limit} levels", limit=MAX_DEPTH),
               say("Flatten the structure; manual files need only a few levels.")),
    _Recursive: (say("an alias refers to a value that contains it (a recursive structure)"),
                 say("Remove the alias (*) that points back at its own parent.")),
}


def parse_yaml(text: str, path: str, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document. Never raises for bad input: problems come back as diagnostics."""
    source = SourceMap(path, line_offset)
    try:
        node = yaml.compose(text, Loader=_Yaml12Loader)
    except yaml.YAMLError as exc:
        return YamlDoc(None, source, [_syntax_diagnostic(exc, source, text)])
    except RecursionError:
        diag = finding(Location(path, 1 + line_offset, 1), "QMS-YAML-005", Severity.ERROR,
                          _ABORT_MESSAGES[_TooDeep][0], _ABORT_MESSAGES[_TooDeep][1])
        return YamlDoc(None, source, [diag])
    if node is None:
        return YamlDoc(None, source, [])
    builder = _Builder(source)
    try:
        data = builder.build(node, ())
    except _Abort as abort:
        message, hint = _ABORT_MESSAGES[type(abort)]
        builder.diagnostics.clear()
        builder.error(abort.node, "QMS-YAML-005", message, hint)
        return YamlDoc(None, source, builder.diagnostics)
    return YamlDoc(data, source, builder.diagnostics)


def dump_yaml(data: Any) -> str:
    """Write data as block-style YAML with keys in the order given (for files qmskit creates)."""
    # libyaml's emitter when present: the same YAML, about ten times faster (imports write thousands of files)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False))

