"""The `qms` command line: parse arguments, call the core, render. No business logic lives here.

Each command lives in its own module; importing them registers them on the one typer app.
"""

from __future__ import annotations

import gc
import sys
import traceback

import typer
from rich.markup import escape

from qmskit.cli import (  # noqa: F401 - importing registers the commands
    competence,
    control,
    diagram,
    intake,
    manual,
    new,
    pdf,
    records,
    reports,
    site,
    validate,
)
from qmskit.cli.app import app, stderr
from qmskit.errors import ExitCode, QmsError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point with one error boundary: user errors -> 2, Ctrl-C -> 130, bugs -> 3 with a short report."""
    # A run builds many small objects and no garbage cycles worth collecting: the cyclic collector would only
    # scan them again and again (about a tenth of a large validate).
    gc.disable()
    try:
        # Without standalone mode click returns the exit code of `typer.Exit` instead of raising it. The name is
        # fixed so that usage lines and completion scripts say `qms` also under `python -m qmskit`.
        code = app(prog_name="qms", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except QmsError as error:
        _report_error(error)
        sys.exit(ExitCode.USAGE)
    except (KeyboardInterrupt, typer.Abort):
        stderr().print("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except Exception as error:  # the one place that turns a bug into a report
        if type(error).__module__.startswith(("click", "typer")):
            _usage_error(error)
            sys.exit(ExitCode.USAGE)
        stderr().print(f"[bold red]qms: internal error:[/] {escape(repr(error))}")
        stderr().print("Please report this with the output of `qms --version`.\n" + escape(
            "".join(traceback.format_exception(error, limit=-3))))
        sys.exit(ExitCode.BUG)


def _report_error(error: QmsError) -> None:
    console = stderr()
    console.print(f"[bold red]qms: error:[/] {escape(error.message)}")
    if error.hint:
        console.print(f"[green]hint:[/] {escape(error.hint)}")


def _usage_error(error: Exception) -> None:
    show = getattr(error, "show", None)
    if callable(show):
        show(file=sys.stderr)
    else:
        stderr().print(f"[bold red]qms: error:[/] {escape(str(error))}")
