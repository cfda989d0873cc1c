"""docs/rules.md: every rule on one page, one heading per id, so SARIF's helpUri and people can link to it."""

from __future__ import annotations

from qmskit.rules.catalog import RULES


def rules_page() -> str:
    listed = sorted(RULES.values(), key=lambda r: r.id)
    lines = ["# Rules", "",
             "Every finding `qms validate` reports carries one of these ids. Ids never change meaning once "
             "released. Switch a rule off or change its severity in `qms.yaml` (`rules: {ignore: [...], "
             "severity: {...}}`) or per run (`--select`, `--ignore`).", "",
             "<!-- Generated from qmskit/rules/catalog.py by `python tools/make_rules_page.py`; do not edit. -->",
             ""]
    for rule in listed:
        lines += [f"## {rule.id}", "", f"**{_text(rule.title)}** (default severity: {rule.severity.label})", "",
                  _text(rule.hint), ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    """Catalogue text inside Markdown: no raw HTML."""
    return value.replace("<", "&lt;").replace(">", "&gt;")
