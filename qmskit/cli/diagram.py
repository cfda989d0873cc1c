"""`qms diagram`: process maps drawn with Graphviz."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qmskit.atomic import write_bytes
from qmskit.check import check_manual
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    app,
    check_choice,
    check_output_file,
    complete_choices,
    escape,
    resolve_manual,
    speak,
    stderr,
    stdout,
)
from qmskit.diagram import views
from qmskit.diagram.render import FORMATS as DIAGRAM_FORMATS
from qmskit.diagram.render import fitted, render
from qmskit.diagram.style import PAGE_WIDTH
from qmskit.errors import ConfigError
from qmskit.escape import safe_url
from qmskit.i18n import _, ngettext
from qmskit.model import Manual
from qmskit.outfolder import check_output_folder, mark_output_folder
from qmskit.safepaths import inside
from qmskit.vcs import gitrepo


@app.command()
def diagram(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    view_name: Annotated[str, typer.Option("--view", autocompletion=complete_choices(views.VIEWS),
                                           help="`map` (how processes interact), `process` (one "
                                                            "process's card) or `chain` (order to delivery).")] = "map",
    process: Annotated[str, typer.Option("--process", help="The process id, for `--view process`.")] = "",
    depth: Annotated[int, typer.Option("--depth", min=1, max=9, help="Levels of sub-processes to show.")] = 1,
    output_format: Annotated[str, typer.Option("--format", "-f", help="svg, png, pdf or dot.",
                                               autocompletion=complete_choices(DIAGRAM_FORMATS))] = "svg",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file to write (a folder with "
                                                                        "--all). Default: standard output.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Write every view into the folder given by -o.")] = False,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Prefix of the links on process nodes. "
                                                                     "Default: site.url from qms.yaml.")] = None,
) -> None:
    """Draw process maps with Graphviz: the interaction map, a process card, or the value chain."""
    check_choice(output_format, DIAGRAM_FORMATS, "format")
    check_choice(view_name, views.VIEWS, "view")
    root = resolve_manual(path, manual_dir)
    result = check_manual(root)
    manual = result.loaded.manual
    speak(manual)
    warning = escape(_("warning:"))
    if result.failed(strict=False):
        stderr().print(f"[yellow]{warning}[/] " + escape(_(
            "the manual has errors; the diagram may be incomplete. Run `{command}`.").format(
                command=f"qms validate {path or '.'}")))
    base = manual.config.site_url if base_url is None else base_url
    if base and not safe_url(base):
        stderr().print(f"[yellow]{warning}[/] " + escape(_(
            "{address} is not a plain http(s) address or path: the diagrams have no links.").format(address=base)))
    links = views.Links.site(manual, base)
    if every:
        if output is None:
            raise ConfigError(_("--all needs a folder to write into"), _("Add -o DIR."))
        check_output_folder(output, root, gitrepo.enclosing_work_tree(root), "--output")
        mark_output_folder(output, "qms diagram --all")
        for stem, graph in views.all_views(manual, links).items():
            source = _fitted_map(manual, 2 if stem == "map-detailed" else 1, links, output_format) \
                if stem in ("map", "map-detailed") else graph.source
            write_bytes(inside(output, f"{stem}.{output_format}"), render(source, output_format))
        stdout().print(escape(ngettext("Wrote {count} diagram to {folder}", "Wrote {count} diagrams to {folder}",
                                       len(manual.processes) + 3).format(count=len(manual.processes) + 3,
                                                                         folder=output)))
        return
    if view_name == "process" and process not in {p.id for p in manual.processes}:
        known = ", ".join(sorted(p.id for p in manual.processes)[:12])
        raise ConfigError(_("no process '{process}'").format(process=process) if process
                          else _("--view process needs --process ID"),
                          _("Known processes: {processes}.").format(processes=known))
    source = _fitted_map(manual, depth, links, output_format) if view_name == "map" else \
        views.view(manual, view_name, process, depth, links).source
    data = render(source, output_format)
    if output is not None:
        write_bytes(check_output_file(output), data)
    elif output_format in ("png", "pdf") and sys.stdout.isatty():
        raise ConfigError(_("{format} is binary and standard output is a terminal").format(format=output_format),
                          _("Add -o FILE."))
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _fitted_map(manual: Manual, depth: int, links: views.Links, output_format: str) -> str:
    """The map in rows that fit a page column, as the site shows it (DOT output: the default rows, since
    choosing needs dot's layout and `--format dot` works without Graphviz)."""
    if output_format == "dot":
        return str(views.interaction_map(manual, depth, links).source)
    return fitted(views.map_variants(manual, depth, links), PAGE_WIDTH)
