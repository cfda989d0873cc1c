"""Fillable forms on the published site, in Chromium: checked in the browser with the form's own schema, a record
file to download that `qms records add` numbers, and a "propose" link in the forge's exact format.

On a manual that is not the example: a food producer made with `qms init`, with its own hygiene form.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from qmskit.loading.yamlsource import parse_yaml
from tests.conftest import Result, commit_all, git, site_server

Qms = Callable[..., Result]
pytestmark = pytest.mark.browser

HYGIENE_FORM = """\
id: hygiene-check
title: Hygiene round
record_prefix: HY
fields:
  - {id: line, label: Production line, type: choice, options: [Bakery, Dairy, "Ready <meals>"], required: true}
  - {id: checked-on, label: Checked on, type: date, required: true}
  - {id: temperature, label: Cold room temperature (°C), type: number, min: -30, max: 8, required: true}
  - {id: batch, label: Batch number, type: text, pattern: "^B-[0-9]{4}$", help: "e.g. B-0042", required: true}
  - {id: customer, label: Customer the batch is for, type: reference, of: customer}
  - {id: deviation, label: Deviation found, type: boolean, required: true}
  - {id: what, label: What was found, type: longtext, required: true, when: {field: deviation, equals: true}}
  - {id: areas, label: Areas cleaned, type: multichoice, options: [floor, surfaces, drains]}
"""


@pytest.fixture(scope="module")
def food(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    base = tmp_path_factory.mktemp("fill")
    manual = base / "elintarvike"
    qms_bin = str(Path(sys.executable).parent / "qms")
    # the forge setting below is policy (qms.yaml): part of the first commit, not an unapproved later change
    subprocess.run([qms_bin, "init", str(manual), "--no-git"], check=True, capture_output=True)
    (manual / "forms" / "hygiene-check.yaml").write_text(HYGIENE_FORM)
    parties = manual / "organisation" / "parties.yaml"
    parties.write_text(parties.read_text() + "  - {id: leipomo-laine, name: Leipomo Laine Oy, kind: customer}\n")
    config = manual / "qms.yaml"
    config.write_text(config.read_text() + "forge: {kind: github, url: https://github.com/elintarvike/laatu, "
                                           "branch: main}\n")
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "Hygiene form")
    site = base / "site"
    done = subprocess.run([qms_bin, "build", str(manual), "-o", str(site)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    with site_server(site) as url:
        yield {"manual": manual, "url": url, "site": site, "downloads": base / "downloads"}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def fill_valid(page: Any) -> None:
    page.select_option("#qms-f-line", "Ready <meals>")
    page.fill("#qms-f-checked-on", "2026-11-30")
    page.fill("#qms-f-temperature", "3.5")
    page.fill("#qms-f-batch", "B-0042")
    page.select_option("#qms-f-customer", "leipomo-laine")
    page.select_option("#qms-f-deviation", "true")
    page.fill("#qms-f-what", 'Drain cover loose; "fixed" </textarea><b>x</b>')
    page.check("input[name=areas][value=drains]")
    page.select_option("#qms-f-created_by", "first-person")


def test_a_bad_value_is_refused_in_the_browser_with_the_forms_own_words(food: dict[str, Any], page: Any) -> None:
    page.goto(food["url"] + "/forms/hygiene-check/")
    fill_valid(page)
    page.fill("#qms-f-temperature", "12")  # above the form's max of 8
    page.fill("#qms-f-batch", "42")  # not the pattern: the field's help is shown, not the regex
    page.click("button[type=submit]")
    assert page.locator("#qms-e-temperature").inner_text() == "The largest allowed value is 8"
    assert page.locator("#qms-e-batch").inner_text() == "e.g. B-0042"
    assert page.locator("#qms-f-temperature").get_attribute("aria-invalid") == "true"
    assert page.locator("#qms-fill-result").is_hidden()
    # a conditional field is required only when its condition holds, and hidden otherwise
    page.select_option("#qms-f-deviation", "false")
    assert page.locator(".qms-field[data-field=what]").is_hidden()
    assert page.js_errors == []


def test_a_filled_form_downloads_a_record_that_qms_numbers_and_validates(
        food: dict[str, Any], page: Any, qms: Qms) -> None:
    manual: Path = food["manual"]
    page.goto(food["url"] + "/forms/hygiene-check/")
    fill_valid(page)
    page.click("button[type=submit]")
    assert page.locator("#qms-fill-result").is_visible()
    with page.expect_download() as info:
        page.click("#qms-fill-download")
    download = info.value
    assert download.suggested_filename.startswith("hygiene-check-NEW-")
    saved = food["downloads"] / download.suggested_filename
    download.save_as(saved)
    data = parse_yaml(saved.read_text(), saved.name).data
    assert data["id"].startswith("HY-") and "-NEW-" in data["id"]
    assert data["values"] == {"line": "Ready <meals>", "checked-on": "2026-11-30", "temperature": 3.5,
                              "batch": "B-0042", "customer": "leipomo-laine", "deviation": True,
                              "what": 'Drain cover loose; "fixed" </textarea><b>x</b>', "areas": ["drains"]}
    assert data["created_by"] == "first-person"
    # the person's hostile text is data: the preview shows it as text, no element was made from it
    assert page.locator("#qms-fill-preview b").count() == 0

    # a provisional id in the manual is a finding that says what to do
    proposed = manual / "records" / "hygiene-check" / f"{data['id']}.yaml"
    proposed.parent.mkdir(parents=True, exist_ok=True)
    proposed.write_text(saved.read_text())
    found = qms("validate", manual, "-f", "json").json()["diagnostics"]
    assert [(d["rule"], d["path"]) for d in found if d["severity"] == "error"] == [
        ("QMS-REC-007", f"records/hygiene-check/{data['id']}.yaml")]
    proposed.unlink()

    result = qms("records", "add", saved, "-C", manual, "--commit")
    assert result.code == 0, result.out + result.err
    assert "-> HY-" in result.out
    numbered = sorted((manual / "records" / "hygiene-check").glob("HY-*.yaml"))
    assert [p.name for p in numbered] == [f"HY-{data['created_at'][:4]}-0001.yaml"]
    assert parse_yaml(numbered[0].read_text(), "r").data["source"]["kind"] == "site-form"
    assert qms("validate", manual).code == 0
    assert git(manual, "status", "--porcelain") == ""
    # the same file again is a new record with the next id (it is the person's second submission)
    assert qms("records", "add", saved, "-C", manual).code == 0
    assert len(list((manual / "records" / "hygiene-check").glob("HY-*.yaml"))) == 2


def test_the_propose_link_opens_githubs_editor_with_the_file_on_a_new_file_path(
        food: dict[str, Any], page: Any) -> None:
    page.goto(food["url"] + "/forms/hygiene-check/")
    fill_valid(page)
    page.click("button[type=submit]")
    href = page.locator("#qms-fill-propose").get_attribute("href")
    preview = page.locator("#qms-fill-preview").inner_text()
    url = urllib.parse.urlsplit(href)
    assert (url.scheme, url.netloc, url.path) == ("https", "github.com", "/elintarvike/laatu/new/main")
    query = urllib.parse.parse_qs(url.query)
    record_id = parse_yaml(preview, "p").data["id"]
    assert query["filename"] == [f"records/hygiene-check/{record_id}.yaml"]
    assert query["value"] == [preview]
    assert page.locator("#qms-fill-propose").get_attribute("rel") == "noopener noreferrer"


def test_records_add_refuses_a_tampered_file_and_writes_nothing(food: dict[str, Any], qms: Qms,
                                                                  tmp_path: Path) -> None:
    manual: Path = food["manual"]
    before = sorted((manual / "records").rglob("*.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: HY-2026-NEW-0a1b2c3d\nform: hygiene-check\nform_revision: 1\n"
                   "created_at: '2026-11-30T10:00:00+02:00'\ncreated_by: nobody\n"
                   "values: {line: Bakery, checked-on: '2026-11-30', temperature: 20, batch: B-0001, "
                   "deviation: false, customer: unknown-co}\n")
    numbered = tmp_path / "numbered.yaml"
    numbered.write_text(bad.read_text().replace("HY-2026-NEW-0a1b2c3d", "HY-2026-0099"))
    result = qms("records", "add", bad, numbered, "-C", manual)
    assert result.code == 2
    assert "created_by 'nobody' is not a person" in result.out
    assert "temperature" in result.out and "customer: 'unknown-co' is not a known customer id" in result.out
    assert "'HY-2026-0099' is not a provisional id" in result.out
    assert sorted((manual / "records").rglob("*.yaml")) == before


def test_the_external_site_has_no_fillable_forms(tmp_path: Path, food: dict[str, Any]) -> None:
    out = tmp_path / "external"
    done = subprocess.run([str(Path(sys.executable).parent / "qms"), "build", str(food["manual"]), "-o", str(out),
                           "--audience", "external"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    pages = "".join(p.read_text(errors="replace") for p in out.rglob("*.html"))
    assert "qms-fill" not in pages and "qms-forms.js" not in pages
    assert not (out / "assets" / "qms-forms.js").exists()
