"""A thin mkdocs plugin: `plugins: [qms: {manual: example_manual}]` generates the pages of a manual and lets
mkdocs build (or `mkdocs serve`) them. The same generator as `qms build`; nothing else depends on mkdocs' plugin
API, which MkDocs 2 drops.

The pages are generated into a temporary folder on every build; `mkdocs serve` builds again on every change, in
the same process and with the same plugin object (mkdocs keeps it because it has `on_shutdown`). So each build
removes the folder of the build before it, and shutdown the last one: one folder at most, none afterwards."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from qmskit.site import search
from qmskit.site.build import generate, temporary_folder

log = get_plugin_logger(__name__)


class QmsPluginConfig(Config):  # type: ignore[no-untyped-call]
    manual = config_options.Type(str, default=".")
    """The manual's folder (holding qms.yaml), relative to mkdocs.yml."""
    audience = config_options.Choice(("internal", "external"), default="internal")
    """Build the whole manual, or only what may be shown outside the company."""
    language = config_options.Type(str, default="")
    """The site's language (en, fi); empty: $QMS_LANG, else the manual's `language`."""


class QmsPlugin(BasePlugin[QmsPluginConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None  # the pages of the last build (mkdocs copied them into its site)

    @event_priority(50)  # before mkdocs-material's search plugin, which builds its index settings in its on_config
    def on_config(self, config: Any) -> Any:
        self._remove_folder()  # the build before this one is done: mkdocs serves the site it wrote, not these pages
        root = (Path(config.config_file_path).parent / self.config.manual).resolve()
        if not (root / "qms.yaml").is_file():
            log.warning(f"no qms.yaml in {root}: nothing generated")  # a warning fails `mkdocs build --strict`
            return config
        today = os.environ.get("QMS_TODAY")  # as for `qms build --today`
        self.folder = temporary_folder()  # kept before generating: a generation that fails is removed too
        generated = generate(root, self.folder, self.config.audience,
                             date.fromisoformat(today) if today else date.today(),
                             language=self.config.language or None)
        if not generated.diagrams:
            log.warning("Graphviz's dot is not installed: the site has no process diagrams")
        config.docs_dir = str(generated.folder / "docs")
        if not config.nav:
            from qmskit.loading.yamlsource import parse_yaml  # noqa: PLC0415 - read back the generated navigation

            built = parse_yaml((generated.folder / "mkdocs.yml").read_text(encoding="utf-8"), "mkdocs.yml").data
            config.nav = built.get("nav") if isinstance(built, dict) else None
        if "assets/qms.css" not in config.extra_css:
            config.extra_css.append("assets/qms.css")
        _stem_the_index(config, generated.folder / "docs")
        return config

    def on_serve(self, server: Any, *, config: Any, builder: Callable[..., Any]) -> Any:
        """`mkdocs serve` watches the first build's pages for edits; nobody edits them, and removing them at the
        next build would start one more build for nothing."""
        if self.folder is not None and Path(config.docs_dir).is_relative_to(self.folder):
            server.unwatch(config.docs_dir)
        return server

    def on_shutdown(self) -> None:
        self._remove_folder()

    def _remove_folder(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _stem_the_index(config: Any, docs: Path) -> None:
    """The generated pages put the query stemmer in front of mkdocs-material's search worker (site/search.py):
    the index must then be stemmed too, or no stemmed query would find anything."""
    if not any((docs / search.WORKERS).glob("search.*.js")):
        return
    for name, engine in config.plugins.items():
        if name.split("/")[-1] == "search" and "pipeline" in engine.config:
            engine.config.pipeline = list(search.PIPELINE)
