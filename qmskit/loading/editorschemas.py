"""The manual's own copy of the bundled JSON Schemas (`.qms/schemas/`), where editors' modelines find them.

Editors (VS Code's YAML extension, any client of yaml-language-server) read a `# yaml-language-server: $schema=`
modeline and load the schema it names, relative to the file. A copy inside the manual works offline, in every
clone, and checks a file against the schemas of the qmskit version that wrote the copy; `qms schemas sync`
refreshes it and `qms validate` says when it is stale (QMS-SCHEMA-002).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from qmskit.atomic import write_bytes
from qmskit.diagnostics import Diagnostic, Location
from qmskit.loading.load import CONFIG_FILE
from qmskit.loading.modelines import SCHEMAS_FOLDER
from qmskit.messages import say
from qmskit.resources import schemas_dir
from qmskit.rules.catalog import rule

STALE = rule("QMS-SCHEMA-002")


@cache
def bundled() -> dict[str, bytes]:
    """The schema files this qmskit ships, by file name."""
    return {path.name: path.read_bytes() for path in sorted(schemas_dir().glob("*.schema.json"))}


def stale(root: Path) -> list[str]:
    """Names of bundled schemas whose copy in the manual is missing or differs."""
    folder = root / SCHEMAS_FOLDER
    out = []
    for name, content in bundled().items():
        copy = folder / name
        try:
            if copy.is_symlink() or copy.read_bytes() != content:
                out.append(name)
        except OSError:
            out.append(name)
    return out


@dataclass(slots=True)
class SyncResult:
    written: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)


def sync(root: Path) -> SyncResult:
    """Bring the manual's schema copy up to date. Only files qmskit ships are written, each atomically; other
    files in the folder are left alone."""
    folder = root / SCHEMAS_FOLDER
    if folder.is_symlink() or (root / ".qms").is_symlink():
        raise OSError(f"{SCHEMAS_FOLDER} is a symbolic link; refusing to write through it")
    changed = set(stale(root))
    result = SyncResult()
    for name, content in bundled().items():
        if name in changed:
            target = folder / name
            if target.is_symlink():
                target.unlink()
            write_bytes(target, content)
            result.written.append(name)
        else:
            result.current.append(name)
    return result


def findings(root: Path) -> list[Diagnostic]:
    """QMS-SCHEMA-002 when the manual's schema copy is missing (once, at qms.yaml) or stale (per file)."""
    names = stale(root)
    if not (root / SCHEMAS_FOLDER).is_dir():
        return [STALE.at(Location(CONFIG_FILE), say("editors find no schemas: {folder}/ is missing",
                                                    folder=SCHEMAS_FOLDER))]
    return [STALE.at(Location(f"{SCHEMAS_FOLDER}/{name}"),
                     say("{file} is missing or differs from the schema of this qmskit version", file=name))
            for name in names]
