"""Printing the built manual to PDF with headless Chromium: the site's own pages and print styles, so the
PDF shows what the site shows, stamped "uncontrolled when printed" with each document's revision."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from qmskit.errors import QmsError, ToolMissingError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 300  # seconds: a manual of thousands of pages prints in well under this


def browser() -> str:
    """The headless browser to print with: $QMS_CHROMIUM, else the first Chromium on PATH."""
    configured = os.environ.get("QMS_CHROMIUM", "")
    if configured:
        return configured
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissingError("printing to PDF needs Chromium", "apt-get install chromium (or set QMS_CHROMIUM)")


def print_page(page: Path, output: Path) -> None:
    """Print one built HTML page to `output` (replaced atomically: a reader never sees half a PDF)."""
    if not page.is_file():
        raise QmsError(f"no page {page} in the built site", "Build the site first.")
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".pdf", dir=output.parent)
    os.close(handle)
    profile = tempfile.mkdtemp(prefix="qms-chromium-")
    command = [browser(), "--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", f"--print-to-pdf={partial}", page.resolve().as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if done.returncode != 0 or Path(partial).stat().st_size == 0:
            detail = (done.stderr or "").strip().splitlines()[-3:]
            raise QmsError("Chromium could not print the page: " + ("; ".join(detail) or str(done.returncode)),
                           "Check that Chromium starts headless on this machine.")
        umask = os.umask(0)
        os.umask(umask)
        Path(partial).chmod(0o666 & ~umask)  # mkstemp made it private; a PDF is as readable as any output
        Path(partial).replace(output)
    except subprocess.TimeoutExpired as exc:
        raise QmsError(f"Chromium did not finish printing within {TIMEOUT} s", "Print one document at a time.") from exc
    finally:
        Path(partial).unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)
