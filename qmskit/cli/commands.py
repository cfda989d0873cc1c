"""Which module registers each command, and the first paragraph of its help.

`qms --help` lists the commands from this table, and `qms CMD` imports only CMD's module, so no command pays
for the libraries of the others (start-up, see benchmarks/bench_startup.py). A test checks the table against the
commands themselves.
"""

from __future__ import annotations

# command or command group -> (module in qmskit.cli, first paragraph of its help), in the order `--help` lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "Check the manual against its schemas and the ISO 9001 rules. Exit 0 clean, 1 findings, "
                             "2 usage error."),
    "rules": ("validate", "List every rule with its id, default severity and title."),
    "coverage": ("coverage", "Clause coverage per standard the manual declares, or what moving to another edition "
                             "changes."),
    "init": ("manual", "Start a new manual that validates clean."),
    "schemas": ("manual", "The JSON Schemas editors use to check the manual's YAML files as you type."),
    "new": ("new", "Start a new document, process or form with the next free id."),
    "register": ("control", "The master list of documents: each one's effective (last approved) revision, and what "
                            "is pending approval."),
    "history": ("control", "A document's revisions on the main line, with who wrote and who approved each one."),
    "approve": ("control", "Record your approval of documents' latest revisions in Git notes (refs/notes/qms)."),
    "approvals": ("control", "Bring approvals recorded elsewhere (pull request reviews) into Git notes."),
    "changes": ("control", "What a branch changes in the manual, with old and new revisions and a diff, for "
                           "reviewers."),
    "release": ("control", "Tag the current manual: an annotated tag listing every controlled document's revision "
                           "and commit."),
    "record": ("records", "Fill in a form (a new record) or move a workflow record on."),
    "records": ("intake", "List records (the default), import or add them."),
    "form": ("intake", "Form templates: print a blank form or its JSON Schema."),
    "competence": ("competence", "The competence matrix (people x competences, levels and validity), or its gaps, "
                                 "expiring or unread."),
    "ack": ("competence", "Record that you have read and understood the current revision of a document."),
    "report": ("reports", "Reports for management: KPIs, customers, order flow, management review, charts."),
    "todo": ("reports", "What each person owes: document reviews, approvals, corrective actions, training, renewals, "
                        "reading,\ncommunication that is due. `--format markdown` is ready to send by e-mail or chat."),
    "diagram": ("diagram", "Draw process maps with Graphviz: the interaction map, a process card, or the value "
                           "chain."),
    "build": ("site", "Publish the manual as a static site (mkdocs-material): documents with their revisions, "
                      "processes with\ndiagrams, forms, registers, clause coverage, an auditor's guide."),
    "serve": ("site", "Generate the site and serve it locally (mkdocs serve). Re-run after editing the manual."),
    "pdf": ("pdf", "Print the manual (or one document) to PDF through the published site and headless Chromium: "
                   "each\ndocument with its revision, effective date and approvers, every page marked uncontrolled "
                   "when printed."),
}

MODULES: tuple[str, ...] = tuple(dict.fromkeys(module for module, _ in COMMANDS.values()))


def modules_for(argv: list[str]) -> tuple[str, ...]:
    """The command modules a command line needs: the named command's, or all of them when it names none we know
    (help, completion and click's "no such command" with suggestions need the whole list)."""
    values = {i + 1 for i, arg in enumerate(argv) if arg == "--lang"}  # `qms --lang fi validate`: fi is no command
    name = next((arg for i, arg in enumerate(argv) if not arg.startswith("-") and i not in values), None)
    if name is None or name not in COMMANDS:
        return () if name is None else MODULES
    return (COMMANDS[name][0],)
