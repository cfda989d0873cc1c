"""One escaping discipline for every output: PR comments, terminal, CSV, Markdown tables, diagrams, and the
external site (names, never e-mail addresses or commit subjects). The browser test is tests/test_xss.py."""

from __future__ import annotations

import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from qmskit.analysis import charts
from qmskit.control.changes import ChangedItem, render_markdown
from qmskit.escape import (
    code_fence,
    code_span,
    csv_cell,
    markdown_body,
    markdown_text,
    printable,
    safe_url,
    terminal,
)
from qmskit.resources import templates_dir
from qmskit.tables import TableData, to_csv, to_markdown
from tests.conftest import EXAMPLE, TEMPLATE, Result, commit_all, edit, git, git_as
from tests.hostile import PAYLOADS, make_hostile_manual

Qms = Callable[..., Result]
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
GITHUB = MarkdownIt("commonmark").enable("table")  # how a forge renders a PR comment (CommonMark + tables)


# -- Markdown: PR comments and tables ---------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "fence"), [("plain", "```"), ("a ``` b", "````"), ("`````\n# Approved", "``````"),
                                                ("x `` y", "```")])
def test_code_fence_is_longer_than_any_backtick_run(content: str, fence: str) -> None:
    assert code_fence(content) == fence


def test_code_span_cannot_be_closed_from_inside() -> None:
    html = GITHUB.renderInline(code_span("a``b`<script>"))
    assert html == "<code>a``b`&lt;script&gt;</code>"


def test_markdown_text_shows_markup_as_text() -> None:
    for value in ("[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "**bold** _it_ `code`", "# head",
                  "- item", "1. item", "a | b", "![i](x)", "{: onclick=x}", "\x1b[31mred"):
        html = GITHUB.render("| A |\n|---|\n| " + markdown_text(value) + " |\n")
        assert "<a " not in html and "<img" not in html and "<strong>" not in html and "<code>" not in html
        assert "<ol" not in html and "<ul" not in html and "<h1" not in html and "\x1b" not in html
        assert html.count("<td>") == 1, value  # the pipe did not start a second cell


def test_pr_comment_cannot_fake_an_approval() -> None:
    """A change whose title, path and content try to add a heading, a link or a closed fence to the comment."""
    item = ChangedItem(path="documents/a|b`<x>.md", status="M", kind="document", id="PRO-1](javascript:x)",
                       title="Fine\n### Approved by the quality manager <img src=x onerror=alert(1)>",
                       old_revision=1, new_revision=2,
                       diff="@@ -1 +1 @@\n+`````\n+\n+### Approved by the quality manager\n+`````\n")
    comment = render_markdown([item], "main`; rm -rf")
    html = GITHUB.render(comment)
    assert "<h3>Approved" not in html and "<img" not in html and "<a " not in html
    assert "<code>documents/a|b`&lt;x&gt;.md</code>" in html  # the path, whole, in its cell
    assert html.count("<tr>") == 2  # header + one row: nothing in the row broke the table
    diff = html.split("<pre>", 1)[1]
    assert "### Approved by the quality manager" in diff.split("</pre>", 1)[0]  # still inside the code block
    assert "<h3>" not in diff


def test_qms_changes_markdown_keeps_a_hostile_diff_inside_its_fence(template: Path, qms: Qms) -> None:
    git(template, "init", "-q", "-b", "main")
    commit_all(template, "Start")
    git(template, "switch", "-q", "-c", "topic")
    doc = template / "documents/PRO-002-operations.md"
    edit(doc, "## Records", "`````\n\n## Approved by everybody\n\n`````\n\n## Records")
    edit(doc, "title: Operations", 'title: "Operations | **Approved** [x](javascript:alert(1))"')
    commit_all(template, "Sneaky")
    result = qms("changes", "--base", "main", template, "--format", "markdown")
    assert result.code == 0, result.err
    html = GITHUB.render(result.out)
    assert "<h2>Approved" not in html and "<strong>Approved" not in html and 'href="javascript' not in html
    assert "## Approved by everybody" in html  # shown, as diff text


def test_markdown_table_escapes_cells() -> None:
    table = TableData.of("Register <b>", ["Title"], [{"Title": "[x](javascript:alert(1)) | <script>"}])
    html = GITHUB.render(to_markdown(table))
    assert "<a " not in html and "<script" not in html and "<b>" not in html and html.count("<td>") == 1


# -- CSV --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1"])
def test_csv_neutralises_formula_starts(value: str) -> None:
    assert csv_cell(value).startswith("'")
    out = to_csv(TableData.of("T", ["A"], [{"A": value}]))
    assert out.split("\n", 1)[1].lstrip('"').startswith("'")


def test_csv_keeps_ordinary_values() -> None:
    assert csv_cell("PRO-001") == "PRO-001" and csv_cell("") == ""


# -- Terminal ---------------------------------------------------------------------------------------------------

def test_terminal_strips_control_and_escape_characters() -> None:
    hostile = "ok\x1b]0;title\x07\x1b[2J\x9b31m\rback\x08\u202eevil\x00"
    clean = terminal(hostile)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", clean)
    assert clean.startswith("ok") and "evil" in clean
    assert terminal("two\nlines\tand tab") == "two\nlines\tand tab"


def test_register_and_history_print_no_escape_sequences(template: Path, qms: Qms) -> None:
    edit(template / "documents/PRO-002-operations.md", "title: Operations",
         'title: "Operations\\e]0;PWNED\\a\\e[2J\\u202eevil"')
    git(template, "init", "-q", "-b", "main")
    git_as(template, ("Eve\x1b[31m", "eve@example.com"), "add", "-A")
    git_as(template, ("Eve\x1b[31m", "eve@example.com"), "commit", "-q", "-m", "subject \x1b]0;TITLE\x07 end")
    for args in (("register", template), ("history", "PRO-002", template), ("register", template, "--format", "csv"),
                 ("register", template, "--format", "markdown"), ("validate", template)):
        result = qms(*args)
        assert result.code in (0, 1), result.err
        assert "Operations" in result.out or args[0] == "validate"
        for stream in (result.out, result.err):
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", stream.replace("\n", "")), args


# -- HTML -------------------------------------------------------------------------------------------------------

def test_every_rich_output_goes_through_the_terminal_escaping() -> None:
    """rich's own escape() leaves escape sequences in: only the two wrappers may import it."""
    package = Path(__file__).resolve().parent.parent / "qmskit"
    users = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")
                   if "from rich.markup import escape" in p.read_text(encoding="utf-8"))
    assert users == ["cli/app.py", "findings/text.py"]


def test_no_template_marks_anything_safe() -> None:
    for template in (templates_dir() / "site").glob("*.j2"):
        assert "| safe" not in template.read_text(encoding="utf-8").replace("Never `| safe`", ""), template.name


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_body_is_sanitized(payload: str) -> None:
    html = markdown_body(f"## Section\n\n{payload}\n\ntext [x](javascript:alert(1)) ![i](data:image/svg+xml,x)\n")
    assert not re.search(r"<(script|iframe|object|embed|style|svg|math|base|form)\b", html, re.IGNORECASE)
    assert not re.search(r"\son[a-z]+\s*=", html.replace("&lt;", "<").split("<p>")[0])  # no handler attribute
    for attribute in re.findall(r"<[a-z]+\s[^>]*>", html):
        assert "javascript:" not in attribute and "data:" not in attribute and " on" not in attribute
    assert html.startswith("## Section\n")  # headings stay Markdown for the page's table of contents


def test_markdown_body_keeps_ordinary_markdown() -> None:
    html = markdown_body("Intro with **bold**, `code` and [a link](https://example.com).\n\n## Steps\n\n"
                         "1. one\n2. two\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n\n!!! note \"Note\"\n    Careful.\n")
    assert '<a href="https://example.com" rel="noopener noreferrer">a link</a>' in html
    assert "<strong>bold</strong>" in html and "<ol>" in html and '<td style="text-align:right">2</td>' in html
    assert '<div class="admonition note">' in html and "\n## Steps\n" in html


@pytest.mark.parametrize(("url", "safe"), [("https://qms.example.com/manual/", True), ("../../processes/", True),
                                           ("", True), ("javascript:alert(1)", False), ("//evil.example/", False),
                                           ('https://x/" onmouseover="alert(1)', False), ("data:text/html,x", False)])
def test_safe_url(url: str, safe: bool) -> None:
    assert (safe_url(url) == url) is safe


def test_standalone_diagrams_carry_no_script(tmp_path: Path, qms: Qms) -> None:
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is needed: apt-get install graphviz")
    manual = make_hostile_manual(tmp_path / "hostile")
    result = qms("diagram", manual, "--all", "-o", tmp_path / "svg")
    assert result.code == 0, result.err
    svgs = list((tmp_path / "svg").glob("*.svg"))
    assert len(svgs) >= 4
    for svg in svgs:
        for element in ET.parse(svg).iter():  # well-formed XML, so a browser shows it
            assert not element.tag.endswith("script") and not element.tag.endswith("foreignObject")
            for name, value in element.attrib.items():
                assert not name.split("}")[-1].lower().startswith("on"), (svg.name, name)
                assert not value.strip().lower().startswith(("javascript:", "data:")), (svg.name, name)


def test_charts_escape_their_labels() -> None:
    payload = PAYLOADS[6] + PAYLOADS[4]  # an attribute breakout and an SVG script
    for svg in (charts.line_chart(payload, [(payload, 1.0), ("Q2", 2.0)], 1.5),
                charts.bar_chart(payload, [(payload, 3.0)]), charts.waterfall(payload, [(payload, 2.0)])):
        for element in ET.fromstring(svg).iter():
            assert not element.tag.endswith("script")
            assert not [name for name in element.attrib if name.lower().startswith("on")]


def test_build_reports_the_errors_it_published_around(tmp_path: Path, qms: Qms) -> None:
    manual = tmp_path / "manual"
    shutil.copytree(TEMPLATE, manual)
    edit(manual / "objectives.yaml", 'due: "2026-12-31"', 'due: "<script>alert(1)</script>"')
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "Start")
    result = qms("build", manual, "-o", tmp_path / "site")
    assert result.code == 0, result.err
    assert re.search(r"objectives\.yaml:3:\d+: error: .*QMS-SCHEMA-001", result.err), result.err
    page = (tmp_path / "site/registers/objectives/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


# -- The external audience --------------------------------------------------------------------------------------

SUBJECT = "Cut the inspection budget before the audit"


@pytest.fixture(scope="module")
def people_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example manual with revisions by a person it knows, by an outsider, and with a telling subject."""
    base = tmp_path_factory.mktemp("people")
    manual = base / "manual"
    shutil.copytree(EXAMPLE, manual)
    git(manual, "init", "-q", "-b", "main")
    commit_all(manual, "Example")
    policy = next((manual / "documents").rglob("POL-001*.md"))
    policy.write_text(policy.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    commit_all(manual, SUBJECT, who=("Aino Lahtinen", "aino.lahtinen@tarkkuustyo.example"))
    policy.write_text(policy.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    commit_all(manual, SUBJECT + " (again)", who=("Olli Outsider", "olli@consultants.example"))
    return {"manual": manual, "base": base}


def _site_text(site: Path) -> str:
    text = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    return text + (site / "search" / "search_index.json").read_text(encoding="utf-8")


def test_external_site_shows_names_never_emails_or_subjects(people_sites: dict[str, Path], qms: Qms) -> None:
    manual, base = people_sites["manual"], people_sites["base"]
    sites = {}
    for audience in ("internal", "external"):
        result = qms("build", manual, "-o", base / audience, "--audience", audience)
        assert result.code == 0, result.err
        sites[audience] = _site_text(base / audience)
    internal, external = sites["internal"], sites["external"]
    assert SUBJECT in internal  # the test can see subjects where they belong
    assert "Aino Lahtinen" in external and "Olli Outsider" in external  # authors by name
    assert SUBJECT not in external and "Cut the inspection" not in external
    assert [m.group(0) for m in EMAIL.finditer(external)] == []


class _Dangers(HTMLParser):
    """Elements and attributes in HTML that could run script (as parsed, so escaped text does not count)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style", "base", "form"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or re.match(r"\s*(javascript|data):", value or "", re.IGNORECASE):
                self.found.append(f"{tag} {name}={value}")


def dangers(html: str) -> list[str]:
    parser = _Dangers()
    parser.feed(html)
    return parser.found


def test_markdown_and_html_reports_escape_manual_values(tmp_path: Path, qms: Qms) -> None:
    manual = make_hostile_manual(tmp_path / "hostile")
    html = qms("report", "review", manual, "--format", "html", "--today", "2026-11-27")
    assert html.code == 0, html.err
    assert "Replace with your most important risk" in html.out  # the risks are in the pack
    assert dangers(html.out) == []
    for args in (("report", "review", manual), ("todo", manual, "--format", "markdown")):
        result = qms(*args, "--today", "2026-11-27")
        assert result.code in (0, 1), result.err
        assert dangers(GITHUB.render(result.out)) == [], args


def test_markup_built_by_the_generator_is_not_escaped_twice(example: Path, tmp_path: Path) -> None:
    """Escaping everything must not escape qmskit's own HTML: diagrams, charts, sortable registers stay HTML."""
    from datetime import date

    from qmskit.site.build import generate

    generated = generate(example, tmp_path / "pages", "internal", date(2026, 11, 27))
    pages = {p.relative_to(generated.folder / "docs").as_posix(): p.read_text(encoding="utf-8")
             for p in (generated.folder / "docs").rglob("*.md")}
    assert [path for path, text in pages.items() if re.search(r"&lt;/?(div|svg|table|details)\b", text)] == []
    assert '<div class="qms-diagram">' in pages["dashboards.md"]
    assert '<div class="qms-sortable" markdown>' in pages["records/nonconformity/2026.md"]


def test_printable_drops_exactly_unicodes_control_characters_and_surrogates() -> None:
    every = "".join(chr(code) for code in range(0x11000)) + "\U0001f600\U000e0001"
    kept = "".join(ch for ch in every if unicodedata.category(ch) not in ("Cc", "Cs") or ch in "\t\n")
    assert printable(every) == kept
