"""Write docs/rules.md from the rule catalogue: python tools/make_rules_page.py"""

from __future__ import annotations

from pathlib import Path

from qmskit.atomic import write_text
from qmskit.project import RULES_PAGE_PATH
from qmskit.rules.page import rules_page

if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / RULES_PAGE_PATH
    write_text(target, rules_page())
    print(f"wrote {target}")
