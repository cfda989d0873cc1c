"""Reports and command output in the manual's language (issue 18, reports and CLI): the management-review pack,
the PR comment and the to-do digests in Finnish on the example and on the second manual, with Finnish numbers,
dates, money and plurals and no English message of the catalogue left; and which language a command speaks
(`--lang`, then QMS_LANG, then the manual's `language`, then for messages to the terminal its locale)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from qmskit import catalogues, i18n
from tests.conftest import Result, commit_all, edit, git

Qms = Callable[..., Result]
NBSP = "\N{NO-BREAK SPACE}"
# Machine-readable words a Finnish document may carry as they are: ids of qmskit's own output formats
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _manual_strings(root: Path) -> list[str]:
    """Every text the manual itself holds (YAML values, documents' front matter): the manual's own content,
    which stays in whatever language the company wrote it."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):  # values, not keys: a key is a field name, not something the company wrote
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None and not isinstance(value, bool):
            found.add(str(value).strip())

    for path in root.rglob("*"):
        if ".git" in path.parts or ".qms" in path.parts or not path.is_file():
            continue
        if path.suffix in (".yaml", ".yml"):
            text = path.read_text(encoding="utf-8")
            try:
                walk(yaml.safe_load(text))
            except yaml.YAMLError:  # flow mappings qms reads and PyYAML does not: take each value's text
                found.update(v.strip() for v in re.findall(r"[\w-]+: ([^,{}\[\]\n]+)", text))
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            if text.startswith("---"):
                walk(yaml.safe_load(text.split("---", 2)[1]))
    return sorted((s for s in found if len(s) >= 3), key=len, reverse=True)


def _english_fragments() -> dict[str, str]:
    """Fragment -> message: the literal English parts of every catalogue message whose Finnish differs."""
    fragments: dict[str, str] = {}
    for message in catalogues.read("fi"):
        if not message.id or message.context == "field type":  # a form's type names (text, date) are also its
            continue  # YAML's words and output formats' names (`--format text`), which Finnish output may show
        ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
        strings = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
        for english in ids:
            for part in _PLACEHOLDER.split(english):
                fragment = part.strip(" \t\n#*-|:;,.()`'\"")
                if (len(fragment) >= 4 and re.search(r"[A-Za-z]{3}", fragment)
                        and not any(fragment in finnish for finnish in strings)):  # "NPS", "(qms ack)": the same
                    fragments[fragment] = english
    return fragments


def english_left(output: str, manual: Path) -> dict[str, str]:
    """English messages of the catalogue still in `output`, outside the manual's own content (a match inside a
    text the manual holds does not count), inline code (commands, paths) and the diffs a PR comment quotes."""
    text = re.sub(r"```+diff\n.*?\n```+", " ", output, flags=re.S)
    text = re.sub(r"`[^`\n]+`|<code>.*?</code>", " ", text)
    text = html.unescape(re.sub(r"\\(.)", r"\1", text))
    covered: list[tuple[int, int]] = []
    for own in _manual_strings(manual):
        start = text.find(own)
        while start >= 0:
            covered.append((start, start + len(own)))
            start = text.find(own, start + 1)
    left = {}
    for fragment, message in _english_fragments().items():
        for match in re.finditer(rf"(?<![A-Za-z]){re.escape(fragment)}(?![A-Za-z])", text):
            if not any(a <= match.start() and match.end() <= b for a, b in covered):
                left[fragment] = message
    return left


@pytest.fixture
def finnish_locale(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A terminal that speaks Finnish, and nothing else choosing a language."""
    monkeypatch.delenv("QMS_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    yield


# -- the management-review pack ------------------------------------------------------------------------------

def test_the_review_pack_in_finnish_on_the_example(example: Path, qms: Qms) -> None:
    # one internal complaint of a single day, so that both plural forms of "day" are in the pack
    edit(example / "records/internal-complaint/IC-2026-0003.yaml", "delay-days: 2", "delay-days: 1")
    result = qms("report", "review", example, "--lang", "fi")
    assert result.code == 0, result.err
    pack = result.out
    for heading in ("# Johdon katselmus 2026", "## a) Aiempien johdon katselmusten toimenpiteiden tila",
                    "## b) Muutokset ulkoisissa ja sisäisissä asioissa", "## c) Suorituskyky ja vaikuttavuus",
                    "## d) Resurssien riittävyys",
                    "## e) Riskeihin ja mahdollisuuksiin kohdistuvien toimenpiteiden vaikuttavuus",
                    "## f) Parantamismahdollisuudet", "## Päätökset ja toimenpiteet",
                    "### Poikkeamat ja korjaavat toimenpiteet", "### Ulkoisten toimittajien suorituskyky"):
        assert f"\n{heading}\n" in f"\n{pack}", heading
    assert "Koottu 27.11.2026 organisaation Pohjolan Tarkkuustyö Oy laatukäsikirjasta." in pack  # QMS_TODAY
    assert "Edellinen katselmus 12.6.2026 (MR-2026-0001)." in pack
    assert f"sopimussakot 1{NBSP}368,00{NBSP}€." in pack
    assert f"| SO-24333 | hameen-traktori | 5 | 552,00{NBSP}€ |" in pack
    assert f"Toimitusvarmuus: **25{NBSP}%** 8 tilauksesta" in pack
    assert "(16 päivää)" in pack and "(1 päivä myöhässä)" in pack and "(5 päivää myöhässä)" in pack
    assert "- Keskimääräinen tyytyväisyys: **3,75**" in pack  # the decimal comma
    assert "| delivery | Deliveries on the confirmed date | 25 | &gt;= 95 % | ei saavutettu |" in pack
    assert english_left(pack, example) == {}


def test_the_review_pack_in_finnish_on_the_second_manual(itservices: Path, qms: Qms) -> None:
    edit(itservices / "qms.yaml", "language: en", "language: fi")  # the manual's own language decides
    result = qms("report", "review", itservices, "--period", "2026")
    assert result.code == 0, result.err
    pack = result.out
    assert pack.startswith("# Johdon katselmus 2026\n\nKoottu 27.11.2026 organisaation Kestrel Systems Oy")
    assert "Edellinen katselmus 28.1.2026 (MRM-2026-0001). Päätökset:" in pack
    assert "2 poikkeamaa raportoitu jaksolla; avoinna vielä 1 (IR-2026-0002 fixing)." in pack
    assert f"- CloudHost Ltd: ajallaan 97{NBSP}%, laatu 4, approved" in pack
    assert f"Toimitusvarmuus: **50{NBSP}%** 4 tilauksesta; sopimussakot 6{NBSP}000,00{NBSP}€." in pack
    assert "keskimääräinen vastausaika 2,7 pv" in pack
    assert "(`qms record new mgmt-review-minutes`)" in pack
    assert english_left(pack, itservices) == {}
    html_pack = qms("report", "review", itservices, "--period", "2026", "-f", "html").out
    assert '<html lang="fi">' in html_pack and "<title>Johdon katselmus 2026</title>" in html_pack


def test_the_english_pack_is_unchanged_by_the_catalogue(example: Path, qms: Qms) -> None:
    pack = qms("report", "review", example).out
    assert "## a) Status of actions from previous reviews" in pack
    assert "Prepared on 2026-11-27 from the quality manual of Pohjolan Tarkkuustyö Oy." in pack
    assert "penalties €1,368.00." in pack and "(16 days)" in pack


def test_the_check_finds_english_left_in_a_finnish_document(example: Path) -> None:
    """The no-English check itself: an English heading is caught, the manual's own English is not."""
    found = english_left("Planned critical path (16 päivää): x\n", example)
    assert found["Planned critical path"] == "Planned critical path ({days}): {steps}"
    assert english_left("| delivery | Deliveries on the confirmed date |", example) == {}


# -- the PR comment ------------------------------------------------------------------------------------------

def _branch_with_a_change(root: Path, document: str, old: str, new: str) -> None:
    git(root, "switch", "-q", "-c", "topic")
    edit(root / document, old, new)
    commit_all(root, "A change for review")


def test_the_pr_comment_in_finnish_on_the_example(example: Path, qms: Qms) -> None:
    document = "documents/procedures/PRO-009-internal-audit.md"
    _branch_with_a_change(example, document, "## Purpose", "## Purpose\n\nAudits follow ISO 19011.\n")
    result = qms("changes", "--base", "main", example, "--format", "markdown", "--lang", "fi")
    assert result.code == 0, result.err
    comment = result.out
    assert comment.startswith("### Laatukäsikirjan muutokset `main`:n jälkeen\n")
    assert "| | Kohde | Laji | Versio | Tiedosto |" in comment
    assert f"| muutettu | **PRO-009** Internal audit | asiakirja | 1 → 2 | `{document}` |" in comment
    assert f"<summary>Muutokset tiedostossa <code>{document}</code></summary>" in comment
    assert english_left(comment, example) == {}
    # the JSON for machines keeps its keys and values
    items = qms("changes", "--base", "main", example, "--format", "json", "--lang", "fi").json()
    assert [(i["status"], i["kind"]) for i in items] == [("M", "document")]


def test_the_pr_comment_in_finnish_on_the_second_manual(itservices: Path, qms: Qms) -> None:
    edit(itservices / "qms.yaml", "language: en", "language: fi")
    commit_all(itservices, "Finnish")
    process = next(p for p in sorted((itservices / "processes").glob("*.yaml")))
    git(itservices, "switch", "-q", "-c", "topic")
    process.write_text(process.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    commit_all(itservices, "Reviewed")
    comment = qms("changes", "--base", "main", itservices, "--format", "markdown").out
    assert comment.startswith("### Laatukäsikirjan muutokset `main`:n jälkeen\n")
    assert "| muutettu | " in comment and " | prosessi | 1 → 2 | " in comment
    assert english_left(comment, itservices) == {}
    # the text table named the change with git's letter and the kind in English ("M", "process")
    row = next(line for line in qms("changes", "--base", "main", itservices).out.splitlines() if "→" in line)
    assert re.match(r"│ muutettu +│ governance +│ .* │ prosessi +│ 1 → 2 ", row), row
    assert " changed " in qms("changes", "--base", "main", itservices, "--lang", "en").out
    git(itservices, "switch", "-q", "main")
    assert qms("changes", "--base", "main", itservices, "--format", "markdown").out == (
        "Laatukäsikirjaan ei ole muutoksia `main`:n jälkeen.\n")


# -- to-do lists and digests ---------------------------------------------------------------------------------

def test_todo_and_its_digests_in_finnish(itservices: Path, qms: Qms, tmp_path: Path) -> None:
    out = qms("todo", itservices, "--format", "markdown", "--lang", "fi").out
    assert "### Aino Salo: 3 avointa tehtävää 27.11.2026" in out
    assert english_left(out, itservices) == {}
    folder = tmp_path / "digests"
    result = qms("todo", itservices, "--all-people", "-o", folder, "--lang", "fi")
    assert result.code == 0, result.err
    assert f"Kirjoitettiin 2 koostetta ja luettelo tehtävistä ilman vastuuhenkilöä (4) kansioon {folder}" in result.out
    digest = (folder / "aino-salo.md").read_text(encoding="utf-8")
    assert digest.startswith("# Aino Salo: 3 avointa tehtävää 27.11.2026\n")
    assert "- [ ] **lue** PLN-001: lue versio 1: Quality objectives" in digest
    assert english_left(digest, itservices) == {}
    unassigned = (folder / "_unassigned.md").read_text(encoding="utf-8")
    assert unassigned.startswith("# Avoimet tehtävät ilman vastuuhenkilöä: 4 27.11.2026\n")
    assert english_left(unassigned, itservices) == {}
    pages = tmp_path / "pages"
    assert qms("todo", itservices, "--all-people", "-o", pages, "-f", "html", "--lang", "fi").code == 0
    page = (pages / "aino-salo.html").read_text(encoding="utf-8")
    assert '<html lang="fi">' in page and "<title>Aino Salo: 3 avointa tehtävää 27.11.2026</title>" in page
    # JSON for machines keeps the kinds' keys
    items = qms("todo", itservices, "--format", "json", "--lang", "fi").json()
    assert {i["kind"] for i in items} <= {"review", "approve", "action", "training", "renew", "read", "answer"}


def test_a_single_item_takes_the_singular(example: Path, qms: Qms) -> None:
    out = qms("todo", example, "--format", "markdown", "--lang", "fi").out
    assert "### Aino Lahtinen: 1 avoin tehtävä 27.11.2026" in out
    counts = re.findall(r"^### .+: (\d+) (avoin tehtävä|avointa tehtävää) ", out, re.M)
    assert counts, out
    assert all((n == "1") == (word == "avoin tehtävä") for n, word in counts)


# -- which language a command speaks -------------------------------------------------------------------------

def test_lang_before_or_after_the_command_and_qms_lang(example: Path, qms: Qms,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QMS_LANG", raising=False)
    english = "## Order flow and delays"
    finnish = "## Tilausten kulku ja viiveet"
    assert english in qms("report", "flow", example).out  # the manual says en
    assert finnish in qms("--lang", "fi", "report", "flow", example).out
    assert finnish in qms("report", "flow", example, "--lang", "fi").out
    monkeypatch.setenv("QMS_LANG", "fi")
    assert finnish in qms("report", "flow", example).out  # QMS_LANG before the manual's language
    assert english in qms("report", "flow", example, "--lang", "en").out  # --lang before QMS_LANG
    monkeypatch.setenv("QMS_LANG", "fi_FI.UTF-8")  # a locale-style tag names the language too
    assert finnish in qms("report", "flow", example).out


def test_the_manual_language_comes_before_the_terminal(example: Path, qms: Qms, finnish_locale: None) -> None:
    # a Finnish terminal, an English manual: the report is English (documents follow the manual)
    assert "## Order flow and delays" in qms("report", "flow", example).out
    edit(example / "qms.yaml", "language: en", "language: fi")
    assert "## Tilausten kulku ja viiveet" in qms("report", "flow", example).out


def test_terminal_messages_follow_the_locale_until_the_manual_decides(tmp_path: Path, qms: Qms,
                                                                      finnish_locale: None) -> None:
    result = qms("report", "kpi", tmp_path)  # no manual: only the terminal can decide
    assert result.code == 2
    assert f"qms: virhe: tiedostoa qms.yaml ei ole kansiossa {tmp_path}" in result.err
    assert "vihje: Anna kansio, jossa qms.yaml on" in result.err
    result = qms("report", "kpi", tmp_path, "--lang", "en")
    assert f"qms: error: no qms.yaml in {tmp_path}" in result.err


def test_an_unknown_language_is_a_usage_error_with_a_hint(example: Path, qms: Qms,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    result = qms("report", "flow", example, "--lang", "klingon")
    assert result.code == 2
    assert "unknown language 'klingon' for --lang" in result.err and "hint: Use one of: en, fi." in result.err
    assert "Traceback" not in result.err
    monkeypatch.setenv("QMS_LANG", "xx")
    result = qms("report", "flow", example)
    assert result.code == 2 and "unknown language 'xx' in QMS_LANG" in result.err
    assert qms("report", "flow", example, "--lang", "fi").code == 0  # --lang decides before QMS_LANG


def test_a_run_leaves_the_language_as_it_found_it(example: Path, qms: Qms) -> None:
    with i18n.use("en"):
        qms("report", "flow", example, "--lang", "fi")
        assert i18n.current() == "en"


# -- findings and the rule catalogue -------------------------------------------------------------------------

def test_validate_speaks_finnish_with_rule_hints_from_the_catalogue(example: Path, qms: Qms) -> None:
    edit(example / "documents/procedures/PRO-013-field-service.md", "owner: service-manager", "owner: ghost")
    result = qms("validate", example, "--lang", "fi")
    assert result.code == 1
    assert "virhe" in result.out and "vihje:" in result.out
    assert re.search(r"\n1 virhe, \d+ varoitusta, \d+ huomiota \(\d+ tiedostoa; tarkistettu \d+ tiedostoa\)\n",
                     result.out)
    # QMS-COMP-002's fix hint from the catalogue, and the finding's message from its template
    assert "henkilön Timo Laine pätevyys first-aid on vanhentunut; rooli 'machinist' vaatii sen (uusiminen " \
           "suunniteltu 10.12.2026) [QMS-COMP-002]" in result.out
    assert "owner 'ghost' ei ole tunnettu rooli [QMS-REF-001]" in result.out
    assert "vihje: Lisää rooli tai käytä olemassa olevaa tunnusta (13 tunnettua)." in result.out
    renew = "Renew it and record the new dates"
    assert "vihje: Uusi se ja kirjaa uudet päivämäärät; vanhentunut kriittinen pätevyys on virhe" in result.out
    assert renew not in result.out
    # machine output keeps its English values: tools read them
    data = qms("validate", example, "--lang", "fi", "--format", "json").json()
    messages = {d["message"] for d in data["diagnostics"]}
    assert renew in {d["hint"][:len(renew)] for d in data["diagnostics"]}
    # the check ran in English even though the command speaks Finnish: the cache and JSON hold English
    assert "Timo Laine's first-aid qualification has expired; role 'machinist' requires it (renewal planned " \
           "2026-12-10)" in messages
    english = {d["message"] for d in qms("validate", example, "--format", "json").json()["diagnostics"]}
    assert english == messages


def test_every_finding_of_the_example_speaks_finnish(example: Path, qms: Qms) -> None:
    """Each finding the example has carries its template, and its Finnish text differs from its English."""
    english = qms("validate", example, "--format", "json").json()["diagnostics"]
    assert len(english) >= 10
    finnish = qms("validate", example, "--lang", "fi").out
    for finding in english:
        assert finding["message"] not in finnish, finding


def test_the_rule_list_in_finnish(qms: Qms) -> None:
    out = qms("rules", "--lang", "fi").out
    assert "Tiedosto on liian suuri" in out and "Jaa tiedosto; käsikirjan tiedostot ovat pieniä." in out
    assert "QMS-FILE-002" in out


def test_registers_speak_finnish_and_spreadsheets_keep_their_headers(example: Path, qms: Qms) -> None:
    register = qms("register", example, "--lang", "fi", "--format", "markdown").out
    assert register.startswith("## Asiakirjarekisteri — Pohjolan Tarkkuustyö Oy\n")
    assert "| Tunnus | Otsikko | Tyyppi | Omistaja | Versio |" in register
    gaps = qms("competence", example, "--gaps", "--lang", "fi", "--format", "markdown").out
    assert gaps.startswith("## Pätevyysvajeet 27.11.2026\n")
    # a CSV header is read by other tools: the same in every language
    assert qms("coverage", example, "--lang", "fi", "-f", "csv").out.startswith(
        "Standard,Clause,Title,Status,Addressed by\n")
    assert qms("register", example, "--lang", "fi", "-f", "csv").out.startswith("ID,Title,Type,Owner,Rev,")


def test_command_messages_in_finnish(example: Path, qms: Qms) -> None:
    result = qms("release", "manual-2026-11", example, "--lang", "fi")
    assert result.code == 0, result.err
    assert re.match(r"Tagi manual-2026-11 tehty committiin [0-9a-f]{10}: \d+ asiakirjaa\. Jaa se: git push origin "
                    r"manual-2026-11\n", result.out), result.out
    result = qms("approve", "NO-SUCH-1", "-C", example, "--lang", "fi")
    assert result.code == 2
    assert "qms: virhe: asiakirjaa 'NO-SUCH-1' ei ole" in result.err
    assert "vihje: Luettele asiakirjat komennolla `qms register`." in result.err


def test_public_feedback_counts_and_the_retention_curve_in_finnish(itservices: Path, qms: Qms) -> None:
    # "2 myönteinen" is wrong Finnish (a count above one takes the partitive), and the curve's points said "year 1"
    report = qms("report", "customers", itservices, "--period", "2026", "--lang", "fi").out
    assert "(2 myönteistä, 0 neutraalia, 2 kielteistä)" in report
    assert f"vuosi 1: 100{NBSP}%, vuosi 2: 100{NBSP}%" in report and "year 1" not in report
    english = qms("report", "customers", itservices, "--period", "2026").out
    assert "(2 positive, 0 neutral, 2 negative)" in english and "year 1 100%, year 2 100%" in english


def test_the_register_says_what_waits_for_approval_and_the_evidence_in_finnish(itservices: Path, qms: Qms) -> None:
    # the "pending approval" column and the evidence's strength were English in a Finnish register
    document = itservices / "documents/PRO-001-documented-information.md"
    document.write_text(document.read_text(encoding="utf-8") + "\nUusi kappale.\n", encoding="utf-8")
    sha = commit_all(itservices, "Uusi kappale")[:10]
    document.write_text(document.read_text(encoding="utf-8") + "\nVielä yksi.\n", encoding="utf-8")
    row = next(line for line in qms("register", itservices, "--lang", "fi", "-f", "markdown").out.splitlines()
               if line.startswith("| PRO-001 |"))
    with i18n.use("fi"):
        day = i18n.format_date(dt.date.fromisoformat(git(itservices, "log", "-1", "--format=%cs").strip()))
    assert "| perustaso |" in row and "baseline" not in row
    assert f"odottaa hyväksyntää: versio 2 \\({day}, {sha}\\) ja tallentamattomia muutoksia |" in row, row
    data = qms("register", itservices, "--lang", "fi", "-f", "json").out
    assert "pending approval: revision 2 (" in data and "and uncommitted changes" in data  # JSON stays English
    on_a_day = qms("register", itservices, "--lang", "fi", "--at", "2099-01-01", "-f", "markdown").out
    assert f"odottaa hyväksyntää: versio 2 \\({day}, {sha}\\) |" in on_a_day


def test_a_refused_release_in_finnish_names_each_findings_id_in_finnish(example: Path, qms: Qms) -> None:
    # the word before the id --accept takes was marked for the catalogue but had no Finnish
    edit(example / "documents/procedures/PRO-006-production.md", "owner: production-manager", "owner: nobody")
    commit_all(example, "An owner nobody knows")  # unapproved too: the release lists every blocking finding
    result = qms("release", "manual-2026-12", example, "--lang", "fi")
    assert result.code == 1, result.err
    line = next(line for line in result.err.splitlines() if "QMS-REF-001" in line)
    assert re.search(r"virhe: .*'nobody'.* \[QMS-REF-001\] tunnus [0-9a-f]{12}", line), line
