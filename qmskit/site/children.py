"""The Python processes a site build starts (mkdocs, the body worker), run so that nothing in the folder qms was
started in can take part.

`python -m` puts the current folder first on the module path, and qms usually runs in the manual's folder, which
its author controls: a `json.py`, `yaml.py` or `mkdocs/` committed there would run in every build, on every
machine and CI runner that builds the manual. `-P` (Python 3.11) leaves the folder out; the rest of the path (the
installed packages, PYTHONPATH set by whoever runs qms) stays, so qmskit and mkdocs are found as they are here."""

from __future__ import annotations

import sys


def python_module(module: str, *arguments: str) -> list[str]:
    """The command that runs `module` as a program in this Python, without the current folder on its path."""
    return [sys.executable, "-P", "-m", module, *arguments]
