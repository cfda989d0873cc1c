"""Command help in the reader's language.

typer takes help texts from docstrings and `help=` arguments when a command module is imported, before anyone
knows the language. Their English stays the message id: each command remembers the English it was built with,
and its help, its options' help and its subcommands' one-line summaries are looked up in the catalogue just
before click renders them (`localise`), so the same objects show English and Finnish in one process. The
extractor reads the same texts from the command tree (`texts`), so no help string needs marking by hand.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import typer
from typer import _click as click
from typer.core import TyperGroup

from qmskit.i18n import N_, _

# typer's own words in help and usage errors (typer.core takes them from gettext's default domain, which nobody
# installs): translated through our catalogue instead, see install().
FRAMEWORK_WORDS = (N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"), N_("required"),
                   N_("env var: {var}"), N_("(dynamic)"), N_("Missing command."), N_("No such command {name!r}."),
                   N_("Aborted!"))
USAGE = N_("Usage:")
_ENGLISH = "_qms_english_help"  # where a command or option keeps the English it was declared with


def english(text: str | None) -> str | None:
    """A help text as click shows it, and as the catalogue holds it: indentation and outer blank lines gone."""
    return inspect.cleandoc(text) if text else None


def _translated(item: Any, attribute: str) -> None:
    remembered: dict[str, str | None] = item.__dict__.setdefault(_ENGLISH, {})
    if attribute not in remembered:
        remembered[attribute] = english(getattr(item, attribute, None))
    source = remembered[attribute]
    setattr(item, attribute, _(source) if source else source)


def localise(command: click.Command, ctx: click.Context) -> None:
    """Set the help of a command, its parameters and (for a group) its subcommands' summaries to the current
    language, from the English each was declared with."""
    for attribute in ("help", "short_help"):
        _translated(command, attribute)
    for param in command.get_params(ctx):
        if hasattr(param, "help"):  # options, and typer's arguments
            _translated(param, "help")
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                for attribute in ("help", "short_help"):
                    _translated(sub, attribute)


def install() -> None:
    """Route typer's gettext calls through qmskit's catalogue (its headings "Options", "Commands", and
    "[default: ...]")."""
    typer.core._ = _  # type: ignore[attr-defined]


def texts(command: click.Command, ctx: click.Context | None = None) -> Iterator[tuple[str, str]]:
    """(where, English text) for every help text of a command tree: each command's help and summary and each
    parameter's help, subcommands included. `where` names it (`qms record new --by`) for messages."""
    ctx = ctx or click.Context(command, info_name="qms")
    path = ctx.command_path
    for attribute in ("help", "short_help"):
        remembered = command.__dict__.get(_ENGLISH, {})
        text = remembered[attribute] if attribute in remembered else english(getattr(command, attribute, None))
        if text:
            yield path, text
    for param in command.get_params(ctx):
        remembered = param.__dict__.get(_ENGLISH, {})
        text = remembered["help"] if "help" in remembered else english(getattr(param, "help", None))
        if text:
            yield f"{path} {max(getattr(param, 'opts', [param.name or '']), key=len)}", text
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from texts(sub, click.Context(sub, info_name=name, parent=ctx))
