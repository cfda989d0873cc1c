"""The site's edge: write the generated pages into a build folder and run mkdocs on them."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from qmskit import i18n
from qmskit.atomic import write_text
from qmskit.check import control_of
from qmskit.control.asof import read_timelines, release_tags
from qmskit.control.lifecycle import past_document
from qmskit.control.register import DocumentControl
from qmskit.control.translations import in_language, past_translation
from qmskit.diagnostics import Diagnostic, Severity, sorted_diagnostics
from qmskit.diagram.render import fitted, render
from qmskit.errors import QmsError, ToolMissingError
from qmskit.loading.load import LoadResult, load_manual
from qmskit.loading.yamlsource import dump_yaml
from qmskit.model import Document, Manual
from qmskit.safepaths import inside
from qmskit.site import bodies, pagebundle, shards
from qmskit.site.children import python_module
from qmskit.site.generate import Page, SiteInput, build_pages
from qmskit.vcs.gitrepo import read_blobs, start_history
from qmskit.vcs.history import History

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Generated:
    folder: Path  # holds mkdocs.yml and docs/
    pages: int
    diagrams: bool
    # errors in reading the manual (syntax, schema): their values were published escaped, the build goes on
    problems: tuple[Diagnostic, ...] = ()
    # the pages, when they were kept in memory instead of written into docs/, and the navigation, kept out of
    # mkdocs.yml then (mkdocs_build hands both over in one file: site/pagebundle.py)
    contents: tuple[Page, ...] = ()
    nav: list[Any] | None = None


class SvgRenderer:
    """DOT source -> SVG by dot. Diagrams asked for ahead are laid out and drawn in threads while Python builds
    other pages (dot runs on another core; the threads only wait for it), and are ready when their page asks."""

    def __init__(self, threads: int = 2) -> None:
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="qms-dot")
        self.ahead: dict[tuple[tuple[str, ...], float], Future[str]] = {}

    def __call__(self, source: str) -> str:
        return render(source, "svg").decode("utf-8")

    def fit_ahead(self, diagrams: Sequence[Sequence[str]], width: float) -> None:
        """Start laying out and drawing each diagram (its layouts, most preferred first: render.fitted)."""
        for variants in diagrams:
            key = (tuple(variants), width)
            if key not in self.ahead:
                self.ahead[key] = self.pool.submit(self._fitted, key[0], width)

    def fitted(self, variants: Sequence[str], width: float) -> str:
        """The SVG of the first layout that fits `width` (drawn ahead, or now)."""
        drawn = self.ahead.pop((tuple(variants), width), None)
        return drawn.result() if drawn is not None else self._fitted(variants, width)

    def _fitted(self, variants: Sequence[str], width: float) -> str:
        return self(fitted(variants, width))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _svg_renderer() -> SvgRenderer | None:
    return None if shutil.which("dot") is None else SvgRenderer()


def generate(root: Path, folder: Path, audience: str, today: date, progress: Progress | None = None, *,
             print_all: bool = False, language: str | None = None, alternates: tuple[str, ...] = (),
             in_memory: bool = False) -> Generated:
    """Generate the site's pages from the manual at `root` into `folder` (never into the manual's sources: the
    command line checks `folder` with `outfolder.check_output_folder` first). `language` (else $QMS_LANG, else
    the manual's) is the site's; `alternates` are the languages built beside it, in sibling folders. With
    `in_memory`, `folder` gets mkdocs.yml and an empty docs/, and the pages stay in `Generated.contents` for
    mkdocs_build (faster for a folder nobody reads)."""
    with start_history(root) as pending:  # closed also when loading fails: no git process is left running
        loaded = load_manual(root, use_cache=True)
        manual = loaded.manual
        worker = bodies.start_worker(len(manual.documents))  # its start-up overlaps reading Git
        try:
            return _generate(root, folder, audience, today, loaded=loaded, history=pending(), worker=worker,
                             progress=progress, print_all=print_all, language=language, alternates=alternates,
                             in_memory=in_memory)
        finally:
            if worker is not None:
                worker.stop()


def _generate(root: Path, folder: Path, audience: str, today: date, *, loaded: LoadResult, history: History,
              worker: bodies.Worker | None, progress: Progress | None, print_all: bool, language: str | None,
              alternates: tuple[str, ...], in_memory: bool) -> Generated:
    manual = loaded.manual
    renderer = _svg_renderer()
    control = control_of(root, manual, history)
    # one batch of past front matter for every revision: the document pages, the "effective on" table and the
    # register at every release are look-ups in it, however many releases there are (DESIGN 0022)
    timelines = read_timelines(root, history, control)
    tags = release_tags(root, history) if audience == "internal" else []
    chosen = i18n.resolve(language, manual.config.language)
    site = SiteInput(manual, history, manual.config.judged_day(today), audience, source=root.name,
                     render_svg=renderer, choose_layout=fitted if renderer is not None else None,
                     render_fitted=renderer.fitted if renderer is not None else None,
                     fit_ahead=renderer.fit_ahead if renderer is not None else None,
                     print_all=print_all, control=control, approved=approved_versions(root, manual, history, control),
                     timelines=timelines, releases=tags, language=chosen,
                     alternates=tuple(code for code in alternates if code != chosen),
                     translations=approved_translations(root, manual, history, control, chosen), body_worker=worker)
    try:
        pages, config = build_pages(site)
    finally:
        if renderer is not None:
            renderer.close()
    docs = folder / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    for index, page in enumerate(pages, start=1):
        if in_memory:
            _checked(docs, page)  # the same checks as writing it
        else:
            _write(docs, page)
        if progress is not None:
            progress(page.path, index, len(pages))
    # generated again by any build; in memory, without the navigation, which goes with the pages
    written = {key: value for key, value in config.items() if key != "nav"} if in_memory else config
    write_text(folder / "mkdocs.yml", dump_yaml(written), durable=False)
    problems = tuple(d for d in sorted_diagnostics(loaded.diagnostics) if d.severity is Severity.ERROR)
    if in_memory:
        return Generated(folder, len(pages), renderer is not None, problems, tuple(pages), config.get("nav"))
    return Generated(folder, len(pages), renderer is not None, problems)


def approved_versions(root: Path, manual: Manual, history: History, control: DocumentControl) -> dict[str, Document]:
    """Documents whose newest text is not approved (a later revision, or uncommitted changes), as they stood at
    their last approved revision, read from Git in one batch: the site publishes what was approved."""
    if not history.usable:
        return {}
    wanted = {}
    for document in manual.documents:
        file = history.of(document.origin.path)
        approved = control.last_approved(document, file) if file else None
        if file is None or approved is None:
            continue
        if approved is file.latest and document.origin.path not in history.uncommitted:
            continue  # the text in the work tree is the approved one
        wanted[document.id] = (approved.commit.sha, approved.path)
    blobs = read_blobs(root, wanted.values())
    found = {}
    for doc_id, spec in wanted.items():
        past = past_document(blobs.get(spec, ""), spec[1], body=True)
        if past is not None:
            found[doc_id] = past
    return found


def approved_translations(root: Path, manual: Manual, history: History, control: DocumentControl,
                          language: str) -> dict[str, Document]:
    """Documents as their translation into `language` reads, at the translation's last approved revision (read
    from Git when a newer one waits for approval). A translation nobody approved is not published; without Git
    (no history to judge) the work tree's text is."""
    found, wanted = {}, {}
    for doc_id, translated in in_language(manual, language).items():
        if not history.usable:
            found[doc_id] = translated
            continue
        file = history.of(translated.origin.path)
        approved = control.last_approved(translated, file) if file else None
        if file is None or approved is None:
            continue
        if approved is file.latest and translated.origin.path not in history.uncommitted:
            found[doc_id] = translated
        else:
            wanted[doc_id] = (translated, (approved.commit.sha, approved.path))
    blobs = read_blobs(root, [spec for _, spec in wanted.values()])
    for doc_id, (translated, spec) in wanted.items():
        past = past_translation(blobs.get(spec, ""), translated)
        if past is not None:
            found[doc_id] = past
    return found


def _write(docs: Path, page: Page) -> None:
    target = _checked(docs, page)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise _name_too_long(page) from error  # a file system with shorter names than NAME_MAX


NAME_MAX = 255  # bytes in a file name on the file systems sites are built on (ext4, xfs, btrfs, tmpfs, APFS, NTFS)


def _checked(docs: Path, page: Page) -> Path:
    """Where `page` goes in `docs`: inside it, and in names a file system takes (mkdocs makes a folder of the
    page's name, so the same check holds for the pages kept in memory)."""
    target = inside(docs, *page.path.split("/"))
    if any(len(part.encode("utf-8")) > NAME_MAX for part in page.path.split("/")):
        raise _name_too_long(page)
    return target


def _name_too_long(page: Page) -> QmsError:
    # a page is named after an id, which the schemas keep short, but the build publishes manuals with errors
    return QmsError(f"the site's page {page.path[:60]}... has a longer name than the file system allows",
                    "An id is longer than the 80 characters ids may have: `qms validate` says which.")


BUILDING = ".qms-build-"  # the folder a build writes into, inside the output folder: hidden, as mkdocs keeps those


def mkdocs_build(generated: Generated, output: Path, strict: bool = True, shares: int | None = None) -> None:
    """Build the generated pages with mkdocs-material into `output`: in `shares` processes at once (default: as
    many as the machine's cores and the site's size pay for; DESIGN 0031). The site is built in a folder of its
    own and replaces the one in `output` only when every process succeeded: a failed or interrupted build leaves
    the previous site as it was, and no process of its own running."""
    count = shards.shares_for(generated.pages) if shares is None else max(1, shares)
    # not --quiet: it hides the warnings --strict counts, and the build would never fail
    command = python_module("mkdocs", "build", *(["--strict"] if strict else []))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # beside mkdocs.yml (INHERIT is relative to it), in the folder qms generated: no name the manual can take
    # (and the hooks that read the pages kept in memory from one file: site/pagebundle.py)
    hooked = count > 1 or bool(generated.contents)
    configs = [generated.folder / f".mkdocs-share-{share}.yml" for share in range(count)] if hooked else []
    bundle = generated.folder / pagebundle.BUNDLE_NAME
    env.pop(pagebundle.BUNDLE_VARIABLE, None)  # only the pages of this build, never a bundle named elsewhere
    with replacing_site(output) as site:
        sites = [site, *(site.parent / f"share-{share}" for share in range(1, count))]
        try:
            if generated.contents:
                pagebundle.write_bundle(bundle, [(page.path, page.content) for page in generated.contents],
                                        generated.nav)
                env[pagebundle.BUNDLE_VARIABLE] = str(bundle.resolve())
            _build_sites(generated, command, env, configs, sites)
        finally:
            bundle.unlink(missing_ok=True)
            for config in configs:
                config.unlink(missing_ok=True)


@contextlib.contextmanager
def replacing_site(output: Path) -> Iterator[Path]:
    """An empty folder to build a site in, which replaces the site in `output` when the block ends without an
    exception (_replace_site); on any exception, Ctrl-C included, `output` stays as it was. The folder is hidden
    inside `output` (made by mkdtemp: a name nobody can take in advance; on the output's file system, so that the
    site is moved in, never copied) and removed afterwards, with the old site. Meanwhile SIGTERM is taken as
    Ctrl-C, so that a cancelled build also cleans up."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=BUILDING, dir=output.resolve()))
    except OSError as error:
        raise QmsError(f"cannot build the site in {output}: {error.strerror or error}",
                       "Give a folder you may write in.") from error
    try:
        with _terminated_as_interrupted():
            site = work / "site"
            site.mkdir()
            yield site
            _replace_site(output, site, work / "previous")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _build_sites(generated: Generated, command: list[str], env: dict[str, str], configs: list[Path],
                 sites: list[Path]) -> None:
    """mkdocs with the site's configuration, or in one process per share (each with a configuration that adds the
    hooks); the shares joined in the first."""
    if not configs:
        _run_all([([*command, "-f", str(generated.folder / "mkdocs.yml"), "-d", str(sites[0])], env,
                   sites[0].with_suffix(".log"))])
        return
    for config in configs:
        write_text(config, dump_yaml(shards.share_config()), durable=False)  # read at once, then removed
    _run_all([([*command, "-f", str(config), "-d", str(site)], {**env, shards.SHARE_VARIABLE: f"{share}/{len(sites)}"},
               site.with_suffix(".log")) for share, (config, site) in enumerate(zip(configs, sites, strict=True))])
    shards.join_shares(sites[0], sites[1:])


@contextlib.contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM (a CI runner cancelling the job, a service manager stopping it) as if it were Ctrl-C while mkdocs
    runs: by default it ends this process at once, leaving the mkdocs processes running and their folder behind.
    Only the main thread can set a signal handler; elsewhere the default stays."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _replace_site(output: Path, built: Path, attic: Path) -> None:
    """Put the built site in place of the old one as mkdocs fills its folder: the folder's hidden entries (the qms
    marker, a deployment's .git) stay, every other entry is the new site's. Renames only, on one file system: the
    old entries go to `attic` (removed with the build folder), so the site is incomplete for as long as a few
    renames take, not for as long as deleting a large site takes; if a rename fails, what moved is moved back."""
    attic.mkdir()
    moved: list[tuple[Path, Path]] = []  # (where it is now, where it was)

    def move(entry: Path, target: Path) -> None:
        entry.rename(target)
        moved.append((target, entry))

    try:
        for entry in sorted(output.iterdir()):
            if not entry.name.startswith("."):
                move(entry, attic / entry.name)
        for entry in sorted(built.iterdir()):
            if (output / entry.name).exists() or (output / entry.name).is_symlink():  # a hidden name mkdocs wrote
                move(output / entry.name, attic / entry.name)
            move(entry, output / entry.name)
    except BaseException as error:  # also Ctrl-C: the old entries in `attic` are deleted with the build folder
        for now, was in reversed(moved):
            with contextlib.suppress(OSError):
                now.rename(was)
        if not isinstance(error, OSError):
            raise
        raise QmsError(f"could not put the new site into {output}: {error.strerror or error}",
                       "Check that you may change the folder and what is in it; the previous site is as it "
                       "was.") from error


def _run_all(jobs: list[tuple[list[str], dict[str, str], Path]]) -> None:
    """Run the mkdocs processes (command, environment, the file their output goes to) at once and wait for them;
    when one fails or this process is interrupted (Ctrl-C), the others are stopped: none outlives the build."""
    started: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for command, env, log in jobs:
            started.append((_start(command, env, log), log))
        _finish(started)
    finally:
        for process, _ in started:
            if process.poll() is None:
                process.kill()
            process.wait()


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """mkdocs, its output into `log`: a file never fills up as a pipe nobody reads yet does (mkdocs lists every
    page outside the navigation, and a process blocked on that would wait for the others to finish)."""
    try:
        with log.open("wb") as output:
            return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    except FileNotFoundError as exc:  # pragma: no cover - sys.executable always exists
        raise ToolMissingError("Python cannot run mkdocs", "pip install mkdocs-material") from exc


def _finish(started: list[tuple[subprocess.Popen[bytes], Path]]) -> None:
    """Wait for the mkdocs processes; the first to fail, whichever it is, says why at once."""
    waiting = list(started)
    while waiting:
        ended = [(process, log) for process, log in waiting if process.poll() is not None]
        for process, log in ended:
            if process.returncode != 0:
                raise QmsError("mkdocs build failed: " + _failure(process.returncode, log),
                               "Run `qms validate`; if it is clean, this is a bug in qmskit's site generator.")
        waiting = [entry for entry in waiting if entry not in ended]
        if waiting and not ended:
            time.sleep(0.05)


def _failure(code: int, log: Path) -> str:
    """Why mkdocs failed, in a line: its first warnings and errors, else the exception it ended with, without the
    traceback that led there; or the signal that stopped it. The output is read a line at a time."""
    if code < 0:
        try:
            return f"stopped by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"stopped by signal {-code}"
    detail: list[str] = []
    last = ""
    with log.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith(("WARNING", "ERROR")) and len(detail) < 5:
                detail.append(line.strip()[:500])
            elif line.strip() and not line.startswith((" ", "Traceback", "INFO")):
                last = line.strip()[:500]  # an exception's last line; the lines above it are its traceback
    return "; ".join(detail or [last]) or f"exit code {code}"


def temporary_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="qms-site-"))
