"""Every page of a manual full of XSS payloads, built for both audiences, opened in Chromium: nothing runs.

The payloads (tests/hostile.py) sit in every string of every file type, in document bodies, in the commit subject
and the author's name. A payload that runs sets `data-pwned` on <html> or opens a dialog; besides that, no element
may carry an event-handler attribute or a `javascript:`/`data:` URL, and no frame or plugin element may exist.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import local_server
from tests.hostile import make_hostile_manual

pytestmark = pytest.mark.browser

# Run in the page: everything on it that could run script, or would on a click.
_DANGERS = """() => {
  const found = [];
  const url = /^\\s*(javascript|data|vbscript):/i;
  for (const element of document.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (['iframe', 'frame', 'object', 'embed', 'base'].includes(tag)) found.push('<' + tag + '>');
    if (tag === 'script' && !element.src && element.id !== '__config' && element.type !== 'application/json'
        && element.textContent.includes('pwned')) found.push('inline script: ' + element.textContent.slice(0, 80));
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) found.push(tag + ' ' + name + '=' + attribute.value.slice(0, 60));
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, '');
      if (url.test(value) && !(tag === 'img' && /^data:image\\/(png|gif|jpeg|webp);/i.test(value)))
        found.push(tag + ' ' + name + '=' + attribute.value.slice(0, 60));
    }
  }
  return {pwned: document.documentElement.dataset.pwned || null, found: found};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("xss")
    manual = make_hostile_manual(base / "manual")
    built = {}
    for audience in ("internal", "external"):
        out = base / audience
        done = subprocess.run([str(Path(sys.executable).parent / "qms"), "build", str(manual), "-o", str(out),
                               "--audience", audience, "--today", "2026-11-27"],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        built[audience] = out
    diagrams = base / "diagrams"  # standalone SVG, as `qms diagram` writes it for other sites
    done = subprocess.run([str(Path(sys.executable).parent / "qms"), "diagram", str(manual), "--all", "-o",
                           str(diagrams)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    built["diagrams"] = diagrams
    return built


def _visit_every_page(browser: Any, site: Path) -> dict[str, Any]:
    """Open every HTML page of the site and search it; what ran or could run, per page."""
    problems: dict[str, Any] = {}
    with local_server(functools.partial(_Quiet, directory=str(site))) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        pages = sorted(p.relative_to(site).as_posix() for p in [*site.rglob("*.html"), *site.rglob("*.svg")]
                       if not p.is_relative_to(site / "assets"))
        for path in pages:
            page.goto(f"{url}/{path}", wait_until="load")
            page.wait_for_timeout(150)
            page.mouse.move(300, 300)
            page.mouse.move(900, 700)
            result = page.evaluate(_DANGERS)
            if result["pwned"] or result["found"] or dialogs:
                problems[path] = {**result, "dialogs": list(dialogs)}
            dialogs.clear()
        if not (site / "search").is_dir():
            context.close()
            return problems
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        # The search renders titles and text from the search index into the page.
        page.goto(f"{url}/index.html", wait_until="load")
        for query in ("script", "onerror", "title"):
            page.locator("label.md-search__icon, .md-search__input").first.click()
            box = page.locator("input.md-search__input")
            box.fill("")
            box.press_sequentially(query, delay=20)  # typed, as a person would: the search reacts to keys
            try:  # results render once the worker has loaded the index; every query matches some payload
                page.wait_for_selector(".md-search-result__item", timeout=10_000)
            except PlaywrightTimeout:
                problems[f"search: {query}: no results, so the index was not exercised"] = {}
            page.wait_for_timeout(300)
            result = page.evaluate(_DANGERS)
            if result["pwned"] or result["found"] or dialogs:
                problems[f"search: {query}"] = {**result, "dialogs": list(dialogs)}
            page.keyboard.press("Escape")
        context.close()
    return problems


@pytest.mark.parametrize("audience", ["internal", "external", "diagrams"])
def test_no_payload_runs_on_any_page(browser: Any, sites: dict[str, Path], audience: str) -> None:
    site = sites[audience]
    pages = {p.relative_to(site).as_posix() for p in [*site.rglob("*.html"), *site.rglob("*.svg")]}
    if audience == "diagrams":
        assert len(pages) >= 4
    elif audience == "internal":  # the payloads reached every kind of page
        for kind in ("documents", "processes", "forms", "records", "registers", "obsolete", "asof", *EVIDENCE):
            assert any(p.startswith(kind + "/") for p in pages), kind
        assert any(p.startswith("registers/reviews/mr-2026-0001") for p in pages)  # a review's own page
        assert len([p for p in pages if p.startswith("asof/")]) == 3  # the effective-on page and two releases
    else:
        assert any(p.startswith("documents/") and p != "documents/index.html" for p in pages)
    assert _visit_every_page(browser, site) == {}


# the pages that read records by their form's purpose: the hostile manual has a record of each purpose they read
EVIDENCE = ("registers/audits", "registers/reviews", "registers/internal-complaints", "registers/customer-feedback")


@pytest.mark.parametrize("folder", EVIDENCE)
def test_evidence_pages_list_hostile_records_as_text(sites: dict[str, Path], folder: str) -> None:
    """Each page lists the hostile manual's record (so the payloads were on it), as text."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (sites["internal"] / folder).rglob("*.html"))
    assert "-2026-0001" in text  # the record is listed
    assert "dataset.pwned=" in text and "&lt;" in text


def test_the_customer_ledger_shows_hostile_values_as_text(sites: dict[str, Path]) -> None:
    """The hostile sale, acquisition and public feedback reach the dashboards' charts and the review pack's
    ledger (so the payloads were there), as text; the browser walk above checks that none of them ran."""
    charts = (sites["internal"] / "dashboards" / "index.html").read_text(encoding="utf-8")
    assert "Trade fair&lt;svg&gt;&lt;script&gt;" in charts  # the hostile source, charted as text
    pages = (sites["internal"] / "registers" / "reviews").rglob("*.html")
    reviews = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert "<td>Machining" in reviews  # the hostile line, in a table cell of the pack's ledger


def test_payloads_show_as_text(browser: Any, sites: dict[str, Path]) -> None:
    """The test is not vacuous: the payloads are on the pages, as text people can read."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sites["internal"].rglob("*.html"))
    assert "&lt;script&gt;top.document.documentElement.dataset.pwned=1&lt;/script&gt;" in text
    assert "onerror=" in text
    # the release tags' hostile names and messages are on their pages, as text
    releases = "\n".join(p.read_text(encoding="utf-8") for p in (sites["internal"] / "asof").rglob("*.html"))
    assert "r1&lt;svg/onload=top.document.documentElement.dataset.pwned=41&gt;" in releases
    assert "accepted by Mallory" in releases
