"""Every id that ever existed in Git, so that `qms new` never hands one out twice (a deleted placeholder's id
included: reusing it would be QMS-CTRL-007, and renaming it again is an error too)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from qmskit.loading.markdown import split_front_matter
from qmskit.loading.yamlsource import parse_yaml
from qmskit.vcs.gitrepo import texts_ever


@dataclass(frozen=True, slots=True)
class EverIds:
    documents: frozenset[str] = frozenset()
    processes: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    record_prefixes: frozenset[str] = frozenset()


def _folder(path: str) -> str:
    return path.split("/", 1)[0]


def ever_ids(root: Path) -> EverIds:
    """Ids of documents, processes and forms (and forms' record prefixes) in every version any main-line commit
    wrote, read from Git in two passes (on a shallow clone: as far back as it reaches). Empty outside Git (then
    only the working tree counts)."""
    documents, processes, forms, prefixes = set(), set(), set(), set()
    for key, text in texts_ever(root, ("documents", "processes", "forms")).items():
        path = key.rsplit("@", 1)[0]
        folder = _folder(path)
        if folder == "documents" and path.endswith(".md"):
            documents |= _values(text, "id", path, markdown=True)
        elif path.endswith((".yaml", ".yml")) and folder == "processes":
            processes |= {PurePosixPath(path).stem, *_values(text, "id", path)}
        elif path.endswith((".yaml", ".yml")) and folder == "forms":
            forms |= {PurePosixPath(path).stem, *_values(text, "id", path)}
            prefixes |= _values(text, "record_prefix", path)
    return EverIds(frozenset(documents), frozenset(processes), frozenset(forms), frozenset(prefixes))


def _values(text: str, key: str, path: str, *, markdown: bool = False) -> set[str]:
    """The top-level `key` of a past revision. A plain `key: value` line is read directly (a full parse of tens
    of thousands of past revisions costs seconds); anything else falls back to the YAML parser."""
    front = text
    if markdown:
        split = split_front_matter(text)
        if split.front_matter is None:
            return set()
        front = split.front_matter
    found = {m[1] for m in _plain(key).finditer(front)}
    if found:
        return found
    data: Any = parse_yaml(front, path).data
    value = data.get(key) if isinstance(data, dict) else None
    return {value} if isinstance(value, str) else set()


def _plain(key: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(key)}:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)[\"']?[ \t]*(?:#.*)?$", re.M)
