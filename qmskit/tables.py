"""Tables for people and for spreadsheets: the same rows as CSV, Markdown or JSON. Pure."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from qmskit.escape import csv_cell, markdown_text, terminal
from qmskit.i18n import _, format_date
from qmskit.wording import yes_no

TABLE_FORMATS = ("text", "json", "csv", "markdown")


@dataclass(frozen=True, slots=True)
class TableData:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    records: tuple[dict[str, Any], ...]  # the same rows with typed values, for JSON
    # the rows as people read them, where words in them are translated (a gap's "expired"); CSV keeps `rows`
    said: tuple[tuple[str, ...], ...] | None = None

    @classmethod
    def of(cls, title: str, columns: Sequence[str], records: Sequence[dict[str, Any]],
           keys: Sequence[str] | None = None, words: Mapping[str, Callable[[Any], str]] | None = None) -> TableData:
        """`words` says, per key, how a value reads to people in the current language (text and Markdown);
        JSON and CSV keep the values as they are, for the tools that read them."""
        keys = list(keys or columns)
        rows = tuple(tuple(_cell(record.get(key)) for key in keys) for record in records)
        said = None
        if words:
            said = tuple(tuple(words[key](value) if key in words and value not in (None, "") else _cell(value)
                               for key in keys for value in [record.get(key)]) for record in records)
        return cls(title, tuple(columns), rows, tuple(records), said)

    @property
    def readable(self) -> tuple[tuple[str, ...], ...]:
        """The rows for people: translated words where the table has them."""
        return self.said if self.said is not None else self.rows

    @property
    def shown_rows(self) -> tuple[tuple[str, ...], ...]:
        """The rows as people read them (text and Markdown): days in the language's form (27.11.2026). CSV and
        JSON keep the ISO day that other tools read."""
        return tuple(tuple(shown(cell) for cell in row) for row in self.readable)


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def shown(cell: str) -> str:
    """A cell for people: a cell that is exactly an ISO day in the current language's form, others as they are."""
    if not ISO_DAY.fullmatch(cell):
        return cell
    try:
        return format_date(date.fromisoformat(cell))
    except ValueError:  # 2026-02-30: shown as written
        return cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # a table reads yes/no, not Python's True/False
        return yes_no(value)
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def to_csv(table: TableData) -> str:
    """Spreadsheet rows under the columns' English names: a header other tools read stays the same in every
    language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([terminal(csv_cell(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow([terminal(csv_cell(cell)) for cell in row])
    return buffer.getvalue()


def to_markdown(table: TableData) -> str:
    heading = " | ".join(markdown_text(_(column)) for column in table.columns)
    lines = [f"## {markdown_text(table.title)}", "", f"| {heading} |",
             "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(markdown_text(cell) for cell in row) + " |" for row in table.shown_rows]
    return "\n".join(lines) + "\n"


def to_json(table: TableData) -> str:
    return json.dumps(list(table.records), indent=2, ensure_ascii=False) + "\n"
