"""`qms build` and `qms serve`: the published manual."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from qmskit.atomic import write_text
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    TodayOption,
    app,
    check_choice,
    chosen_language,
    complete_choices,
    escape,
    parse_day,
    resolve_manual,
    speak,
    stderr,
    stdout,
)
from qmskit.diagnostics import Diagnostic
from qmskit.errors import ConfigError
from qmskit.i18n import N_, _, ngettext
from qmskit.loading.load import load_manual
from qmskit.outfolder import check_apart, check_output_folder, mark_output_folder
from qmskit.site import children, languages
from qmskit.site.build import Generated, generate, mkdocs_build, replacing_site, temporary_folder
from qmskit.site.generate import AUDIENCES
from qmskit.vcs import gitrepo

AudienceOption = Annotated[str, typer.Option("--audience", autocompletion=complete_choices(AUDIENCES),
                                             help="`internal`: the whole manual; `external`: only what may be "
                                                  "shown outside the company.")]
_AUDIENCE_WORDS = (N_("internal"), N_("external"))  # as `qms build` reports what it built
LanguageOption = Annotated[str | None, typer.Option(
    "--lang", metavar="LANG", help="The site's language (en, fi), which is also the language of this command's "
                                   "messages. Several, separated by commas (fi,en), build each into a folder of "
                                   "its own under --output, linked to each other; messages follow the first. The "
                                   "same as `qms --lang`. Default: $QMS_LANG, else the manual's `language`.")]


@app.command()
def build(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where the built site goes.")] = Path("site"),
    audience: AudienceOption = "internal",
    keep: Annotated[Path | None, typer.Option("--pages", help="Also keep the generated Markdown pages and "
                                                             "mkdocs.yml in this folder.")] = None,
    strict: Annotated[bool, typer.Option("--strict/--no-strict", help="Fail on any mkdocs warning.")] = True,
    today: TodayOption = None,
    lang: LanguageOption = None,
) -> None:
    """Publish the manual as a static site (mkdocs-material): documents with their revisions, processes with
    diagrams, forms, registers, clause coverage, an auditor's guide."""
    check_choice(audience, AUDIENCES, "audience")
    chosen = _site_languages(lang)
    root = resolve_manual(path, manual_dir)
    speak(load_manual(root, use_cache=True).manual)  # the first site's language (decision 0029)
    # mkdocs empties its output folder and --pages replaces docs/ and mkdocs.yml: check both before anything
    repository = gitrepo.enclosing_work_tree(root)
    check_output_folder(output, root, repository, "--output")
    if keep is not None:
        check_output_folder(keep, root, repository, "--pages")
        check_apart(output, keep, ("--output", "--pages"))
        mark_output_folder(keep, "qms build --pages")
    mark_output_folder(output, "qms build")
    day = parse_day(today) or date.today()
    if len(chosen) > 1:
        generated = _build_languages(root, output, keep, audience, day, strict, chosen)
    else:
        generated = _build_one(root, output, keep, audience, day, strict, chosen[0] if chosen else None)
    if not generated.diagrams:
        stderr().print(f"[yellow]{escape(_('warning:'))}[/] " + escape(
            _("Graphviz's dot is not installed: the site has no process diagrams.")))
    report_published_problems(generated.problems)
    stdout().print(escape(ngettext("Built {count} page ({audience}) into {folder}",
                                   "Built {count} pages ({audience}) into {folder}", generated.pages).format(
        count=generated.pages, audience=_(audience), folder=output)))


def _site_languages(option: str | None) -> tuple[str, ...]:
    """The languages of the sites to build: the command's own `--lang` (a list), else the one `qms --lang` gave
    before the command's name; none means $QMS_LANG, else the manual's."""
    given = option or chosen_language()
    return languages.parse(given) if given else ()


def _build_one(root: Path, output: Path, keep: Path | None, audience: str, day: date, strict: bool,
               language: str | None, alternates: tuple[str, ...] = ()) -> Generated:
    folder = keep or temporary_folder()
    try:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=stderr(), transient=True) as progress:
            task = progress.add_task(escape(_("Generating pages")), total=None)

            def advance(page: str, done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            generated = generate(root, folder, audience, day, advance, language=language, alternates=alternates,
                                 in_memory=keep is None)  # pages nobody keeps are not written one by one
            progress.update(task, description="mkdocs build", total=None)
            mkdocs_build(generated, output, strict)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return generated


def _build_languages(root: Path, output: Path, keep: Path | None, audience: str, day: date, strict: bool,
                     chosen: tuple[str, ...]) -> Generated:
    """Each language into OUTPUT/<language>/ (and --pages into PAGES/<language>/), then a page at OUTPUT that
    leads to them. All of it is built beside the previous site and pages, which it replaces only when every
    language built (decision 0035): a failure or Ctrl-C in any language leaves both as they were, and the
    folders' hidden entries (the marker, a deployment's .git) stay."""
    with contextlib.ExitStack() as replacing:
        pages = replacing.enter_context(replacing_site(keep)) if keep is not None else None
        site = replacing.enter_context(replacing_site(output))  # put in place first: if that fails, the pages stay too
        built = [_build_one(root, site / code, pages / code if pages else None, audience, day, strict, code, chosen)
                 for code in chosen]
        write_text(site / "index.html", languages.index_page(chosen, root.name), overwrite=False)
    return Generated(output, sum(g.pages for g in built), all(g.diagrams for g in built), built[0].problems)


def report_published_problems(problems: tuple[Diagnostic, ...], shown: int = 10) -> None:
    """The build publishes a manual with errors (escaped, like every value) but says which values were wrong."""
    if not problems:
        return
    console = stderr()
    console.print(f"[yellow]{escape(_('warning:'))}[/] " + escape(ngettext(
        "the manual has {count} error that `qms validate` reports; the site shows its values escaped, as text:",
        "the manual has {count} errors that `qms validate` reports; the site shows those values escaped, as text:",
        len(problems)).format(count=len(problems))))
    for problem in problems[:shown]:
        console.print(f"  {escape(problem.line())}", highlight=False)
    if len(problems) > shown:
        console.print("  " + escape(_("... and {count} more: run `qms validate`").format(
            count=len(problems) - shown)))


@app.command()
def serve(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    audience: AudienceOption = "internal",
    address: Annotated[str, typer.Option("--address", "-a", help="Where to serve it.")] = "127.0.0.1:8000",
    today: TodayOption = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="LANG", help="The site's language (en, fi), "
                                             "which is also the language of this command's messages. The same as "
                                             "`qms --lang`. Default: $QMS_LANG, else the manual's `language`.")]
    = None,
) -> None:
    """Generate the site and serve it locally (mkdocs serve). Re-run after editing the manual."""
    check_choice(audience, AUDIENCES, "audience")
    chosen = _site_languages(lang)
    if len(chosen) > 1:
        raise ConfigError(_("qms serve shows one language at a time"), _("Give one language, e.g. --lang fi."))
    root = resolve_manual(path, manual_dir)
    speak(load_manual(root, use_cache=True).manual)
    folder = temporary_folder()
    try:
        generated = generate(root, folder, audience, parse_day(today) or date.today(),
                             language=chosen[0] if chosen else None)
        stdout().print(escape(_("Serving {count} pages on {address} (Ctrl-C to stop)").format(
            count=generated.pages, address=f"http://{address}/")))
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        # -P: never import from the folder qms runs in, which the manual's author may control (site/children.py)
        _serve_until_stopped(children.python_module("mkdocs", "serve", "-f", str(folder / "mkdocs.yml"),
                                                    "-a", address), env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _serve_until_stopped(command: list[str], env: dict[str, str]) -> None:
    """Run the server until it ends or we are stopped: by Ctrl-C, or by SIGTERM (a service manager, a test),
    which by default would end this process at once and leave the server running and its folder behind."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    server = subprocess.Popen(command, env=env)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
