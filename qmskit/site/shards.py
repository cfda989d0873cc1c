"""mkdocs builds one page at a time on one core. A large site is built by several mkdocs processes at once, each
rendering its own share of the pages (DESIGN 0031): every process reads the whole configuration and navigation, so
each page it writes is the page a single build writes, byte for byte; the pages it does not own it renders with an
empty template, which mkdocs does not write. The shares are then put together in one folder and their search
indexes joined.

This file is also loaded by mkdocs itself, as the `hooks:` of each share's configuration."""

from __future__ import annotations

import functools
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

SHARE_VARIABLE = "QMS_SITE_SHARE"  # "k/n": this process renders share k of n
SKIP_TEMPLATE = "qms-not-this-share.html"
SEARCH_INDEX = Path("search", "search_index.json")
PAGE_ORDER = Path(".qms-page-order.json")  # the pages in mkdocs' order, for joining the search indexes
PAGES_PER_SHARE = 250  # below this a second process costs more (its start-up) than it saves


def available_cores() -> int:
    """The cores this process may run on: its affinity mask (taskset, a container's cpuset), lowered to the CPU
    quota of its control group (`docker --cpus`, a CI runner's limit), which neither the mask nor the machine's
    count of cores shows."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = cpu_quota(Path("/proc/self/cgroup"), Path("/sys/fs/cgroup"))
    return max(1, min(cores, quota)) if quota is not None else cores


def cpu_quota(membership: Path, mount: Path) -> int | None:
    """The whole cores (rounded up) the tightest CPU quota on this process's control group and the groups above it
    allows, or None without one. `membership` is /proc/self/cgroup, `mount` where cgroups are mounted: version 2
    says `cpu.max` ("max 100000", "150000 100000"), version 1 `cpu.cfs_quota_us` (-1: none) per `cpu.cfs_period_us`.
    In a container the group's path may not exist under the mount (no cgroup namespace): its root then holds the
    container's own limit."""
    try:
        lines = membership.read_text(encoding="utf-8", errors="replace").splitlines()[:64]
    except OSError:
        return None
    limits = []
    for line in lines:
        _, controllers, path = [*line.split(":", 2), "", ""][:3]
        names = controllers.split(",")
        if controllers == "":
            folders = [mount, mount / "unified"]
        elif "cpu" in names:
            folders = [mount / controllers, mount / "cpu"]
        else:
            continue
        for folder in folders:
            limits += [limit for group in _groups(folder, path) if (limit := _group_quota(group)) is not None]
    return math.ceil(min(limits)) if limits else None


def _groups(folder: Path, path: str) -> list[Path]:
    """The folder of the group at `path` and of every group above it, inside `folder` (never outside it)."""
    parts = [part for part in path.split("/") if part and part not in (".", "..")][:32]
    return [folder.joinpath(*parts[:depth]) for depth in range(len(parts), -1, -1)]


def _group_quota(group: Path) -> float | None:
    try:
        if (group / "cpu.max").is_file():
            quota, _, period = (group / "cpu.max").read_text(encoding="ascii").partition(" ")
        elif (group / "cpu.cfs_quota_us").is_file():
            quota = (group / "cpu.cfs_quota_us").read_text(encoding="ascii")
            period = (group / "cpu.cfs_period_us").read_text(encoding="ascii")
        else:
            return None
        cores = int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None  # "max", -1, or a file we cannot read: no quota we know of
    return cores if cores > 0 else None


def shares_for(pages: int, cpus: int | None = None) -> int:
    """How many mkdocs processes build a site of `pages` pages: one per core that has enough pages to pay off."""
    return max(1, min(available_cores() if cpus is None else cpus, pages // PAGES_PER_SHARE))


def parse_share(text: str) -> tuple[int, int]:
    share, _, count = text.partition("/")
    if share.isdigit() and count.isdigit() and int(share) < int(count):
        return int(share), int(count)
    raise ValueError(f"{SHARE_VARIABLE}={text!r} names no share: write k/n, 0 <= k < n")


def share_config() -> dict[str, Any]:
    """The mkdocs configuration of one share: the site's own, plus the hooks that hand over the pages kept in
    memory (site/pagebundle.py) and these."""
    from qmskit.site import pagebundle  # noqa: PLC0415 - this module is loaded by mkdocs, which needs none of it

    return {"INHERIT": "mkdocs.yml", "hooks": [str(Path(pagebundle.__file__).resolve()), str(Path(__file__).resolve())]}


def join_shares(target: Path, others: list[Path]) -> None:
    """Move the pages other shares built into `target` (the first share's site), and join the search indexes in
    the order a single build writes them. Every other file (theme assets, sitemap, 404 page) every share writes
    alike: the first share's copy stays."""
    order = _page_order(target)
    indexes = [_read_index(site) for site in (target, *others)]
    for other in others:
        for source in sorted(other.rglob("*")):
            if source.is_dir() or source.relative_to(other) in (SEARCH_INDEX, PAGE_ORDER):
                continue
            destination = target / source.relative_to(other)
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, destination)
    (target / PAGE_ORDER).unlink(missing_ok=True)
    joined = [index for index in indexes if index is not None]
    if joined:
        entries = [entry for index in joined for entry in index["docs"]]
        position = {url: place for place, url in enumerate(order)}

        def page_of(entry: Any) -> int:
            location = str(entry.get("location", "")) if isinstance(entry, dict) else ""
            return position.get(location.partition("#")[0], len(position))

        data = {"config": joined[0].get("config"), "docs": sorted(entries, key=page_of)}  # stable: sections stay
        (target / SEARCH_INDEX).write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")


def _page_order(site: Path) -> list[str]:
    path = site / PAGE_ORDER
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    return [str(url) for url in data] if isinstance(data, list) else []


def _read_index(site: Path) -> dict[str, Any] | None:
    path = site / SEARCH_INDEX
    if not path.is_file():
        return None  # a site without the search plugin
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) and isinstance(data.get("docs"), list) else None


# --- mkdocs hooks (run inside each share's mkdocs process) ---

_owned: set[str] = set()
_order: list[str] = []


def on_files(files: Any, config: Any) -> Any:
    """Deal the pages out in turn, in mkdocs' own order: each share gets an even mix of light and heavy pages."""
    share, count = parse_share(os.environ.get(SHARE_VARIABLE, "0/1"))
    pages = list(files.documentation_pages())
    _owned.clear()
    _owned.update(file.src_uri for position, file in enumerate(pages) if position % count == share)
    _order[:] = [file.url.removeprefix("./") for file in pages]  # the home page is "./", its search entry ""
    return files


def on_post_build(config: Any) -> None:
    (Path(config.site_dir) / PAGE_ORDER).write_text(json.dumps(_order), encoding="utf-8")


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """The pages another share renders get no content here instead of a Markdown pass of their own."""
    for file in files.documentation_pages():
        if file.src_uri not in _owned and file.page is not None:
            file.page.render = functools.partial(_not_rendered, file.page)
    return nav


def _not_rendered(page: Any, config: Any, files: Any) -> None:
    from mkdocs.structure.toc import get_toc  # noqa: PLC0415 - only inside mkdocs

    page.content, page.toc, page.present_anchor_ids, page.links_to_anchors = "", get_toc([]), set(), {}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri in _owned:
        return markdown
    page.meta["template"] = SKIP_TEMPLATE  # rendered empty, and mkdocs writes no empty page
    return ""


def on_env(env: Any, config: Any, files: Any) -> Any:
    from jinja2 import ChoiceLoader, DictLoader  # noqa: PLC0415 - only inside mkdocs

    env.loader = ChoiceLoader([DictLoader({SKIP_TEMPLATE: ""}), env.loader])
    return env
