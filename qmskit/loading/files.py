"""Reading the manual's files from disk, refusing what could hurt: huge files, bad encodings, escaping symlinks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qmskit.diagnostics import Diagnostic, Location, Severity, finding
from qmskit.messages import say

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class TextFile:
    rel: str
    text: str


def iter_files(root: Path, folder: str, suffixes: tuple[str, ...]) -> Iterator[str]:
    """Manual-relative POSIX paths of the files under root/folder with the given suffixes, in a stable order,
    without following directory links. Plain strings: tens of thousands of records make Path objects costly."""
    base = os.path.join(root, folder)
    if not os.path.isdir(base) or os.path.islink(base):
        return
    prefix = len(str(root)) + 1
    for directory, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = directory[prefix:].replace(os.sep, "/")
        for name in sorted(filenames):
            if name.endswith(suffixes) and not name.startswith("."):
                yield f"{rel_dir}/{name}"


def read_text(root: Path, rel: str, max_bytes: int = MAX_FILE_BYTES) -> TextFile | Diagnostic:
    """The file's text, or the one diagnostic that says why it is not read."""
    where = Location(rel)
    path = os.path.join(root, rel)
    if os.path.islink(path):
        target = Path(path).resolve()
        if not target.is_relative_to(root.resolve()):
            return finding(where, "QMS-FILE-003", Severity.ERROR,
                           say("symbolic link points outside the manual; not followed"),
                           say("Copy the file into the manual, or remove the link."))
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            size_text, limit_text = f"{size:,}", f"{max_bytes:,}"
            return finding(where, "QMS-FILE-002", Severity.ERROR,
                           say("file is {size} bytes, over the limit of {limit}; not read", size=size_text,
                               limit=limit_text),
                           say("Split the file; manual files are small. Large data belongs outside the manual."))
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        # the operating system's own words (strerror) stay as it wrote them
        return finding(where, "QMS-FILE-001", Severity.ERROR,
                       say("cannot read file: {reason}", reason=str(exc.strerror)),
                       say("Check that the file exists and is readable."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = f"{data[exc.start]:02x}"
        return finding(Location(rel, line, column), "QMS-FILE-004", Severity.ERROR,
                       say("file is not valid UTF-8 (byte 0x{byte})", byte=byte),
                       say("Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)."))
    if not text.strip():
        return finding(where, "QMS-FILE-005", Severity.ERROR, say("file is empty"),
                       say("Fill in the file from its template, or delete it."))
    return TextFile(rel, text.replace("\r\n", "\n"))
