"""Reading survey-tool exports: CSV (comma, semicolon or tab; UTF-8 with or without BOM, or a declared
encoding) and Excel `.xlsx`. The edge between files and the import: rows come out as text cells with the line or
row they were on, so every problem can be located in the file the user has open.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from qmskit.errors import ConfigError
from qmskit.i18n import _

MAX_BYTES = 50 * 1024 * 1024  # a survey export larger than this is a mistake, not a month of answers
MAX_ROWS = 200_000
MAX_CELL = 100_000  # characters in one cell
DELIMITERS = ",;\t"


@dataclass(frozen=True, slots=True)
class Row:
    where: str  # "line 7" (CSV) or "row 7" (Excel), as the user's program shows it
    cells: dict[str, Any]  # column heading -> value (text from CSV; text, number, date or bool from Excel)


@dataclass(frozen=True, slots=True)
class Sheet:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def read_sheet(path: Path, *, encoding: str = "utf-8", delimiter: str = "", sheet: str = "") -> Sheet:
    """The header and rows of a CSV or .xlsx file. Raises ConfigError with a hint for anything unreadable."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ConfigError(_("cannot read {path}: {problem}").format(path=path, problem=exc.strerror or exc),
                          _("Check the file name.")) from exc
    if size > MAX_BYTES:
        raise ConfigError(_("{path} is {size} MB").format(path=path, size=size // 1_000_000),
                          _("Split exports larger than {size} MB.").format(size=MAX_BYTES // 1_000_000))
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, sheet)
    if path.suffix.lower() in (".xls", ".ods", ".numbers"):
        raise ConfigError(_("{file}: {suffix} files are not read").format(file=path.name, suffix=path.suffix),
                          _("Save the export as .xlsx or CSV."))
    return _read_csv(path, encoding, delimiter)


def _read_csv(path: Path, encoding: str, delimiter: str) -> Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        raise ConfigError(_("{file} is not {encoding} (byte {byte})").format(file=path.name, encoding=encoding,
                                                                             byte=exc.start),
                          _("Export as UTF-8 CSV, or set `encoding:` in the import mapping (e.g. cp1252).")) from exc
    except LookupError as exc:
        raise ConfigError(_("unknown encoding '{encoding}'").format(encoding=encoding),
                          _("Use e.g. utf-8, cp1252 or latin-1.")) from exc
    if not text.strip():
        raise ConfigError(_("{file} is empty").format(file=path.name),
                          _("Export the survey's responses with a header row."))
    delimiter = delimiter or _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        columns = _columns(header, path.name)
        rows: list[Row] = []
        start = reader.line_num + 1
        for cells in reader:
            if len(rows) >= MAX_ROWS:
                raise ConfigError(_("{file} has more than {count} rows").format(file=path.name, count=MAX_ROWS),
                                  _("Import it in parts."))
            if any(len(cell) > MAX_CELL for cell in cells):
                raise ConfigError(_("{file} line {number}: a cell is longer than {count} characters").format(
                    file=path.name, number=start, count=MAX_CELL), _("Check the export."))
            if any(cell.strip() for cell in cells):
                values = dict(zip(columns, (c.strip() for c in cells), strict=False))
                rows.append(Row(_("line {number}").format(number=start), values))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ConfigError(_("{file} line {number}: {problem}").format(file=path.name, number=reader.line_num,
                                                                        problem=exc),
                          _("Check the quoting in the export.")) from exc
    return Sheet(columns, tuple(rows))


def _detect_delimiter(text: str) -> str:
    """The delimiter of the header line: whichever of comma, semicolon and tab it has most of (Excel in a
    Finnish locale writes semicolons)."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _columns(header: list[Any], name: str) -> tuple[str, ...]:
    columns = tuple(str(c).strip() if c is not None else "" for c in header)
    seen: set[str] = set()
    for column in columns:
        if column and column in seen:
            raise ConfigError(_("{file}: the column '{column}' appears twice in the header").format(
                file=name, column=column), _("Rename one of them in the export, so each column can be mapped."))
        seen.add(column)
    return columns


def _read_xlsx(path: Path, sheet: str) -> Sheet:
    from openpyxl import load_workbook  # noqa: PLC0415 - only imports need Excel
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        raise ConfigError(_("{file} is not a readable .xlsx file: {problem}").format(file=path.name, problem=exc),
                          _("Save it again from Excel.")) from exc
    try:
        if sheet and sheet not in book.sheetnames:
            raise ConfigError(_("{file} has no sheet '{sheet}'").format(file=path.name, sheet=sheet),
                              _("Sheets: {sheets}.").format(sheets=", ".join(book.sheetnames)))
        worksheet = book[sheet] if sheet else book.worksheets[0]
        lines = worksheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise ConfigError(_("{file} is empty").format(file=path.name),
                          _("Export the survey's responses with a header row."))
        columns = _columns(list(header), path.name)
        rows: list[Row] = []
        for number, values in enumerate(lines, start=2):
            if len(rows) >= MAX_ROWS:
                raise ConfigError(_("{file} has more than {count} rows").format(file=path.name, count=MAX_ROWS),
                                  _("Import it in parts."))
            cells = {c: _cell(v) for c, v in zip(columns, values, strict=False) if c}
            if any(v not in (None, "") for v in cells.values()):
                rows.append(Row(_("row {number}").format(number=number), cells))
        return Sheet(columns, tuple(rows))
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()[:MAX_CELL]
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()  # Excel has no date type: a date is a date-time at midnight
    if isinstance(value, date | int | float | bool) or value is None:
        return value
    return str(value)
