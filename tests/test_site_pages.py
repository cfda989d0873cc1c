"""Where things lead and where they are filed on the built site: links in a document's text to other files of the
manual lead to their pages (an external site never links to what it does not publish), and records sit under the
year of the event they record."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from qmskit.loading.load import load_manual
from qmskit.site.bodylinks import body_links, relative_url
from qmskit.site.generate import SiteInput, build_pages
from qmskit.vcs.history import History
from tests.conftest import ITSERVICES, Result, commit_all, git

Qms = Callable[..., Result]


def test_a_link_is_resolved_from_the_documents_own_folder() -> None:
    targets = {"documents/PRO-002-operations.md": "documents/pro-002.md", "processes/desk.yaml":
               "processes/desk.md", "documents/internal.md": None}
    link = body_links("documents/QM-001-quality-manual.md", "documents/qm-001.md", targets)
    assert link("PRO-002-operations.md#scope") == "../pro-002/#scope"
    assert link("./PRO-002-operations.md") == "../pro-002/"
    assert link("../processes/desk.yaml") == "../../processes/desk/"
    assert link("internal.md") is None  # not on this site: the link goes, the text stays
    for kept in ("https://example.com/a.md", "#scope", "mailto:q@example.com", "missing.md", "/abs/x.md"):
        assert link(kept) == kept
    assert relative_url("index.md", "documents/qm-001.md") == "../../"
    assert relative_url("documents/index.md", "obsolete/x.md") == "../../documents/"


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """The IT-services manual whose quality manual links to a procedure, a process and itself."""
    manual = tmp_path / "itservices"
    shutil.copytree(ITSERVICES, manual)
    qm = manual / "documents" / "QM-001-quality-manual.md"
    qm.write_text(qm.read_text() + "\nSee [the operations procedure](PRO-002-operations.md#purpose), "
                  "[the service desk](../processes/service-desk.yaml) and [the policy](./POL-001-quality-policy.md)."
                  "\n")
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "IT-services manual")
    return manual


class _Anchors(HTMLParser):
    """Each link text of the body -> its href ("" for an anchor without one)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, str] = {}
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.href is not None and data.startswith("the "):
            self.links[data] = self.href


def _links(page: Path) -> dict[str, str]:
    parser = _Anchors()
    parser.feed(page.read_text())
    return parser.links


def _exists(site: Path, page_url: str, href: str) -> bool:
    path = urlsplit(urljoin(page_url, href)).path.lstrip("/")
    return (site / path / "index.html").is_file()


def test_links_between_documents_work_on_the_built_site(linked: Path, qms: Qms, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert qms("build", linked, "-o", out).code == 0
    links = _links(out / "documents" / "qm-001" / "index.html")
    assert links["the operations procedure"] == "../pro-002/#purpose"
    assert links["the service desk"] == "../../processes/service-desk/"
    assert links["the policy"] == "../pol-001/"
    for href in links.values():
        assert _exists(out, "http://site/documents/qm-001/", href), href


def test_an_external_site_drops_links_to_what_it_does_not_publish(linked: Path, qms: Qms, tmp_path: Path) -> None:
    out = tmp_path / "external"
    assert qms("build", linked, "-o", out, "--audience", "external").code == 0
    links = _links(out / "documents" / "qm-001" / "index.html")
    assert links["the operations procedure"] == "" and links["the service desk"] == ""  # text kept, link gone
    assert links["the policy"] == "../pol-001/"  # the policy is external: its link stays
    assert "PRO-002-operations.md" not in (out / "documents" / "qm-001" / "index.html").read_text()


def test_a_paper_record_entered_later_is_filed_under_the_year_it_happened(tmp_path: Path, qms: Qms) -> None:
    """Records pages go by the year of the recorded event (the form's declared date), not the year of entry."""
    manual = tmp_path / "itservices"
    shutil.copytree(ITSERVICES, manual)
    record = manual / "records" / "survey-response" / "SR-2026-0001.yaml"
    record.write_text(record.read_text().replace("answered-on: '2026-02-10'", "answered-on: '2025-11-20'"))
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "IT-services manual")
    out = tmp_path / "site"
    assert qms("build", manual, "-o", out).code == 0
    assert "SR-2026-0001" in (out / "records" / "survey-response" / "2025" / "index.html").read_text()
    assert "SR-2026-0001" not in (out / "records" / "survey-response" / "2026" / "index.html").read_text()
    assert "SR-2026-0002" in (out / "records" / "survey-response" / "2026" / "index.html").read_text()


def test_the_home_page_finds_the_quality_policy_by_its_clause_not_its_type(tmp_path: Path) -> None:
    """A company may call its document types anything: the quality policy is the document that sets clause 5.2."""
    manual = tmp_path / "itservices"
    shutil.copytree(ITSERVICES, manual)
    config = manual / "qms.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  policy: {prefix: POL", "  linjaus: {prefix: POL"),
                      encoding="utf-8")
    policy = manual / "documents" / "POL-001-quality-policy.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace("type: policy", "type: linjaus"), encoding="utf-8")
    loaded = load_manual(manual)
    assert {d.type for d in loaded.manual.documents if d.id == "POL-001"} == {"linjaus"}
    pages, _ = build_pages(SiteInput(loaded.manual, History(available=False), date(2026, 11, 27)))
    home = next(page.content for page in pages if page.path == "index.md")
    assert "Quality policy" in home and "documents/pol-001.md" in home
