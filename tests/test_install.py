"""Installation works as the README says: every install instruction names a ref this repository has, and a
release (tools/release.py) makes the tag and a wheel that, in a fresh virtual environment, runs the README's
five-minute tour without the checkout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO
from tools.release import PINNED_FILES, pins

BARE_INSTALL = re.compile(r"pip install (?:--quiet |-q )?[\"']?qmskit\b(?! @)")


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)


def _full_history() -> None:
    if _git(REPO, "rev-parse", "--is-shallow-repository").stdout.strip() != "false":
        pytest.skip("needs a full (not shallow) Git clone of qmskit")


def test_install_instructions_name_one_ref_this_repository_has() -> None:
    _full_history()
    found = {name: pins((REPO / name).read_text(encoding="utf-8")) for name in PINNED_FILES}
    assert all(found.values()), {name: refs for name, refs in found.items() if not refs}
    refs = {ref for refs in found.values() for ref in refs}
    assert len(refs) == 1, refs  # one release everywhere
    [ref] = refs
    assert _git(REPO, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0, \
        f"{ref} is not a commit or tag of this repository"
    assert _git(REPO, "merge-base", "--is-ancestor", ref, "HEAD").returncode == 0, f"{ref} is not in HEAD's history"


def test_no_instruction_installs_qmskit_from_an_index_that_does_not_have_it() -> None:
    for name in (*PINNED_FILES, "action.yml"):
        assert not BARE_INSTALL.search((REPO / name).read_text(encoding="utf-8")), name


def _tour() -> str:
    """The shell lines of the README's five-minute tour."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## A five-minute tour", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    assert "qms init" in block and "qms validate" in block and "qms new" in block and "qms build" in block
    return block


def test_release_tags_and_builds_a_wheel_that_runs_the_readme_tour(tmp_path: Path) -> None:
    _full_history()
    clone = tmp_path / "qmskit"
    assert _git(tmp_path, "clone", "-q", str(REPO), str(clone)).returncode == 0
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Release Manager", "GIT_AUTHOR_EMAIL": "rm@example.com",
           "GIT_COMMITTER_NAME": "Release Manager", "GIT_COMMITTER_EMAIL": "rm@example.com",
           **{k: v for k, v in os.environ.items() if k.startswith(("PIP_", "http", "HTTP", "SSL_", "REQUESTS_"))}}
    released = subprocess.run([sys.executable, "tools/release.py", "9.8.7"], cwd=clone, env=env,
                              capture_output=True, text=True, timeout=600, check=False)
    assert released.returncode == 0, released.stdout + released.stderr
    assert _git(clone, "tag", "--list", "v9.8.7").stdout.strip() == "v9.8.7"
    assert _git(clone, "status", "--porcelain").stdout == ""  # the re-pinned instructions are in the tagged commit
    assert {ref for name in PINNED_FILES for ref in pins((clone / name).read_text(encoding="utf-8"))} == {"v9.8.7"}
    again = subprocess.run([sys.executable, "tools/release.py", "9.8.7"], cwd=clone, env=env, capture_output=True,
                           text=True, timeout=60, check=False)
    assert again.returncode == 2 and "exists already" in again.stderr  # a tag is never moved

    wheel = clone / "dist" / "qmskit-9.8.7-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert "qmskit/data/example_manual/.qms/schemas/process.schema.json" in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                               env=env, capture_output=True, text=True, timeout=900, check=False)
    assert installed.returncode == 0, installed.stderr[-2000:]

    tour_env = {**env, "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}"}
    ran = subprocess.run(["bash", "-euo", "pipefail", "-c", _tour()], cwd=tmp_path, env=tour_env,
                         capture_output=True, text=True, timeout=600, check=False)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "qms 9.8.7" in subprocess.run([str(venv / "bin" / "qms"), "--version"], capture_output=True, text=True,
                                         check=True).stdout
    manual = tmp_path / "my-qms"
    assert (tmp_path / "my-qms-site" / "index.html").is_file()  # built outside the manual, as the tour says
    assert (manual / "forms" / "maintenance-log.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../.qms/schemas/form.schema.json\n")
    assert (tmp_path / "demo-qms" / ".qms" / "schemas" / "record.schema.json").is_file()
