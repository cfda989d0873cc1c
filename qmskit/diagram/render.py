"""The Graphviz edge: turn DOT source into SVG, PNG or PDF by running `dot`, and choose among layouts by what
dot made of them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

from qmskit.diagram.layout import clashes, read_layout
from qmskit.errors import QmsError, ToolMissingError

FORMATS = ("svg", "png", "pdf", "dot")
INSTALL_HINT = ("Install Graphviz: `apt-get install graphviz` (Debian, Ubuntu), `dnf install graphviz` (Fedora), "
                "`brew install graphviz` (macOS). `--format dot` works without it.")


def render(source: str, output_format: str, timeout: float = 300) -> bytes:
    """`source` rendered by dot; `dot` format returns the source itself (no binary needed)."""
    if output_format == "dot":
        return source.encode("utf-8")
    dot = shutil.which("dot")
    if dot is None:
        raise ToolMissingError("Graphviz's `dot` program is not installed", INSTALL_HINT)
    try:
        done = subprocess.run([dot, f"-T{output_format}"], input=source.encode("utf-8"), capture_output=True,
                              check=False, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise QmsError(f"dot did not finish within {timeout:g} s", "Draw a smaller view (--depth, --process).") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise QmsError(f"dot failed: {message[-1] if message else done.returncode}",
                       "This is a bug in qmskit's diagram; please report it with the DOT (--format dot).")
    return done.stdout


def fitted(sources: Sequence[str], max_width: float, timeout: float = 60) -> str:
    """The first of `sources` (most preferred first) that dot lays out within `max_width` points with nothing
    overlapping; if none does, the narrowest. Runs dot once per source tried; one that dot cannot lay out
    within `timeout` seconds counts as not fitting."""
    narrowest: tuple[float, str] | None = None
    stuck: QmsError | None = None
    for source in sources:
        try:
            layout = read_layout(render(source, "json", timeout))
        except QmsError as exc:
            stuck = exc
            continue
        if layout.width <= max_width and not clashes(layout):
            return source
        if narrowest is None or layout.width < narrowest[0]:
            narrowest = (layout.width, source)
    if narrowest is None:
        raise stuck or QmsError("no diagram to draw", "This is a bug in qmskit's diagram; please report it.")
    return narrowest[1]
