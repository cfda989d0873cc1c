"""Where the bundled schemas and templates are: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "data" / name  # wheel layout (see pyproject's force-include)
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # source checkout / editable install


def schemas_dir() -> Path:
    return _bundled("schemas")


def templates_dir() -> Path:
    return _bundled("templates")


def example_dir() -> Path:
    return _bundled("example_manual")
