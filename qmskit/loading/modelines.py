"""The `# yaml-language-server: $schema=` line that tells editors which schema checks a YAML file.

qms writes it relative to the file, into the manual's own schema copy (`.qms/schemas/`, see editorschemas.py),
and `qms validate` says when a file's modeline names something editors cannot load (QMS-SCHEMA-003): a URL, a
path outside the manual, or the schema of another kind of file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from qmskit.diagnostics import Diagnostic, Location
from qmskit.messages import say
from qmskit.rules.catalog import rule

SCHEMAS_FOLDER = ".qms/schemas"
MODELINE = "# yaml-language-server: $schema="
# yaml-language-server reads the modeline from any comment line; qms looks at the top of the file only.
_MODELINE_PATTERN = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S*)[ \t]*\r?$", re.MULTILINE)
_HEAD = 4096
ELSEWHERE = rule("QMS-SCHEMA-003")


def schema_reference(kind: str, relative_path: str) -> str:
    """The modeline target for a file at `relative_path` (manual-relative, POSIX): up to the manual's root,
    then into the schema copy."""
    return f"{'../' * relative_path.count('/')}{SCHEMAS_FOLDER}/{kind}.schema.json"


def modeline(kind: str, relative_path: str) -> str:
    return f"{MODELINE}{schema_reference(kind, relative_path)}\n"


def modeline_target(text: str) -> str | None:
    """The schema a YAML file's modeline names, if it has one near its top."""
    match = _MODELINE_PATTERN.search(text, 0, _HEAD)
    return match.group(1) if match else None


def check(kind: str, rel: str, text: str) -> Iterator[Diagnostic]:
    """QMS-SCHEMA-003 when the file's modeline does not name its kind's schema in the manual's copy. Files
    without a modeline are fine (editors then check nothing, which is the user's choice)."""
    wanted = schema_reference(kind, rel)
    written = MODELINE + wanted
    if text.startswith(written) and text[len(written):len(written) + 1] in ("\n", "\r", ""):  # qms's own: no regex
        return
    match = _MODELINE_PATTERN.search(text, 0, _HEAD) if "yaml-language-server" in text[:_HEAD] else None
    if match is None:
        return
    target = match.group(1)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target)) if target else ""
    if "://" in target or target.startswith("/") or resolved != f"{SCHEMAS_FOLDER}/{kind}.schema.json":
        line = text.count("\n", 0, match.start()) + 1
        column = match.start(1) - match.start() + 1
        yield ELSEWHERE.at(Location(rel, line, column),
                           say("the editor schema '{target}' is not this file's schema in {folder}/",
                               target=target[:200], folder=SCHEMAS_FOLDER),
                           say("Make the line `{line}` (and run `qms schemas sync`).", line=MODELINE + wanted))
