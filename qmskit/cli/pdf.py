"""`qms pdf`: a controlled copy of the manual, or of one document, as PDF."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from qmskit import urls
from qmskit.cli.app import (
    ManualOption,
    ManualPath,
    TodayOption,
    app,
    check_output_file,
    chosen_language,
    escape,
    parse_day,
    resolve_manual,
    speak,
    stdout,
)
from qmskit.errors import ConfigError
from qmskit.i18n import _
from qmskit.loading.load import load_manual
from qmskit.site.build import generate, mkdocs_build, temporary_folder
from qmskit.site.pdf import print_page


@app.command()
def pdf(
    path: ManualPath = None,
    manual_dir: ManualOption = None,
    document: Annotated[str | None, typer.Option("--document", "-d", help="Only this document (e.g. PRO-006). "
                                                                          "Default: every current document.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")] = Path("manual.pdf"),
    external: Annotated[bool, typer.Option("--external", help="Only what may be shown outside the company "
                                                              "(documents marked `audience: external`).")] = False,
    today: TodayOption = None,
) -> None:
    """Print the manual (or one document) to PDF through the published site and headless Chromium: each
    document with its revision, effective date and approvers, every page marked uncontrolled when printed."""
    root = resolve_manual(path, manual_dir)
    check_output_file(output)
    manual = load_manual(root, use_cache=True).manual
    speak(manual)
    if document is not None and document not in {d.id for d in manual.documents}:
        raise ConfigError(_("no document '{document}'").format(document=document),
                          _("List the documents with `qms register`."))
    folder = temporary_folder()
    try:
        generated = generate(root, folder / "pages", "external" if external else "internal",
                             parse_day(today) or date.today(), print_all=document is None,
                             language=chosen_language(), in_memory=True)
        mkdocs_build(generated, folder / "site", strict=False)
        names = urls.PageNames.of(d.id for d in manual.documents)  # as the site names them
        page = folder / "site" / (urls.document_page(document, names) if document else "print/") / "index.html"
        print_page(page, output)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    said = _("Printed {document} to {file}") if document else _("Printed the manual to {file}")
    stdout().print(escape(said.format(document=document, file=output)))
