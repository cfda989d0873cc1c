"""The mkdocs plugin's build folders: `mkdocs serve` rebuilds in one process on every change, and each build
generates the pages into a temporary folder. Only the last build's folder may exist, and none once mkdocs ends.
On a manual that is not the example."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

REBUILDS = 2


def project(tmp_path: Path, manual: Path) -> Path:
    """A company's mkdocs.yml with the plugin pointed at the manual: the file."""
    folder = tmp_path / "project"
    (folder / "docs").mkdir(parents=True)  # mkdocs checks that its docs_dir exists before the plugin replaces it
    config = folder / "mkdocs.yml"
    config.write_text(f"site_name: Manual\ntheme: {{name: material}}\nplugins:\n  - search\n"
                      f"  - qms: {{manual: {manual}}}\n", encoding="utf-8")
    return config


def build_folders(temp: Path) -> list[Path]:
    return sorted(temp.glob("qms-site-*"))


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the plugin's build folders go to (its own, so that others' do not count)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return folder


def test_rebuilds_keep_one_build_folder_and_shutdown_none(itservices: Path, tmp_path: Path, temp: Path) -> None:
    """As `mkdocs serve` does: startup, a build, the configuration loaded again and built on every change, one
    process; shutdown at the end."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file, site = project(tmp_path, itservices), tmp_path / "site"
    first = load_config(str(config_file), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=False)
    build(first)
    assert [Path(first.docs_dir).parent] == build_folders(temp)
    for rebuild in range(REBUILDS):
        config = load_config(str(config_file), site_dir=str(site))
        build(config)
        assert build_folders(temp) == [Path(config.docs_dir).parent], f"after rebuild {rebuild + 1}"
        assert (site / "index.html").is_file()
    first.plugins.on_shutdown()
    assert build_folders(temp) == []


def test_serve_stops_watching_the_generated_pages(itservices: Path, tmp_path: Path, temp: Path) -> None:
    """mkdocs serve watches the first build's pages; the next build removes them, which must not count as an
    edit (one more build for nothing). The configuration file stays watched."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    config = load_config(str(project(tmp_path, itservices)), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    try:
        server.watch(config.docs_dir)  # as mkdocs serve does, before the plugins' on_serve
        server.watch(str(config.config_file_path))
        served: Any = config.plugins.on_serve(server, config=config, builder=lambda: None)
        assert served is server
        with pytest.raises(KeyError):
            server.unwatch(config.docs_dir)  # no longer watched
        server.unwatch(str(config.config_file_path))  # still watched
    finally:
        server.server_close()
        config.plugins.on_shutdown()
    assert build_folders(temp) == []


def test_mkdocs_build_leaves_no_build_folder(itservices: Path, tmp_path: Path, temp: Path) -> None:
    """mkdocs' own command line ends with shutdown: nothing is left in the temporary folder."""
    config = project(tmp_path, itservices)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d",
                           str(tmp_path / "site")], capture_output=True, text=True, check=False,
                          env={**os.environ, "TMPDIR": str(temp)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert build_folders(temp) == []
