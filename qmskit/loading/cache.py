"""A cache of what loading each YAML file found (its data and its diagnostics), so unchanged files are neither
read nor parsed again.

A file counts as unchanged when its size, times and inode match what the cache saw and it was not written
within two seconds of that (a "racily clean" file is read and compared by content hash, as git does). Always
safe to delete. Never trusted across tool or schema versions (they are part of its name), and kept outside
the repository ($QMS_CACHE_DIR, else $XDG_CACHE_HOME/qmskit, else ~/.cache/qmskit): a cache inside the work
tree could be planted by a pull request to make a broken file look fine. Plain JSON, nothing executable.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from qmskit import __version__
from qmskit.atomic import write_text
from qmskit.diagnostics import Diagnostic, Location, Severity
from qmskit.messages import Message, message_from_data, message_to_data
from qmskit.resources import schemas_dir

RACY_SECONDS = 2


def cache_dir() -> Path:
    configured = os.environ.get("QMS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qmskit"


@cache
def _tool_key() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(schemas_dir().glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_mode]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Hit:
    data: Any
    diagnostics: list[Diagnostic]


class LoadCache:
    """What loading found per manual-relative path, read once per run and written back when it changed."""

    def __init__(self, root: Path) -> None:
        name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.path = cache_dir() / _tool_key() / f"{name}.json"
        self.entries: dict[str, Any] = {}
        self.seen: set[str] = set()
        self.changed = False
        self.written_at = 0.0
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and isinstance(loaded.get("entries"), dict):
                self.entries, self.written_at = loaded["entries"], float(loaded.get("written_at", 0))

    def _entry(self, rel: str) -> dict[str, Any] | None:
        """The entry for a path, if it has the shape this version writes (anything else is ignored)."""
        entry = self.entries.get(rel)
        if (isinstance(entry, dict) and isinstance(entry.get("stamp"), list) and isinstance(entry.get("sha"), str)
                and isinstance(entry.get("diagnostics"), list) and "data" in entry):
            return entry
        return None

    def unchanged(self, rel: str, path: Path) -> Hit | None:
        """The cached result when the file is certainly unchanged (by its metadata), without reading it."""
        entry = self._entry(rel)
        if entry is None:
            return None
        try:
            stat = path.lstat()
        except OSError:
            return None
        if entry["stamp"] != _stamp(stat) or stat.st_mtime_ns / 1e9 >= self.written_at - RACY_SECONDS:
            return None
        return self._hit(rel, entry)

    def same_content(self, rel: str, path: Path, text: str) -> Hit | None:
        """The cached result when the file's content is what the cache saw (its metadata may have changed, or
        it was racily clean): the entry gets the new metadata, so the next run need not read the file."""
        entry = self._entry(rel)
        if entry is None or entry["sha"] != content_hash(text):
            return None
        with contextlib.suppress(OSError):
            entry["stamp"] = _stamp(path.lstat())
            self.changed = True
        return self._hit(rel, entry)

    def _hit(self, rel: str, entry: dict[str, Any]) -> Hit | None:
        try:
            diagnostics = [Diagnostic(Location(rel, line, column), rule, Severity(severity), message, hint,
                                      _said(said), _said(hint_said))
                           for rule, severity, line, column, message, hint, said, hint_said in entry["diagnostics"]]
        except (KeyError, TypeError, ValueError):
            return None  # not what we wrote
        self.seen.add(rel)
        return Hit(entry["data"], diagnostics)

    def store(self, rel: str, path: Path, text: str, data: Any, diagnostics: list[Diagnostic]) -> None:
        try:
            stamp = _stamp(path.lstat())
        except OSError:
            return
        self.seen.add(rel)
        self.entries[rel] = {"stamp": stamp, "sha": content_hash(text), "data": data, "diagnostics": [
            [d.rule, int(d.severity), d.location.line, d.location.column, d.message, d.hint,
             d.said and message_to_data(d.said), d.hint_said and message_to_data(d.hint_said)]
            for d in diagnostics]}
        self.changed = True

    def save(self) -> None:
        stale = set(self.entries) - self.seen
        if not self.changed and not stale:
            return
        for rel in stale:
            del self.entries[rel]
        payload = {"written_at": time.time(), "entries": self.entries}
        with contextlib.suppress(OSError):  # a cache that cannot be written only makes the next run slower
            write_text(self.path, json.dumps(payload, separators=(",", ":")))


def _said(data: Any) -> Message | None:
    """A finding's stored template and values (None when it had none)."""
    return None if data is None else message_from_data(data)
