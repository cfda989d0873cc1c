"""`qms validate` and `qms rules`."""

from __future__ import annotations

import os
import re
from typing import Annotated

import typer

from qmskit import __version__
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    OutputOption,
    TodayOption,
    app,
    check_choice,
    check_output_file,
    complete_choices,
    emit,
    escape,
    parse_day,
    resolve_manual,
    speak,
)
from qmskit.cli.app import stdout as stdout_console
from qmskit.diagnostics import Severity
from qmskit.errors import ConfigError, ExitCode
from qmskit.findings import FORMATS, ReportInput, repository_prefix
from qmskit.i18n import _
from qmskit.rules.catalog import RULES


@app.command()
def validate(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.",
                                                                autocompletion=complete_choices(FORMATS))] = "text",
    output: OutputOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rule ids or families "
                                                                         "(e.g. QMS-COV). Repeatable.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rule ids or families. "
                                                                         "Repeatable.")] = None,
    base: Annotated[str | None, typer.Option("--base", help="Report only on what changed since this Git ref "
                                                             "(e.g. origin/main) and what depends on it, judged by the "
                                                             "policy (qms.yaml, people, roles) of that ref.")] = None,
    request: Annotated[int | None, typer.Option("--request", min=1, help="The pull/merge request being judged: "
                                                "reviews of its head count as forge evidence (default: from "
                                                "GITHUB_REF or CI_MERGE_REQUEST_IID in CI).")] = None,
    today: TodayOption = None,
    use_cache: Annotated[bool, typer.Option("--cache/--no-cache", envvar="QMS_CACHE",
                                            help="Reuse parsed files that did not change since the last run "
                                                 "(kept outside the repository; safe to delete).")] = True,
) -> None:
    """Check the manual against its schemas and the ISO 9001 rules. Exit 0 clean, 1 findings, 2 usage error."""
    # The checker and the report formats only when checking: `qms rules` and `--help` do without them.
    from qmskit.check import Selection, check_manual  # noqa: PLC0415

    check_choice(output_format, FORMATS, "format")
    _check_rule_ids([*(select or []), *(ignore or [])])
    root = resolve_manual(path, manual_dir)
    result = check_manual(root, Selection(tuple(select or ()), tuple(ignore or ())), parse_day(today),
                          use_cache=use_cache, base=base, request=request or request_from_ci())
    speak(result.loaded.manual)
    diagnostics = result.diagnostics
    if base is not None:
        from qmskit.control.changes import affected_paths  # noqa: PLC0415 - only needed with --base

        affected = affected_paths(root, result.loaded.manual, base)
        diagnostics = [d for d in diagnostics if d.location.path in affected]
    report = ReportInput(diagnostics, result.loaded.manual.files, root, repository_prefix(root), __version__)
    if output_format == "text":
        from rich.console import Console  # noqa: PLC0415

        from qmskit.findings.text import render_text  # noqa: PLC0415

        if output is None:
            render_text(report, stdout_console())
        else:
            with check_output_file(output).open("w", encoding="utf-8") as stream:
                render_text(report, Console(file=stream, no_color=True, width=120, soft_wrap=True))
    else:
        from qmskit.findings.machine import RENDERERS  # noqa: PLC0415

        emit(RENDERERS[output_format](report), output)
    threshold = Severity.WARNING if strict else Severity.ERROR
    raise typer.Exit(ExitCode.FINDINGS if any(d.severity >= threshold for d in diagnostics) else ExitCode.OK)


def request_from_ci() -> int | None:
    """The pull/merge request a CI job runs for: GitHub's refs/pull/N/merge, GitLab's CI_MERGE_REQUEST_IID."""
    github = re.fullmatch(r"refs/pull/([0-9]{1,9})/(merge|head)", os.environ.get("GITHUB_REF", ""))
    gitlab = re.fullmatch(r"[0-9]{1,9}", os.environ.get("CI_MERGE_REQUEST_IID", ""))
    found = github.group(1) if github else gitlab.group(0) if gitlab else ""
    return int(found) if found else None


def _check_rule_ids(patterns: list[str]) -> None:
    for pattern in patterns:
        if not any(rule_id == pattern or rule_id.startswith(pattern.rstrip("-") + "-") for rule_id in RULES):
            raise ConfigError(_("no rule matches '{pattern}'").format(pattern=pattern),
                              _("List the rules with `qms rules`."))


@app.command()
def rules() -> None:
    """List every rule with its id, default severity and title."""
    from rich.table import Table  # noqa: PLC0415

    speak()
    table = Table(_("rule"), _("severity"), _("title"), _("what to do"), box=None)
    for rule in sorted(RULES.values(), key=lambda r: r.id):
        table.add_row(rule.id, _(rule.severity.label), escape(_(rule.title)), escape(_(rule.hint)))
    stdout_console().print(table)

