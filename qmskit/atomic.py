"""File writes that never leave half a file behind and, where asked, never replace an existing one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text(path: Path, text: str, *, overwrite: bool = True, durable: bool = True) -> None:
    """Write text as UTF-8 with `\n` line ends; see `write_bytes`."""
    write_bytes(path, text.encode("utf-8"), overwrite=overwrite, durable=durable)


def write_bytes(path: Path, data: bytes, *, overwrite: bool = True, durable: bool = True) -> None:
    """Write via a temporary file in the same folder and an atomic rename (or link, when not overwriting).

    Raises FileExistsError when `overwrite` is false and `path` exists, even if another process created it a
    moment ago: `os.link` fails on an existing target where `os.replace` would clobber it. `durable=False`
    skips the per-file fsync for batches that sync once at the end (`sync_all`): readers still never see half a
    file, and 10,000 records do not wait for 10,000 disk flushes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would, or keep the old one.
        os.fchmod(handle, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        if overwrite:
            Path(temporary).replace(path)
        else:
            os.link(temporary, path)
    finally:
        if os.path.exists(temporary):  # noqa: PTH110 - a plain path string from mkstemp
            os.unlink(temporary)  # noqa: PTH108


def sync_all() -> None:
    """Flush every written file to disk: the end of a batch of `durable=False` writes."""
    os.sync()


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
