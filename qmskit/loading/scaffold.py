"""`qms init`: copy a starting manual into a folder without ever replacing a file that is already there."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qmskit.atomic import write_text
from qmskit.errors import ConfigError
from qmskit.i18n import _
from qmskit.loading.story import STORY_FILE
from qmskit.resources import example_dir, templates_dir


@dataclass(slots=True)
class ScaffoldResult:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already there; left untouched


def starter(example: bool) -> Path:
    return example_dir() if example else templates_dir() / "manual"


def scaffold(target: Path, source: Path, *, force: bool) -> ScaffoldResult:
    if target.exists() and not target.is_dir():
        raise ConfigError(_("{folder} exists and is not a folder").format(folder=target),
                          _("Choose a new folder name."))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ConfigError(_("{folder} is not empty").format(folder=target),
                          _("Choose an empty folder, or pass --force to add the missing files (existing files are "
                            "never overwritten)."))
    result = ScaffoldResult()
    for path in sorted(source.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(source)
        if rel.as_posix() == STORY_FILE:  # how qms init tells the starter's history, not part of the manual
            continue
        destination = target / rel
        try:
            write_text(destination, path.read_text(encoding="utf-8"), overwrite=False)
            result.written.append(rel.as_posix())
        except FileExistsError:
            result.kept.append(rel.as_posix())
    return result
