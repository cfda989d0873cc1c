"""Pages of the evidence an auditor asks for in 9.2, 9.3 and 10.2: each management review's pack beside its own
record, the internal audit programme with its findings and the actions they raised, and the internal complaints
between processes. Pure Markdown from the model, every value escaped (site/markup.py), every figure read through
declared meanings, so any manual's forms work.

The functions that count (`reviews`, `audit_list`, `complaint_list`) are the ones the pages list, so the home
page's tiles and the lists they link to cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from qmskit import i18n, urls
from qmskit.analysis import measures
from qmskit.analysis.handovers import InternalComplaint, internal_complaints, pairs
from qmskit.analysis.management import review_markdown
from qmskit.analysis.programme import Audit, Programme, programme
from qmskit.analysis.reviews import HeldReview, held_reviews
from qmskit.control.register import add_months
from qmskit.site.markup import cell, dated, link, md, yamlstr

if TYPE_CHECKING:
    from qmskit.site.generate import SiteBuilder

REVIEWS = "registers/reviews/index.md"
# Each review pack reads every record of the manual: packs are rebuilt for the reviews of one certification cycle,
# and for at most this many of them (the latest), so the build stays bounded however many reviews were held.
PACK_YEARS, MOST_PACKS = 3, 12
AUDITS = "registers/audits.md"
COMPLAINTS = "registers/internal-complaints.md"


def _front(title: str) -> str:
    return "---\ntitle: " + str(yamlstr(title)) + "\n---\n"


def _table(columns: list[str], rows: Sequence[Sequence[str]], empty: str) -> list[str]:
    if not rows:
        return [md(empty), ""]
    return ["| " + " | ".join(md(c) for c in columns) + " |", "|" + "---|" * len(columns),
            *("| " + " | ".join(row) + " |" for row in rows), ""]


# -- management reviews (9.3) ------------------------------------------------------------------------------------


def reviews(site: SiteBuilder) -> list[HeldReview]:
    """The reviews held by the day of the build, newest first: the list behind the home page's tile."""
    return held_reviews(site.manual, site.site.today, site.meaning)[::-1]


def review_paths(held: list[HeldReview]) -> dict[str, str]:
    """Record id -> its review page, one per review however the ids slug."""
    names = urls.distinct_names(h.record.id for h in held)  # never `index`: the register of reviews is that page
    return {record_id: f"registers/reviews/{name}.md" for record_id, name in names.items()}


def review_pages(site: SiteBuilder) -> list[tuple[str, str]]:
    """(path, Markdown) of the list of reviews and of each review's page."""
    held = reviews(site)
    paths = review_paths(held)
    since = add_months(site.site.today, -12 * PACK_YEARS)
    packed = {h.record.id for h in held[:MOST_PACKS] if h.day >= since}
    return [(REVIEWS, _review_index(site, held, paths)),
            *((paths[h.record.id], _review_page(site, h, paths, h.record.id in packed)) for h in held)]


def _review_index(site: SiteBuilder, held: list[HeldReview], paths: dict[str, str]) -> str:
    t = site.t
    rows = [[link(i18n.format_date(h.day), paths[h.record.id].rsplit("/", 1)[1]),
             site._record_link(h.record.id, REVIEWS), cell(h.span.name),
             cell(site.meaning.value(h.record, "decisions") or "")] for h in held]
    lines = [f"# {md(t['reviews'])}", "", md(t["reviews_intro"].format(count=len(held))), "",
             *site.notices(site.meaning.unbound("reviews", "management-review")),
             *_table([t["review_held"], t["record"], t["period_covered"], t["decisions"]], rows, t["none"])]
    return _front(t["reviews"]) + "\n".join(lines) + "\n"


def _review_page(site: SiteBuilder, held: HeldReview, paths: dict[str, str], with_pack: bool) -> str:
    """The review's own record (its outputs, 9.3.3) and the pack of inputs (9.3.2) for the period it covered,
    rebuilt from the records as they stand on the day of the build."""
    t, record = site.t, held.record
    here = paths[record.id]
    form = site.forms.get(record.form)
    fields = {f.id: f for f in form.fields} if form else {}
    previous = (link(held.previous.id, paths[held.previous.id].rsplit("/", 1)[1])
                if held.previous and held.previous.id in paths else md(t["none_before"]))
    title = t["review_title"].format(day=i18n.format_date(held.day))
    lines = [f"# {md(title)}", "",
             f"**{md(t['review_held'])}:** {md(i18n.format_date(held.day))} · **{md(t['period_covered'])}:** "
             f"{md(held.span.name)} · **{md(t['record'])}:** {site._record_link(record.id, here)} · "
             f"**{md(t['previous_review'])}:** {previous}", "",
             f"## {md(t['review_outputs'])} {{#outputs}}", "",
             f"| {md(t['field'])} | {md(t['value'])} |", "|---|---|"]
    lines += [f"| {cell(fields[k].label if k in fields else k)} | {site._value(fields.get(k), v, here)} |"
              for k, v in record.values.items()]
    lines += ["", f"## {md(t['review_inputs'])} {{#inputs}}", ""]
    if not with_pack:
        lines += [md(t["review_no_pack"].format(years=PACK_YEARS, most=MOST_PACKS)), ""]
        return _front(title) + "\n".join(lines) + "\n"
    lines += [md(t["review_inputs_intro"]), ""]
    pack = review_markdown(site.manual, site.site.history, held.span, held.day, site.control, held=record)
    for line in pack.split("\n")[1:]:  # its own title is the page's
        lines.append("#" + line if line.startswith("#") else line)  # one level below the page's sections
    return _front(title) + "\n".join(lines) + "\n"


# -- internal audit programme (9.2) ------------------------------------------------------------------------------


def audit_list(site: SiteBuilder) -> list[Audit]:
    """Every internal audit, newest first: the list behind the home page's tile."""
    return list(_programme(site).audits)


def _programme(site: SiteBuilder) -> Programme:
    return programme(site.manual, measures.period(str(site.site.today.year)), site.site.today, site.meaning)


def audits_page(site: SiteBuilder) -> str:
    t, today = site.t, site.site.today
    plan = _programme(site)
    year = str(today.year)
    status = {"done": t["audit_done"], "planned": t["audit_planned"], "overdue": t["overdue"],
              "never": t["audit_never"], "not-due": t["audit_not_due"]}

    def audit_link(audit: Audit | None) -> str:
        if audit is None:
            return ""
        return f"{site._record_link(audit.record.id, AUDITS)} ({md(i18n.format_date(audit.day) if audit.day else '')})"

    def raised(audit: Audit) -> str:
        return ", ".join(f"{site._record_link(r.id, AUDITS)} ({md(r.status or t['no_status'])})"
                         for r in audit.raised)

    lines = [f"# {md(t['audits'])}", "",
             md(t["audits_intro"].format(months=plan.cycle_months, day=i18n.format_date(today), year=year)), "",
             *site.notices(site.meaning.unbound("audits", "audit")),
             f"## {md(t['audits_by_process'].format(year=year))} {{#programme}}", ""]
    lines += _table([t["process"], t["last_audit"], t["audited_in"].format(year=year), t["next_due"], t["status"]],
                    [[site._process_link(row.process.id, "../processes/"), audit_link(row.last),
                      ", ".join(site._record_link(a.record.id, AUDITS) for a in row.done),
                      dated(row.due),
                      _status(status[row.status], row.status in ("overdue", "never"))]
                     for row in plan.plan], t["none"])
    lines += [f"## {md(t['audits_by_clause'].format(year=year))} {{#clauses}}", ""]
    lines += _table([t["clause"], t["processes"], t["audited_in"].format(year=year)],
                    [[cell(row.clause), ", ".join(site._process_link(p.id, "../processes/") for p in row.processes),
                      ", ".join(site._record_link(a.record.id, AUDITS) for a in row.done) or md(t["not_audited"])]
                     for row in plan.clauses], t["none"])
    lines += [f"## {md(t['audit_findings'])} ({len(plan.audits)}) {{#audits}}", "", md(t["audit_findings_intro"]), ""]
    lines += _table([t["date"], t["audit"], t["process"], t["conclusion"], t["findings"], t["nonconformities"],
                     t["actions_raised"]],
                    [[dated(a.day), site._record_link(a.record.id, AUDITS),
                      site._process_link(a.process, "../processes/"), cell(a.conclusion), cell(a.findings),
                      cell("" if a.nonconformities is None else f"{a.nonconformities:g}"), raised(a)]
                     for a in plan.audits], t["none"])
    return _front(t["audits"]) + "\n".join(lines) + "\n"


def _status(text: str, alarming: bool) -> str:
    return f"**{md(text)}**" if alarming else md(text)


# -- internal complaints between processes -----------------------------------------------------------------------


def complaint_list(site: SiteBuilder) -> list[InternalComplaint]:
    """Every internal complaint, oldest first: the list behind the home page's tile."""
    return internal_complaints(site.manual, site.meaning)


def complaints_page(site: SiteBuilder) -> str:
    t = site.t
    every = complaint_list(site)
    process = site._process_link
    prefix = "../processes/"

    def row(c: InternalComplaint) -> list[str]:
        problem = c.problem + (f" ({c.delay:g} {t['days']})" if c.delay else "")
        state = c.record.status or (t["open"] if c.open else "")
        return [site._record_link(c.record.id, COMPLAINTS), dated(c.day),
                process(c.receiver, prefix), process(c.supplier, prefix), cell(c.input), cell(problem), cell(state),
                dated(c.closed)]

    columns = [t["id"], t["date"], t["complained_by"], t["complained_about"], t["input"], t["problem"], t["status"],
               t["closed"]]
    lines = [f"# {md(t['internal_complaints'])}", "",
             md(t["internal_complaints_intro"].format(count=len(every), open=sum(1 for c in every if c.open))), "",
             *site.notices(site.meaning.unbound("internal complaints", "internal-complaint")),
             f"## {md(t['per_pair'])} {{#pairs}}", ""]
    lines += _table([t["complained_by"], t["complained_about"], t["complaints_count"], t["late"], t["faulty"],
                     t["days_late"], t["open_count"]],
                    [[process(p.receiver, prefix), process(p.supplier, prefix), cell(p.complaints), cell(p.late),
                      cell(p.other), cell(f"{p.days_late:g}"), cell(p.open)] for p in pairs(every)], t["none"])
    involved = sorted({*(c.receiver for c in every), *(c.supplier for c in every)},
                      key=lambda p: (site.processes[p].name if p in site.processes else p, p))
    anchors = {process_id: f"process-{name}" for process_id, name in urls.distinct_names(involved, frozenset()).items()}
    lines += [f"## {md(t['by_process'])} {{#by-process}}", ""]
    for process_id in involved:
        name = site.processes[process_id].name if process_id in site.processes else process_id
        received = [c for c in every if c.supplier == process_id]
        made = [c for c in every if c.receiver == process_id]
        lines += [f"### {md(name)} {{#{anchors[process_id]}}}", "",
                  f"**{md(t['complaints_received'].format(count=len(received)))}**", "",
                  *_table(columns, [row(c) for c in received], t["none"]),
                  f"**{md(t['complaints_made'].format(count=len(made)))}**", "",
                  *_table(columns, [row(c) for c in made], t["none"])]
    lines += [f"## {md(t['all_complaints'])} ({len(every)}) {{#complaints}}", ""]
    lines += _table(columns, [row(c) for c in every], t["none"])
    return _front(t["internal_complaints"]) + "\n".join(lines) + "\n"
