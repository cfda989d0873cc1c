"""qmskit's own message catalogues, for development: extract every message the code marks (`_`, `N_`,
`ngettext`) and merge it into each language's `.po` file, and check that a catalogue is complete (every message
translated, with the same placeholders). `tools/update_catalogues.py` runs the merge; tests run the checks."""

from __future__ import annotations

import io
import string
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from qmskit.atomic import write_bytes
from qmskit.i18n import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, catalogue_path

PACKAGE = Path(__file__).parent
_VOLATILE_HEADERS = tuple(f'"{name}:'.encode() for name in (
    "POT-Creation-Date", "PO-Revision-Date", "Report-Msgid-Bugs-To", "Last-Translator", "Language-Team",
    "Generated-By"))
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2),
            "say": (1,)}  # say("template", **values): a message with values (messages.py)
# The package's modules, and the templates at the top of the checkout ({{ _("...") }}: Jinja's own extractor)
SOURCES = [(PACKAGE, [("**.py", "python")]), (PACKAGE.parent / "templates", [("**.j2", "jinja2")])]


def extract() -> Catalog:
    """Every marked message in qmskit's source, as a template catalogue (run from a checkout)."""
    template = Catalog(domain=DOMAIN, project="qmskit", fuzzy=False)
    for root, methods in SOURCES:
        if not root.is_dir():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
                str(root), methods, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True):
            where = f"{root.name}/{filename}"
            template.add(message, locations=[(where, lineno)], auto_comments=comments, context=context)
    _add_rules(template)
    _add_command_help(template)
    _add_clauses(template)
    return template


def _add_clauses(template: Catalog) -> None:
    """The bundled standards' clause titles, documented information and topics: data in `schemas/*.clauses.json`
    that people read in `qms coverage`, the site and findings (`clausetexts.py` translates them where shown)."""
    from qmskit.clausetexts import bundled_texts  # noqa: PLC0415
    from qmskit.resources import schemas_dir  # noqa: PLC0415

    for context, text, name in bundled_texts(schemas_dir()):
        template.add(text, locations=[(f"schemas/{name}", 0)], context=context,
                     auto_comments=[f"Translators: {context} of a bundled standard"])


def _add_command_help(template: Catalog) -> None:
    """Every command's and option's help, read from the command tree (typer takes them from docstrings and
    `help=` arguments, which no extractor sees), and the one-line summaries `qms --help` lists before a
    command's module is loaded. Translated just before click shows them (`cli/helptext.py`)."""
    import typer.main  # noqa: PLC0415

    from qmskit.cli import load_commands  # noqa: PLC0415
    from qmskit.cli.commands import COMMANDS  # noqa: PLC0415
    from qmskit.cli.helptext import english, texts  # noqa: PLC0415

    for where, text in texts(typer.main.get_command(load_commands())):
        template.add(text, locations=[("qmskit/cli", 0)], auto_comments=[f"Translators: help of {where}"])
    for name, (_, summary) in COMMANDS.items():
        template.add(english(summary) or summary, locations=[("qmskit/cli/commands.py", 0)],
                     auto_comments=[f"Translators: summary of qms {name} in qms --help"])


def _add_rules(template: Catalog) -> None:
    """The rule catalogue's titles and fix hints: data, not calls an extractor sees, and read by people in
    `qms validate` and `qms rules` (translated where shown; the Rule objects and machine formats stay English)."""
    from qmskit.rules.catalog import RULES  # noqa: PLC0415

    for rule in RULES.values():
        for text in (rule.title, rule.hint):
            template.add(text, locations=[("qmskit/rules/catalog.py", 0)],
                         auto_comments=[f"Translators: {'title' if text == rule.title else 'fix hint'} of rule "
                                        f"{rule.id}"])


def read(code: str) -> Catalog:
    path = catalogue_path(code)
    if not path.is_file():
        return Catalog(locale=code, domain=DOMAIN, project="qmskit", fuzzy=False)
    with path.open("rb") as source:
        return read_po(source, locale=code, domain=DOMAIN)


def merge(code: str, template: Catalog) -> Catalog:
    """The language's catalogue with every current message (new ones untranslated) and none that is gone."""
    catalogue = read(code)
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    return catalogue


def write(code: str, catalogue: Catalog) -> Path:
    buffer = po_bytes(catalogue)
    path = catalogue_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, buffer)
    return path


def po_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalogue, width=116, sort_output=True, include_lineno=False)
    # header lines that change on every run or name nobody would only make merge conflicts between branches
    lines = out.getvalue().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(_VOLATILE_HEADERS))


@dataclass(frozen=True)
class Problem:
    language: str
    message: str
    problem: str

    def __str__(self) -> str:
        return f"{self.language}: {self.message!r}: {self.problem}"


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a message (format syntax; literal braces are doubled and are not fields)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(template: Catalog, code: str, catalogue: Catalog | None = None) -> list[Problem]:
    """What is wrong with a language's catalogue (its file, unless given) against the messages the code uses."""
    found: list[Problem] = []
    catalogue = catalogue if catalogue is not None else read(code)
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        translated = catalogue.get(key, context=message.context)
        if translated is None:
            found.append(Problem(code, key, "not in the catalogue"))
            continue
        if translated.fuzzy:
            found.append(Problem(code, key, "marked fuzzy"))
        ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
        given = list(translated.string) if isinstance(translated.string, tuple | list) else [translated.string]
        strings = [text for text in given if text]
        if len(strings) != len(given):
            found.append(Problem(code, key, "not translated"))
            continue
        wanted = set().union(*(placeholders(text) for text in ids))
        for text in strings:
            if placeholders(text) != wanted:
                found.append(Problem(code, key, f"placeholders {sorted(placeholders(text))} differ from "
                                                 f"{sorted(wanted)}"))
    return found


def translated_languages() -> tuple[str, ...]:
    return tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
