"""Paths made from manual data: every id that becomes a file or folder name is checked, and every path is checked
again where it is made, so that nothing a file says can make qms write outside the folder it means.

Two checks on purpose: the schemas reject unsafe ids when a manual is loaded (a located finding), and the
writers call `inside` at the moment they build a path, because a command may run on a manual whose findings
nobody read, and ids also arrive from the command line.
"""

from __future__ import annotations

import re
from pathlib import Path

from qmskit.errors import QmsError
from qmskit.i18n import N_, _

# The id pattern of common.schema.json: it cannot start with '.', hold '/' or '\\', or be empty.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
SAFE_ID_HINT = N_("Use 1-80 letters, digits, '.', '_' and '-', starting with a letter or digit.")
# what check_id may name, for the catalogue
_WHAT = (N_("form id"), N_("process id"), N_("person id"), N_("document id"))


class UnsafePathError(QmsError):
    """A name or path would reach outside the folder it belongs in; nothing was written."""


def is_safe_id(value: object) -> bool:
    return isinstance(value, str) and SAFE_ID.fullmatch(value) is not None


def check_id(value: str, what: str) -> str:
    """`value` if it is safe as a file name part, else an error naming `what` (e.g. "form id")."""
    if not is_safe_id(value):
        raise UnsafePathError(_("{what} {value} is not a safe id").format(what=_(what), value=repr(value)),
                              _(SAFE_ID_HINT))
    return value


def inside(folder: Path, *parts: str) -> Path:
    """`folder / parts...`, refused unless the resolved result stays inside the resolved `folder`.

    Resolving follows symbolic links that exist already, so a link inside the manual that points elsewhere is
    caught as well as a `..` in a name.
    """
    base = folder.resolve()
    for part in parts:
        if not part or "\0" in part or Path(part).is_absolute():
            raise UnsafePathError(_("unsafe path part {part} under {folder}").format(part=repr(part), folder=folder),
                                  _(SAFE_ID_HINT))
    target = base.joinpath(*parts).resolve()
    if target == base or not target.is_relative_to(base):
        shown = "/".join(parts)
        raise UnsafePathError(_("{path} would be written outside {folder}").format(path=repr(shown), folder=folder),
                              _(SAFE_ID_HINT))
    return target


def within(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or inside it, after resolving both."""
    return path.resolve().is_relative_to(folder.resolve())
