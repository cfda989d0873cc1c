"""Manual -> the pages of the published site, as Markdown and CSS files plus an mkdocs.yml.

Pure: SVG comes from an injected renderer (dot runs at the edge), and nothing is written here. The pages are
plain Markdown, so they build with mkdocs-material today and with its successor Zensical; no mkdocs plugin
API is involved.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from qmskit import clausetexts, i18n, urls
from qmskit.analysis import charts, measures
from qmskit.analysis.communication import EVERYONE, last_held, next_due
from qmskit.analysis.competence import (
    EXPIRED,
    EXPIRING,
    MISSING,
    VALID,
    Competences,
    expiring,
    gaps,
    planned_training,
    unread,
)
from qmskit.analysis.coverage import Row, coverage
from qmskit.analysis.customers import CustomerLife, customer_life
from qmskit.analysis.digests import assignee
from qmskit.analysis.management import flow_report
from qmskit.control.asof import Release, Step, Timeline, build_timelines, document_files, register_at_release
from qmskit.control.register import LEVEL_LABELS, DocumentControl, RegisterRow
from qmskit.control.translations import BEHIND, TranslationState, translation_states
from qmskit.diagram import views
from qmskit.diagram.style import NARROW_PAGE_WIDTH, PAGE_WIDTH
from qmskit.escape import absolute_url, code_fence, printable
from qmskit.i18n import NP_, _, ngettext
from qmskit.model import Document, Form, Manual, Process, Record
from qmskit.records.blank import blank_form
from qmskit.records.forms import workflow
from qmskit.records.meaning import Meanings, Notice, day_of, event_day
from qmskit.records.store import modeline
from qmskit.records.workflow import summary
from qmskit.resources import templates_dir
from qmskit.site import bodies, evidence, feedback, fillable, languages, search
from qmskit.site.markup import cell, cells, code, dated, label, link, md, yamlstr
from qmskit.site.markup import chart as _chart
from qmskit.site.markup import inline_svg as _svg
from qmskit.site.messages import messages
from qmskit.site.navtree import bounded, grouped
from qmskit.vcs.history import History, Revision

AUDIENCES = ("internal", "external")
LATEST_RELEASES = 5  # release registers linked from the documents register (all are on the "effective on" page)
CATEGORY_ORDER = {"management": 0, "core": 1, "support": 2}
MOST_BARS = 12  # customers on the value chart: the largest, so that labels stay readable
# Words qmskit computes (not the manual's own values) that the site shows in a table cell
WORDS = {
    "management": NP_("process category", "management"), "core": NP_("process category", "core"),
    "support": NP_("process category", "support"),
    "met": NP_("KPI status", "met"), "missed": NP_("KPI status", "missed"),
    "no data": NP_("KPI status", "no data"), "no target": NP_("KPI status", "no target"),
    "no source": NP_("KPI status", "no source"),
    "missing": NP_("competence problem", "missing"), "expired": NP_("competence problem", "expired"),
    "level too low": NP_("competence problem", "level too low"),
    "draft": NP_("document status", "draft"), "active": NP_("document status", "active"),
    "obsolete": NP_("document status", "obsolete"), "never committed": NP_("document status", "never committed"),
    "uncommitted changes": NP_("document status", "uncommitted changes"),
}
RenderSvg = Callable[[str], str]  # DOT source -> SVG markup
# DOT sources, most preferred first, and the width in points they must fit -> the one to draw
ChooseLayout = Callable[[Sequence[str], float], str]


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # relative to the docs folder, e.g. "documents/pro-001.md"
    content: str


@dataclass(frozen=True, slots=True)
class SiteInput:
    manual: Manual
    history: History
    today: date
    audience: str = "internal"
    source: str = "the manual"  # where it was generated from, shown on the home page
    render_svg: RenderSvg | None = None  # None: no diagrams (Graphviz missing)
    choose_layout: ChooseLayout | None = None  # None: the map in its default layout
    # the SVG of the first of a diagram's layouts that fits a width (render.fitted), and a way to start
    # laying out and drawing diagrams ahead of their pages; None: render_svg and choose_layout, when asked
    render_fitted: Callable[[Sequence[str], float], str] | None = None
    fit_ahead: Callable[[Sequence[Sequence[str]], float], None] | None = None
    print_all: bool = False  # also a page with every current document, to print the manual as one PDF
    # document control judged by the trusted policy (control.trust), with verified signatures, forge reviews and the
    # pinned baseline; None: the work tree's policy and history only
    control: DocumentControl | None = None
    # documents with a revision pending approval, as they stood at their last approved revision (read from Git):
    # what is published is what was approved
    approved: Mapping[str, Document] = dataclasses.field(default_factory=dict)
    # every document file's revisions in time, judged once with the front matter each revision had (read from Git
    # in one batch: control.asof.read_timelines); None: judged with today's front matter
    timelines: Sequence[Timeline] | None = None
    releases: Sequence[Release] = ()  # the release tags `qms release` made, newest first
    language: str = ""  # the language of everything qmskit writes on the site ("" = the manual's `language`)
    alternates: tuple[str, ...] = ()  # other languages built beside this one, each in a sibling folder
    # documents as their approved translation into `language` reads (control/translations.py), by id
    translations: Mapping[str, Document] = dataclasses.field(default_factory=dict)
    # a worker process started ahead, to render document bodies from the last page back (site/bodies.py)
    body_worker: bodies.Worker | None = None


def _sets_policy(document: Document) -> bool:
    """The quality policy is the document that declares the primary standard's clause 5.2 (ISO 9001 5.2.1 and
    5.2.2; every harmonized-structure standard has its policy there), whatever its type is called."""
    return any(clause == "5.2" or clause.startswith("5.2.") for clause in document.clauses)


def record_year(record: Record, form: Form | None = None) -> str:
    """The year a record's page files it under: the year of the event it records (the form's `date`), so a paper
    record entered later sits with its year; the year of entry when the form declares no date."""
    day = event_day(record, form)
    return str(day.year) if day else "undated"


def word(value: str) -> str:
    """A word qmskit computed (a KPI status, a process category) in the site's language; other values as given."""
    known = WORDS.get(value)
    return i18n.pgettext(*known) if known else value


def words(value: str) -> str:
    """A comma-separated list of such words ("active, uncommitted changes") in the site's language."""
    return ", ".join(word(part) for part in value.split(", ")) if value else value


def day(value: Any) -> str:
    """A date (YYYY-MM-DD) as the site's language writes it (27.11.2026); anything else as it is."""
    text = str(value or "")
    try:
        return i18n.format_date(date.fromisoformat(text)) if len(text) == 10 else text
    except ValueError:
        return text


def record_page(form_id: str, year: str, forms: urls.PageNames) -> str:
    return f"records/{forms(form_id)}/{year}.md"


def page_url(page: str) -> str:
    """A generated page's address from the site root, as mkdocs makes it (directory URLs): raw HTML links are
    not rewritten by mkdocs the way Markdown links are. `competence.md#expired` -> `competence/#expired`."""
    path, hash_, anchor = page.partition("#")
    path = path.removesuffix("index.md").removesuffix(".md")
    return (path + "/" if path and not path.endswith("/") else path) + hash_ + anchor


def _environment() -> Environment:
    # auto_reload off: a build asks for a template once per page, and each ask would stat its files again
    env = Environment(loader=FileSystemLoader(templates_dir() / "site"), autoescape=True, auto_reload=False,
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=False)
    env.filters.update(md=md, cell=cell, code=code, yamlstr=yamlstr, tile_href=page_url, day=day, word=word,
                       words=words)
    # {{ _("English") }} in a template: the catalogue's text, HTML-escaped; `.format()` on it escapes its values
    env.globals.update(_=lambda message: Markup.escape(_(message)), days=i18n.days, number=i18n.format_number)
    return env


class SiteBuilder:
    def __init__(self, site: SiteInput) -> None:
        self.site, self.manual = site, site.manual
        # the theme includes a template named after the language: only languages qmskit has labels for
        self.language = (i18n.supported(site.language) or i18n.supported(site.manual.config.language)
                         or i18n.SOURCE_LANGUAGE)
        self.t = messages(self.language)
        self.search_worker = search.material_worker()
        self.env = _environment()
        self.control = site.control or DocumentControl(site.manual, site.history)
        self.rows = {row.id: row for row in self.control.register()}
        self.external = site.audience == "external"
        self.roles = {r.id: r.name for r in self.manual.roles}
        self.processes = {p.id: p for p in self.manual.processes}
        self.documents = {d.id: d for d in self.manual.documents}
        self.people = {p.id: p for p in self.manual.people}
        self.records_by_id = {r.id: r for r in self.manual.records}
        self.forms = {f.id: f for f in self.manual.forms}
        # page names, distinct even when ids slug alike: no page is published over another (decision 0036)
        self.process_names = urls.PageNames.of(self.processes)
        self.document_names = urls.PageNames.of(self.documents)
        self.form_names = urls.PageNames.of(self.forms)
        self.record_anchors = urls.PageNames.of(self.records_by_id)
        self.children: dict[str, list[str]] = {}
        for item in self.manual.processes:
            self.children.setdefault(item.parent, []).append(item.id)
        year = measures.period(str(site.today.year))
        self.kpis: dict[str, list[measures.KpiValue]] = {}
        for value in measures.kpi_report(self.manual, year) if not self.external else ():
            self.kpis.setdefault(value.process, []).append(value)
        self.by_email = {email.lower(): p.name for p in self.manual.people for email in p.emails}
        self.party_names = {p.id: p.name for p in self.manual.parties}
        self.meaning = Meanings(self.manual)
        self.timelines = list(site.timelines if site.timelines is not None else self._timelines_without_git())
        self.timeline_of = {line.file.path: line for line in self.timelines if not line.file.deleted}
        self.release_pages = release_paths(site.releases)
        self.visible_ids = {d.id for d in self.visible_documents()}
        self._links: dict[tuple[str, str], Markup] = {}  # document links, the same on every release page
        self._cells: dict[str, Markup] = {}
        self._cards: dict[str, list[str]] = {}  # process id -> its card's DOT source in each layout
        self._maps: dict[tuple[int, str], list[str]] = {}  # (depth, link base) -> the map's layouts
        self._days: dict[str, Markup] = {}
        self._release_rows: dict[tuple[RegisterRow, str], str] = {}  # rows unchanged from release to release
        self.titles = {doc_id: d.title for doc_id, d in site.translations.items()}  # in the site's language
        own = i18n.supported(self.manual.config.language) or self.manual.config.language
        self.foreign = own != self.language  # the manual's own texts are in another language than the site

    def title(self, document: Document | RegisterRow) -> str:
        """A document's title in the site's language where it has a translation."""
        return self.titles.get(document.id, document.title)

    # -- what is shown --------------------------------------------------------------------------------------

    def visible_documents(self) -> list[Document]:
        """Internally every document; externally only active ones meant for outsiders that have an approved
        revision (a text nobody approved is never published outside)."""
        documents = sorted(self.manual.documents, key=lambda d: d.id)
        return [d for d in documents if not self.external or (d.audience == "external" and d.status == "active"
                                                              and self._approved_anywhere(d))]

    def _approved_anywhere(self, document: Document) -> bool:
        return not self.site.history.usable or self.rows[document.id].revision > 0

    @functools.cached_property
    def link_targets(self) -> dict[str, str | None]:
        """Manual files a document's text may link to -> their pages (None: not on this site)."""
        shown = {d.id for d in self.visible_documents()}
        targets: dict[str, str | None] = {d.origin.path: self.doc_path(d) if d.id in shown else None
                                          for d in self.manual.documents}
        for process in self.manual.processes:
            targets[process.origin.path] = None if self.external else self.process_path(process.id)
        for form in self.manual.forms:
            targets[form.origin.path] = None if self.external else self.form_path(form.id)
        return targets

    def doc_path(self, document: Document) -> str:
        folder = "obsolete" if document.status == "obsolete" else "documents"
        return f"{folder}/{self.document_names(document.id)}.md"

    def process_path(self, process_id: str) -> str:
        return f"processes/{self.process_names(process_id)}.md"

    def form_path(self, form_id: str) -> str:
        return f"forms/{self.form_names(form_id)}.md"

    def record_path(self, record: Record) -> str:
        """The page of a record's form and year (its section there is `record_anchors(record.id)`)."""
        return record_page(record.form, record_year(record, self.forms.get(record.form)), self.form_names)

    def _diagram_links(self, base: str) -> views.Links:
        """Diagram node links from a page `base` leads from to the site root, to the pages named here."""
        return views.Links(base, self.process_names, self.document_names)

    # -- pages ----------------------------------------------------------------------------------------------

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(t=self.t, organisation=self.manual.config.organisation,
                                                      **context)

    def pages(self) -> list[Page]:
        """Every page, built in the order that keeps both cores busy: the pages that need neither document bodies
        nor diagrams first (a worker renders bodies from the last document back meanwhile, and dot draws the maps
        and cards), then the documents (this process renders bodies from the first one until it meets the
        worker), then the pages with diagrams."""
        self.bodies.start()
        if self.site.fit_ahead is not None and not self.external:  # maps and cards are drawn meanwhile, maps first
            self.site.fit_ahead([self._map_variants(1, "")], PAGE_WIDTH)
            if any(p.parent for p in self.manual.processes):
                self.site.fit_ahead([self._map_variants(2, "../")], NARROW_PAGE_WIDTH)
            self.site.fit_ahead([self._card(p) for p in self.manual.processes], NARROW_PAGE_WIDTH)
        try:
            registers = self._register_pages()
            documents = [Page(self.doc_path(d), self.document(d)) for d in self.visible_documents()]
        finally:
            self.bodies.close()
        pages = [Page("index.md", self.home()), Page("assets/qms.css",
                                                       (templates_dir() / "site" / "qms.css").read_text())]
        scripts = ("qms-tables.js",) if self.external else ("qms-tables.js", "qms-forms.js")
        pages += [Page(f"assets/{name}", (templates_dir() / "site" / name).read_text()) for name in scripts]
        pages.append(Page("assets/qms-texts.js", self.script_texts()))
        if self.search_worker is not None:
            pages.append(Page(*search.worker_page(self.search_worker)))
        pages += documents + registers
        if self.site.print_all:
            pages.append(Page("print.md", self.print_page()))
        if not self.external:
            pages += [Page(self.process_path(p.id), self.process(p)) for p in self.manual.processes]
            pages.append(Page("processes/index.md", self.process_register()))
        return pages

    def _register_pages(self) -> list[Page]:
        """The pages that show no document body and no diagram: registers, forms, records, evidence."""
        pages = [Page("documents/index.md", self.document_register())]
        if self.external:
            return pages
        pages.append(Page("asof/index.md", self.effective_page()))
        pages += [Page(path, self.release_page(release)) for release, path in self.release_pages]
        pages.append(Page("obsolete/index.md", self.obsolete_register()))
        pages += [Page(self.form_path(f.id), self.form(f.id)) for f in self.manual.forms]
        pages.append(Page("forms/index.md", self.form_register()))
        pages.append(Page("records/index.md", self.record_register()))
        pages += self.record_pages()
        pages.append(Page("registers/risks.md", self.risks()))
        pages.append(Page("registers/objectives.md", self.objectives()))
        pages.append(Page("coverage.md", self.coverage()))
        pages.append(Page("dashboards.md", self.dashboards()))
        pages.append(Page("competence.md", self.competence_page()))
        pages.append(Page("registers/actions.md", self.actions_page()))
        pages.append(Page("registers/communication.md", self.communication_page()))
        pages += [Page(path, content) for path, content in evidence.review_pages(self)]
        pages.append(Page(evidence.AUDITS, evidence.audits_page(self)))
        pages.append(Page(evidence.COMPLAINTS, evidence.complaints_page(self)))
        pages.append(Page(feedback.PAGE, feedback.feedback_page(self)))
        pages.append(Page("auditor.md", self.render("auditor.md.j2", branch=self.site.history.branch,
                                                    head=self.site.history.head[:10])))
        return pages

    def script_texts(self) -> str:
        """The words the site's scripts show, in the site's language: JSON (ASCII-escaped, so nothing in it can
        end the script) assigned to one global the scripts read."""
        texts = {"filter": self.t["filter"], "shown": _("shown"), "table": _("Table")}
        return "window.qmsTexts = " + json.dumps(texts, ensure_ascii=True, sort_keys=True) + ";\n"

    def home(self) -> str:
        policy = next((d for d in self.visible_documents() if d.status == "active" and _sets_policy(d)), None)
        policy_link = (Markup("**") + md(self.t["policy"]) + Markup(":** ")
                       + link(self.title(policy), self.doc_path(policy)) if policy else "")
        dashboard, diagram, chain = [], "", ""
        if not self.external:
            dashboard = self.dashboard()
            if self.site.render_svg is not None:
                diagram = self._map(self.site.render_svg, 1, self._diagram_links(""), "map", PAGE_WIDTH)
                chain_source = views.value_chain(self.manual, self._diagram_links("")).source
                chain = _svg(self.site.render_svg(chain_source), "chain")
        return self.render("home.md.j2", description=self.manual.config.description, policy=policy_link,
                           dashboard=dashboard, map=diagram, chain=chain, source=self.site.source)

    def _map_variants(self, depth: int, base: str) -> list[str]:
        """The interaction map's layouts (render.fitted chooses), computed once: drawn ahead, then shown."""
        found = self._maps.get((depth, base))
        if found is None:
            found = self._maps[(depth, base)] = views.map_variants(self.manual, depth, self._diagram_links(base))
        return found

    def _map(self, render_svg: RenderSvg, depth: int, links: views.Links, prefix: str, width: float) -> Markup:
        """The interaction map in the layout that fits the page column (rows that wrap; see render.fitted)."""
        if self.site.render_fitted is not None:
            return _svg(self.site.render_fitted(self._map_variants(depth, links.base), width), prefix)
        choose = self.site.choose_layout
        source = (choose(self._map_variants(depth, links.base), width) if choose is not None
                  else views.interaction_map(self.manual, depth, links).source)
        return _svg(render_svg(source), prefix)

    def dashboard(self) -> list[tuple[str, int, str]]:
        """Home page tiles: (label, count, the page that lists what is counted). Each count is the length of
        the list on its page, computed by the same function."""
        index = Competences(self.manual, self.site.today)
        expired = sum(1 for p in index.people for c in index.cells(p).values() if c.status == EXPIRED)
        soon = len(expiring(index, self.manual.config.expiry_warning_days))
        return [(self.t["documents_count"], len(self.current_documents()), "documents/index.md"),
                (self.t["processes_count"], len(self.manual.processes), "processes/index.md"),
                (self.t["records_count"], len(self.manual.records), "records/index.md"),
                (self.t["open_actions"], len(self.open_actions()), "registers/actions.md"),
                (self.t["overdue_reviews"], len(self.overdue_reviews()), "documents/index.md#overdue"),
                (self.t["expired"], expired, "competence.md#expired"),
                (self.t["expiring"], soon, "competence.md#expiring"),
                (self.t["reviews"], len(evidence.reviews(self)), evidence.REVIEWS),
                (self.t["audits_count"], len(evidence.audit_list(self)), evidence.AUDITS + "#audits"),
                (self.t["internal_complaints"], len(evidence.complaint_list(self)),
                 evidence.COMPLAINTS + "#complaints"),
                (self.t["customer_complaints_year"], len(feedback.complaints(self)), feedback.PAGE + "#complaints")]

    def notices(self, found: Iterable[Notice]) -> list[str]:
        """Why a page may miss data (no form declares what it reads), as warnings on the page."""
        return [line for n in found for line in (f'!!! warning "{md(n.message)}"', f"    {md(n.hint)}", "")]

    def current_documents(self) -> list[Document]:
        """The documents the register lists (every visible one that is not obsolete)."""
        return [d for d in self.visible_documents() if d.status != "obsolete"]

    def overdue_reviews(self) -> list[RegisterRow]:
        """Current documents whose next review date has passed: the list behind the home page's tile."""
        today = self.site.today.isoformat()
        return [self.rows[d.id] for d in self.current_documents()
                if self.rows[d.id].next_review and self.rows[d.id].next_review < today]

    def document(self, document: Document, page: str | None = None) -> str:
        """A document's page (`page`: where it is shown, when not on its own page: the print of every document)."""
        row = self.rows[document.id]
        line = self.timeline_of.get(document.origin.path)
        revisions: list[dict[str, Any]] = []
        pending_rows: list[dict[str, Any]] = []
        if line is not None:
            waiting = line.pending
            for step in reversed(line.steps):
                (pending_rows if step in waiting else revisions).append(self._revision_row(step, line))
        # The effective text is the approved one: with a revision pending approval, show the approved revision's
        # text from Git, and the pending one only as a notice (internally, with no approved text at all, the
        # draft is shown under a warning that it is not effective).
        shown = self.site.approved.get(document.id, document) if row.pending else document
        unapproved = bool(row.pending) and self.site.history.usable and document.id not in self.site.approved
        translation = self.site.translations.get(document.id)
        text = self._text_of(document)
        return self.render("document.md.j2", doc=text, row=row,
                           owner=self.roles.get(shown.owner, shown.owner), languages=self.language_links(document),
                           translation=self.translation_note(translation) if translation else "",
                           untranslated=self.foreign and translation is None,
                           behind=self.behind_note(document) if translation else "",
                           obsolete=document.status == "obsolete", external=self.external,
                           body=Markup(self.bodies.get(self._body_job(document, page))),  # noqa: S704 - sanitized
                           revisions=revisions, pending_revisions=pending_rows,
                           pending=self._pending(row) if self.site.history.usable else "",
                           unapproved=unapproved, evidence=", ".join(self.level(e) for e in row.evidence))

    @staticmethod
    def _pending(row: RegisterRow) -> str:
        """What waits for approval, in the site's language ("odottaa hyväksyntää: versio 2 (...)")."""
        return row.pending_said.text() if row.pending_said is not None else row.pending

    def _text_of(self, document: Document) -> Document:
        """The text a document's page shows: its approved translation into the site's language, where there is
        one, else its approved revision (the work tree's text when that is the approved one)."""
        translation = self.site.translations.get(document.id)
        if translation is not None:
            return translation
        return self.site.approved.get(document.id, document) if self.rows[document.id].pending else document

    def _body_job(self, document: Document, page: str | None = None) -> bodies.Job:
        text = self._text_of(document)
        return _without_title(text), text.origin.path, page or self.doc_path(document)

    @functools.cached_property
    def bodies(self) -> bodies.Bodies:
        """Every document page's body, the later ones rendered by a second process meanwhile (site/bodies.py)."""
        return bodies.Bodies([self._body_job(d) for d in self.visible_documents()], self.link_targets,
                             self.site.body_worker)

    def level(self, label: str) -> str:
        """An evidence level's label ("asserted, not verified") in the site's language."""
        level = next((key for key, text in LEVEL_LABELS.items() if text == label), "")
        return self.t.get(f"level_{level}", label)

    def _revision_row(self, step: Step, line: Timeline) -> dict[str, Any]:
        """One revision for a document's revision table: who approved it when, on what evidence, and the days
        it was in effect."""
        t = self.t
        revision = step.revision
        return {"number": revision.number, "date": day(step.committed),
                "subject": "" if self.external else revision.commit.subject,
                "authors": self.author_names(revision),
                "approvers": [f"{v.person.name} ({self.level(v.label)})" for v in step.counted if v.person is not None],
                "approved": day(step.approved),
                "start": day(step.start) or (t["never_effective"] if step.superseded else ""),
                "end": self._until(step, line), "commit": revision.commit.sha[:10]}

    def _until(self, step: Step, line: Timeline) -> str:
        """The last day a revision was in effect: a day, "in effect" (still), "withdrawn", or "" (never was)."""
        if not step.start:
            return ""
        return day(step.end) or (self.t["withdrawn"] if line.withdrawn else self.t["in_effect"])

    def _timelines_without_git(self) -> list[Timeline]:
        """Without past texts from Git, every revision is judged with the document as it stands today."""
        history = self.site.history
        current = {d.origin.path: d for d in self.manual.documents}
        return build_timelines(document_files(history), self.control, {}, {}, current)

    def language_links(self, document: Document) -> list[tuple[str, str, str]]:
        """(language, its name, address) of this document's page in each language built beside this one."""
        url = page_url(self.doc_path(document))
        return [(code, languages.NAMES.get(code, code), languages.link_to(url, code)) for code in self.site.alternates]

    def translation_note(self, translation: Document) -> str:
        """Which revision of the translation is shown, and who approved it (its own control, like any revision)."""
        row = self.control.row(translation)
        if not self.site.history.usable:
            return ""
        file = self.site.history.of(translation.origin.path)
        shown = next((r for r in reversed(file.revisions) if r.number == row.revision), None) if file else None
        names = ", ".join(p.name for p in self.control.approvers(translation, shown)) if shown else ""
        return _("This translation: revision {revision}, effective {day}, approved by {approvers}.").format(
            revision=row.revision, day=day(row.effective), approvers=names or self.t["not_approved"])

    @functools.cached_property
    def _translation_states(self) -> dict[str, TranslationState]:
        """The state of each translation into the site's language, by document id (judged from Git)."""
        if not self.manual.translations or not self.site.history.usable:
            return {}
        return {found.document.id: found for found in translation_states(self.manual, self.site.history, self.control)
                if found.translation.language == self.language}

    def behind_note(self, document: Document) -> str:
        """A warning on a translated page whose document has been revised since the translation was approved."""
        found = self._translation_states.get(document.id)
        if found is None or found.state != BEHIND:
            return ""
        return _("This translation (revision {revision}) translates revision {translates} of the document; revision "
                 "{current} is in effect since {day}. Where the two differ, the document in effect applies.").format(
            revision=found.revision, translates=found.translates, current=found.source_revision,
            day=day(found.source_effective))

    def author_names(self, revision: Revision) -> list[str]:
        """Who wrote a revision, by name: the person the manual knows by that e-mail address, else the name Git
        recorded. An address is shown only internally, and only when Git recorded no name."""
        commit = revision.commit
        recorded = {who.email.lower(): who.name for who in (commit.author, *commit.co_authors) if who.email}
        names = set()
        for email in revision.authors:
            name = self.by_email.get(email.lower()) or recorded.get(email.lower(), "")
            if name or not self.external:
                names.add(name or email)
        return sorted(names)

    def print_page(self) -> str:
        """Every current document, each with its header (revision, effective date, approvers): the controlled
        copy `qms pdf` prints. Every printed page says it is uncontrolled once printed."""
        parts = []
        for document in self.visible_documents():
            if document.status != "active":
                continue
            page = self.document(document, "print.md")
            body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
            body = body.split('<div class="qms-print-footer">', 1)[0]  # one footer for the whole print, below
            parts.append(body.strip())
        intro = str(md(self.t["print_intro"].format(day=i18n.format_date(self.site.today),
                                                    organisation=self.manual.config.organisation)))
        footer = (f'<div class="qms-print-footer">{html.escape(self.t["uncontrolled"])} · '
                  f'{html.escape(self.manual.config.organisation)}</div>')
        return ("---\ntitle: " + str(yamlstr(self.manual.config.organisation)) + "\nhide: [navigation, toc]\n---\n"
                + intro + "\n\n" + '\n\n<div class="qms-page-break"></div>\n\n'.join(parts) + "\n\n" + footer + "\n")

    def _process_link(self, process_id: str, prefix: str = "") -> Markup:
        """A link to a process page from a page in the folder that `prefix` leads from to processes/."""
        process = self.processes.get(process_id)
        if process is None:
            party = next((p for p in self.manual.parties if p.id == process_id), None)
            return md(party.name if party else process_id)
        return link(process.name, f"{prefix}{self.process_names(process_id)}.md")

    def _card(self, process: Process) -> list[str]:
        """A process page's card in each layout, most preferred first (computed once: drawn ahead, then shown)."""
        found = self._cards.get(process.id)
        if found is None:
            found = self._cards[process.id] = views.card_variants(self.manual, process.id, 1,
                                                                  self._diagram_links("../../"))
        return found

    def _card_svg(self, process: Process) -> Markup:
        """The card in the first layout that fits the page column (beside the navigation) at full size: text is
        never scaled below 12 px; a card too wide in every layout scrolls sideways in its focusable region."""
        variants = self._card(process)
        if self.site.render_fitted is not None:
            return _svg(self.site.render_fitted(variants, NARROW_PAGE_WIDTH))
        if self.site.render_svg is None:
            return Markup("")
        choose = self.site.choose_layout
        return _svg(self.site.render_svg(choose(variants, NARROW_PAGE_WIDTH) if choose is not None else variants[0]))

    def process(self, process: Process) -> str:
        card = self._card_svg(process)
        documents = {d.id: d for d in self.visible_documents()}
        children = [p for p in self.manual.processes if p.parent == process.id]
        return self.render(
            "process.md.j2", process=process, card=card,
            card_label=_("{process} — process card").format(process=process.name),
            owner=self.roles.get(process.owner, process.owner),
            customer=self._process_link(process.customer),
            inputs=[{"name": f.name, "party": self._process_link(f.party)} for f in process.inputs],
            outputs=[{"name": f.name, "party": self._process_link(f.party)} for f in process.outputs],
            kpis=self._kpi_rows(process), naming=self._naming(process), risks=self._risks(process),
            documents=[link(f"{d} {self.title(documents[d])}", f"../{self.doc_path(documents[d])}")
                       for d in process.documents if d in documents],
            forms=[link(f.title, f"../{self.form_path(f.id)}") for f in self.manual.forms
                   if f.id in process.forms],
            children=[self._process_link(c.id) for c in children])

    def _kpi_rows(self, process: Process) -> list[list[Markup]]:
        """The process's KPIs this year: value, target, met or missed, and the quarters before."""
        rows = []
        for value in self.kpis.get(process.id, []):
            shown = "" if value.value is None else i18n.format_number(float(f"{value.value:.4g}"))
            trend = " → ".join("·" if v is None else i18n.format_number(float(f"{v:.3g}")) for _, v in value.trend)
            rows.append([cell(x) for x in (value.kpi.name, value.kpi.target, shown, word(value.status), trend)])
        return rows

    def _naming(self, process: Process) -> dict[str, list[list[Markup]]]:
        """Records whose reference fields name this process (or one of its sub-processes), by whether they are
        still open: nonconformities and complaints about it, its audits, whatever the forms are called."""
        family = {process.id, *self._below(process.id)}
        flows = {f.id: flow for f in self.manual.forms if (flow := workflow(f)) is not None}
        here = self.process_path(process.id)
        found: dict[str, list[list[Markup]]] = {"open": [], "latest": []}
        latest: dict[str, Record] = {}
        for record in self.manual.records:
            form = self.forms.get(record.form)
            if form is None or not any(f.type == "reference" and f.spec.get("of") == "process"
                                       and record.values.get(f.id) in family for f in form.fields):
                continue
            flow = flows.get(record.form)
            if flow is not None and record.status != flow.final:
                found["open"].append([self._record_link(record.id, here), cell(form.title), cell(record.status),
                                      cell(day(record.created_at[:10]))])
            if record.form not in latest or record.created_at > latest[record.form].created_at:
                latest[record.form] = record
        found["latest"] = [[cell(self.forms[form_id].title), self._record_link(record.id, here),
                            cell(day(record.created_at[:10]))] for form_id, record in sorted(latest.items())]
        return found

    def _below(self, process_id: str) -> set[str]:
        below, stack = set(), [process_id]
        while stack:  # iterative: a parent chain may be as deep as the manual is long
            for child in self.children.get(stack.pop(), []):
                if child not in below:
                    below.add(child)
                    stack.append(child)
        return below

    def _risks(self, process: Process) -> list[list[Markup]]:
        return [[cell(r.id), cell(r.title), cell(r.kind), cell(", ".join(r.actions))]
                for r in self.manual.risks if process.id in r.processes]

    def form(self, form_id: str) -> str:
        form = next(f for f in self.manual.forms if f.id == form_id)
        count = sum(1 for r in self.manual.records if r.form == form.id)
        blank = Markup(blank_form(form, self.manual.config.organisation))  # noqa: S704 - blank.py escapes
        return self.render("form.md.j2", form=form, blank=blank, records=count, fill=self.fill_in(form))

    def fill_in(self, form: Form) -> Markup:
        """The form as a fillable HTML form (internal site only: the people listed fill it in)."""
        history = self.site.history
        file = history.of(form.origin.path) if history.usable else None
        revision = file.latest.number if file and file.latest and form.origin.path not in history.uncommitted else 0
        people = sorted(((p.id, f"{p.name} ({p.id})") for p in self.manual.people), key=lambda p: p[1].lower())
        markup = self.env.get_template("fill.html.j2").render(
            t=self.t, form=form, controls=fillable.controls(form, self.manual), people=people,
            config=Markup(fillable.config(form, self.manual, revision,  # noqa: S704 - JSON escaped for <script>
                                          modeline("record"), self.t)))
        # rendered with autoescape, its data as script-safe JSON; a blank line would end the HTML block
        return Markup("\n".join(line for line in markup.splitlines() if line.strip()))  # noqa: S704

    def table(self, title: str, columns: Iterable[str], rows: Iterable[Iterable[str]], intro: str = "",
              sortable: bool = False) -> str:
        return self.render("table.md.j2", title=title, columns=list(columns), rows=[list(r) for r in rows],
                           intro=intro, sortable=sortable)

    def _register_rows(self, rows: Iterable[RegisterRow], folder: str) -> list[list[Markup]]:
        documents = {d.id: d for d in self.manual.documents}
        return [cells(link(r.id, f"{self.document_names(r.id)}.md") if folder else r.id, self.title(r), r.type,
                      self.roles.get(r.owner, r.owner), r.revision, dated(r.effective), ", ".join(r.approved_by),
                      dated(r.next_review), words(r.status))
                for r in rows if r.id in self.visible_ids
                and (documents[r.id].status == "obsolete") == (folder == "obsolete")]

    def document_register(self) -> str:
        t = self.t
        columns = [t["id"], t["title"], t["type"], t["owner"], t["revision"], t["effective"], t["approved_by"],
                   t["next_review"], t["status"]]
        overdue = self.overdue_reviews()
        page = self.table(t["documents"], columns, self._register_rows(self.rows.values(), "documents"),
                          intro="" if self.external else self._asof_links())
        section = [f"## {md(t['overdue_reviews'])} ({len(overdue)}) {{#overdue}}", ""]
        section += ([f"| {md(t['id'])} | {md(t['title'])} | {md(t['owner'])} | {md(t['next_review'])} |",
                     "|---|---|---|---|"] + [f"| {link(r.id, f'{self.document_names(r.id)}.md')} | {cell(r.title)} | "
                                             f"{cell(self.roles.get(r.owner, r.owner))} | {dated(r.next_review)} |"
                                             for r in overdue] if overdue else [md(t["none"])])
        marker = '<div class="qms-print-footer">'
        head, _, tail = page.rpartition(marker)
        return head + "\n".join(section) + "\n\n" + marker + tail if head else page + "\n".join(section) + "\n"

    def _asof_links(self) -> Markup:
        """From the register to the past: what was in effect on a day, and the register at the latest releases
        (all of them are one click further, on that page and in the navigation)."""
        t = self.t
        parts = [md(t["asof_link_intro"]) + Markup(" ") + link(t["effective_on"], "../asof/index.md")]
        latest = self.release_pages[:LATEST_RELEASES]
        if latest:
            parts.append(md(t["latest_releases"]) + Markup(" ") + Markup(", ").join(
                link(release.tag.name, f"../{path}") + Markup(" (") + md(day(release.day)) + Markup(")")
                for release, path in latest))
        return Markup("\n\n").join(parts)

    # -- the past: what was in effect, the register at each release --------------------------------------------

    def effective_page(self) -> str:
        """Every approved revision of every document with the days it was in effect, and every release: "what
        was effective on 15 March?" answered without a terminal (a date picker filters the table offline)."""
        t = self.t
        lines = [f"# {md(t['effective_on'])}", "",
                 md(t["effective_on_intro"].format(day=i18n.format_date(self.site.today))), "",
                 f"## {md(t['releases'])} {{#releases}}", "", md(t["releases_intro"]), ""]
        if self.release_pages:
            lines += [f"| {md(t['tag'])} | {md(t['date'])} | {md(t['tagged_by'])} | {md(t['commit'])} |",
                      "|---|---|---|---|"]
            lines += [f"| {link(r.tag.name, path.removeprefix('asof/'))} | {dated(r.day)} | {cell(r.tag.tagger)} | "
                      f"{code(r.tag.commit[:10])} |" for r, path in self.release_pages]
        else:
            lines.append(md(t["no_releases"]))
        lines += ["", f"## {md(t['effective_on'])} {{#effective}}", ""]
        columns = [t["id"], t["title"], t["revision"], t["effective_from"], t["effective_to"], t["approved_by"],
                   t["approved_on"]]
        # the date filter reads the from and to columns (0-based) of each row
        lines += [f'<div class="qms-sortable qms-dated" data-from="3" data-to="4" '
                  f'data-label="{html.escape(t["effective_on_pick"])}" markdown>', "",
                  "| " + " | ".join(md(c) for c in columns) + " |", "|" + "---|" * len(columns)]
        rows = []
        for line in self.timelines:
            for step in line.steps:
                if not step.start:
                    continue
                shown = step.document or self.documents.get(line.file.path)
                doc_id = shown.id if shown else line.file.path
                rows.append(((doc_id, step.revision.number), [
                    self._document_link(doc_id, "asof/index.md"), cell(shown.title if shown else ""),
                    cell(step.revision.number), dated(step.start),
                    dated(step.end) if step.end else cell(self._until(step, line)),
                    cell(", ".join(f"{v.person.name} ({self.level(v.label)})" for v in step.counted
                                   if v.person is not None)),
                    dated(step.approved)]))
        lines += ["| " + " | ".join(row) + " |" for _, row in sorted(rows, key=lambda r: r[0])]
        lines += ["", "</div>", ""]
        return "---\ntitle: " + str(yamlstr(t["effective_on"])) + "\n---\n" + "\n".join(lines) + "\n"

    def _document_link(self, doc_id: str, here: str) -> Markup:
        """A document id, linked to its page when the document is still in the manual."""
        key = (doc_id, posixpath.dirname(here))
        found = self._links.get(key)
        if found is None:
            document = self.documents.get(doc_id)
            found = self._links[key] = md(doc_id) if document is None or document.id not in self.visible_ids \
                else link(doc_id, posixpath.relpath(self.doc_path(document), key[1]))
        return found

    def release_page(self, release: Release) -> str:
        t = self.t
        here = next(path for r, path in self.release_pages if r is release)
        title = t["release_title"].format(tag=release.tag.name)
        intro = md(t["release_intro"].format(tag=release.tag.name, tagger=release.tag.tagger, day=day(release.day),
                                             commit=release.tag.commit[:10]))
        if release.position is None:
            intro = intro + Markup("\n\n") + md(t["release_off_mainline"].format(branch=self.site.history.branch))
        if release.accepted:  # the tag's own words: shown as text in a code block that nothing in it can close
            text = printable(release.accepted)
            fence = code_fence(text)
            intro = (intro + Markup("\n\n**") + md(t["accepted_findings"]) + Markup("**\n\n")
                     + Markup(f"{fence}text\n{text}\n{fence}"))  # noqa: S704 - inside a fence Markdown shows text
        columns = [t["id"], t["title"], t["type"], t["owner"], t["revision"], t["effective"], t["approved_by"],
                   t["status"], t["pending"]]
        lines = [f"# {md(title)}", "", str(intro), "", '<div class="qms-sortable" markdown>', "",
                 "| " + " | ".join(md(c) for c in columns) + " |", "|" + "---|" * len(columns)]
        lines += [self._release_row(r, here) for r in register_at_release(self.timelines, self.control, release)]
        lines += ["", "</div>", ""]
        return "---\ntitle: " + str(yamlstr(title)) + "\n---\n" + "\n".join(lines) + "\n"

    def _release_row(self, row: RegisterRow, here: str) -> str:
        """A register row on a release page: escaped once, however many releases show it unchanged."""
        found = self._release_rows.get((row, here))
        if found is None:
            found = self._release_rows[row, here] = "| " + " | ".join([self._document_link(row.id, here), *(
                self._cell(value) for value in (
                    row.title, row.type, self.roles.get(row.owner, row.owner), str(row.revision))),
                self._dated(row.effective), *(self._cell(value) for value in (
                    ", ".join(f"{name} ({self.level(level)})"
                              for name, level in zip(row.approved_by, row.evidence, strict=False)),
                    row.status, row.pending.removeprefix("pending approval: ")))]) + " |"
        return found

    def _cell(self, value: str) -> Markup:
        """An escaped cell, remembered: a hundred release registers repeat the same titles, names and days."""
        found = self._cells.get(value)
        if found is None:
            found = self._cells[value] = cell(value)
        return found

    def _dated(self, value: str) -> Markup:
        """A day in a cell, remembered like `_cell`."""
        found = self._days.get(value)
        if found is None:
            found = self._days[value] = dated(value)
        return found

    def obsolete_register(self) -> str:
        t = self.t
        columns = [t["id"], t["title"], t["type"], t["owner"], t["revision"], t["effective"], t["approved_by"],
                   t["next_review"], t["status"]]
        return self.table(t["obsolete"], columns, self._register_rows(self.rows.values(), "obsolete"),
                          intro=Markup('!!! danger "') + md(t["obsolete"]) + Markup('"\n    ')
                          + md(t["obsolete_warning"]))

    def process_register(self) -> str:
        t = self.t
        ordered = sorted(self.manual.processes, key=lambda p: (p.category, p.id))
        rows = [cells(link(p.name, f"{self.process_names(p.id)}.md"), word(p.category),
                      self.roles.get(p.owner, p.owner), p.parent, p.purpose) for p in ordered]
        page = self.table(t["processes"], [t["title"], t["category"], t["owner"], _("Parent"), t["purpose"]], rows)
        if self.site.render_svg is None or not any(p.parent for p in self.manual.processes):
            return page
        # the map with sub-processes, each framed by its parent
        return page + self.render("map.md.j2", heading=t["process_map_detailed"],
                                  map=self._map(self.site.render_svg, 2, self._diagram_links("../"), "map-detailed",
                                                NARROW_PAGE_WIDTH))

    def form_register(self) -> str:
        t = self.t
        rows = [cells(link(f.title, f"{self.form_names(f.id)}.md"), code(f.id), f.record_prefix,
                      sum(1 for r in self.manual.records if r.form == f.id))
                for f in sorted(self.manual.forms, key=lambda f: f.title)]
        return self.table(t["forms"], [t["title"], t["id"], _("Prefix"), t["records"]], rows)

    def record_register(self) -> str:
        t = self.t
        forms = {f.id: f for f in self.manual.forms}
        records = sorted(self.manual.records, key=lambda r: (r.created_at, r.id), reverse=True)
        rows = [cells(self._record_link(r.id, "records/index.md"),
                      link(forms[r.form].title, f"../{self.form_path(r.form)}") if r.form in forms else r.form,
                      dated(r.created_at[:10]), r.status, summary(forms.get(r.form), r))
                for r in records]
        return self.table(t["records"], [t["id"], t["form"], t["created"], t["status"], t["summary"]], rows,
                          sortable=True)

    def risks(self) -> str:
        t = self.t
        rows = [cells(r.id, r.title, r.kind, self.roles.get(r.owner, r.owner), "; ".join(r.actions))
                for r in self.manual.risks]
        return self.table(t["risks"], [t["id"], t["title"], t["kind"], t["owner"], t["actions"]], rows)

    def objectives(self) -> str:
        t = self.t
        rows = [cells(o.id, o.title, o.target, self.roles.get(o.owner, o.owner), dated(o.due),
                      self._process_link(o.process, "../processes/") if o.process else "")
                for o in self.manual.objectives]
        return self.table(t["objectives"], [t["id"], t["title"], t["target"], t["owner"], t["due"],
                                            t["processes"]], rows)

    def coverage(self) -> str:
        """The clause coverage matrix: one row per clause number, one column per standard the manual declares."""
        t = self.t
        standards = coverage(self.manual)
        numbers = sorted({r.clause.number for s in standards for r in s.rows},
                         key=lambda n: tuple(int(p) for p in n.split(".")))
        rows = []
        for number in numbers:
            found = [(s, s.row(number)) for s in standards]
            first = next(r.clause for _, r in found if r is not None)
            cells = [self._coverage_cell(row, first.title) for _, row in found]
            title = clausetexts.title(first)
            rows.append([Markup(f"**{md(number)}**") if "." not in number else md(number),  # noqa: S704
                         cell(title), *cells])
        columns = [t["clause"], t["title"], *(md(s.catalogue.label) for s in standards)]
        return self.table(t["coverage"], columns, rows)

    def _coverage_cell(self, row: Row | None, title: str) -> Markup:
        """A standard's column of the coverage matrix: Markdown built from escaped parts and checked links."""
        if row is None:
            return Markup("—")  # the standard has no clause of this number
        own = f"*{cell(clausetexts.title(row.clause))}*: " if row.clause.title != title else ""
        if row.excluded:
            return Markup(f"{own}*{md(self.t['excluded'])}*")  # noqa: S704 - escaped parts
        return Markup(own + ", ".join(sorted({self._coverage_link(o) for o in row.addressed_by})))  # noqa: S704

    def dashboards(self) -> str:
        """Charts where people would rather look than read: NPS, KPI trends, complaints, an order's delays.
        Each heading appears once (a KPI named like another chart is told apart by its process) and each chart's
        own title says what the heading does not: the period, the status, the order."""
        year = measures.period(str(self.site.today.year))
        parts = [f"# {md(self.t['dashboards'])}", ""]
        used: set[str] = set()

        def section(heading: str, qualifier: str, svg: str) -> None:
            if heading.casefold() in used:
                heading = f"{heading} ({qualifier})"
            used.add(heading.casefold())
            parts.extend([f"## {md(heading)}", "", _chart(svg)])

        customers = measures.customer_report(self.manual, year)
        life = customer_life(self.manual, year, "quarter")
        flow = flow_report(self.manual)
        for notice in (*customers.unbound, *life.notices, *flow.unbound):  # a chart without its data says why
            parts += [f'!!! warning "{md(notice.message)}"', f"    {md(notice.hint)}", ""]
        section(self.t["nps"], year.name, charts.line_chart(f"{self.t['nps']}, {year.name}",
                                                            list(customers.nps_trend)))
        self._customer_charts(life, year, section)
        names = {p.id: p.name for p in self.manual.processes}
        for value in measures.kpi_report(self.manual, year):
            if value.status in ("met", "missed"):
                target = measures.parse_target(value.kpi.target)
                process = names.get(value.process, value.process)
                section(value.kpi.name, process, charts.line_chart(
                    f"{process}: {value.kpi.name}, {year.name} ({word(value.status)})", list(value.trend),
                    target.value if target else None))
        complaints = [(p, float(n)) for p, n, _ in measures.internal_complaints(self.manual)]
        if complaints:
            total = sum(n for _, n in complaints)
            section(self.t["complaints"], "", charts.bar_chart(f"{self.t['complaints']}: {i18n.format_number(total)}",
                                                               complaints,
                                                               counts=True))
        flows = [o for o in flow.orders if o.late_days > 0]
        if flows:
            worst = max(flows, key=lambda o: o.late_days)
            section(self.t["delays"], worst.order, charts.waterfall(
                _("{order}: {days} late").format(order=worst.order, days=i18n.days(worst.late_days)),
                [(p, float(d)) for p, d in worst.added]))
        return "---\ntitle: " + str(yamlstr(self.t["dashboards"])) + "\n---\n" + "\n".join(parts) + "\n"

    def _customer_charts(self, life: CustomerLife, year: measures.Period,
                         section: Callable[[str, str, str], None]) -> None:
        """The customer's life on one screen: value per customer, retention, how customers were won, reputation."""
        t, names = self.t, {p.id: p.name for p in self.manual.parties}
        valued = [(names.get(a.customer, a.customer), a.value) for a in life.accounts if a.value][:MOST_BARS]
        if valued:
            section(t["customer_value"], year.name, charts.bar_chart(
                f"{t['customer_value']}, {year.name}: {t['total']} "
                f"{i18n.format_currency(life.total_value, life.currency)}", valued))
        if any(v is not None for _, v in life.curve):
            section(t["retention"], year.name, charts.line_chart(
                f"{t['retention']} (%)", [(f"+{n}", v) for n, (_, v) in enumerate(life.curve, start=1)]))
        sources: dict[str, float] = {}
        for won in life.won:
            sources[won.source or "-"] = sources.get(won.source or "-", 0.0) + 1
        if sources:
            share = "" if life.referral_share is None else f": {life.referral_share:g} % {t['won_by_referral']}"
            section(t["acquisition"], year.name, charts.bar_chart(f"{t['acquisition']}, {year.name}{share}",
                                                                  sorted(sources.items()), counts=True))
        if life.mentions:
            section(t["reputation"], year.name, charts.line_chart(f"{t['reputation']}, {year.name}",
                                                                  list(life.mention_trend)))

    # -- records: a register per form and year, every record on it in full ----------------------------------

    def record_pages(self) -> list[Page]:
        """One page per form and year: a filterable, sortable register on top, then every record in full
        (fields by their labels, status history, Git history, links both ways). Bounded pages however many
        records a manual keeps."""
        forms = {f.id: f for f in self.manual.forms}
        by_page: dict[tuple[str, str], list[Record]] = {}
        for record in self.manual.records:
            if record.form in forms:
                by_page.setdefault((record.form, record_year(record, forms[record.form])), []).append(record)
        referrers = self._referrers()
        return [Page(record_page(form_id, year, self.form_names),
                     self._record_page(forms[form_id], year, records, referrers))
                for (form_id, year), records in sorted(by_page.items())]

    def _referrers(self) -> dict[str, list[Record]]:
        """Record id -> the records whose reference fields name it."""
        forms = {f.id: f for f in self.manual.forms}
        found: dict[str, list[Record]] = {}
        for record in self.manual.records:
            form = forms.get(record.form)
            for field in form.fields if form else ():
                value = record.values.get(field.id)
                if field.type == "reference" and field.spec.get("of") == "record" and isinstance(value, str):
                    found.setdefault(value, []).append(record)
        return found

    def _record_link(self, record_id: str, here: str) -> Markup:
        """A link from the page `here` to a record's section on its form's page (Markdown, escaped)."""
        record = self.records_by_id.get(record_id)
        if record is None:
            return md(record_id)
        target = self.record_path(record)
        relative = "" if target == here else posixpath.relpath(target, posixpath.dirname(here))
        return Markup(f"[{md(record.id)}]({relative}#{self.record_anchors(record.id)})")  # noqa: S704 - built from escaped parts

    def _value(self, field: Any, value: Any, here: str) -> str:
        if isinstance(value, list):
            return ", ".join(self._value(field, item, here) for item in value)
        if isinstance(value, bool):
            return md(self.t["yes"] if value else self.t["no"])
        if field is not None and field.type == "reference" and isinstance(value, str):
            return self._reference(str(field.spec.get("of", "")), value, here)
        if field is not None and field.type == "date":  # a day for people: the language's form (ISO beside it)
            return dated(value)
        return cell(value)

    def _reference(self, of: str, value: str, here: str) -> str:
        """A referenced id as a link to its page where it has one, else its name."""
        if of == "record":
            return self._record_link(value, here)
        if of == "process" and value in self.processes:
            return link(self.processes[value].name, f"../../{self.process_path(value)}")
        if of == "document" and value in self.documents:
            return link(value, f"../../{self.doc_path(self.documents[value])}")
        return cell(self._name(value) if of == "person" else self.party_names.get(value, value))

    def _name(self, person_id: str) -> str:
        return self.people[person_id].name if person_id in self.people else person_id

    def _record_section(self, record: Record, fields: dict[str, Any], here: str, pointing: list[Record]) -> list[str]:
        t = self.t
        created = f"{cell(record.created_at)} · {cell(self._name(record.created_by))}"
        lines = [f"## {md(record.id)} {{#{self.record_anchors(record.id)}}}", "",
                 f"| {md(t['field'])} | {md(t['value'])} |", "|---|---|", f"| {md(t['created'])} | {created} |"]
        if record.status:
            lines.append(f"| {md(t['status'])} | {cell(record.status)} |")
        for field_id, value in record.values.items():
            field = fields.get(field_id)
            lines.append(f"| {cell(field.label if field else field_id)} | {self._value(field, value, here)} |")
        lines.append("")
        if record.history:
            lines += [f"**{md(t['status_history'])}**", "",
                      f"| {md(t['status'])} | {md(t['date'])} | {md(t['by'])} | {md(t['note'])} |", "|---|---|---|---|"]
            lines += [f"| {cell(s.state)} | {cell(s.at)} | {cell(self._name(s.by))} | {cell(s.note)} |"
                      for s in record.history]
            lines.append("")
        file = self.site.history.of(record.origin.path) if self.site.history.usable else None
        if file and file.revisions:
            lines += [f"**{md(t['history'])}**", "", f"| {md(t['revision'])} | {md(t['date'])} | {md(t['authors'])} |",
                      "|---|---|---|"]
            lines += [f"| {rev.number} | {cell(day(rev.date[:10]))} | "
                      f"{cell(', '.join(sorted(self.by_email.get(a.lower(), a) for a in rev.authors)))} |"
                      for rev in file.revisions]
            lines.append("")
        if pointing:
            lines += [f"**{md(t['referenced_by'])}:** " + ", ".join(self._record_link(r.id, here) for r in pointing),
                      ""]
        return lines

    def _record_page(self, form: Form, year: str, records: list[Record], referrers: dict[str, list[Record]]) -> str:
        t = self.t
        here = record_page(form.id, year, self.form_names)
        records = sorted(records, key=lambda r: (r.created_at, r.id))
        fields = {f.id: f for f in form.fields}
        lines = [f"# {md(form.title)} {md(year)}", "",
                 md(ngettext("{count} record. Type in the filter to narrow the list; select a column heading to "
                             "sort.", "{count} records. Type in the filter to narrow the list; select a column "
                             "heading to sort.", len(records)).format(count=i18n.format_number(len(records))))
                 + f" [{md(t['blank_form'])}]"
                 f"(../../{self.form_path(form.id)})", "", '<div class="qms-sortable" markdown>', "",
                 f"| {md(t['id'])} | {md(t['created'])} | {md(t['status'])} | {md(t['summary'])} |",
                 "|---|---|---|---|"]
        lines += [f"| [{md(r.id)}](#{self.record_anchors(r.id)}) | {dated(r.created_at[:10])} | {cell(r.status)} | "
                  f"{cell(summary(form, r, 80))} |" for r in records]
        lines += ["", "</div>", ""]
        for record in records:
            lines += self._record_section(record, fields, here, referrers.get(record.id, []))
        return "---\ntitle: " + str(yamlstr(f"{form.title} {year}")) + "\n---\n" + "\n".join(lines) + "\n"

    # -- evidence an auditor asks for ------------------------------------------------------------------------

    def open_actions(self) -> list[Record]:
        """Workflow records not yet in their final state: the list behind the home page's tile."""
        flows = {f.id: flow for f in self.manual.forms if (flow := workflow(f)) is not None}
        return sorted((r for r in self.manual.records if r.form in flows and r.status != flows[r.form].final),
                      key=lambda r: (r.created_at, r.id))

    def actions_page(self) -> str:
        t, today = self.t, self.site.today
        forms = {f.id: f for f in self.manual.forms}
        meaning = Meanings(self.manual)
        rows = []
        for record in self.open_actions():
            happened = meaning.event_day(record)  # the age of the matter, not of its entry
            age = (today - happened).days if happened else ""
            form = forms.get(record.form)
            due_field = (form.binds.get("due") or str(form.workflow.get("due_field", ""))) if form else ""
            due_day = day_of(record.values.get(due_field)) if due_field else None
            overdue = due_day is not None and due_day < today
            rows.append([self._record_link(record.id, "registers/actions.md"),
                         cell(form.title if form else record.form), cell(record.status),
                         dated(record.created_at[:10]), cell(age), dated(due_day) + (f" **{md(t['overdue'])}**"
                                                                               if overdue else ""),
                         cell(self._name(assignee(form, record)) if form else ""),
                         cell(summary(form, record, 120))])
        return self.table(t["open_actions"], [t["id"], t["form"], t["status"], t["created"], t["age_days"], t["due"],
                                              t["responsible"], t["summary"]], rows,
                          intro=md(ngettext(
                              "{count} workflow record (corrective actions, complaints, findings) not closed on "
                              "{day}, oldest first.", "{count} workflow records (corrective actions, complaints, "
                              "findings) not closed on {day}, oldest first.", len(rows)).format(
                              count=i18n.format_number(len(rows)), day=i18n.format_date(today))))

    def communication_page(self) -> str:
        """The communication plan (ISO 9001 7.4) with when each item was last held and is next due."""
        t, today = self.t, self.site.today
        names = {**{r.id: r.name for r in self.manual.roles}, **{p.id: p.name for p in self.manual.people},
                 **self.party_names, EVERYONE: t["everyone"]}
        rows = []
        for item in sorted(self.manual.communication, key=lambda c: c.id):
            due = next_due(item, today)
            late = f" **{md(t['overdue'])}**" if due is not None and due < today else ""
            rows.append([cell(item.what), cell(", ".join(names.get(w, w) for w in item.with_)), cell(item.how),
                         cell(names.get(item.who, item.who)), cell(t.get(f"when_{item.when}", item.when)),
                         dated(last_held(item) or ""), dated(due or "") + late])
        return self.table(t["communication"], [t["what"], t["with_whom"], t["how"], t["who"], t["how_often"],
                                                t["last_held"], t["next_due"]], rows, sortable=True)

    def competence_page(self) -> str:
        t, today = self.t, self.site.today
        index = Competences(self.manual, today)
        names = {c.id: c.name for c in self.manual.competences}
        window = self.manual.config.expiry_warning_days
        expired = [c for p in index.people for c in index.cells(p).values() if c.status == EXPIRED]
        soon = expiring(index, window)
        planned = planned_training(self.manual)
        lines = [f"# {md(t['competence'])}", "", md(t["competence_intro"].format(day=i18n.format_date(today))), ""]

        def section(anchor: str, title: str, columns: list[str], rows: list[list[str]]) -> None:
            lines.extend([f"## {md(title)} ({len(rows)}) {{#{anchor}}}", ""])
            if not rows:
                lines.extend([md(t["none"]), ""])
                return
            lines.extend(["| " + " | ".join(md(c) for c in columns) + " |", "|" + "---|" * len(columns)])
            lines.extend("| " + " | ".join(row) + " |" for row in rows)
            lines.append("")

        def training(person: str, competence: str) -> str:
            plan = planned.get((person, competence))
            return cell(f"{day(plan.planned)} {plan.provider}".strip()) if plan else ""

        section("expired", t["expired"], [t["person"], t["competence_name"], t["level"], t["valid_until"],
                                          t["required"], t["planned_training"]],
                [[cell(c.person.name), cell(names.get(c.competence, c.competence)), cell(c.level), dated(c.until),
                  cell(t["yes"] if c.required_level else t["no"]), training(c.person.id, c.competence)]
                 for c in sorted(expired, key=lambda c: (c.until or today, c.person.name))])
        section("expiring", t["expiring_within"].format(days=window),
                [t["person"], t["competence_name"], t["level"], t["valid_until"], t["planned_training"]],
                [[cell(c.person.name), cell(names.get(c.competence, c.competence)), cell(c.level), dated(c.until),
                  training(c.person.id, c.competence)] for c in soon])
        section("gaps", t["gaps"], [t["person"], t["role"], t["competence_name"], t["required"], t["held"],
                                    t["problem"], t["planned_training"]],
                [[cell(g.person.name), cell(self.roles.get(g.role, g.role)),
                  cell(names.get(g.competence, g.competence)), cell(g.required_level), cell(g.held_level),
                  cell(word(g.problem)), training(g.person.id, g.competence)] for g in gaps(index)])
        people = {p.id: p.name for p in self.manual.people}
        section("training", t["training_plan"], [t["person"], t["competence_name"], t["provider"], t["planned"],
                                                 t["status"], t["completed"], t["effectiveness"]],
                [[cell(people.get(x.person, x.person)), cell(names.get(x.competence, x.competence)),
                  cell(x.provider), dated(x.planned), cell(x.status), dated(x.completed),
                  cell(x.effectiveness or (t["not_evaluated"] if x.status == "done" else ""))]
                 for x in sorted(self.manual.training, key=lambda x: (x.planned, x.person))])
        owed = unread(self.manual, {row.id: row.revision for row in self.rows.values()})
        section("unread", t["unread"], [t["person"], t["title"], t["revision"]],
                [[cell(u.person.name), link(f"{u.document.id} {u.document.title}", self.doc_path(u.document)),
                  cell(u.revision)] for u in owed])
        columns = index.columns()
        marks = {VALID: "", EXPIRING: " ⚠", EXPIRED: " ✗", MISSING: " ✗"}
        section("matrix", t["matrix"], [t["person"], *(names.get(c, c) for c in columns)],
                [[cell(person.name), *(cell(f"{c.level or '·'}{marks[c.status]}") if (c := index.cells(person).get(
                    competence)) else "" for competence in columns)] for person in index.people])
        lines.append(md(t["matrix_legend"]))
        return "---\ntitle: " + str(yamlstr(t["competence"])) + "\n---\n" + "\n".join(lines) + "\n"

    def _coverage_link(self, owner: Any) -> Markup:
        if isinstance(owner, Document):
            return link(owner.id, self.doc_path(owner))
        if isinstance(owner, Process):
            return link(owner.name, self.process_path(owner.id))
        if owner in self.manual.forms:
            return link(owner.title, self.form_path(owner.id))
        return md(owner.id)

    # -- configuration --------------------------------------------------------------------------------------

    def nav(self) -> list[Any]:
        t = self.t
        past: list[Any] = [] if self.external else [
            {t["effective_on"]: "asof/index.md"},
            *([{t["releases"]: bounded([(label(r.tag.name), label(r.tag.name), path)
                                        for r, path in self.release_pages])}] if self.release_pages else [])]
        nav: list[Any] = [{t["home"]: "index.md"},
                          {t["documents"]: [{t["documents"]: "documents/index.md"}, *past, *self._document_nav()]}]
        if not self.external:
            forms = bounded([(label(f.title), label(f.title), self.form_path(f.id))
                             for f in sorted(self.manual.forms, key=lambda f: f.title)])
            obsolete = bounded([(label(d.id), label(f"{d.id} {self.title(d)}"), self.doc_path(d))
                                for d in self.visible_documents() if d.status == "obsolete"])
            nav += [{t["processes"]: [{t["processes"]: "processes/index.md"}, *self._process_nav()]},
                    {t["forms"]: [{t["forms"]: "forms/index.md"}, *forms]},
                    {t["registers"]: [{t["records"]: "records/index.md"},
                                      {t["open_actions"]: "registers/actions.md"},
                                      {t["audits"]: evidence.AUDITS}, {t["reviews"]: evidence.REVIEWS},
                                      {t["internal_complaints"]: evidence.COMPLAINTS},
                                      {t["feedback"]: feedback.PAGE},
                                      {t["communication"]: "registers/communication.md"},
                                      {t["competence"]: "competence.md"}, {t["risks"]: "registers/risks.md"},
                                      {t["objectives"]: "registers/objectives.md"}, {t["coverage"]: "coverage.md"},
                                      {t["dashboards"]: "dashboards.md"},
                                      {t["obsolete"]: ["obsolete/index.md", *obsolete]},
                                      {t["auditor"]: "auditor.md"}]}]
        return nav

    def _document_nav(self) -> list[Any]:
        """Documents by type (in the order qms.yaml declares the types), each type split into id ranges."""
        current = [d for d in self.visible_documents() if d.status != "obsolete"]
        order = {name: index for index, name in enumerate(self.manual.config.document_types)}
        by_type = grouped(sorted(current, key=lambda d: (order.get(d.type, len(order)), d.type, d.id)),
                          key=lambda d: d.type)
        return [{label(kind[:1].upper() + kind[1:]):
                 bounded([(label(d.id), label(f"{d.id} {self.title(d)}"), self.doc_path(d)) for d in documents])}
                for kind, documents in by_type.items()]

    def _process_nav(self) -> list[Any]:
        """Processes by category, each top-level process with its sub-processes beneath it."""
        children = grouped(sorted(self.manual.processes, key=lambda p: p.id), key=lambda p: p.parent)
        known = set(self.processes)

        def descendants(process: Process) -> list[Process]:
            # depth first without recursion (a parent chain may be as long as the manual), each process once
            found: list[Process] = []
            seen = {process.id}
            stack = list(reversed(children.get(process.id, [])))
            while stack:
                current = stack.pop()
                if current.id in seen:
                    continue
                seen.add(current.id)
                found.append(current)
                stack.extend(reversed(children.get(current.id, [])))
            return found

        def entries(processes: list[Process]) -> list[Any]:
            result: list[Any] = []
            for process in processes:
                page = self.process_path(process.id)
                below = descendants(process)
                leaves = [(label(p.name), label(p.name), self.process_path(p.id)) for p in below]
                result.append({label(process.name): [{label(process.name): page}, *bounded(leaves)]} if below
                              else {label(process.name): page})
            return result

        # a process whose parent is unknown is shown at the top, so no page is lost from the navigation
        top = [p for p in sorted(self.manual.processes, key=lambda p: p.id) if not p.parent or p.parent not in known]
        by_category = grouped(sorted(top, key=lambda p: (CATEGORY_ORDER.get(p.category, 9), p.category)),
                              key=lambda p: p.category)
        return [{label(self.t.get(f"category_{category}", category)): entries(processes)}
                for category, processes in by_category.items()]

    def config(self) -> dict[str, Any]:
        manual = self.manual
        config: dict[str, Any] = {
            "site_name": label(_("{organisation} — quality manual").format(organisation=manual.config.organisation)
                               if manual.config.organisation else _("Quality manual")),
            "docs_dir": "docs",
            "theme": {"name": "material", "language": self.language,
                      # no navigation.indexes: on every page it walks the children of every section shown (a
                      # thousand documents of one type, on each of their pages: a fifth of mkdocs' page time); a
                      # section's own page is its first entry instead of its title's link
                      "features": ["navigation.tabs", "navigation.sections", "navigation.prune", "navigation.top",
                                   "search.suggest", "search.highlight", "content.code.copy"],
                      "palette": [
                          {"media": "(prefers-color-scheme: light)", "scheme": "default",
                           "toggle": {"icon": "material/brightness-7", "name": _("Dark mode")}},
                          {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
                           "toggle": {"icon": "material/brightness-4", "name": _("Light mode")}}]},
            "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables", {"toc": {"permalink": True}},
                                    "pymdownx.details", "pymdownx.superfences"],
            # lunr stems words by the language (lunr-languages has Finnish), queries too (site/search.py)
            "plugins": [search.plugin(self.language, self.search_worker)],
            "extra_css": ["assets/qms.css"],
            "extra_javascript": ["assets/qms-texts.js", "assets/qms-tables.js"]
            + ([] if self.external else ["assets/qms-forms.js"]),
            "nav": self.nav(),
        }
        extra: dict[str, Any] = {}
        if self.site.alternates:  # mkdocs-material's language selector, in the order the languages were given
            extra["alternate"] = languages.selector(tuple(sorted((self.language, *self.site.alternates))))
        if self.language != i18n.SOURCE_LANGUAGE:  # the theme's footer credit is English whatever the language
            extra["generator"] = False
        if extra:
            config["extra"] = extra
        if absolute_url(manual.config.site_url) and not self.external:
            config["site_url"] = absolute_url(manual.config.site_url)
            if self.site.alternates:  # each language's pages live in its folder: canonical links and the sitemap
                config["site_url"] = config["site_url"].rstrip("/") + f"/{self.language}/"
        return config


def _without_title(document: Document) -> str:
    """The document's Markdown body without its first heading when that repeats the title (the page has one)."""
    lines = document.body.split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            if line.startswith("# ") and line[2:].strip().casefold() == document.title.strip().casefold():
                return "\n".join(lines[index + 1:]).strip() + "\n"
            break
    return document.body.strip() + "\n"


def release_paths(releases: Sequence[Release]) -> list[tuple[Release, str]]:
    """A page per release, named after its tag: distinct even when two tag names make the same slug."""
    taken = {"index"}
    found = []
    for release in releases:
        base = urls.slug(release.tag.name)[:80].strip("-.") or "release"  # a tag name may be longer than a file name
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name)
        found.append((release, f"asof/{name}.md"))
    return found


def build_pages(site: SiteInput) -> tuple[list[Page], dict[str, Any]]:
    language = i18n.supported(site.language) or i18n.supported(site.manual.config.language) or i18n.SOURCE_LANGUAGE
    with i18n.use(language):  # maps, charts and formats below read the language from the context
        builder = SiteBuilder(site)
        return builder.pages(), builder.config()
