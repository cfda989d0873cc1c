"""Forge-native intake: forms exported as GitHub issue forms and GitLab issue templates, and submitted issues
imported as records (forge APIs answered from recorded JSON by a local HTTP server).

On a manual that is not the example: a food producer with its own hygiene form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from qmskit.loading.yamlsource import parse_yaml
from tests.conftest import Result, commit_all, git, local_server
from tests.test_fill import HYGIENE_FORM

Qms = Callable[..., Result]
DATA = Path(__file__).parent / "data"


class _Forges(BaseHTTPRequestHandler):
    """GitHub's and GitLab's issue list endpoints, as recorded; remembers what it was asked."""

    asked: ClassVar[list[tuple[str, dict[str, list[str]], dict[str, str]]]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.asked.append((url.path, query, {k.lower(): v for k, v in self.headers.items()}))
        if url.path == "/repos/elintarvike/laatu/issues":
            page = query.get("page", ["1"])[0]
            body = (DATA / "github" / f"issues-{page}.json").read_bytes()
            link = (f'<http://{self.headers["Host"]}/repos/elintarvike/laatu/issues?page=2&labels=qms%3Ahygiene-check>;'
                    ' rel="next"') if page == "1" else ""
        elif url.path == "/projects/elintarvike%2Flaatu/issues" or self.path.startswith(
                "/projects/elintarvike%2Flaatu/issues"):
            body, link = (DATA / "gitlab" / "issues.json").read_bytes(), ""
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if link:
            self.send_header("Link", link)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def forge() -> Iterator[str]:
    _Forges.asked.clear()
    with local_server(_Forges) as url:
        yield url


@pytest.fixture
def manual(tmp_path: Path, qms: Qms) -> Path:
    root = tmp_path / "elintarvike"
    assert qms("init", root, "--no-git").code == 0  # the logins below are policy: part of the first commit
    (root / "forms" / "hygiene-check.yaml").write_text(HYGIENE_FORM)
    parties = root / "organisation" / "parties.yaml"
    parties.write_text(parties.read_text() + "  - {id: leipomo-laine, name: Leipomo Laine Oy, kind: customer}\n")
    people = root / "organisation" / "people.yaml"
    people.write_text(people.read_text().replace("  - id: first-person\n", "  - id: first-person\n"
                                                                            "    github: MVirtanen\n"))
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "Hygiene form")
    return root


def records(root: Path) -> list[dict[str, Any]]:
    folder = root / "records" / "hygiene-check"
    return [parse_yaml(p.read_text(), p.name).data for p in sorted(folder.glob("*.yaml"))] if folder.is_dir() else []


def test_a_github_issue_form_has_one_element_per_field_that_github_accepts(manual: Path, qms: Qms) -> None:
    result = qms("form", "export", "hygiene-check", manual, "--to", "github-issue-form")
    assert result.code == 0
    issue_form = parse_yaml(result.out, "form.yml").data
    assert issue_form["labels"] == ["qms:hygiene-check"] and issue_form["name"] == "Hygiene round"
    fields = [e for e in issue_form["body"] if e["type"] != "markdown"]
    # GitHub requires unique ids of letters, digits, - and _, and unique labels
    assert [e["id"] for e in fields] == ["line", "checked-on", "temperature", "batch", "customer", "deviation",
                                         "what", "areas"]
    assert len({e["attributes"]["label"] for e in fields}) == len(fields)
    by_id = {e["id"]: e for e in fields}
    assert by_id["line"]["type"] == "dropdown"
    assert by_id["line"]["attributes"]["options"] == ["Bakery", "Dairy", "Ready <meals>"]
    # a customer field offers the parties that are customers, not the suppliers
    assert by_id["customer"]["attributes"]["options"] == ["Customers (customer)", "Leipomo Laine Oy (leipomo-laine)"]
    assert by_id["areas"]["attributes"]["multiple"] is True
    assert by_id["batch"]["validations"] == {"required": True}
    assert "validations" not in by_id["what"]  # required only when a deviation was found: checked on import


def test_github_issues_become_records_once_linked_to_their_issue(manual: Path, qms: Qms, forge: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_recorded")
    args = ("records", "import", "github-issues", "hygiene-check", manual, "--repo", "elintarvike/laatu",
            "--api", forge, "--by", "first-person")
    result = qms(*args)
    # issue 7 answers with a Finnish date and a batch that is not B-NNNN: everything waits until it is fixed
    assert result.code == 1
    assert "issue #7, column 'Checked on': '30.11.2026' is not a date" in result.out
    assert "issue #7, column 'Batch number'" in result.out
    assert records(manual) == []
    result = qms(*args, "--skip-invalid", "--commit")
    assert result.code == 1
    assert "2 new, 0 imported before, 1 invalid" in result.out
    first, second = records(manual)
    assert first["values"] == {"line": "Dairy", "checked-on": "2026-11-30", "temperature": 4.5, "batch": "B-0107",
                               "customer": "leipomo-laine", "deviation": False, "areas": ["floor", "drains"]}
    assert first["source"] == {"kind": "github-issue", "name": "elintarvike/laatu", "id": "3",
                               "url": "https://github.com/elintarvike/laatu/issues/3", "author": "mvirtanen"}
    assert first["created_by"] == "first-person"  # mvirtanen is first-person's login (case does not matter)
    assert first["created_at"].startswith("2026-11-30T")  # when the issue was submitted, not when imported
    assert second["values"]["what"] == "Condensation on the ceiling; wiped and reported."
    assert second["source"]["author"] == "kaisa-k"
    assert git(manual, "log", "-1", "--format=%s").startswith("Import 2 Hygiene round records from GitHub issues")
    assert qms("validate", manual).code == 0
    # the pull request on page 1 was not taken for an issue; both pages were read with the token and the label
    paths = [(path, query.get("labels"), headers.get("authorization")) for path, query, headers in _Forges.asked]
    assert {p for p, _, _ in paths} == {"/repos/elintarvike/laatu/issues"}
    assert all(label == ["qms:hygiene-check"] and sent == "Bearer ghp_recorded" for _, label, sent in paths)
    again = qms(*args, "--skip-invalid")
    assert "0 new, 2 imported before, 1 invalid" in again.out
    assert len(records(manual)) == 2


def test_gitlab_issues_from_the_exported_template_become_records(manual: Path, qms: Qms, forge: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", "glpat-recorded")
    template = qms("form", "export", "hygiene-check", manual, "--to", "gitlab-issue-template").out
    assert "### Cold room temperature (°C)" in template and template.rstrip().endswith('/label ~"qms:hygiene-check"')
    result = qms("records", "import", "gitlab-issues", "hygiene-check", manual, "--project", "elintarvike/laatu",
                 "--api", forge, "--by", "first-person")
    assert result.code == 0, result.out + result.err
    (record,) = records(manual)
    assert record["values"] == {"line": "Ready <meals>", "checked-on": "2026-11-29", "temperature": 2,
                                "batch": "B-0099", "deviation": False, "areas": ["surfaces"]}
    assert record["source"]["url"] == "https://gitlab.example.com/elintarvike/laatu/-/issues/12"
    _, query, headers = _Forges.asked[0]
    assert headers.get("private-token") == "glpat-recorded"
    assert query["labels"] == ["qms:hygiene-check"] and query["scope"] == ["all"]


def test_a_forge_that_refuses_gives_a_hint_not_a_traceback(manual: Path, qms: Qms, forge: str) -> None:
    result = qms("records", "import", "github-issues", "hygiene-check", manual, "--repo", "elintarvike/other",
                 "--api", forge, "--by", "first-person")
    assert result.code == 2
    assert "GitHub answered 404" in result.err and "GITHUB_TOKEN" in result.err
    result = qms("records", "import", "github-issues", "hygiene-check", manual, "--repo", "not-a-repo",
                 "--api", forge)
    assert result.code == 2 and "is not OWNER/NAME" in result.err


def test_a_token_is_never_sent_over_plain_http_to_another_host(manual: Path, qms: Qms,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    result = qms("records", "import", "github-issues", "hygiene-check", manual, "--repo", "a/b",
                 "--api", "http://example.com")
    assert result.code == 2 and "refusing to send a token" in result.err
