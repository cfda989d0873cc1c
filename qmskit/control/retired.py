"""Every id that ever existed in Git, so that `qms new` never hands one out twice (a deleted placeholder's id
included: reusing it would be QMS-CTRL-007, and renaming it again is an error too)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from qmskit.control.lifecycle import past_document
from qmskit.loading.yamlsource import parse_yaml
from qmskit.vcs.gitrepo import read_blobs
from qmskit.vcs.history import History


@dataclass(frozen=True, slots=True)
class EverIds:
    documents: frozenset[str] = frozenset()
    processes: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    record_prefixes: frozenset[str] = frozenset()


def _folder(path: str) -> str:
    return path.split("/", 1)[0]


def ever_ids(root: Path, history: History) -> EverIds:
    """Ids of documents, processes and forms (and forms' record prefixes) at every revision on the main line,
    read from Git in one batch. Empty without Git history (then only the working tree counts)."""
    if not history.usable:
        return EverIds()
    wanted = [(r.commit.sha, r.path) for f in (*history.files.values(), *history.deleted) for r in f.revisions
              if _folder(r.path) in ("documents", "processes", "forms")]
    blobs = read_blobs(root, wanted)
    documents, processes, forms, prefixes = set(), set(), set(), set()
    for (_, path), text in blobs.items():
        folder = _folder(path)
        if folder == "documents" and path.endswith(".md"):
            document = past_document(text, path)
            if document is not None:
                documents.add(document.id)
            continue
        if not path.endswith((".yaml", ".yml")):
            continue
        data: Any = parse_yaml(text, path).data
        own = data.get("id") if isinstance(data, dict) else None
        ids = {PurePosixPath(path).stem, *([own] if isinstance(own, str) else [])}
        if folder == "processes":
            processes |= ids
        else:
            forms |= ids
            prefix = data.get("record_prefix") if isinstance(data, dict) else None
            if isinstance(prefix, str):
                prefixes.add(prefix)
    return EverIds(frozenset(documents), frozenset(processes), frozenset(forms), frozenset(prefixes))
