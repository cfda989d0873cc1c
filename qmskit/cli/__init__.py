"""The `qms` command line: parse arguments, call the core, render. No business logic lives here.

Each command lives in its own module; importing it registers it on the one typer app. A run imports only the
module of the command it runs (cli/commands.py says which), so `qms --version` needs neither typer nor the core.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from qmskit import __version__
from qmskit.cli.commands import MODULES, modules_for
from qmskit.errors import ExitCode, QmsError

if TYPE_CHECKING:
    import typer
    from rich.console import Console

__all__ = ["app", "load_commands", "main"]


def load_commands(modules: tuple[str, ...] = MODULES) -> typer.Typer:
    """The app with these command modules' commands registered (all of them by default)."""
    for module in modules:
        importlib.import_module(f"qmskit.cli.{module}")
    from qmskit.cli.app import app  # noqa: PLC0415

    # importing the submodule bound `qmskit.cli.app` to it; `from qmskit.cli import app` means the typer app
    globals()["app"] = app
    return app


def __getattr__(name: str) -> object:
    # `from qmskit.cli import app` before any command ran: the app with every command registered
    if name == "app":
        return load_commands()
    raise AttributeError(name)


def main() -> None:
    """Entry point with one error boundary: user errors -> 2, Ctrl-C -> 130, bugs -> 3 with a short report."""
    argv = sys.argv[1:]
    if argv == ["--version"]:  # the one answer that needs nothing else loaded
        sys.stdout.write(f"qms {__version__}\n")
        sys.exit(ExitCode.OK)
    # A run builds many small objects and no garbage cycles worth collecting: the cyclic collector would only
    # scan them again and again (about a tenth of a large validate).
    gc.disable()
    import typer  # noqa: PLC0415

    # Shell completion walks every command.
    completing = any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)
    with _language():  # reports and errors below are in the run's language
        try:
            app = load_commands(MODULES if completing else modules_for(argv))
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
            from qmskit.i18n import _  # noqa: PLC0415

            _stderr().print(_("interrupted"))
            sys.exit(ExitCode.INTERRUPTED)
        except Exception as error:  # the one place that turns a bug into a report
            if type(error).__module__.startswith(("click", "typer")):
                _usage_error(error)
                sys.exit(ExitCode.USAGE)
            _report_bug(error)
            sys.exit(ExitCode.BUG)


@contextlib.contextmanager
def _language() -> Iterator[None]:
    """The run starts in the terminal's language (until --lang or the manual decide) and leaves the caller's
    language as it found it (tests run many commands in one process)."""
    from qmskit import i18n  # noqa: PLC0415
    from qmskit.cli.app import forget_language, speak  # noqa: PLC0415

    forget_language()
    with i18n.use(i18n.current()):
        with contextlib.suppress(QmsError):  # a wrong QMS_LANG: the command reports it when it reads the manual
            speak()
        yield
    forget_language()


def _stderr() -> Console:
    from qmskit.cli.app import stderr  # noqa: PLC0415

    return stderr()


def _report_bug(error: Exception) -> None:
    import traceback  # noqa: PLC0415

    from qmskit.cli.app import escape  # noqa: PLC0415
    from qmskit.i18n import _  # noqa: PLC0415

    _stderr().print(f"[bold red]{escape(_('qms: internal error:'))}[/] {escape(repr(error))}")
    _stderr().print(escape(_("Please report this with the output of `qms --version`.")) + "\n" + escape(
        "".join(traceback.format_exception(error, limit=-3))))


def _report_error(error: QmsError) -> None:
    from qmskit.cli.app import escape  # noqa: PLC0415
    from qmskit.i18n import _  # noqa: PLC0415

    console = _stderr()
    label, hint = _("qms: error:"), _("hint:")
    console.print(f"[bold red]{escape(label)}[/] {escape(error.message)}")
    if error.hint:
        console.print(f"[green]{escape(hint)}[/] {escape(error.hint)}")


def _usage_error(error: Exception) -> None:
    """A mistake on the command line: click's usage line, where to find help and what was wrong, in the run's
    language (help itself, when no command was given, as click shows it)."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError  # noqa: PLC0415

    from qmskit.cli.app import escape  # noqa: PLC0415
    from qmskit.cli.helptext import usage_hint, usage_message  # noqa: PLC0415
    from qmskit.i18n import _  # noqa: PLC0415

    show = getattr(error, "show", None)
    if not isinstance(error, UsageError) or isinstance(error, NoArgsIsHelpError):
        if callable(show):
            show(file=sys.stderr)
        else:
            _stderr().print(f"[bold red]{escape(_('qms: error:'))}[/] {escape(str(error))}")
        return
    hint = usage_hint(error)
    if hint:
        sys.stderr.write(hint + "\n\n")
    _stderr().print(f"[bold red]{escape(_('qms: error:'))}[/] {escape(usage_message(error))}")
