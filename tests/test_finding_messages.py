"""Every finding message in the reader's language (issue 18): findings carry their catalogue template and values,
text output writes them in the chosen language, machine formats and finding ids stay English and unchanged.

Tested on the second manual (tests/data/manuals/itservices) broken in many ways, with hostile values (markup,
braces, `%s`) in the manual, and on the example."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from qmskit import catalogues, i18n
from qmskit.check import check_manual
from qmskit.diagnostics import Diagnostic, Location, Severity, finding
from qmskit.loading.load import TRANSLATION_KEYS
from qmskit.loading.schemas import explain
from qmskit.messages import (
    Article,
    Count,
    Day,
    Join,
    Message,
    Word,
    from_data,
    message_from_data,
    message_to_data,
    say,
    templates,
    to_data,
)
from tests.conftest import Result, commit_all, edit
from tests.test_control import APPROVED_BY_MIKKO, DOC, MIKKO, change, merged
from tests.test_i18n_reports import english_left

Qms = Callable[..., Result]
GOLDEN = Path(__file__).parent / "data" / "finding_ids.json"
HOSTILE = "ghost-{x} %s <b>bold</b> [red]"
FLOW = "Tools {0} %(x)s <i>it</i>"


def _break(root: Path) -> None:
    """The second manual broken in many ways, one or more per family of rules."""
    processes, organisation = root / "processes", root / "organisation"
    # document control: a document whose id changed in a commit nobody approved
    edit(root / "documents/PRO-002-operations.md", "id: PRO-002", "id: PRO-092")
    commit_all(root, "Renumber the operations procedure")
    # references, with a hostile id; schema: an enum, a type, a required property; YAML: a duplicate key
    edit(processes / "governance.yaml", "owner: top-management", f'owner: "{HOSTILE}"')
    edit(processes / "governance.yaml", "category: management", "category: managment")
    edit(processes / "governance.yaml", "purpose: Set direction", "purpose: Again\npurpose: Set direction")
    edit(organisation / "roles.yaml", "requires: [{competence: qms-awareness, level: 2}]",
         "requires: [{competence: qms-awareness, level: two}]")
    edit(processes / "people-and-tools.yaml", "name: People, tools and hosting\n", "")
    # processes: a flow the receiver does not list, with a hostile name
    edit(processes / "people-and-tools.yaml", "outputs:\n", f'outputs:\n  - {{name: "{FLOW}", to: governance}}\n')
    # competence: an expired qualification
    edit(organisation / "people.yaml", '{competence: qms-awareness, level: 3, gained: "2025-01-10"}',
         '{competence: qms-awareness, level: 3, gained: "2025-01-10", valid_until: "2026-01-31"}')
    # records: a value under the form's minimum, a status the form does not know
    edit(root / "records/billing-entry/BE-2025-0001.yaml", "net-eur: 30000", "net-eur: -5")
    edit(root / "records/incident-report/IR-2026-0001.yaml", "status: closed", "status: shelved")
    # translations: of a missing document; with a key a translation may not have, in a language without a site
    (root / "documents/PRO-404-missing.fi.md").write_text("---\ntitle: Puuttuva\n---\n# Puuttuva\n",
                                                           encoding="utf-8")
    (root / "documents/PRO-002-operations.fi.md").write_text("---\ntitle: Toimitus\ncolour: red\n---\n# T\n",
                                                              encoding="utf-8")
    (root / "documents/PRO-001-documented-information.sv.md").write_text("---\ntitle: Styrning\n---\n# S\n",
                                                                          encoding="utf-8")
    # files: empty, not UTF-8
    (root / "forms/empty.yaml").write_text("", encoding="utf-8")
    (processes / "latin.yaml").write_bytes(b"id: latin\nname: Caf\xe9\n")
    (processes / "syntax.yaml").write_text("id: syntax\nname: [a, b\n", encoding="utf-8")


@pytest.fixture
def broken(itservices: Path) -> Path:
    _break(itservices)
    return itservices


def _text(result: Result) -> str:
    """Text output without the quoted source lines (the manual's own words) and with wrapping undone."""
    kept = [line for line in result.out.splitlines() if not re.match(r"\s+\d*\s*\|", line)]
    return " ".join(" ".join(kept).split())


# What a message quotes from files and schemas rather than says: paths, dotted and hyphenated names
# (approvals.evidence, Approved-by), bracketed lists (a schema's allowed values, rule ids), a field name before
# its value (`category: 'x'`, `documents 'PRO-002'`) and the keys a translation may have.
_QUOTED = re.compile(r"\S+/\S+|\S+\.(?:yaml|md|json)\b|\b\w+(?:[.-]\w+)+\b|\[[^\]]*\]|\b\w+(?=:? ')|"
                     rf"\b(?:{'|'.join(TRANSLATION_KEYS)})\b")


def _english_left(result: Result, manual: Path) -> dict[str, str]:
    """Catalogue English in the text output, leaving out what messages quote. The manual's non-UTF-8 file goes
    first: the helper reads every file as text."""
    (manual / "processes/latin.yaml").unlink(missing_ok=True)
    return english_left(_QUOTED.sub(" ", _text(result)), manual)


def _ids(diagnostics: list[dict[str, object]]) -> list[str]:
    return sorted(hashlib.sha256("\x1f".join((str(d["rule"]), str(d["path"]), str(d["message"])))
                                 .encode("utf-8")).hexdigest() for d in diagnostics)


# -- the whole output ------------------------------------------------------------------------------------------

def test_a_broken_manual_in_finnish_has_no_english_template_left(broken: Path, qms: Qms) -> None:
    finnish = qms("validate", broken, "--lang", "fi")
    assert finnish.code == 1
    assert "virhe" in finnish.out and "QMS-REF-001" in finnish.out
    data = qms("validate", broken, "--format", "json").json()
    rules = {d["rule"] for d in data["diagnostics"]}
    assert {"QMS-REF-001", "QMS-SCHEMA-001", "QMS-YAML-002", "QMS-PROC-002", "QMS-COMP-002", "QMS-REC-001",
            "QMS-REC-004", "QMS-TRN-001", "QMS-TRN-002", "QMS-TRN-004", "QMS-FILE-004", "QMS-FILE-005",
            "QMS-CTRL-007"} <= rules, rules
    english_run = qms("validate", broken, "--lang", "en")
    assert _english_left(finnish, broken) == {}
    # the check finds English where there is English: the same run in English
    english = _english_left(english_run, broken)
    assert len(english) >= 10, english


def test_the_example_in_finnish_has_no_english_template_left(example: Path, qms: Qms) -> None:
    result = qms("validate", example, "--lang", "fi")
    assert result.out.count("[QMS-") >= 10
    assert _english_left(result, example) == {}


# -- each family keeps the manual's values as written -----------------------------------------------------------

@pytest.mark.parametrize(("family", "expected"), [
    ("reference", f"owner '{HOSTILE}' ei ole tunnettu rooli [QMS-REF-001]"),
    ("schema", "category: 'managment' ei ole mikään sallituista arvoista ['management', 'core', 'support']"),
    ("schema", "roles/0/requires/0/level: 'two' ei ole tyyppiä 'integer'"),
    ("schema", "pakollinen kenttä puuttuu: 'name'"),
    ("yaml", "avain 'purpose' toistuu (määritelty ensin rivillä"),
    ("process", f"'people-and-tools' toimittaa kohteelle 'governance' tuotoksen '{FLOW}', mutta 'governance' ei "
                "luettele syötettä prosessilta 'people-and-tools'"),
    ("competence", "henkilön Aino Salo pätevyys qms-awareness on vanhentunut; rooli '"),
    ("records", "BE-2025-0001: net-eur: -5 on pienempi kuin vähimmäisarvo 0 (lomake billing-entry, versio 1)"),
    ("records", "IR-2026-0001: tila 'shelved' ei ole lomakkeen tila (logged, analysed, fixing, closed)"),
    ("translations", "documents/PRO-404-missing.fi.md kääntää tiedoston documents/PRO-404-missing.md, joka ei ole "
                     "käsikirjan asiakirja"),
    ("translations", "käännöksessä voi olla vain title ja id, ei 'colour'"),
    ("translations", "qms build ei vielä osaa julkaista sivustoa kielellä 'sv'; tiedostoa "
                     "documents/PRO-001-documented-information.sv.md ei näytetä"),
    ("files", "tiedosto ei ole kelvollista UTF-8-tekstiä (tavu 0xe9)"),
    ("files", "tiedosto on tyhjä"),
    ("yaml", "virheellinen YAML: hakasulkeissa olevaa luetteloa jäsennettäessä, odotettua merkkiä ',' tai ']' ei "
             "löytynyt"),
    ("control", "tämä asiakirja luotiin tunnuksella PRO-002, ja nyt sen tunnus on PRO-092"),
    ("control", "asiakirjan PRO-092 versiolla 2 ("),
    ("control", "käsikirjan ensimmäinen commit ("),
])
def test_each_family_speaks_finnish_with_the_manuals_values(broken: Path, qms: Qms, family: str,
                                                            expected: str) -> None:
    assert expected in _text(qms("validate", broken, "--lang", "fi")), family


def test_approvals_that_do_not_count_in_finnish(example: Path, qms: Qms) -> None:
    """Document control on the example: an approval by the change's own author, and one by an unknown person."""
    change(example)
    merged(example, "My own change", APPROVED_BY_MIKKO, "Approved-by: Nobody {x} <nobody@example.com>", author=MIKKO)
    result = qms("validate", example, "--lang", "fi")
    out = _text(result)
    assert re.search(r"asiakirjan PRO-009 version 2 \([0-9a-f]{10}, 15\.1\.2026\) hyväksyntä, antajana Mikko "
                     r"Heinonen \(hyväksytty, commit-viestissä, ilmoitettu, ei varmennettu\), ei kelpaa: "
                     r"Mikko Heinonen on muutoksen kirjoittaja tai commitoija \[QMS-CTRL-002\]", out), out
    assert "antajana Nobody {x} (hyväksytty, commit-viestissä, ilmoitettu, ei varmennettu), ei kelpaa: " \
           "Nobody {x} ei ole tunnettu henkilö" in out
    assert "ei ole pätevää hyväksyntää; viimeisin hyväksytty versio on 1 [QMS-CTRL-001]" in out
    assert _english_left(result, example) == {}


def test_an_unapproved_withdrawal_in_finnish(example: Path, qms: Qms) -> None:
    edit(example / DOC, "status: active", "status: obsolete")
    merged(example, "Withdraw the audit procedure")
    result = qms("validate", example, "--lang", "fi")
    out = _text(result)
    assert re.search(r"asiakirjan PRO-009 siirto tilaan obsolete versiossa 2 \([0-9a-f]{10}, 15\.1\.2026\), "
                     r'"Withdraw the audit procedure": ei pätevää hyväksyntää; asiakirjan poistaminen käytöstä '
                     r"tarvitsee hyväksynnän kuten mikä tahansa muutos \[QMS-CTRL-001\]", out), out
    assert "prosessi 'internal-audit' käyttää asiakirjaa PRO-009 'Internal audit', joka on vanhentunut" in out
    assert _english_left(result, example) == {}


def test_hints_made_for_one_finding_speak_finnish(broken: Path, qms: Qms) -> None:
    out = _text(qms("validate", broken, "--lang", "fi"))
    assert "vihje: Lisää rooli tai käytä olemassa olevaa tunnusta" in out  # a hint with values
    assert "vihje: Tallenna tiedosto UTF-8-muodossa (esim. `iconv -f latin1 -t utf-8`)." in out
    assert "Save the file as UTF-8" not in out


def test_english_is_the_default_and_lang_en_overrides_the_manual(broken: Path, qms: Qms,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    edit(broken / "qms.yaml", "language: en", "language: fi")
    assert "ei ole tunnettu rooli" in _text(qms("validate", broken))  # the manual's language
    assert f"owner '{HOSTILE}' is not a known role" in _text(qms("validate", broken, "--lang", "en"))
    monkeypatch.setenv("QMS_LANG", "en")
    assert f"owner '{HOSTILE}' is not a known role" in _text(qms("validate", broken))


# -- what machines read stays as it was ------------------------------------------------------------------------

def test_machine_formats_and_ids_are_the_same_in_every_language(broken: Path, qms: Qms) -> None:
    for output in ("json", "sarif", "junit"):
        english = qms("validate", broken, "--format", output).out
        assert qms("validate", broken, "--format", output, "--lang", "fi").out == english, output
        assert "ei ole" not in english


def test_forge_annotations_speak_the_runs_language_with_the_same_fingerprints(broken: Path, qms: Qms) -> None:
    github = qms("validate", broken, "--format", "github", "--lang", "fi").out
    hostile = HOSTILE.replace("%", "%25")  # as workflow commands escape it
    assert f"::error file=processes/governance.yaml,line=5,col=8,title=QMS-REF-001::owner '{hostile}' ei ole " \
           "tunnettu rooli. Lisää rooli tai käytä olemassa olevaa tunnusta (4 tunnettua)." in github
    english, finnish = (json.loads(qms("validate", broken, "--format", "gitlab", *lang).out)
                        for lang in ((), ("--lang", "fi")))
    assert [i["fingerprint"] for i in finnish] == [i["fingerprint"] for i in english]
    assert f"owner '{HOSTILE}' ei ole tunnettu rooli [QMS-REF-001]" in {i["description"] for i in finnish}
    assert f"owner '{HOSTILE}' is not a known role [QMS-REF-001]" in {i["description"] for i in english}


def test_finding_ids_are_those_the_english_f_strings_made(example: Path, broken: Path, qms: Qms) -> None:
    """The ids (rule, file, English message) of the example's and the broken manual's findings, as the code
    before templates made them (tests/data/finding_ids.json, written by that code): ids that releases accepted,
    baselines and SARIF fingerprints hold still match."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for name, root in (("example", example), ("broken-itservices", broken)):
        found = qms("validate", root, "--format", "json").json()["diagnostics"]
        assert _ids(found) == golden[name], name


def test_the_cache_keeps_templates_and_values(broken: Path, qms: Qms, tmp_path: Path) -> None:
    first = qms("validate", broken, "--lang", "fi", "--cache").out
    stored = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "qms-cache").rglob("*.json"))
    assert "{where}: {problem}" in stored and "{value} is not of type {expected}" in stored
    assert qms("validate", broken, "--lang", "fi", "--cache").out == first  # from the cache
    assert "ei ole tyyppiä" in first and "ei ole mikään sallituista arvoista" in first


# -- the message type ------------------------------------------------------------------------------------------

def test_values_are_filled_in_never_read_as_a_template() -> None:
    hostile = say("{field} '{value}' is not a known {kind}", field="{kind}", value="{0} %s {field!r} }{",
                  kind=Word("role"))
    assert hostile.english() == "{kind} '{0} %s {field!r} }{' is not a known role"
    with i18n.use("fi"):
        assert hostile.text() == "{kind} '{0} %s {field!r} }{' ei ole tunnettu rooli"


def test_own_words_and_formats_follow_the_language() -> None:
    message = say("{document} was due for review on {day} (every {interval}); {late} overdue", document="PRO-1",
                  day=Day("2026-01-10"), interval=Count(24, "month"), late=Count(1, "day"))
    assert message.english() == "PRO-1 was due for review on 2026-01-10 (every 24 months); 1 day overdue"
    with i18n.use("fi"):
        assert message.text() == "PRO-1 olisi pitänyt katselmoida 10.1.2026 (välein 24 kuukautta); myöhässä 1 päivä"
    missing = say("process '{process}' lacks {missing}", process="p",
                  missing=Join((Word("an owner"), Word("an input"), Word("a customer")), "and", serial=True))
    assert missing.english() == "process 'p' lacks an owner, an input and a customer"
    with i18n.use("fi"):
        assert missing.text() == "prosessilta 'p' puuttuu omistaja, syöte ja asiakas"
    assert Article("SOP").text() == "an SOP"
    with i18n.use("fi"):
        assert Article("SOP").text() == "SOP"


def test_a_translation_that_does_not_fit_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qmskit.messages._", lambda text: "{nope} " + text)
    assert say("file is empty").text() == "file is empty"


def test_stored_messages_come_back_the_same() -> None:
    message = say("{a} {b} {c} {d} {e} {f} {g}", a="x", b=3, c=Day("2026-02-01"), d=Count(2, "day"),
                  e=Word("role"), f=Join(("a", Word("process")), "or"),
                  g=say("{x}", x=Article("procedure")))
    stored = json.loads(json.dumps(message_to_data(message)))
    assert message_from_data(stored) == message
    for bad in (["nope", 1], ["int", "x"], [1, 2], {"a": 1}, ["join", [], "and"]):
        with pytest.raises((TypeError, ValueError)):
            from_data(bad)
    assert to_data("plain") == "plain"


def test_a_finding_made_from_a_message_keeps_both() -> None:
    made = finding(Location("a.yaml", 1, 1), "QMS-FILE-005", Severity.ERROR, say("file is empty"),
                   say("Fill in the file from its template, or delete it."))
    assert (made.message, made.hint) == ("file is empty", "Fill in the file from its template, or delete it.")
    with i18n.use("fi"):
        assert (made.text(), made.hint_text()) == ("tiedosto on tyhjä",
                                                   "Täytä tiedosto sen mallipohjasta tai poista se.")
    # the same English text is the same finding, whatever it was made of
    assert made == Diagnostic(made.location, made.rule, made.severity, made.message, made.hint)


@pytest.mark.parametrize(("validator", "message", "finnish"), [
    ("type", "8.5 is not of type 'string'", "8.5 ei ole tyyppiä 'string'"),
    ("enum", "'x is not one of y' is not one of ['a', 'b']",
     "'x is not one of y' ei ole mikään sallituista arvoista ['a', 'b']"),
    ("pattern", "'ab' does not match '^[A-Z]+$'", "'ab' ei vastaa mallia '^[A-Z]+$'"),
    ("minimum", "-5 is less than the minimum of 0", "-5 on pienempi kuin vähimmäisarvo 0"),
    ("maximum", "11 is greater than the maximum of 10", "11 on suurempi kuin enimmäisarvo 10"),
    ("minLength", "'' should be non-empty", "'' ei saa olla tyhjä"),
    ("maxLength", "'abcdef' is too long", "'abcdef' on liian pitkä"),
    ("minItems", "[] should be non-empty", "[] ei saa olla tyhjä"),
    ("maxItems", "[1, 2, 3] is too long", "[1, 2, 3] on liian pitkä"),
    ("format", "'2026-13-01' is not a 'date'", "'2026-13-01' ei ole muotoa 'date'"),
    ("const", "'x' was expected", "odotettiin arvoa 'x'"),
    ("uniqueItems", "['a', 'a'] has non-unique elements", "['a', 'a'] sisältää saman arvon useaan kertaan"),
    ("oneOf", "{'a': 1} is not valid under any of the given schemas",
     "{'a': 1} ei sovi mihinkään sallituista muodoista"),
    ("dependentRequired", "'b' is a dependency of 'a'", "'b' is a dependency of 'a'"),  # unmapped: English
    ("type", "'x' is not what jsonschema says today", "'x' is not what jsonschema says today"),
])
def test_jsonschema_messages_map_to_templates(validator: str, message: str, finnish: str) -> None:
    explained = explain(validator, message)
    assert explained.english() == message  # exactly jsonschema's words: the ids stay
    with i18n.use("fi"):
        assert explained.text() == finnish


def test_findings_are_made_from_templates_only() -> None:
    """`Rule.at` and `finding` take only messages (mypy checks the callers); nothing else builds a Diagnostic from
    a text, except the cache that gives back what a template made."""
    package = Path(__file__).parent.parent / "qmskit"
    sources = {str(path.relative_to(package)): path.read_text(encoding="utf-8") for path in package.rglob("*.py")}
    assert {name for name, text in sources.items() if re.search(r"\bDiagnostic\(", text)} == {
        "diagnostics.py", "loading/cache.py"}
    # a template is a literal the extractor can read, never an f-string or a variable
    assert [name for name, text in sources.items() if re.search(r"(?<![`\w])(?<!def )say\((?!\s*\")", text)] == []


def test_every_template_a_finding_uses_is_in_the_catalogue(broken: Path) -> None:
    """The extractor sees `say("...")`: each template of a finding made here is a message of the catalogue."""
    known = {m.id for m in catalogues.read("fi") if m.id}
    result = check_manual(broken)
    used = {t for d in result.diagnostics for said in (d.said, d.hint_said) if said for t in templates(said)}
    assert len(used) >= 20
    assert used - known == set()
    assert all(isinstance(d.said, Message) for d in result.diagnostics)
