"""Command help in the reader's language.

typer takes help texts from docstrings and `help=` arguments when a command module is imported, before anyone
knows the language. Their English stays the message id: each command remembers the English it was built with,
and its help, its options' help and its subcommands' one-line summaries are looked up in the catalogue just
before click renders them (`localise`), so the same objects show English and Finnish in one process. The
extractor reads the same texts from the command tree (`texts`), so no help string needs marking by hand.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import typer
from typer import _click as click
from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption, UsageError
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


# click's usage errors, in the reader's language. click writes them as English f-strings; these are the ones a
# user meets (a mistyped option, a missing argument), recognised by their exception and English form. Anything
# else is shown as click wrote it.
_EXTRA = re.compile(r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)", re.S)
_NEEDS_VALUE = re.compile(r"Option '(?P<option>[^']*)' requires an argument\.")
_TAKES_NO_VALUE = re.compile(r"Option '(?P<option>[^']*)' does not take a value\.")
# typer appends its guess to click's (already translated) "No such command" in English
_SUGGESTED = re.compile(r"(?P<said>.*)\. Did you mean (?P<suggestions>.+)\?", re.S)


def usage_message(error: UsageError) -> str:
    """What went wrong with the command line, in the current language."""
    suggested = _SUGGESTED.fullmatch(error.message)
    if suggested:
        return f"{suggested['said']}. " + _("Did you mean {suggestions}?").format(
            suggestions=suggested["suggestions"])
    if isinstance(error, MissingParameter) and not error.message:
        name = _parameter(error) or ""
        kind = error.param_type or (error.param.param_type_name if error.param is not None else "")
        return (_("Missing argument {name}.") if kind == "argument" else _("Missing option {name}.")).format(
            name=name)
    if isinstance(error, NoSuchOption) and error.message.startswith("No such option: "):
        said = _("No such option: {option}").format(option=error.message.removeprefix("No such option: "))
        if error.possibilities:
            said += " " + _("(Possible options: {options})").format(options=", ".join(sorted(error.possibilities)))
        return said
    if isinstance(error, BadParameter) and not isinstance(error, MissingParameter):
        hint = _parameter(error)
        if hint is not None:
            return _("Invalid value for {name}: {problem}").format(name=hint, problem=error.message)
    for pattern, message in ((_EXTRA, N_("Got unexpected extra arguments ({arguments})")),
                             (_NEEDS_VALUE, N_("Option '{option}' requires a value.")),
                             (_TAKES_NO_VALUE, N_("Option '{option}' does not take a value."))):
        match = pattern.fullmatch(error.message)
        if match:
            return _(message).format(**match.groupdict())
    return error.format_message()


def _parameter(error: BadParameter) -> str | None:
    """How click names the parameter of an error: '--depth', 'FORM'."""
    hint = error.param_hint if error.param_hint is not None else (
        error.param.get_error_hint() if error.param is not None else None)
    if hint is None:
        return None
    return hint if isinstance(hint, str) else " / ".join(repr(h) for h in hint)


def usage_hint(error: UsageError) -> str | None:
    """The usage line and where to find help, as click shows them before the error."""
    ctx = error.ctx
    if ctx is None:
        return None
    lines = [ctx.get_usage()]
    if ctx.command.get_help_option(ctx) is not None:
        lines.append(_("Try '{command}' for help.").format(command=f"{ctx.command_path} {ctx.help_option_names[0]}"))
    return "\n".join(lines)
