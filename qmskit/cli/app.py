"""The typer app and what every command shares: finding the manual, consoles, common options."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer import _click as click  # typer >= 0.29 vendors click; its classes are the ones in use
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup, TyperOption

from qmskit import __version__
from qmskit.cli import helptext
from qmskit.cli.commands import COMMANDS
from qmskit.errors import ConfigError
from qmskit.i18n import N_, _

# What check_choice may say is unknown, for the catalogue
CHOICES = (N_("format"), N_("chart"), N_("view"), N_("audience"), N_("category"), N_("document type"), N_("forge"),
           N_("meaning"))

if TYPE_CHECKING:  # importing these costs start-up time every command would pay (see cli/commands.py)
    from rich.console import Console

    from qmskit.model import Manual

Function = TypeVar("Function", bound=Callable[..., Any])
# What a user may write after a flag by mistake (`--strict true`): a flag takes no value.
_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "1", "0"})


def _flags(params: list[click.Parameter]) -> dict[str, TyperOption]:
    """Each flag's names. Help shows flags as flags and values by name (`--format FORMAT`): typer's rich help
    would print Python types (`--strict <bool>`, `--select <list[str]>`)."""
    flags: dict[str, TyperOption] = {}
    for param in params:
        if not isinstance(param, TyperOption):
            continue
        if param.is_flag and not param.count:
            param.metavar = ""
            flags.update(dict.fromkeys([*param.opts, *param.secondary_opts], param))
        elif param.metavar is None:
            param.metavar = max(param.opts, key=len).lstrip("-").upper()
    return flags


def _refuse_flag_values(params: list[click.Parameter], args: list[str], ctx: click.Context,
                        until_first_word: bool) -> None:
    """`--strict true` would make `true` the manual's folder: say that a flag takes no value instead."""
    flags = _flags(params)
    for word, following in zip(args, [*args[1:], None], strict=False):
        if word == "--":
            return
        if word in flags and following is not None and following.lower() in _BOOLEAN_WORDS:
            names = " / ".join([*flags[word].opts, *flags[word].secondary_opts])
            raise UsageError(_("{flag} is a flag and takes no value: write {names} alone, without '{value}' (a "
                               "folder of that name: ./{value})").format(flag=word, names=names, value=following),
                             ctx)
        if until_first_word and not word.startswith("-"):
            return  # a group's own options end at the command's name


# --lang, QMS_LANG: which language the command writes in (decision 0020). Read by speak(); main() clears it.
LANGUAGE_OPTION = "--lang"
_LANGUAGE_HELP = ("Write in this language (en, fi) instead of the manual's `language`. Default: $QMS_LANG, else "
                  "the manual's language; messages before a manual is read follow the terminal's locale.")
_chosen: dict[str, str] = {}


def _remember_language(value: str | None) -> None:
    if value is None:  # given before the command's name, or not at all: keep what the group saw
        return
    from qmskit import i18n  # noqa: PLC0415

    if i18n.supported(value) is None:
        raise ConfigError(_("unknown language '{language}' for {option}").format(language=value,
                                                                                 option=LANGUAGE_OPTION),
                          _("Use one of: {choices}.").format(choices=", ".join(i18n.LANGUAGES)))
    _chosen["lang"] = value
    speak()  # errors before the manual is read (no qms.yaml, a wrong option) are already in this language


@functools.cache
def language_option() -> click.Parameter:
    """`--lang` on every command and on `qms` itself, so it may stand before or after the command's name: built
    by typer from a declaration like any other option, and not passed to the command's function."""
    probe = typer.Typer()

    @probe.command()
    def declaration(lang: Annotated[str | None, typer.Option(
            LANGUAGE_OPTION, metavar="LANG", is_eager=True, callback=_remember_language, help=_LANGUAGE_HELP)]
            = None) -> None:
        """Never runs."""

    option = typer.main.get_command(probe).params[0]
    option.expose_value = False
    return option


def forget_language() -> None:
    _chosen.clear()


def speak(manual: Manual | None = None, *, documents: bool = False) -> str:
    """Write in the chosen language from now on: `--lang`, then $QMS_LANG, then the manual's `language`; for
    messages to the terminal (not documents such as reports and the PR comment) the terminal's locale when nothing
    else decides. Each command calls it once it has read the manual. Returns the language."""
    from qmskit import i18n  # noqa: PLC0415

    environment = os.environ.get("QMS_LANG")
    if environment and i18n.supported(environment) is None and "lang" not in _chosen:
        raise ConfigError(_("unknown language '{language}' in QMS_LANG").format(language=environment),
                          _("Use one of: {choices}, or unset QMS_LANG.").format(choices=", ".join(i18n.LANGUAGES)))
    return i18n.activate(i18n.resolve(_chosen.get("lang"), manual.config.language if manual else None,
                                      for_terminal=not documents))


def _language_given(args: list[str], until_first_word: bool) -> str | None:
    """The value of `--lang` in a command line, read before click parses it: `--help` is handled as soon as click
    meets it, and help after `--help --lang fi` must already be Finnish. A list (`build --lang fi,en`) names the
    terminal's language first."""
    for word, following in zip(args, [*args[1:], None], strict=False):
        if word == "--":
            break
        value = following if word == LANGUAGE_OPTION else word.partition("=")[2] if word.startswith(
            LANGUAGE_OPTION + "=") else None
        if value is not None:
            return value.split(",")[0].strip()
        if until_first_word and not word.startswith("-"):
            break  # a group's own options end at the command's name
    return None


def _speak_early(args: list[str], until_first_word: bool) -> None:
    """Speak the language a command line names before click parses it; a wrong one is reported by the option."""
    from qmskit import i18n  # noqa: PLC0415

    value = _language_given(args, until_first_word)
    if value is not None and i18n.supported(value) is not None:
        _chosen["lang"] = value
        with contextlib.suppress(ConfigError):  # a wrong QMS_LANG: reported when the command reads the manual
            speak()


def chosen_language() -> str | None:
    """The language `--lang` named (before or after the command's name), if any."""
    return _chosen.get("lang")


def _with_language(params: list[click.Parameter]) -> list[click.Parameter]:
    """The command's parameters and --lang, unless the command has an option of that name itself."""
    if any(LANGUAGE_OPTION in getattr(p, "opts", ()) for p in params):
        return params
    return [*params, language_option()]


class QmsCommand(TyperCommand):
    """A command whose flags read as flags in help and refuse a value, that takes --lang, and whose help is in
    the language of the run."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _speak_early(args, until_first_word=False)
        _refuse_flag_values(self.get_params(ctx), args, ctx, until_first_word=False)
        return super().parse_args(ctx, args)

    def get_help(self, ctx: click.Context) -> str:
        helptext.localise(self, ctx)
        return super().get_help(ctx)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_usage(self, ctx, formatter)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = _with_language(super().get_params(ctx))
        _flags(params)
        return params


class QmsGroup(TyperGroup):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _speak_early(args, until_first_word=True)
        _refuse_flag_values(self.get_params(ctx), args, ctx, until_first_word=True)
        return super().parse_args(ctx, args)

    def get_help(self, ctx: click.Context) -> str:
        helptext.localise(self, ctx)
        return super().get_help(ctx)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_usage(self, ctx, formatter)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = _with_language(super().get_params(ctx))
        _flags(params)
        return params


def _format_usage(command: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    """click's usage line with its "Usage:" in the run's language (the syntax after it stays as typed)."""
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)),
                          prefix=_(helptext.USAGE) + " ")


helptext.install()


class QmsTyper(typer.Typer):
    """A typer app whose groups and commands follow qms's conventions (see QmsCommand)."""

    def __init__(self, **settings: Any) -> None:
        settings.setdefault("cls", QmsGroup)
        super().__init__(**settings)

    def command(self, *args: Any, **settings: Any) -> Callable[[Function], Function]:
        return super().command(*args, cls=QmsCommand, **settings)


class _Commands(QmsGroup):
    """The root group: lists every command from cli/commands.py, whether or not its module has been imported."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(dict.fromkeys([*COMMANDS, *self.commands]))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = self.commands.get(cmd_name)
        if found is None and cmd_name in COMMANDS:  # listed in help only; main() imports a command before it runs
            summary = helptext.english(COMMANDS[cmd_name][1]) or cmd_name
            return QmsCommand(cmd_name, help=_(summary), callback=_not_loaded)
        return found


def _not_loaded() -> None:
    raise RuntimeError("a command ran before its module was imported")


app = QmsTyper(
    name="qms",
    cls=_Commands,
    rich_markup_mode=None,  # plain help: rich's help renderer alone would double the start-up of `qms --help`
    help="A Git-backed, docs-as-code quality management system for ISO 9001:2015.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # records hold personal data: never dump locals
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish and PowerShell
)

# The one way every command is told which manual to use. Commands whose only positional argument is the manual
# also take it as that argument (the short form the README uses); `-C` is git's own spelling.
_MANUAL_HELP = "The manual's folder (holding qms.yaml). Default: the nearest qms.yaml at or above the current folder."
ManualPath = Annotated[
    Path | None, typer.Argument(metavar="MANUAL", help=_MANUAL_HELP + " Same as -C.", show_default=False)]
ManualOption = Annotated[
    Path | None, typer.Option("--manual", "-C", metavar="DIR", help=_MANUAL_HELP, show_default=False)]
TodayOption = Annotated[str | None, typer.Option("--today", metavar="DATE", envvar="QMS_TODAY", help="Judge dates "
                                                 "as if today were this day (YYYY-MM-DD). Default: $QMS_TODAY, else "
                                                 "the real date.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to this file "
                                                   "instead of standard output.")]


def complete_choices(choices: Sequence[str]) -> Callable[[str], list[str]]:
    """Shell completion for an option that takes one of a few words (a format, a view)."""

    def complete(incomplete: str) -> list[str]:
        return [choice for choice in choices if choice.startswith(incomplete)]

    return complete


def escape(value: object) -> str:
    """Any value for a rich console: rich markup escaped, and control characters and escape sequences (which
    would move the cursor, rewrite the screen or set the window title) replaced. Every printed value goes
    through it."""
    from rich.markup import escape as escape_markup  # noqa: PLC0415 - rich only when something is printed

    from qmskit.escape import terminal  # noqa: PLC0415

    return escape_markup(terminal(value))


def stdout() -> Console:
    from rich.console import Console  # noqa: PLC0415 - rich only when something is printed

    # Piped output has no terminal width: give tables room instead of rich's default 80 columns.
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)


def stderr() -> Console:
    from rich.console import Console  # noqa: PLC0415 - rich only when something is printed

    return Console(stderr=True, highlight=False, soft_wrap=True)


def resolve_manual(path: Path | None, manual_dir: Path | None = None) -> Path:
    """Find the manual the way git finds a repository, unless it is given (as the argument or by -C)."""
    if path is not None and manual_dir is not None and path.resolve() != manual_dir.resolve():
        raise ConfigError(_("two manuals given: {path} and -C {other}").format(path=path, other=manual_dir),
                          _("Give the manual once."))
    from qmskit.loading.load import CONFIG_FILE, find_manual_root  # noqa: PLC0415 - the loader only for commands that load

    path = path if path is not None else manual_dir
    if path is None:
        root = find_manual_root(Path.cwd())
        if root is None:
            raise ConfigError(_("no {file} in {folder} or any folder above it").format(file=CONFIG_FILE,
                                                                                         folder=Path.cwd()),
                              _("Run the command inside a manual, pass the manual's folder, or start one with "
                                "`qms init DIR`."))
        return root
    if path.is_file() and path.name == CONFIG_FILE:
        return path.parent.resolve()
    if not path.is_dir():
        raise ConfigError(_("{path} is not a folder").format(path=path), _("Pass the folder that holds qms.yaml."))
    if not (path / CONFIG_FILE).is_file():
        raise ConfigError(_("no {file} in {folder}").format(file=CONFIG_FILE, folder=path),
                          _("Pass the folder that holds qms.yaml, or start a manual there with `qms init`."))
    return path.resolve()


def parse_day(value: str | None, option: str = "--today") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(_("{option} {value} is not a date").format(option=option, value=repr(value)),
                          _("Write it as YYYY-MM-DD, e.g. 2026-06-01.")) from exc


def check_choice(value: str, choices: tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise ConfigError(_("unknown {what} '{value}'").format(what=_(what), value=value),
                          _("Use one of: {choices}.").format(choices=", ".join(choices)))


def check_output_file(output: Path) -> Path:
    """`-o FILE` may name a new or an earlier output file, never a folder or one of a manual's own files (a
    report written over qms.yaml or a record would destroy what it reports on)."""
    if output.is_dir():
        raise ConfigError(_("{path} is a folder").format(path=output), _("Give a file name, e.g. -o report.json."))
    from qmskit.loading.load import manual_source  # noqa: PLC0415 - start-up: only commands that write a file

    source = manual_source(output)
    if source is not None:
        raise ConfigError(_("{path} is the manual's own file {source}; qms never writes its output there").format(
            path=output, source=source),
                          _("Write the output beside the manual, e.g. -o report.json in the repository root."))
    return output


def emit(text: str, output: Path | None) -> None:
    """Machine output: to a file (atomically) or to standard output, nothing else mixed in. Standard output is
    usually a terminal: control characters and escape sequences from the manual are replaced there."""
    from qmskit.atomic import write_text  # noqa: PLC0415
    from qmskit.escape import terminal  # noqa: PLC0415

    if output is None:
        sys.stdout.write(terminal(text))
    else:
        write_text(check_output_file(output), text)


def acting_person(root: Path, manual: Manual, given: str | None) -> str:
    """Who acts: the person given, or the one whose e-mail git knows as the user's."""
    from qmskit.control.register import DocumentControl  # noqa: PLC0415 - git only for commands that act
    from qmskit.vcs import gitrepo  # noqa: PLC0415
    from qmskit.vcs.history import History  # noqa: PLC0415

    if given:
        if given not in {p.id for p in manual.people}:
            raise ConfigError(_("no person '{person}'").format(person=given),
                              _("Use an id from organisation/people.yaml."))
        return given
    me = gitrepo.current_identity(root)
    person = DocumentControl(manual, History(available=False)).person(me)
    if person is None:
        raise ConfigError(_("git user {email} is not in organisation/people.yaml").format(email=me.email),
                          _("Add your e-mail to your entry there, or pass --by PERSON."))
    return person.id


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
