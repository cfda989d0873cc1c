"""Writing records: a new record gets the next free id and is written atomically, never over another one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from qmskit.atomic import sync_all, write_text
from qmskit.errors import QmsError
from qmskit.loading.schemas import schema_url
from qmskit.loading.yamlsource import dump_yaml
from qmskit.model import Form
from qmskit.records.forms import workflow
from qmskit.records.workflow import next_number, record_id
from qmskit.vcs.history import History

MAX_ATTEMPTS = 10_000


@dataclass(frozen=True, slots=True)
class Written:
    id: str
    path: Path  # absolute
    rel: str  # manual-relative


def taken_ids(root: Path, form: Form, history: History) -> set[str]:
    """Ids in use or ever used: files in the form's folder now, and every record file of HEAD or any earlier
    commit, wherever it was and whatever the working tree holds (a record deleted but not yet committed keeps
    its id, and so does one deleted long ago)."""
    folder = root / "records" / form.id
    taken = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    files = [*history.files.values(), *history.deleted]
    ever = [path for f in files for path in (f.path, *f.previous_paths)]
    taken |= {PurePosixPath(path).stem for path in ever if path.startswith("records/")}
    return taken


@dataclass(frozen=True, slots=True)
class NewRecord:
    form: Form
    form_revision: int
    created_at: datetime
    created_by: str  # a person id
    values: Mapping[str, Any]
    source: Mapping[str, str] | None = None  # where an imported record came from (kind, name, id, url)
    happened_at: datetime | None = None  # a past event entered later (backfilled): its first step is dated then

    def document(self, new_id: str) -> dict[str, Any]:
        stamp = self.created_at.isoformat(timespec="seconds")
        document: dict[str, Any] = {"id": new_id, "form": self.form.id, "form_revision": self.form_revision,
                                    "created_at": stamp, "created_by": self.created_by}
        flow = workflow(self.form)
        if flow is not None:
            document["status"] = flow.states[0]
            first: dict[str, Any] = {"state": flow.states[0], "at": stamp, "by": self.created_by}
            if self.happened_at is not None:
                first |= {"at": self.happened_at.isoformat(timespec="seconds"), "recorded_at": stamp}
            document["history"] = [first]
        document["values"] = dict(self.values)
        if self.source:
            document["source"] = dict(self.source)
        return document


def modeline(kind: str) -> str:
    """The first line of a file qmskit writes: tells YAML-aware editors which schema checks it."""
    return f"# yaml-language-server: $schema={schema_url(kind)}"


def render(document: Mapping[str, Any]) -> str:
    return modeline("record") + "\n" + dump_yaml(dict(document))


def create(root: Path, new: NewRecord, history: History) -> Written:
    """Write a new record with the next id. Concurrent writers cannot get the same id: the file is linked into
    place only if no file of that name exists, and a writer that loses the race takes the next number."""
    form, year = new.form, new.created_at.year
    number = next_number(form.record_prefix, year, taken_ids(root, form, history))
    for _ in range(MAX_ATTEMPTS):
        new_id = record_id(form.record_prefix, year, number)
        path = root / "records" / form.id / f"{new_id}.yaml"
        try:
            write_text(path, render(new.document(new_id)), overwrite=False)
        except FileExistsError:
            number += 1
            continue
        except OSError as exc:
            raise QmsError(f"could not write {path.relative_to(root)}: {exc.strerror or exc}",
                           "Nothing was written; check the disk and permissions, then try again.") from exc
        return Written(new_id, path, path.relative_to(root).as_posix())
    raise RuntimeError("no free record id after many attempts")  # pragma: no cover - needs 10,000 racing writers


def create_many(root: Path, news: list[NewRecord], history: History) -> list[Written]:
    """Write several new records of one form, all or none: ids are numbered on from the highest ever used,
    each file is linked into place only if its name is free, and if any write fails the ones written by this
    call are removed again, so a failed import leaves the manual as it was."""
    if not news:
        return []
    form = news[0].form
    taken = taken_ids(root, form, history)
    numbers: dict[int, int] = {}
    written: list[Written] = []
    try:
        for new in news:
            year = new.created_at.year
            number = numbers.get(year) or next_number(form.record_prefix, year, taken)
            for _ in range(MAX_ATTEMPTS):
                new_id = record_id(form.record_prefix, year, number)
                path = root / "records" / form.id / f"{new_id}.yaml"
                try:
                    write_text(path, render(new.document(new_id)), overwrite=False, durable=False)
                except FileExistsError:
                    number += 1
                    continue
                break
            else:  # pragma: no cover - needs 10,000 racing writers
                raise RuntimeError("no free record id after many attempts")
            numbers[year] = number + 1
            written.append(Written(new_id, path, path.relative_to(root).as_posix()))
    except OSError as exc:
        for done in written:
            done.path.unlink(missing_ok=True)
        raise QmsError(f"could not write records: {exc.strerror or exc}",
                       "Nothing was written; check the disk and permissions, then try again.") from exc
    sync_all()
    return written


def update(path: Path, document: Mapping[str, Any]) -> None:
    """Rewrite a workflow record in place, atomically (the old content stays in Git history)."""
    write_text(path, render(document))
