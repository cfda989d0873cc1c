"""Ids of one kind that differ only in case or in characters the site drops (`service-desk` and `Service-Desk`,
`PRO-002` and `PRO-002-`): `qms validate` reports them (QMS-REF-005), and `qms build` still publishes every one of
them on its own page, with links, registers and navigation pointing to the right one (decision 0036)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from qmskit import urls
from qmskit.diagram import views
from qmskit.loading.load import load_manual
from qmskit.site.generate import SiteInput, build_pages
from qmskit.vcs.history import History
from tests.conftest import Result, commit_all

Qms = Callable[..., Result]
TODAY = "2026-11-27"


def _copy(source: Path, target: Path, *replacements: tuple[str, str]) -> None:
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@pytest.fixture
def clashing(itservices: Path) -> Path:
    """The IT-services manual with a second process, document and form whose ids differ from existing ones only in
    case or in a trailing dash, the form with a record of its own."""
    m = itservices
    _copy(m / "processes" / "service-desk.yaml", m / "processes" / "service-desk-two.yaml",
          ("id: service-desk\n", "id: Service-Desk\n"), ("name: Service desk\n", "name: Second desk\n"))
    _copy(m / "documents" / "PRO-002-operations.md", m / "documents" / "PRO-002-operations-two.md",
          ("id: PRO-002\n", "id: PRO-002-\n"), ("title: Service delivery\n", "title: Second delivery\n"))
    _copy(m / "forms" / "vendor-rating.yaml", m / "forms" / "vendor-rating-two.yaml",
          ("id: vendor-rating\n", "id: Vendor-Rating\n"), ("title: Vendor rating\n", "title: Second rating\n"),
          ("record_prefix: VR\n", "record_prefix: VRX\n"))
    _copy(m / "records" / "vendor-rating" / "VR-2026-0001.yaml", m / "records" / "Vendor-Rating" / "VRX-2026-0001.yaml",
          ("id: VR-2026-0001\n", "id: VRX-2026-0001\n"), ("form: vendor-rating\n", "form: Vendor-Rating\n"))
    commit_all(m, "Ids that make the same pages")
    return m


def test_page_names_are_distinct_and_depend_on_the_ids_alone() -> None:
    ids = ["service-desk", "Service-Desk", "SERVICE-DESK", "service-desk-2", "index", "PRO-002-", "PRO-002"]
    names = urls.distinct_names(ids)
    assert names == {"PRO-002": "pro-002", "PRO-002-": "pro-002-2", "SERVICE-DESK": "service-desk",
                     "Service-Desk": "service-desk-3", "service-desk": "service-desk-4",
                     "service-desk-2": "service-desk-2",  # an id's own slug is never given to another
                     "index": "index-2"}  # never the folder's register page
    assert urls.distinct_names(reversed(ids)) == names  # file order does not move pages
    assert urls.distinct_names(["a", "b"]) == {"a": "a", "b": "b"}  # ids that do not clash keep their slugs


def test_validate_reports_ids_that_make_the_same_page(clashing: Path, qms: Qms) -> None:
    result = qms("validate", clashing, "--today", TODAY, "--format", "json")
    assert result.code == 1
    found = {(d["path"], d["line"], d["column"], d["severity"], d["message"])
             for d in result.json()["diagnostics"] if d["rule"] == "QMS-REF-005"}
    # the later one in the manual's order, naming the first and where it is
    assert found == {
        ("processes/service-desk.yaml", 2, 5, "error",
         "process id 'service-desk' differs only in case from 'Service-Desk' in processes/service-desk-two.yaml:2"),
        ("documents/PRO-002-operations.md", 2, 5, "error",
         "document id 'PRO-002' gets the same site page 'pro-002' as 'PRO-002-' in "
         "documents/PRO-002-operations-two.md:2"),
        ("forms/vendor-rating.yaml", 2, 5, "error",
         "form id 'vendor-rating' differs only in case from 'Vendor-Rating' in forms/vendor-rating-two.yaml:2"),
    }
    text = qms("validate", clashing, "--today", TODAY, "--select", "QMS-REF-005")
    assert text.code == 1
    assert re.search(r"processes/service-desk\.yaml\n\s+2:5\s+error\s+process id 'service-desk' differs only in "
                     r"case from 'Service-Desk' in processes/service-desk-two\.yaml:2 \[QMS-REF-005\]", text.out)
    assert "hint: Rename one of the two" in text.out
    assert "3 errors" in text.out


def test_the_finnish_finding_names_both(clashing: Path, qms: Qms) -> None:
    result = qms("validate", clashing, "--today", TODAY, "--select", "QMS-REF-005", "--lang", "fi")
    assert ("tunnus 'service-desk' (prosessi) eroaa vain kirjainkooltaan tunnuksesta 'Service-Desk' kohdassa "
            "processes/service-desk-two.yaml:2") in " ".join(result.out.split())


def test_ids_that_differ_in_more_than_case_are_not_reported(itservices: Path, qms: Qms) -> None:
    result = qms("validate", itservices, "--today", TODAY, "--select", "QMS-REF", "--format", "json")
    assert [d for d in result.json()["diagnostics"] if d["rule"] == "QMS-REF-005"] == []


class _Links(HTMLParser):
    """Every link's text (stripped) and href on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


def _links_to(site: Path, page: str, text: str) -> set[str]:
    """The pages (from the site root) that links with this text on `page` lead to."""
    parser = _Links()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    base = f"http://site/{page}/" if page else "http://site/"
    return {urlsplit(urljoin(base, href)).path.strip("/") for label, href in parser.links if label == text}


def _title(site: Path, page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", (site / page / "index.html").read_text(encoding="utf-8"), re.S)
    assert found, page
    heading = re.sub(r'<a class="headerlink".*?</a>', "", found.group(1), flags=re.S)  # the permalink's ¶
    return html.unescape(re.sub(r"<[^>]+>", "", heading)).strip()


def test_build_publishes_every_clashing_item_on_its_own_page(clashing: Path, qms: Qms, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = qms("build", clashing, "-o", site, "--today", TODAY)
    assert result.code == 0, result.err
    # Code point order: 'PRO-002' < 'PRO-002-', 'Service-Desk' < 'service-desk', 'Vendor-Rating' < 'vendor-rating'
    assert "Service delivery" in _title(site, "documents/pro-002")
    assert "Second delivery" in _title(site, "documents/pro-002-2")
    assert _title(site, "processes/service-desk") == "Second desk"
    assert _title(site, "processes/service-desk-2") == "Service desk"
    assert _title(site, "forms/vendor-rating") == "Second rating"
    assert _title(site, "forms/vendor-rating-2") == "Vendor rating"
    # registers, navigation (on every page) and the records' links lead to the right page
    assert _links_to(site, "documents", "PRO-002") == {"documents/pro-002"}
    assert _links_to(site, "documents", "PRO-002-") == {"documents/pro-002-2"}
    assert _links_to(site, "processes", "Service desk") == {"processes/service-desk-2"}
    assert _links_to(site, "processes", "Second desk") == {"processes/service-desk"}
    assert _links_to(site, "forms", "Vendor rating") == {"forms/vendor-rating-2"}
    assert _links_to(site, "forms", "Second rating") == {"forms/vendor-rating"}
    assert _links_to(site, "records", "VR-2026-0001") == {"records/vendor-rating-2/2026"}
    assert _links_to(site, "records", "VRX-2026-0001") == {"records/vendor-rating/2026"}
    assert "VR-2026-0001" in (site / "records" / "vendor-rating-2" / "2026" / "index.html").read_text()
    assert "VRX-2026-0001" not in (site / "records" / "vendor-rating-2" / "2026" / "index.html").read_text()
    # a process that uses the procedure links to it, and the map's nodes lead to both desks
    assert _links_to(site, "processes/service-delivery", "PRO-002 Service delivery") == {"documents/pro-002"}
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="processes/service-desk/"' in home and 'href="processes/service-desk-2/"' in home


def test_an_id_named_like_a_register_does_not_replace_it(itservices: Path) -> None:
    """`processes/index.md` is the process register: a process called `index` gets a page of its own."""
    _copy(itservices / "processes" / "service-desk.yaml", itservices / "processes" / "index.yaml",
          ("id: service-desk\n", "id: index\n"), ("name: Service desk\n", "name: Index desk\n"))
    loaded = load_manual(itservices)
    pages, _ = build_pages(SiteInput(loaded.manual, History(available=False), date(2026, 11, 27)))
    paths = [page.path for page in pages]
    assert len(paths) == len(set(paths))  # no page is written twice
    by_path = {page.path: page.content for page in pages}
    assert "Index desk" in by_path["processes/index-2.md"]
    assert "[Index desk](index-2.md)" in by_path["processes/index.md"]  # the register, linking to it


def test_qms_diagram_all_draws_each_clashing_process_into_its_own_file(clashing: Path) -> None:
    manual = load_manual(clashing).manual
    drawn = views.all_views(manual, views.Links.site(manual, "https://qms.example/"))
    assert "Second desk" in drawn["process-service-desk"].source
    assert "Service desk" in drawn["process-service-desk-2"].source
    # the card of the delivery process links to the desk that feeds it, by the page the site gives it
    assert 'URL="https://qms.example/processes/service-desk-2/"' in drawn["process-service-delivery.build"].source
