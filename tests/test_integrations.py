"""The CI and pre-commit integrations work for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, TEMPLATE, commit_all, edit, git


def test_integration_files_are_valid_yaml() -> None:
    for path in (REPO / ".pre-commit-hooks.yaml", REPO / "action.yml", *(REPO / "templates" / "ci").glob("*.yml")):
        assert yaml.safe_load(path.read_text()), path
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["entry"], hook["pass_filenames"]) == ("qms-validate", "qms validate", False)


@pytest.fixture(scope="module")
def pre_commit() -> str:
    found = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(found).exists():
        pytest.fail("pre-commit is not installed: install the test extras (`pip install -e .[test]`)")
    return found


def test_pre_commit_hook_passes_and_fails(tmp_path: Path, pre_commit: str) -> None:
    manual = tmp_path / "qm"
    shutil.copytree(TEMPLATE, manual)
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "Start")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    # try-repo builds the hook's environment from this checkout, as a user's pre-commit would from a tag
    command = [pre_commit, "try-repo", str(REPO), "qms-validate", "--all-files"]
    ok = subprocess.run(command, cwd=manual, capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "qms validate" in ok.stdout and "Passed" in ok.stdout
    edit(manual / "processes/operations.yaml", "owner: operations-manager", "owner: nobody")
    bad = subprocess.run(command, cwd=manual, capture_output=True, text=True, env=env, check=False)
    assert bad.returncode == 1
    assert "QMS-REF-001" in bad.stdout


def test_wheel_ships_schemas_templates_and_the_example(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    import zipfile

    [wheel] = tmp_path.glob("qmskit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "qmskit/data/schemas/process.schema.json" in names
    assert "qmskit/data/schemas/iso9001-2015.clauses.json" in names
    assert "qmskit/data/templates/manual/qms.yaml" in names
    assert "qmskit/data/templates/site/document.md.j2" in names
    assert "qmskit/data/example_manual/qms.yaml" in names
    assert "qmskit/py.typed" in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "qms = qmskit.cli:main" in entry_points and "qms = qmskit.site.plugin:QmsPlugin" in entry_points
