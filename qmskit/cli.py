"""The `qms` command line: parse arguments, call the core, render. No business logic lives here."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from qmskit import __version__
from qmskit.atomic import write_bytes, write_text
from qmskit.check import Selection, check_manual
from qmskit.diagram import views
from qmskit.diagram.render import FORMATS as DIAGRAM_FORMATS
from qmskit.diagram.render import render
from qmskit.errors import ConfigError, ExitCode, QmsError
from qmskit.gitrepo import enclosing_work_tree, init_and_commit
from qmskit.load import CONFIG_FILE, find_manual_root
from qmskit.report import FORMATS, ReportInput, repository_prefix
from qmskit.report.machine import RENDERERS
from qmskit.report.text import render_text
from qmskit.rules.catalog import RULES
from qmskit.scaffold import scaffold, starter

app = typer.Typer(
    name="qms",
    help="A Git-backed, docs-as-code quality management system for ISO 9001:2015.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # records hold personal data: never dump locals
    add_completion=False,
)

ManualPath = Annotated[
    Path | None,
    typer.Argument(help="The manual's folder (holding qms.yaml). Default: the nearest qms.yaml at or above the "
                        "current folder.", show_default=False),
]


def _stdout() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def resolve_manual(path: Path | None) -> Path:
    """Find the manual the way git finds a repository."""
    if path is None:
        root = find_manual_root(Path.cwd())
        if root is None:
            raise ConfigError(f"no {CONFIG_FILE} in {Path.cwd()} or any folder above it",
                              "Run the command inside a manual, pass the manual's folder, or start one with "
                              "`qms init DIR`.")
        return root
    if path.is_file() and path.name == CONFIG_FILE:
        return path.parent.resolve()
    if not path.is_dir():
        raise ConfigError(f"{path} is not a folder", "Pass the folder that holds qms.yaml.")
    if not (path / CONFIG_FILE).is_file():
        raise ConfigError(f"no {CONFIG_FILE} in {path}",
                          "Pass the folder that holds qms.yaml, or start a manual there with `qms init`.")
    return path.resolve()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qms {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """qms: your ISO 9001 management system, kept in Git."""


@app.command()
def validate(
    path: ManualPath = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rule ids or families "
                                                                         "(e.g. QMS-COV). Repeatable.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rule ids or families. "
                                                                         "Repeatable.")] = None,
) -> None:
    """Check the manual against its schemas and the ISO 9001 rules. Exit 0 clean, 1 findings, 2 usage error."""
    if output_format not in FORMATS:
        raise ConfigError(f"unknown format '{output_format}'", f"Use one of: {', '.join(FORMATS)}.")
    _check_rule_ids([*(select or []), *(ignore or [])])
    root = resolve_manual(path)
    result = check_manual(root, Selection(tuple(select or ()), tuple(ignore or ())))
    report = ReportInput(result.diagnostics, result.loaded.manual.files, root, repository_prefix(root), __version__)
    if output_format == "text":
        if output is None:
            render_text(report, _stdout())
        else:
            with output.open("w", encoding="utf-8") as stream:
                render_text(report, Console(file=stream, no_color=True, width=120, soft_wrap=True))
    else:
        rendered = RENDERERS[output_format](report)
        if output is None:
            sys.stdout.write(rendered)
        else:
            write_text(output, rendered)
    raise typer.Exit(ExitCode.FINDINGS if result.failed(strict) else ExitCode.OK)


def _check_rule_ids(patterns: list[str]) -> None:
    for pattern in patterns:
        if not any(rule_id == pattern or rule_id.startswith(pattern.rstrip("-") + "-") for rule_id in RULES):
            raise ConfigError(f"no rule matches '{pattern}'", "List the rules with `qms rules`.")


@app.command()
def diagram(
    path: ManualPath = None,
    view_name: Annotated[str, typer.Option("--view", help="map (how processes interact), process (one "
                                                            "process's card) or chain (order to delivery).")] = "map",
    process: Annotated[str, typer.Option("--process", help="The process id, for --view process.")] = "",
    depth: Annotated[int, typer.Option("--depth", min=1, max=9, help="Levels of sub-processes to show.")] = 1,
    output_format: Annotated[str, typer.Option("--format", "-f", help="svg, png, pdf or dot.")] = "svg",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file to write (a folder with "
                                                                        "--all). Default: standard output.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Write every view into the folder given by -o.")] = False,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Prefix of the links on process nodes. "
                                                                     "Default: site.url from qms.yaml.")] = None,
) -> None:
    """Draw process maps with Graphviz: the interaction map, a process card, or the value chain."""
    if output_format not in DIAGRAM_FORMATS:
        raise ConfigError(f"unknown format '{output_format}'", f"Use one of: {', '.join(DIAGRAM_FORMATS)}.")
    if view_name not in views.VIEWS:
        raise ConfigError(f"unknown view '{view_name}'", f"Use one of: {', '.join(views.VIEWS)}.")
    root = resolve_manual(path)
    result = check_manual(root)
    manual = result.loaded.manual
    if result.failed(strict=False):
        _stderr().print(f"[yellow]warning:[/] the manual has errors; the diagram may be incomplete. "
                        f"Run `qms validate {escape(str(path or '.'))}`.")
    links = views.Links(manual.config.site_url if base_url is None else base_url)
    if every:
        if output is None:
            raise ConfigError("--all needs a folder to write into", "Add -o DIR.")
        for stem, graph in views.all_views(manual, links).items():
            write_bytes(output / f"{stem}.{output_format}", render(graph.source, output_format))
        _stdout().print(f"Wrote {len(manual.processes) + 3} diagrams to {escape(str(output))}")
        return
    if view_name == "process" and process not in {p.id for p in manual.processes}:
        known = ", ".join(sorted(p.id for p in manual.processes)[:12])
        raise ConfigError(f"no process '{process}'" if process else "--view process needs --process ID",
                          f"Known processes: {known}.")
    data = render(views.view(manual, view_name, process, depth, links).source, output_format)
    if output is not None:
        write_bytes(output, data)
    elif output_format in ("png", "pdf") and sys.stdout.isatty():
        raise ConfigError(f"{output_format} is binary and standard output is a terminal", "Add -o FILE.")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@app.command()
def rules() -> None:
    """List every rule with its id, default severity and title."""
    table = Table("rule", "severity", "title", "what to do", box=None)
    for rule in sorted(RULES.values(), key=lambda r: r.id):
        table.add_row(rule.id, rule.severity.label, escape(rule.title), escape(rule.hint))
    _stdout().print(table)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="The folder for the new manual.")],
    example: Annotated[bool, typer.Option("--example", help="Start from the complete example manual of a "
                                                            "fictional company instead of a minimal one.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Add missing files to a non-empty folder. Existing files "
                                                        "are never overwritten.")] = False,
    git: Annotated[bool, typer.Option("--git/--no-git", help="Run git init and make a first commit.")] = True,
) -> None:
    """Start a new manual that validates clean."""
    result = scaffold(directory, starter(example), force=force)
    console = _stdout()
    console.print(f"Wrote {len(result.written)} files to {escape(str(directory))}")
    for kept in result.kept:
        console.print(f"  kept existing {escape(kept)}")
    enclosing = enclosing_work_tree(directory)
    if git and result.written and enclosing is not None:
        console.print(f"{escape(str(directory))} is inside the Git work tree {escape(str(enclosing))}: commit the "
                      "new files there (no nested repository was made).")
    elif git and result.written:
        commit = init_and_commit(directory, "Start the quality manual with qms init")
        console.print(f"Initialised a Git repository; first commit {commit[:10]}")
    console.print(f"Next: [bold]qms validate {escape(str(directory))}[/]")


def main() -> None:
    """Entry point with one error boundary: user errors -> 2, Ctrl-C -> 130, bugs -> 3 with a short report."""
    try:
        # Without standalone mode click returns the exit code of `typer.Exit` instead of raising it.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except QmsError as error:
        _report_error(error)
        sys.exit(ExitCode.USAGE)
    except (KeyboardInterrupt, typer.Abort):
        _stderr().print("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except Exception as error:
        if isinstance(error, typer.BadParameter | typer.Exit) or type(error).__module__.startswith(("click", "typer")):
            _usage_error(error)
            sys.exit(ExitCode.USAGE)
        _stderr().print(f"[bold red]qms: internal error:[/] {escape(repr(error))}")
        _stderr().print("Please report this with the output of `qms --version`.\n" + escape(
            "".join(traceback.format_exception(error, limit=-3))))
        sys.exit(ExitCode.BUG)


def _report_error(error: QmsError) -> None:
    console = _stderr()
    console.print(f"[bold red]qms: error:[/] {escape(error.message)}")
    if error.hint:
        console.print(f"[green]hint:[/] {escape(error.hint)}")


def _usage_error(error: Exception) -> None:
    show = getattr(error, "show", None)
    if callable(show):
        show(file=sys.stderr)
    else:
        _stderr().print(f"[bold red]qms: error:[/] {escape(str(error))}")
