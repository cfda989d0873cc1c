"""Where qmskit itself lives: the links its reports give (SARIF's tool and rule help pages)."""

from __future__ import annotations

REPOSITORY = "https://github.com/qmskit/qmskit"
# Generated from the rule catalogue (tools/make_rules_page.py); a test keeps it current.
RULES_PAGE_PATH = "docs/rules.md"
RULES_PAGE = f"{REPOSITORY}/blob/main/{RULES_PAGE_PATH}"


def rule_help(rule_id: str) -> str:
    return f"{RULES_PAGE}#{rule_id.lower()}"
