"""The published manual, built with mkdocs-material and browsed with Chromium through Playwright."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, Result, commit_all, git, site_server

Qms = Callable[..., Result]
HOSTILE = "</title><script>alert(1)</script> & *Co* <img src=x onerror=alert(2)>"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The example manual (with one hostile title) built for both audiences."""
    base = tmp_path_factory.mktemp("site")
    manual = base / "manual"
    shutil.copytree(EXAMPLE, manual)
    qm = manual / "documents/manual/QM-002-scope.md"
    qm.write_text(qm.read_text().replace("title: Scope of the quality management system", f'title: "{HOSTILE}"'))
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "Example")
    # a release, as `qms release` tags it: the site has a register per release
    git(manual, "tag", "-a", "manual-2026-11", "-m", "Release manual-2026-11 of the quality manual of Pohjolan "
        "Tarkkuustyö Oy\n\nPRO-006 rev 1")
    sites = {}
    for audience in ("internal", "external"):
        out = base / audience
        done = subprocess.run([str(Path(sys.executable).parent / "qms"), "build", str(manual), "-o", str(out),
                               "--audience", audience], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        sites[audience] = out
    yield sites


@pytest.fixture(scope="module")
def server(built: dict[str, Path]) -> Iterator[str]:
    with site_server(built["internal"]) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("QMS_SCREENSHOTS")  # `bash dev.sh screenshots` refreshes docs/screenshots/
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def test_home_page_loads_with_map_and_dashboard(page: Any, server: str) -> None:
    page.goto(server + "/")
    assert "Pohjolan Tarkkuustyö Oy" in page.title()
    assert page.locator(".qms-tile").count() == 11
    assert page.locator(".qms-diagram svg").count() == 2
    _shot(page, "home")


def _tile(page: Any, label: str) -> tuple[int, Any]:
    tile = page.locator(".qms-tile", has_text=label)
    return int(tile.locator(".qms-value").inner_text()), tile


# The rows of the list a tile leads to: the first table after the element the link's anchor names (up to the next
# heading of its level), else the page's first table; 0 when that section has none.
_LISTED = """() => {
  const content = document.querySelector('.md-content');
  const anchor = decodeURIComponent(location.hash.slice(1));
  let table = null;
  if (anchor) {
    const start = document.getElementById(anchor);
    for (let e = start.nextElementSibling; e && !(/^H[12]$/.test(e.tagName)); e = e.nextElementSibling) {
      table = e.tagName === 'TABLE' ? e : e.querySelector('table');
      if (table) break;
    }
  } else {
    table = content.querySelector('table');
  }
  return table ? table.querySelectorAll('tbody tr').length : 0;
}"""


def test_every_home_tile_links_to_the_list_it_counts(page: Any, server: str) -> None:
    page.goto(server + "/")
    tiles = page.locator(".qms-tile")
    found = [(tiles.nth(i).locator(".qms-label").inner_text(), int(tiles.nth(i).locator(".qms-value").inner_text()))
             for i in range(tiles.count())]
    assert len(found) == 11
    for label, count in found:  # click each: the list it leads to has as many rows as the tile says
        page.goto(server + "/")
        page.locator(".qms-tile", has_text=label).first.click()
        page.wait_for_load_state()
        assert page.evaluate(_LISTED) == count, (label, page.url)


def test_auditor_finds_open_actions_in_one_click_and_the_count_agrees(page: Any, server: str) -> None:
    page.goto(server + "/")
    count, tile = _tile(page, "Open actions")
    tile.click()
    page.wait_for_url("**/registers/actions/")
    rows = page.locator(".md-content table tbody tr")
    assert rows.count() == count > 0
    # every open action shows its age; overdue ones say so
    assert "overdue" in page.locator(".md-content table").inner_text()


def test_auditor_finds_an_expired_qualification_in_one_click(page: Any, server: str) -> None:
    page.goto(server + "/")
    count, tile = _tile(page, "Qualifications expired")
    tile.click()
    page.wait_for_url("**/competence/#expired")
    # the table right after the heading (mkdocs-material wraps tables in a scrolling div)
    table = page.locator("xpath=//h2[@id='expired']/following-sibling::*[1]").locator("table")
    assert table.locator("tbody tr").count() == count
    jari = table.locator("tbody tr", has_text="Jari Koskinen").filter(has_text="Internal auditing")
    assert jari.count() == 1 and "2026-04-20" in jari.inner_text()
    # the rest of 7.2 is on the same page: expiring within the window, gaps, training and its effectiveness
    for section in ("#expiring", "#gaps", "#training", "#unread", "#matrix"):
        assert page.locator(section).count() == 1, section


def test_findings_of_the_last_internal_audit_and_their_actions(page: Any, server: str) -> None:
    page.goto(server + "/")
    count, tile = _tile(page, "Internal audits")
    tile.click()
    page.wait_for_url("**/registers/audits/#audits")
    audits = page.locator("xpath=//h2[@id='audits']/following-sibling::*[.//table][1]").locator("tbody tr")
    assert audits.count() == count == 12
    last = audits.first.inner_text()  # the latest first, its findings in full
    assert "IA-2026-0008" in last and "2026-10-14" in last
    assert "Packing checklist in use since the corrosion complaint." in last
    # the latest audit with a nonconformity names the action it raised, with its status, one click away
    with_finding = audits.filter(has_text="IA-2026-0007")
    assert "One corrective action closed without checking its effectiveness." in with_finding.inner_text()
    assert "NC-2026-0011 (reported)" in with_finding.inner_text()
    _shot(page, "audits")
    with_finding.locator("a", has_text="NC-2026-0011").click()
    page.wait_for_url("**/records/nonconformity/2026/#nc-2026-0011")
    # planned against done per process and per clause on the same page
    page.go_back()
    assert page.locator("#programme").count() == 1 and page.locator("#clauses").count() == 1


def test_the_latest_management_reviews_inputs(page: Any, server: str) -> None:
    page.goto(server + "/")
    count, tile = _tile(page, "Management reviews")
    tile.click()
    page.wait_for_url("**/registers/reviews/")
    rows = page.locator(".md-content table tbody tr")
    assert rows.count() == count == 1
    rows.first.locator("a", has_text="2026-06-12").click()  # the latest is listed first
    page.wait_for_url("**/registers/reviews/mr-2026-0001/")
    content = page.locator(".md-content").inner_text()
    # the inputs ISO 9001 9.3.2 lists, for the period the review covered
    assert "Period covered: 2025-06-13 \u2013 2026-06-12" in content
    for heading in ("a) Status of actions from previous reviews", "b) Changes in external and internal issues",
                    "c) Performance and effectiveness", "d) Adequacy of resources",
                    "e) Effectiveness of actions on risks and opportunities", "f) Opportunities for improvement"):
        assert page.locator("h3", has_text=heading).count() == 1, heading
    assert "IA-2026-0003 production: effective-with-findings" in content  # an audit of the period
    assert "IA-2026-0007" not in content  # audited after the review
    # beside them, what the review decided (9.3.3), from its own record
    outputs = page.locator("xpath=//h2[@id='outputs']/following-sibling::*[.//table][1]")
    assert "Hire a machinist by September" in outputs.inner_text()
    _shot(page, "review")


def test_internal_complaints_received_by_a_process(page: Any, server: str) -> None:
    import yaml

    folder = EXAMPLE / "records" / "internal-complaint"
    records = [yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yaml"))]
    about_purchasing = sorted(r["id"] for r in records if r["values"]["supplying-process"] == "purchasing")
    assert about_purchasing
    page.goto(server + "/")
    count, tile = _tile(page, "Internal complaints")
    assert count == len(records)
    tile.click()
    page.wait_for_url("**/registers/internal-complaints/#complaints")
    section = page.locator("#process-purchasing")
    assert section.inner_text().startswith("Purchasing and supplier evaluation")
    received = page.locator("xpath=//h3[@id='process-purchasing']/following-sibling::*[.//table][1]")
    assert f"Complaints received about its outputs: {len(about_purchasing)}" in page.locator(
        "xpath=//h3[@id='process-purchasing']/following-sibling::p[1]").inner_text()
    ids = sorted(received.locator("tbody tr td:first-child").all_inner_texts())
    assert ids == about_purchasing
    # per pair of processes: who complained to whom, how often, late or faulty, still open
    pairs = page.locator("xpath=//h2[@id='pairs']/following-sibling::*[.//table][1]").locator("tbody tr")
    top = pairs.first.inner_text()
    assert "Production" in top and "Purchasing and supplier evaluation" in top
    _shot(page, "internal-complaints")


def test_customer_feedback_summary_is_two_clicks_from_home(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.click("nav.md-tabs >> text=Registers")
    page.click("nav.md-nav >> text=Customer feedback")
    page.wait_for_url("**/registers/customer-feedback/")
    content = page.locator(".md-content").inner_text()
    assert "Net Promoter Score" in content and "Average satisfaction" in content
    assert page.locator(".qms-diagram svg").count() == 1  # the NPS trend
    assert page.locator("#complaints").count() == 1 and page.locator("#ideas").count() == 1
    _shot(page, "customer-feedback")


def test_a_record_is_two_clicks_from_home_with_every_value_in_full(page: Any, server: str) -> None:
    page.goto(server + "/")
    _, tile = _tile(page, "Records")
    tile.click()
    page.wait_for_url("**/records/")
    page.fill(".qms-filter input", "NC-2026-0006")
    visible = page.locator(".md-content table tbody tr:visible")
    assert visible.count() == 1
    visible.locator("a", has_text="NC-2026-0006").click()
    page.wait_for_url("**/records/nonconformity/2026/#nc-2026-0006")
    section = page.locator("xpath=//h2[@id='nc-2026-0006']/following-sibling::*[1]")
    text = section.inner_text()
    # labels from its form, values in full (the register's summary cuts them), links to what it names
    assert "Crimp dies labelled by hose size; check in service report." in text
    assert "Responsible" in text and "Jari Koskinen" in text
    assert section.locator("a", has_text="Field service").count() == 1
    status = page.locator("xpath=//h2[@id='nc-2026-0006']/following-sibling::p[strong][1]")
    assert status.count() == 1


def test_a_register_sorts_by_keyboard(page: Any, server: str) -> None:
    page.goto(server + "/records/nonconformity/2026/")
    header = page.locator(".qms-sortable th", has_text="Created")
    header.locator("button").focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    first = page.locator(".qms-sortable tbody tr").first.inner_text()
    assert "NC-2026-0012" in first  # the newest first


def test_a_process_page_answers_how_the_process_is_doing(page: Any, server: str) -> None:
    page.goto(server + "/processes/production/")
    content = page.locator(".md-content").inner_text()
    # KPI value this year against its target, with status and the quarters before
    kpis = page.locator("xpath=//h2[@id='kpis']/following-sibling::*[1]").locator("table")
    row = kpis.locator("tbody tr", has_text="Orders finished on the planned date")
    assert ">= 95 %" in row.inner_text() and "missed" in row.inner_text()
    # open nonconformities about it (or its sub-processes), and its latest audit, each a link to the record
    open_records = page.locator("xpath=//h2[starts-with(@id, 'open-records')]/following-sibling::*[1]")
    assert open_records.locator("a", has_text="NC-2026-0010").count() == 1
    assert "Internal audit report" in content and "IA-2026-0003" in content
    assert "Breakdown of the only 5-axis machining centre" in content  # its risks


def test_navigation_reaches_a_process_whose_diagram_links_work(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.click("nav.md-tabs >> text=Processes")
    page.wait_for_url("**/processes/")
    # the navigation groups processes by category, sub-processes beneath their parent
    assert page.locator("nav.md-nav >> text=Core processes").count() >= 1
    page.click("nav.md-nav >> text=Production >> nth=0")
    page.click("nav.md-nav >> text=Production planning")
    page.wait_for_url("**/processes/production.planning/")
    page.wait_for_selector(".qms-diagram svg")
    svg = page.locator(".qms-diagram svg")
    assert svg.count() == 1
    _shot(page, "process")
    links = svg.locator("a")
    assert links.count() >= 3
    href = "../../processes/production.machining/"
    target = svg.locator(f"xpath=.//*[local-name()='a'][@*[local-name()='href']='{href}']")
    assert target.count() == 1
    target.click()
    page.wait_for_url("**/processes/production.machining/")
    assert page.locator(".md-content h1").inner_text().startswith("Machining")


def test_search_finds_a_document_by_a_word_in_its_body(page: Any, server: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(server + "/")
    page.wait_for_load_state("networkidle")
    results: list[str] = []
    for _ in range(10):  # the search index loads in a web worker; type again until it answers
        page.fill(".md-search__input", "")
        page.locator(".md-search__input").press_sequentially("quarantine", delay=20)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=3000)
        except PlaywrightTimeout:
            continue  # the worker was not ready yet
        results = page.locator(".md-search-result__item").all_inner_texts()
        break
    assert any("PRO-007" in text for text in results), results


def test_document_page_shows_revision_and_approver(page: Any, server: str) -> None:
    page.goto(server + "/documents/pro-008/")
    header = page.locator("table.qms-header").inner_text()
    assert "Revision\t1" in header
    assert "Aino Lahtinen, Mikko Heinonen" in header
    assert page.locator("h2#revision-history").count() == 1
    _shot(page, "document")


def test_hostile_title_renders_as_text(page: Any, server: str) -> None:
    page.goto(server + "/documents/qm-002/")
    page.wait_for_timeout(500)
    assert page.locator("h1").first.inner_text().startswith(f"QM-002 {HOSTILE}")
    assert HOSTILE in page.locator("nav.md-nav").first.inner_text()  # the navigation shows it as text too
    page.goto(server + "/documents/")
    page.wait_for_timeout(500)
    assert page.dialogs == []
    assert page.locator("script:text('alert(1)')").count() == 0


def test_external_build_has_nothing_internal(built: dict[str, Path]) -> None:
    site = built["external"]
    text = "\n".join(p.read_text(errors="replace") for p in site.rglob("*.html"))
    text += (site / "search" / "search_index.json").read_text()
    internal_docs = ["PRO-008", "PLN-001", "WI-001", "Nonconformity and corrective action"]
    assert [word for word in internal_docs if word in text] == []
    assert not (site / "processes").exists() and not (site / "records").exists()
    assert "POL-001" in text and "QM-001" in text  # what is marked external is there


def test_the_customer_dashboard_tells_the_story_in_charts(page: Any, server: str) -> None:
    page.goto(server + "/dashboards/")
    titles = page.locator(".qms-diagram svg > title").all_text_contents()
    # invoices of 2026 add up to 738,500 (tests/test_customers.py computes it); two of three new customers came
    # by referral
    assert "Value per customer, 2026: total €738,500.00" in titles  # in the manual's currency (EUR by default)
    assert "New customers by source, 2026: 66.7 % won through referrals" in titles
    assert "Customers still ordering, quarters after being won (%)" in titles
    value = page.locator(".qms-diagram svg", has=page.locator("title", has_text="Value per customer"))
    assert value.locator("rect:has(title)").count() == 7  # the seven customers who bought in 2026, the lost one not
    # a chart writes numbers as the site's language does (1,000 in English)
    assert value.locator("rect > title").first.text_content() == "Hämeen Traktori Oy: 495,000"
    _shot(page, "customer-dashboard")


def test_finnish_labels_follow_qms_yaml(tmp_path: Path, qms: Qms) -> None:
    manual = tmp_path / "fi"
    shutil.copytree(EXAMPLE.parent / "templates" / "manual", manual)
    config = manual / "qms.yaml"
    config.write_text(config.read_text().replace("language: en", "language: fi"))
    result = qms("build", manual, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    home = (tmp_path / "out" / "index.html").read_text()
    assert 'lang="fi"' in home and "Tilanne" in home


def test_repository_mkdocs_yml_builds_the_example_through_the_plugin(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                           str(EXAMPLE.parent / "mkdocs.yml"), "-d", str(tmp_path / "site")], capture_output=True,
                          text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert "Pohjolan Tarkkuusty" in (tmp_path / "site" / "index.html").read_text()
    assert (tmp_path / "site" / "processes" / "production" / "index.html").exists()


def test_serve(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # run where a manual's author could have committed modules that mkdocs imports: none of them may run
    marker = tmp_path / "ran"
    for name in ("json.py", "yaml.py", "markdown.py", "mkdocs/__init__.py"):
        (tmp_path / "cwd" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "cwd" / name).write_text(f"open({str(marker)!r}, 'a').write(__name__)\n", encoding="utf-8")
    server = subprocess.Popen([str(Path(sys.executable).parent / "qms"), "serve", str(EXAMPLE), "-a",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              cwd=tmp_path / "cwd")
    try:
        deadline, body = time.monotonic() + 60, ""
        while time.monotonic() < deadline and not body:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.5)
        assert "Pohjolan Tarkkuusty" in body
        children = _children(server.pid)
        assert children, "qms serve runs mkdocs serve"
        folders = [Path(arg).parent for pid in children for arg in _cmdline(pid) if arg.endswith("mkdocs.yml")]
        assert folders and all(folder.is_dir() for folder in folders)
    finally:
        server.terminate()  # as a service manager stops it: the server and its folder go too
        server.wait(timeout=20)
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
    assert [folder for folder in folders if folder.exists()] == []
    assert not marker.exists()


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc: Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return []


AXE = Path(__file__).resolve().parent.parent / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# one page of each type an auditor opens
PAGE_TYPES = ["/", "/documents/", "/documents/pro-006/", "/processes/", "/processes/production.planning/",
              "/forms/nonconformity/", "/records/", "/records/nonconformity/2026/", "/registers/actions/",
              "/competence/", "/coverage/", "/dashboards/", "/registers/risks/", "/auditor/",
              "/registers/audits/", "/registers/reviews/", "/registers/reviews/mr-2026-0001/",
              "/registers/internal-complaints/", "/registers/customer-feedback/", "/asof/",
              "/asof/manual-2026-11/"]


def _axe(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail(f"axe-core is needed for the accessibility checks: bash dev.sh setup installs it ({AXE})")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
    }""")
    return list(result)


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_serious_accessibility_violation_in_qmskits_markup(page: Any, server: str, path: str) -> None:
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert_no_serious_violations(page, path)


def assert_no_serious_violations(page: Any, path: str) -> None:
    """axe-core in Chromium on the open page: nothing serious or critical, and no duplicate ids. Violations inside
    mkdocs-material's own chrome (header, navigation, search) are the theme's, not qmskit's markup."""
    theirs = (".md-header", ".md-nav", ".md-search", ".md-tabs", ".md-footer", ".md-sidebar", ".md-copyright")
    found = [v for v in _axe(page) if v["impact"] in ("serious", "critical") or v["id"].startswith("duplicate-id")]
    ours = [dict(v, nodes=[n for n in v["nodes"] if not n.startswith(theirs)]) for v in found]
    assert [v for v in ours if v["nodes"]] == [], path
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_table_header_on_every_page_names_its_column(built: dict[str, Path]) -> None:
    """A screen reader reads a column's header before each cell: an empty <th> says nothing (process pages had a
    header row of two empty cells)."""
    empty = re.compile(r"<th(?: [^>]*)?>\s*</th>")
    for audience, site in built.items():
        pages = sorted(site.rglob("*.html"))
        assert len(pages) > 5
        offenders = [str(p.relative_to(site)) for p in pages if empty.search(p.read_text(encoding="utf-8"))]
        assert offenders == [], (audience, offenders[:5])
