"""`qms init`: start a manual; `qms schemas sync`: keep the schemas editors use current."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qmskit.cli.app import ManualOption, ManualPath, QmsTyper, app, escape, resolve_manual, stdout
from qmskit.errors import ConfigError
from qmskit.i18n import _, format_date
from qmskit.loading.modelines import SCHEMAS_FOLDER
from qmskit.loading.scaffold import scaffold, starter
from qmskit.loading.story import STORY_FILE
from qmskit.vcs.gitrepo import enclosing_work_tree, init_and_commit
from qmskit.wording import quantity


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
    synced = _sync(directory)
    console = stdout()
    console.print(escape(_("Wrote {files} to {folder}").format(files=quantity(len(result.written), "file"),
                                                               folder=directory)))
    if synced:
        console.print("  " + escape(_("and {schemas} to {folder} for editors").format(
            schemas=quantity(synced, "schema"), folder=f"{SCHEMAS_FOLDER}/")))
    for kept in result.kept:
        console.print("  " + escape(_("kept existing {file}").format(file=kept)))
    enclosing = enclosing_work_tree(directory)
    if git and result.written and enclosing is not None:
        console.print(escape(_("{folder} is inside the Git work tree {work_tree}: commit the new files there (no "
                               "nested repository was made).").format(folder=directory, work_tree=enclosing)))
        signers = directory / "organisation" / "allowed_signers"
        if "organisation/allowed_signers" in result.written and signers.resolve() != enclosing.resolve() / (
                "organisation/allowed_signers"):
            # approvals.signers is a path from the repository's root, which is not the manual's folder here
            where = signers.resolve().relative_to(enclosing.resolve()).as_posix()
            console.print(escape(_("Set {setting} in qms.yaml: the allowed-signers file is named from the "
                                   "repository's root.").format(setting=f"approvals.signers: {where}")))
    elif git and result.written and not result.kept and (starter(example) / STORY_FILE).is_file():
        told = _tell_story(directory, (starter(example) / STORY_FILE).read_text(encoding="utf-8"))
        console.print(escape(_("Initialised a Git repository with the starter's history: {history}").format(
            history=told)))
    elif git and result.written:
        commit = init_and_commit(directory, "Start the quality manual with qms init")
        console.print(_("Initialised a Git repository; first commit {commit}").format(commit=commit[:10]))
    console.print(escape(_("Next: {command}").format(command=f"qms validate {directory}")))


def _tell_story(directory: Path, text: str) -> str:
    """The starter's story as real, dated Git history: its commits, then its release tag, made like `qms release`
    makes one (the effective revision of every document)."""
    from qmskit.check import control_of  # noqa: PLC0415 - only `qms init --example` tells a story
    from qmskit.control import release as releasing  # noqa: PLC0415
    from qmskit.loading.load import load_manual  # noqa: PLC0415
    from qmskit.loading.story import Identity, fast_import, parse_story, plan  # noqa: PLC0415
    from qmskit.vcs.gitrepo import create_tag, init_with_history, read_history  # noqa: PLC0415

    story = parse_story(text)
    manual = load_manual(directory).manual
    if story.identity.email not in manual.config.approvals.merge_identities:
        raise ConfigError(_("the starter's story commits as {email}, which its qms.yaml does not list under "
                            "approvals.merge_identities").format(email=story.identity.email),
                          _("Fix the starter where qmskit is installed."))
    people = {p.id: Identity(p.name, p.emails[0]) for p in manual.people if p.emails}
    # bytes decoded as they are: the last commit must hold exactly what was written, line ends included
    files = {path.relative_to(directory).as_posix(): path.read_bytes().decode("utf-8")
             for path in sorted(directory.rglob("*")) if path.is_file() and ".git" not in path.parts}
    commits = plan(story, files, people)
    head = init_with_history(directory, lambda ref: fast_import(commits, story.identity, ref))
    told = _("{commits} from {first} to {last}").format(commits=quantity(len(commits), "commit"),
                                                         first=format_date(commits[0].committed.date()),
                                                         last=format_date(commits[-1].committed.date()))
    if story.release is None:
        return told
    rows = control_of(directory, manual, read_history(directory)).register()
    documents = [f"{row.id} rev {row.revision} {row.commit or '-'} {row.status} {row.path}" for row in rows]
    tagger = people[story.release.by]
    create_tag(directory, story.release.tag, releasing.tag_message(story.release.tag, manual.config.organisation,
                                                                   documents, []),
               target=head, tagger=(tagger.name, tagger.email, story.release.at.isoformat()))
    return _("{history}, released as {tag}").format(history=told, tag=story.release.tag)


schemas_app = QmsTyper(help="The JSON Schemas editors use to check the manual's YAML files as you type.",
                          no_args_is_help=True)
app.add_typer(schemas_app, name="schemas")


@schemas_app.command("sync")
def schemas_sync(path: ManualPath = None, manual_dir: ManualOption = None) -> None:
    """Copy this qmskit's schemas into the manual's .qms/schemas/, where the files' modelines point."""
    root = resolve_manual(path, manual_dir)
    written = _sync(root)
    folder = root / SCHEMAS_FOLDER
    if written:
        stdout().print(escape(_("Updated {schemas} in {folder}; commit them so everyone's editor uses them.").format(
            schemas=quantity(written, "schema"), folder=folder)))
    else:
        stdout().print(escape(_("The schemas in {folder} are current.").format(folder=folder)))


def _sync(root: Path) -> int:
    from qmskit.loading import editorschemas  # noqa: PLC0415 - reads the manual's files: only when syncing

    try:
        return len(editorschemas.sync(root).written)
    except OSError as exc:
        raise ConfigError(_("could not write {folder} in {root}: {problem}").format(
            folder=f"{SCHEMAS_FOLDER}/", root=root, problem=exc.strerror or exc),
                          _("Check the folder's permissions; it must be a plain folder, not a link.")) from exc
