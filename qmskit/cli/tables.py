"""Printing a TableData in the format the user asked for."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from qmskit.cli.app import check_choice, check_output_file, emit, escape, stdout
from qmskit.i18n import _
from qmskit.tables import TABLE_FORMATS, TableData, to_csv, to_json, to_markdown


def show(table: TableData, output_format: str, output: Path | None) -> None:
    check_choice(output_format, TABLE_FORMATS, "format")
    if output_format == "json":
        emit(to_json(table), output)
    elif output_format == "csv":
        emit(to_csv(table), output)
    elif output_format == "markdown":
        emit(to_markdown(table), output)
    elif output is not None:
        with check_output_file(output).open("w", encoding="utf-8") as stream:
            _rich(table, Console(file=stream, no_color=True, width=160))
    else:
        _rich(table, stdout())


def _rich(table: TableData, console: Console) -> None:
    grid = Table(*(escape(_(column)) for column in table.columns), title=escape(table.title), title_justify="left",
                 header_style="bold")
    for row in table.shown_rows:
        grid.add_row(*(escape(cell) for cell in row))
    console.print(grid)
