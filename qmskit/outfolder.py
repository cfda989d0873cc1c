"""Folders that qms fills with output (`qms build -o`, `--pages`, `qms diagram --all -o`): refused unless they
are empty or an earlier qms output, and never the manual, its repository, or anything that overlaps them.

A build replaces what is in its folder (mkdocs empties it first), so the folder must be one qms made: an
earlier output carries a marker file. Hidden files survive mkdocs' cleaning, so the marker does too.
"""

from __future__ import annotations

from pathlib import Path

from qmskit.atomic import write_text
from qmskit.errors import QmsError
from qmskit.i18n import _

MARKER = ".qms-output"
_MARKER_TEXT = ("This folder holds output of qms ({what}). qms replaces its content on the next run; "
                "do not keep anything else here.\n")


class OutputFolderError(QmsError):
    """An output folder that qms must not fill; nothing was written or deleted."""


def check_output_folder(folder: Path, manual: Path, repository: Path | None, option: str) -> None:
    """Raise unless `folder` may be filled (and emptied) by qms; `option` names it in the message."""
    target, root = folder.resolve(), manual.resolve()
    if target.exists() and not target.is_dir():
        raise OutputFolderError(_("{option} {folder} is a file, not a folder").format(option=option, folder=folder),
                                _("Give a new or empty folder."))
    overlaps = _overlap(target, root)
    if overlaps is None and repository is not None:
        top = repository.resolve()
        if target == top or top.is_relative_to(target):
            overlaps = _("the repository that holds the manual")
    if overlaps is not None:
        raise OutputFolderError(_("{option} {folder} is or overlaps {what} ({root}); qms never writes its output "
                                  "there").format(option=option, folder=folder, what=overlaps, root=root),
                                _("Give a folder outside the manual, e.g. -o ../site or /tmp/site."))
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise OutputFolderError(_("{option} {folder} is not empty and was not made by qms").format(
            option=option, folder=folder),
                                _("Give a new or empty folder; qms replaces the content of folders it made itself "
                                  "(they hold a {marker} file).").format(marker=MARKER))


def _overlap(target: Path, root: Path) -> str | None:
    if target == root:
        return _("the manual")
    if target.is_relative_to(root):
        return _("a folder inside the manual")
    if root.is_relative_to(target):
        return _("a folder that contains the manual")
    return None


def check_apart(first: Path, second: Path, names: tuple[str, str]) -> None:
    """Two output folders of one command must not hold each other (one build would empty the other)."""
    a, b = first.resolve(), second.resolve()
    if a == b or a.is_relative_to(b) or b.is_relative_to(a):
        raise OutputFolderError(_("{first_option} {first} and {second_option} {second} overlap").format(
            first_option=names[0], first=first, second_option=names[1], second=second),
                                _("Give two separate folders."))


def mark_output_folder(folder: Path, what: str) -> None:
    """Create the folder if needed and mark it as qms output."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    if not marker.is_file():
        write_text(marker, _MARKER_TEXT.format(what=what))
