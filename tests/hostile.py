"""A manual written by an attacker who can commit to it: an XSS payload in every string of every file.

The manual is the `qms init` template (not the example), plus records, training, exclusions and site settings so
that every file type and field is present. Every string value becomes `value + payload`, the payload chosen from
the value itself, so an id and every reference to it change alike and the manual still hangs together (and the
values fail their schemas, which the build must survive and escape). Every payload, if it ever runs, sets a
marker on <html> (`data-pwned`) or opens a dialog.
"""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path
from typing import Any

import yaml

from qmskit.loading.yamlsource import parse_yaml
from tests.conftest import TEMPLATE, commit_all, git

JS = "top.document.documentElement.dataset.pwned={n}"
PAYLOADS = (
    "<script>" + JS + "</script>",
    "</title><script>" + JS + "</script>",
    "</textarea><script>" + JS + "</script>",
    '<img src=x onerror="' + JS + '">',
    "<svg><script>" + JS + "</script></svg>",
    "<svg onload=" + JS + "></svg>",
    '" autofocus="" onfocus="' + JS + '" onmouseover="' + JS + '" x="',  # valid XML too (SVG)
    "' autofocus onfocus='" + JS + "' x='",
    "[click](javascript:" + JS + ")",
    '<a href="javascript:' + JS + '">a</a>',
    '<iframe srcdoc="<script>' + JS + '</script>"></iframe>',
    '<details open ontoggle="' + JS + '">x</details>',
    "<script>alert({n})</script>",
    "</script><script>" + JS + "</script>",
    "`` <!-- --><img src=x onerror=" + JS + "> ``",
    "<object data=\"javascript:" + JS + "\"></object><embed src=\"javascript:" + JS + "\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=" + JS + ">",
)
PAYLOADS = tuple(p.replace("{n}", str(n)) for n, p in enumerate(PAYLOADS, start=1))

BODY = "\n\n".join([
    "## Hostile section " + PAYLOADS[0],
    *(p for p in PAYLOADS if "<math>" not in p),
    "[a link](javascript:" + JS.format(n=90) + ")",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](x\" onerror=\"" + JS.format(n=91) + ")",
    "Text with attributes\n{: onclick=\"" + JS.format(n=92) + "\" autofocus onfocus=\"" + JS.format(n=92) + "\"}",
    "<div markdown=\"1\" onmouseover=\"" + JS.format(n=93) + "\">**bold** <b onclick=x>b</b></div>",
    "<form action=\"javascript:" + JS.format(n=94) + "\"><button>go</button></form>",
    "<style>html{background:url(javascript:x)}</style><p style=\"background:url(javascript:x)\">styled</p>",
    "<svg><a xlink:href=\"javascript:" + JS.format(n=95) + "\"><text y=\"20\">svg link</text></a></svg>",
    "<base href=\"javascript:/\"><meta http-equiv=\"refresh\" content=\"0;url=javascript:" + JS.format(n=96) + "\">",
    "```\n`````\n# Approved by everybody\n```",
    "| a | b |\n|---|---|\n| <img src=x onerror=" + JS.format(n=97) + "> | [x](javascript:" + JS.format(n=98) + ") |",
    *(p for p in PAYLOADS if "<math>" in p),  # last: its unclosed <style> swallows the rest, as HTML parsers do
])

# Documents that keep `status: active` and `audience: external`, so that the external build has pages to open.
_EXTERNAL = ("POL-001", "QM-001")


def hostile(value: str) -> str:
    return value + PAYLOADS[zlib.crc32(value.encode("utf-8")) % len(PAYLOADS)]


def poison(data: Any, keep: frozenset[str] = frozenset(), key: str = "") -> Any:
    """Every string (and every key of a mapping whose keys are data, such as document types) made hostile."""
    if isinstance(data, dict):
        data_keys = key in ("document_types", "values", "transitions", "requires")
        return {(hostile(k) if data_keys else k): (v if k in keep else poison(v, keep, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [poison(item, keep, key) for item in data]
    if isinstance(data, str):
        return hostile(data)
    return data


def _load(path: Path) -> Any:
    """Read as qmskit reads a manual (YAML 1.2; PyYAML alone refuses some plain scalars the template uses)."""
    return parse_yaml(path.read_text(encoding="utf-8"), path.name).data


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def _extras(manual: Path) -> None:
    """Files the template lacks: a workflow form with records, training, exclusions, site settings."""
    config = _load(manual / "qms.yaml")
    config["organisation"] |= {"address": "Street 1", "country": "Finland", "website": "https://example.com"}
    config["site"] = {"url": "https://qms.example.com/", "title": "Quality manual"}
    config["exclusions"] = [{"clause": "8.3", "justification": "We do not design products; customers do."}]
    _dump(manual / "qms.yaml", config)
    form = _load(manual / "forms/nonconformity.yaml")
    form["description"] = "Report what went wrong."
    form["fields"] += [{"id": "kind", "label": "Kind", "type": "choice", "options": ["product", "service"],
                        "section": "Details", "help": "Pick one"}]
    form["workflow"] = {"states": ["reported", "closed"], "transitions": {"reported": ["closed"]}, "open": ["reported"]}
    _dump(manual / "forms/nonconformity.yaml", form)
    for number, form_id, prefix in ((1, "nonconformity", "NC"), (2, "operations-record", "OR")):
        record = {"id": f"{prefix}-2026-000{number}", "form": form_id, "form_revision": 1,
                  "created_at": "2026-02-03T10:10:00+02:00", "created_by": "first-person",
                  "values": {"detected": "2026-02-03", "description": "A broken part", "kind": "product"}}
        if form_id == "nonconformity":
            record |= {"status": "reported", "history": [{"state": "reported", "at": "2026-02-03T10:10:00+02:00",
                                                          "by": "first-person"}]}
        folder = manual / "records" / form_id
        folder.mkdir(parents=True, exist_ok=True)
        _dump(folder / f"{record['id']}.yaml", record)
    _evidence_records(manual)
    _dump(manual / "organisation/training.yaml", {"training": [
        {"id": "TR-2026-01", "person": "first-person", "competence": "qms-awareness", "planned": "2026-03-10",
         "status": "done", "completed": "2026-03-12", "provider": "A college", "cost": 450,
         "effectiveness": "Checked after a month."}]})


def _evidence_records(manual: Path) -> None:
    """Records of every purpose the site's evidence pages read (reviews, audits, internal and customer complaints,
    feedback), and a form for internal complaints, which the template lacks. Their `purpose:` stays readable (see
    make_hostile_manual), so the pages list them and the payloads reach every cell."""
    _dump(manual / "forms/internal-complaint.yaml", {
        "id": "internal-complaint", "title": "Internal complaint", "record_prefix": "IC",
        "purpose": "internal-complaint",
        "binds": {"date": "noticed", "receiving-process": "from", "supplying-process": "to", "input": "input",
                  "problem": "problem", "delay": "delay"},
        "fields": [{"id": "noticed", "label": "Noticed", "type": "date", "required": True},
                   {"id": "from", "label": "Complaining process", "type": "reference", "of": "process"},
                   {"id": "to", "label": "Supplying process", "type": "reference", "of": "process"},
                   {"id": "input", "label": "Input", "type": "text"},
                   {"id": "problem", "label": "Problem", "type": "choice", "options": ["late", "faulty"]},
                   {"id": "delay", "label": "Days late", "type": "number"}],
        "workflow": {"states": ["received", "closed"], "transitions": {"received": ["closed"]}}})
    # the customer's life (issue 17): sales with a product line, a customer won by referral, public feedback
    _dump(manual / "forms/sale-entry.yaml", {
        "id": "sale-entry", "title": "Sale", "record_prefix": "SE", "purpose": "sale",
        "binds": {"customer": "buyer", "date": "sold", "value": "amount", "cost": "spent", "line": "line"},
        "fields": [{"id": "buyer", "label": "Buyer", "type": "reference", "of": "customer", "required": True},
                   {"id": "sold", "label": "Sold on", "type": "date", "required": True},
                   {"id": "amount", "label": "Amount", "type": "number", "required": True},
                   {"id": "spent", "label": "Cost", "type": "number"},
                   {"id": "line", "label": "Product line", "type": "text"}]})
    _dump(manual / "forms/won-customer.yaml", {
        "id": "won-customer", "title": "Customer won", "record_prefix": "WC", "purpose": "acquisition",
        "binds": {"customer": "who", "date": "won", "source": "how", "referred-by": "by"},
        "fields": [{"id": "who", "label": "Customer", "type": "reference", "of": "customer", "required": True},
                   {"id": "won", "label": "Won on", "type": "date", "required": True},
                   {"id": "how", "label": "How", "type": "text", "required": True},
                   {"id": "by", "label": "Referred by", "type": "reference", "of": "customer"}]})
    day = "2026-02-03"
    records = {
        "sale-entry": {"buyer": "customer", "sold": day, "amount": 1200, "spent": 700, "line": "Machining"},
        "won-customer": {"who": "customer", "won": "2026-01-10", "how": "Trade fair"},
        "public-feedback": {"published": day, "where": "review-site", "tone": "negative", "customer": "customer",
                            "what": "Late again"},
        "internal-audit": {"process": "operations", "date": day, "findings": "Finding NC-2026-0001"},
        "management-review": {"date": "2026-06-01", "inputs": "All of them", "decisions": "Decide things"},
        "customer-complaint": {"customer": "customer", "received": day, "description": "Broken",
                               "answered": "2026-02-05"},
        "customer-feedback": {"customer": "customer", "received": day, "recommend": 3, "satisfaction": 2,
                              "comment": "Bad", "follow-up": ""},
        "internal-complaint": {"noticed": day, "from": "operations", "to": "support", "input": "Parts",
                               "problem": "late", "delay": 2},
    }
    prefixes = {"internal-audit": "IA", "management-review": "MR", "customer-complaint": "CC",
                "customer-feedback": "CF", "internal-complaint": "IC", "sale-entry": "SE", "won-customer": "WC",
                "public-feedback": "PUB"}
    for form_id, values in records.items():
        record = {"id": f"{prefixes[form_id]}-2026-0001", "form": form_id, "form_revision": 1,
                  "created_at": f"{day}T10:10:00+02:00", "created_by": "first-person", "values": values}
        if form_id == "internal-complaint":
            record |= {"status": "received", "history": [{"state": "received", "at": f"{day}T10:10:00+02:00",
                                                          "by": "first-person"}]}
        folder = manual / "records" / form_id
        folder.mkdir(parents=True, exist_ok=True)
        _dump(folder / f"{record['id']}.yaml", record)


def _poison_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    external = meta["id"] in _EXTERNAL
    if external:
        meta["audience"] = "external"
    meta |= {"summary": "A summary", "references": ["PRO-001"], "roles": ["quality-manager"]}
    meta = poison(meta, frozenset({"status", "audience"}) if external else frozenset())
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"
                    + body + "\n" + BODY + "\n", encoding="utf-8")


def make_hostile_manual(target: Path) -> Path:
    """The hostile manual in a Git repository whose commit subject and author are hostile too."""
    shutil.copytree(TEMPLATE, target)
    _extras(target)
    for path in sorted(target.rglob("*.yaml")):
        # `baseline.until: first-commit` stays: without a released baseline nothing is approved, and the external
        # site (which shows approved texts only) would have no document page to attack
        # `purpose:` stays too: it is a keyword, and the pages that read records by purpose must be attacked as well
        _dump(path, poison(_load(path), frozenset({"until", "purpose"})))
    for path in sorted((target / "documents").glob("*.md")):
        _poison_document(path)
    git(target, "init", "-q", "-b", "main")
    commit_all(target, "Release " + PAYLOADS[1] + " " + PAYLOADS[3],
               who=("Mallory " + PAYLOADS[0], "mallory@evil.example"))
    _release_tags(target)
    return target


def _release_tags(target: Path) -> None:
    """Two release tags as `qms release` names them, whose names (as far as Git allows) and messages are hostile."""
    organisation = _load(target / "qms.yaml")["organisation"]["name"]
    names = ("r1<svg/onload=" + JS.format(n=41) + ">", 'r2"><img/src=x/onerror=' + JS.format(n=42) + ">")
    for name, payload in zip(names, (PAYLOADS[0], PAYLOADS[9]), strict=True):
        message = (f"Release {name} of the quality manual of {organisation}\n\nPOL-001 rev 1 {payload}\n\n"
                   f"Accepted findings (1):\n- {payload}\n  accepted by Mallory {PAYLOADS[13]}: ``` {PAYLOADS[2]}\n")
        git(target, "tag", "-a", name, "-m", message)
