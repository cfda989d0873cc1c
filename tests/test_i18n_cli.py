"""The command line in the reader's language (issue 18, CLI): every command's help from the catalogue, the
messages of the commands that write records, documents, diagrams and sites, click's usage errors, the words in
competence and coverage tables, and what `qms --lang` and `build --lang` mean. Each on the example and on the
second manual, with no English message of the catalogue left in the Finnish output."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer.main
from typer import _click as click
from typer.core import TyperGroup

from qmskit import catalogues
from qmskit.cli import load_commands
from qmskit.cli.commands import COMMANDS
from qmskit.cli.helptext import english, texts
from qmskit.errors import ConfigError
from qmskit.i18n import _, use
from qmskit.site import languages
from tests.conftest import EXAMPLE_MERGE, Result, commit_all, edit, git
from tests.test_i18n_reports import english_left as english_in_document
from tests.test_import import MAPPING, ROWS, SURVEY_FORM, export

Qms = Callable[..., Result]


def _tree() -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under `qms`, with the words that name it, read from the command tree."""
    found: list[tuple[tuple[str, ...], click.Command]] = []

    def walk(command: click.Command, path: tuple[str, ...], ctx: click.Context) -> None:
        found.append((path, command))
        if isinstance(command, TyperGroup):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, name
                walk(sub, (*path, name), click.Context(sub, info_name=name, parent=ctx))

    root = typer.main.get_command(load_commands())
    walk(root, (), click.Context(root, info_name="qms"))
    return found


def english_left(output: str, manual: Path) -> dict[str, str]:
    """English messages of the catalogue left in a command's output, apart from what the user typed or the
    manual named and the output echoes: paths (records/..., .qms/schemas/) and quoted values ('no-such-form')."""
    words = re.sub(r"'[^'\n]*'|\S*/\S*", " ", output)
    return english_in_document(words, manual)


def _prose(help_text: str) -> str:
    """What help says in words: without the usage line and the first column (command names, options,
    metavars), which are syntax and the same in every language."""
    lines = [line for line in help_text.splitlines() if not line.startswith("Käyttö:")]
    words = "\n".join(re.sub(r"^  \S.*?(?:\s{2,}|$)", "", line) for line in lines)
    return re.sub(r"\[(?:oletus|default):\s[^]]*\]", " ", words)  # a default is a value, as typed


def _flat(text: str) -> str:
    """Text with its line breaks and indentation gone: click wraps help to the terminal's width (and may break
    a line at a hyphen)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def finnish_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("QMS_LANG", raising=False)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    yield


@pytest.fixture
def finnish_itservices(itservices: Path) -> Path:
    """The second manual, written in Finnish: its `language` decides what commands say."""
    edit(itservices / "qms.yaml", "language: en", "language: fi")
    return itservices


# -- help ---------------------------------------------------------------------------------------------------------

def test_every_help_text_is_in_the_catalogue_and_translated() -> None:
    catalogue = catalogues.read("fi")
    found = [*texts(typer.main.get_command(load_commands())),
             *((f"qms --help: {name}", english(summary) or "") for name, (_module, summary) in COMMANDS.items())]
    assert len(found) > 150  # the walk reached every command's options, not only the top level
    missing = [(where, text) for where, text in found
               if catalogue.get(text) is None or not catalogue.get(text).string]  # type: ignore[union-attr]
    assert missing == []


def test_every_command_shows_its_help_in_finnish(qms: Qms, tmp_path: Path) -> None:
    tree = _tree()
    assert {"validate", "record", "build", "pdf"} <= {path[0] for path, _command in tree if path}
    for path, command in tree:
        result = qms(*path, "--help", "--lang", "fi")
        assert result.code == 0, (path, result.err)
        shown = _flat(result.out)
        assert result.out.startswith("Käyttö: qms"), path
        ctx = click.Context(command, info_name=path[-1] if path else "qms")
        with use("fi"):
            own = english(command.help)
            if own:
                assert _flat(_(own.partition("\f")[0])) in shown, (path, own)
            for param in command.get_params(ctx):
                text = english(getattr(param, "help", None))
                if text:
                    assert _flat(_(text)) in shown, (path, text)
        assert english_left(_prose(result.out), tmp_path) == {}, path
        if isinstance(command, TyperGroup):
            assert "\nKomennot:\n" in result.out, path
        assert "\nValitsimet:\n" in result.out, path


def test_no_command_summary_stops_at_an_abbreviation(qms: Qms, monkeypatch: pytest.MonkeyPatch) -> None:
    # click cuts a summary after the first word that ends in a full stop: "update  Move a workflow record (e.g."
    monkeypatch.setenv("COLUMNS", "200")
    for path, command in _tree():
        if not isinstance(command, TyperGroup):
            continue
        for language, heading in (("en", "Commands:"), ("fi", "Komennot:")):
            listing = qms(*path, "--help", "--lang", language).out.partition(f"\n{heading}\n")[2]
            for line in listing.splitlines():
                summary = line.strip().partition("  ")[2].strip()
                assert summary.endswith((".", "...")), (path, language, line)
                assert summary.count("(") <= summary.count(")") or summary.endswith("..."), (path, language, line)


def test_help_follows_lang_wherever_it_stands_then_qms_lang_then_the_terminal(
        qms: Qms, monkeypatch: pytest.MonkeyPatch, finnish_terminal: None) -> None:
    finnish = "Täytä lomake (uusi tallenne) tai siirrä työnkulun tallennetta eteenpäin."
    english_help = "Fill in a form (a new record) or move a workflow record on."
    assert finnish in qms("record", "--help").out  # the terminal's locale: nothing else decides
    assert english_help in qms("record", "--help", "--lang", "en").out
    assert english_help in qms("--lang", "en", "record", "--help").out
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert english_help in qms("record", "--help").out
    monkeypatch.setenv("QMS_LANG", "fi")
    assert finnish in qms("record", "--help").out
    monkeypatch.delenv("QMS_LANG")
    # --help is handled as soon as click meets it: a --lang after it still decides
    out = qms("validate", "--help", "--lang", "fi").out
    assert _flat("Tarkista käsikirja skeemojaan ja ISO 9001 -sääntöjä vasten.") in _flat(out)
    assert "[oletus: text]" in out
    # the listing of `qms --help` is made before any command's module is loaded
    listing = qms("--lang", "fi", "--help").out
    assert "\nKomennot:\n" in listing and "Aloita uusi käsikirja, joka läpäisee tarkistuksen puhtaasti." in listing


def test_usage_errors_in_finnish(qms: Qms, example: Path) -> None:
    result = qms("validate", example, "--frobnicate", "--lang", "fi")
    assert result.code == 2
    assert "Käyttö: qms validate [OPTIONS] [MANUAL]" in result.err
    assert "Ohjeet: 'qms validate --help'." in result.err
    assert "qms: virhe: Valitsinta ei ole: --frobnicate" in result.err
    result = qms("--lang", "fi", "record", "new")
    assert result.code == 2 and "qms: virhe: Argumentti 'FORM' puuttuu." in result.err
    result = qms("--lang", "fi", "validate", example, "--strict", "true")
    assert result.code == 2 and "qms: virhe: --strict on lippu eikä ota arvoa" in result.err
    result = qms("--lang", "fi", "diagram", example, "--depth", "many")
    assert result.code == 2 and "qms: virhe: Virheellinen arvo kohteelle '--depth'" in result.err
    assert "Traceback" not in result.err
    english = qms("validate", example, "--frobnicate")
    assert "Try 'qms validate --help' for help." in english.err and "No such option: --frobnicate" in english.err


def test_a_mistyped_command_is_guessed_in_finnish(qms: Qms) -> None:
    # typer adds its guess in English after click's message, which the catalogue already translates
    result = qms("--lang", "fi", "new", "procedure")
    assert result.code == 2
    assert "qms: virhe: Komentoa 'procedure' ei ole. Tarkoititko 'process'?" in result.err
    assert "Did you mean" not in qms("--lang", "fi", "registr").err
    assert "No such command 'registr'. Did you mean 'register'?" in qms("registr").err


# -- records and forms --------------------------------------------------------------------------------------------

def test_record_new_and_update_in_finnish_on_the_example(example: Path, qms: Qms) -> None:
    result = qms("record", "new", "development-idea", example, "--set", "from=employee", "--set", "idea=Less scrap",
                 "--by", "aino-lahtinen", "--no-input", "--lang", "fi")
    assert result.code == 0, result.err
    assert re.fullmatch(r"Kirjattiin DI-\d{4}-\d{4} tiedostoon records/development-idea/\S+\.yaml\n", result.out)
    assert english_left(result.out, example) == {}
    result = qms("record", "new", "development-idea", example, "--set", "from=employee", "--by", "aino-lahtinen",
                 "--no-input", "--lang", "fi")
    assert result.code == 2
    assert "qms: virhe: pakollisia kenttiä puuttuu: idea" in result.err
    assert "vihje: Anna ne valitsimella --set KENTTÄ=ARVO tai --from TIEDOSTO" in result.err
    assert english_left(result.err, example) == {}
    result = qms("record", "new", "development-idea", example, "--set", "from=everyone", "--no-input", "--lang", "fi")
    assert result.code == 2 and "qms: virhe: from:" in result.err
    assert "vihje: valinta; yksi näistä: customer, employee, supplier" in result.err
    result = qms("record", "update", "NO-SUCH-1", example, "--to", "closed", "--lang", "fi")
    assert result.code == 2
    assert "qms: virhe: tallennetta 'NO-SUCH-1' ei ole" in result.err
    assert "vihje: Luettele tallenteet komennolla `qms records`." in result.err


def test_records_forms_and_workflow_in_finnish_on_the_second_manual(finnish_itservices: Path, qms: Qms) -> None:
    manual = finnish_itservices
    result = qms("record", "new", "improvement-proposal", manual, "--set", "raised=2026-11-20", "--set",
                 "origin=staff", "--set", "proposal=Shorter change windows", "--by", "aino-salo", "--no-input")
    assert result.code == 0, result.err
    assert result.out.startswith("Kirjattiin IP-2026-")
    result = qms("record", "update", "IR-2026-0002", manual, "--to", "logged", "--by", "mika-aalto")
    assert result.code == 2
    assert "qms: virhe: IR-2026-0002: tallenne ei voi siirtyä tilasta 'fixing' tilaan 'logged'" in result.err
    assert "vihje: Tilasta 'fixing' se voi siirtyä tiloihin: closed." in result.err
    result = qms("record", "update", "IR-2026-0002", manual, "--to", "closed", "--by", "mika-aalto")
    assert result.code == 0, result.err
    assert result.out == "IR-2026-0002: fixing → closed\n"
    listing = qms("records", "incident-report", "-C", manual, "-f", "markdown").out
    assert re.match(r"## \d+ tallennetta\n\n\| Tunnus \| Lomake \| Päivä \| Luotu \| Tekijä \| Tila \| Yhteenveto \|",
                    listing), listing
    assert english_left(listing, manual) == {}
    result = qms("records", "no-such-form", "-C", manual)
    assert result.code == 2 and "qms: virhe: lomaketta 'no-such-form' ei ole" in result.err
    assert "vihje: Lomakkeet: billing-entry, campaign-spend," in result.err
    result = qms("form", "render", "no-such-form", manual)
    assert result.code == 2 and "lomaketta 'no-such-form' ei ole" in result.err
    for output in (listing, result.err):
        assert english_left(output, manual) == {}


def test_a_value_of_the_wrong_form_is_explained_in_finnish(finnish_itservices: Path, qms: Qms) -> None:
    # a Finnish user types the day as Finns write it: the refusal and its hint were jsonschema's English
    result = qms("record", "new", "incident-report", finnish_itservices, "--set", "occurred=30.11.2026", "--set",
                 "service=service-desk", "--set", "what=Katko", "--by", "leena-maki", "--no-input")
    assert result.code == 2
    assert "qms: virhe: occurred: '30.11.2026' ei ole muotoa 'date'" in result.err
    assert "vihje: päivämäärä; VVVV-KK-PP" in result.err
    english = qms("record", "new", "incident-report", finnish_itservices, "--set", "occurred=30.11.2026", "--set",
                  "service=service-desk", "--set", "what=Katko", "--by", "leena-maki", "--no-input", "--lang", "en")
    assert "occurred: '30.11.2026' is not a 'date'" in english.err and "hint: date; YYYY-MM-DD" in english.err


def test_a_records_summary_writes_its_days_as_the_language_does(finnish_itservices: Path, qms: Qms) -> None:
    # the summary column showed a date field as ISO (aalto-games · 2026-11-15) beside Finnish days
    listing = qms("records", "billing-entry", "-C", finnish_itservices, "-f", "markdown").out
    assert "| aalto-games · 15.11.2026 · development |" in listing, listing
    spreadsheet = qms("records", "billing-entry", "-C", finnish_itservices, "-f", "csv").out
    assert ",aalto-games · 2026-11-15 · development\n" in spreadsheet  # CSV keeps the manual's days


def test_an_approval_that_will_not_count_says_why_in_finnish(finnish_itservices: Path, qms: Qms) -> None:
    # `qms approve` warned with the judgement's English ("... is not a known person (no matching e-mail ...")
    manual = finnish_itservices
    edit(manual / "documents/PRO-001-documented-information.md", "## Purpose", "## Purpose\n\nUusi kappale.")
    commit_all(manual, "Uusi kappale")
    git(manual, "config", "user.email", "ghost@example.com")
    result = qms("approve", "PRO-001", "-C", manual)
    assert result.code == 0, result.err
    assert re.search(r"varoitus: tämä hyväksyntä ei kelpaa: .* ei ole tunnettu henkilö \(tiedostossa "
                     r"organisation/people\.yaml ei ole vastaavaa sähköpostiosoitetta tai käyttäjätunnusta; luettu: "
                     r"käsikirjan ensimmäinen commit \([0-9a-f]{10}\)\)", " ".join(result.err.split())), result.err
    assert "is not a known person" not in result.err


def test_a_survey_import_reports_its_rows_in_finnish(tmp_path: Path, qms: Qms) -> None:
    """A third manual, made with `qms init` and written in Finnish, importing a survey export."""
    root = tmp_path / "elintarvike"
    assert qms("init", root).code == 0
    edit(root / "qms.yaml", "language: en", "language: fi")
    (root / "forms/asiakaskysely.yaml").write_text(SURVEY_FORM, encoding="utf-8")
    parties = root / "organisation/parties.yaml"
    parties.write_text(parties.read_text(encoding="utf-8") + "  - {id: leipomo-laine, name: Leipomo Laine Oy, kind: "
                       "customer}\n  - {id: kahvila-kulma, name: Kahvila Kulma, kind: customer}\n", encoding="utf-8")
    (root / "imports").mkdir()
    (root / "imports/kysely.yaml").write_text(MAPPING, encoding="utf-8")
    commit_all(root, "Survey form and mapping")
    rows = [*ROWS, "R-104;Tuntematon Oy;8;4;2.11.2026;;", "R-106;Kahvila Kulma;7;4;2026/11/02;;"]
    result = qms("records", "import", "kysely", export(tmp_path, rows), root, "--by", "first-person")
    assert result.code == 1
    assert "rivi 5, sarake 'Yritys': 'Tuntematon Oy' ei ole tunnettu tunnus (customer); kuvaa viennin sana " \
           "tunnukseksi kohdassa `map:`" in result.out
    assert "rivi 6, sarake 'Vastattu': '2026/11/02' ei ole päivämäärä muodossa %d.%m.%Y" in result.out
    assert "Mitään ei tuotu: 2/5 on virheellisiä (lueteltu yllä)." in result.err
    result = qms("records", "import", "kysely", export(tmp_path, ROWS), root, "--by", "first-person", "--dry-run")
    assert result.code == 0, result.err
    assert result.out == "Tarkistettu: 3 uutta, 0 tuotu aiemmin, 0 virheellistä; mitään ei kirjoitettu\n"
    result = qms("records", "import", "kysely", export(tmp_path, ROWS), root, "--by", "first-person")
    assert result.code == 0, result.err
    assert re.fullmatch(r"Tuotiin 3 tallennetta \(AK-\d{4}-\d{4}\N{EN DASH}AK-\d{4}-\d{4}\) kansioon "
                        r"records/asiakaskysely/: 3 uutta, 0 tuotu aiemmin, 0 virheellistä\n", result.out), result.out
    for output in (result.out, result.err):
        assert english_left(output, root) == {}


# -- new items, a new manual, schemas ---------------------------------------------------------------------------

def test_new_document_process_and_form_in_finnish(finnish_itservices: Path, qms: Qms) -> None:
    manual = finnish_itservices
    result = qms("new", "process", "--id", "backups", "--name", "Backups", "--category", "support", "--owner",
                 "quality-manager", "-C", manual)
    assert result.code == 0, result.err
    assert result.out == ("Kirjoitettiin processes/backups.yaml\n"
                          "Täytä asiakas, syötteet ja tuotokset; `qms validate` kertoo, mitä vielä puuttuu.\n")
    # the placeholder is the manual's text, in its language
    assert "purpose: Kerro yhdellä lauseella, miksi tämä prosessi on olemassa ja kenelle." in (
        manual / "processes/backups.yaml").read_text(encoding="utf-8")
    result = qms("new", "process", "--id", "backups", "--name", "Backups", "--category", "support", "--owner",
                 "quality-manager", "-C", manual)
    assert result.code == 2
    assert "qms: virhe: prosessi 'backups' on jo olemassa" in result.err
    assert "vihje: Valitse toinen tunnus." in result.err
    result = qms("new", "form", "--id", "backup-log", "--title", "Backup log", "--prefix", "x", "-C", manual)
    assert result.code == 2
    assert "qms: virhe: tallenteiden etuliite 'x' on jo käytössä tai ei ole 2\N{EN DASH}6 isoa kirjainta" in result.err
    result = qms("new", "document", "--type", "procedure", "--title", "Backups", "--owner", "nobody", "-C", manual)
    assert result.code == 2 and "qms: virhe: roolia 'nobody' ei ole" in result.err
    assert english_left(result.err, manual) == {}


def test_new_on_the_example_with_lang(example: Path, qms: Qms) -> None:
    result = qms("new", "form", "--id", "maintenance-log", "--title", "Maintenance log", "--prefix", "ML", "-C",
                 example, "--lang", "fi")
    assert result.code == 0, result.err
    assert result.out == "Kirjoitettiin forms/maintenance-log.yaml\n"
    assert "label: Päivä\n" in (example / "forms/maintenance-log.yaml").read_text(encoding="utf-8")
    result = qms("new", "form", "--id", "maintenance-log", "--title", "Again", "--prefix", "MX", "-C", example,
                 "--lang", "fi")
    assert result.code == 2 and "qms: virhe: lomake 'maintenance-log' on jo olemassa" in result.err


def test_init_and_schemas_in_the_terminals_language(tmp_path: Path, qms: Qms, finnish_terminal: None) -> None:
    folder = tmp_path / "my-qms"
    result = qms("init", folder)  # no manual yet: the terminal's locale decides
    assert result.code == 0, result.err
    assert re.match(rf"Kirjoitettiin \d+ tiedostoa kansioon {re.escape(str(folder))}\n  ja \d+ skeemaa kansioon "
                    r"\.qms/schemas/ editoreja varten\n", result.out), result.out
    assert re.search(r"Luotiin Git-repositorio; ensimmäinen commit [0-9a-f]{10}\n", result.out)
    assert f"Seuraavaksi: qms validate {folder}" in result.out
    assert english_left(result.out, folder) == {}
    result = qms("schemas", "sync", folder)
    assert result.out == f"Kansion {folder / '.qms/schemas'} skeemat ovat ajan tasalla.\n"
    (folder / ".qms/schemas/form.schema.json").unlink()
    result = qms("schemas", "sync", folder)
    assert result.out.startswith("Päivitettiin 1 skeema kansioon ")
    assert "Wrote" in qms("init", tmp_path / "other", "--lang", "en").out
    refused = qms("init", folder)  # not empty now
    assert refused.code != 0 and f"{folder} ei ole tyhjä" in " ".join(refused.err.split()), refused.err
    assert "--force" in refused.err and english_left(refused.err, folder) == {}


def test_an_unknown_site_language_is_refused_in_the_readers_language() -> None:
    with use("fi"), pytest.raises(ConfigError) as refused:
        languages.parse("fi,xx")
    assert refused.value.message == "qms build ei osaa kirjoittaa sivustoa kielellä 'xx'"
    assert refused.value.hint.startswith("Käytä jotakin näistä: en, fi")


# -- diagrams, sites, PDF -----------------------------------------------------------------------------------------

def test_diagram_messages_in_finnish(example: Path, finnish_itservices: Path, qms: Qms, tmp_path: Path) -> None:
    result = qms("diagram", finnish_itservices, "--all", "-f", "dot", "-o", tmp_path / "maps")
    assert result.code == 0, result.err
    assert re.fullmatch(rf"Kirjoitettiin \d+ kaaviota kansioon {re.escape(str(tmp_path / 'maps'))}\n", result.out)
    result = qms("diagram", example, "--view", "process", "--lang", "fi")
    assert result.code == 2
    assert "qms: virhe: --view process tarvitsee valitsimen --process TUNNUS" in result.err
    assert "vihje: Tunnetut prosessit: " in result.err
    result = qms("diagram", example, "--all", "--lang", "fi")
    assert result.code == 2 and "qms: virhe: --all tarvitsee kansion, johon kirjoittaa" in result.err
    assert english_left(result.err, example) == {}


def test_pdf_and_serve_in_finnish(example: Path, finnish_itservices: Path, qms: Qms, tmp_path: Path) -> None:
    result = qms("pdf", finnish_itservices, "--document", "POL-001", "-o", tmp_path / "policy.pdf")
    assert result.code == 0, result.err
    assert result.out == f"POL-001 tulostettiin tiedostoon {tmp_path / 'policy.pdf'}\n"
    assert (tmp_path / "policy.pdf").read_bytes().startswith(b"%PDF")
    result = qms("pdf", example, "--document", "NO-SUCH-1", "-o", tmp_path / "x.pdf", "--lang", "fi")
    assert result.code == 2
    assert "qms: virhe: asiakirjaa 'NO-SUCH-1' ei ole" in result.err
    assert "vihje: Luettele asiakirjat komennolla `qms register`." in result.err
    result = qms("serve", example, "--lang", "fi,en")
    assert result.code == 2
    assert "qms: virhe: qms serve näyttää yhden kielen kerrallaan" in result.err
    assert "vihje: Anna yksi kieli, esim. --lang fi." in result.err


def test_qms_lang_and_build_lang_mean_the_same(itservices: Path, qms: Qms, tmp_path: Path) -> None:
    """`qms --lang fi build` and `qms build --lang fi` build the same Finnish site and speak Finnish; only the
    command's own --lang takes a list of sites."""
    before = qms("--lang", "fi", "build", itservices, "-o", tmp_path / "before")
    after = qms("build", itservices, "-o", tmp_path / "after", "--lang", "fi")
    for result, folder in ((before, "before"), (after, "after")):
        assert result.code == 0, result.err
        assert re.fullmatch(rf"Rakennettiin \d+ sivua \(sisäinen\) kansioon {re.escape(str(tmp_path / folder))}\n",
                            result.out), result.out
        assert '<html lang="fi"' in (tmp_path / folder / "index.html").read_text(encoding="utf-8")
    both = qms("build", itservices, "-o", tmp_path / "both", "--lang", "fi,en")
    assert both.code == 0, both.err
    assert both.out.startswith("Rakennettiin ")  # messages follow the first language listed
    assert (tmp_path / "both/fi/index.html").is_file() and (tmp_path / "both/en/index.html").is_file()
    result = qms("--lang", "fi,en", "build", itservices, "-o", tmp_path / "list")
    assert result.code == 2 and "tuntematon kieli 'fi,en' valitsimelle --lang" in result.err


def test_build_and_new_refusals_in_finnish(finnish_itservices: Path, qms: Qms, tmp_path: Path) -> None:
    manual = finnish_itservices
    result = qms("build", manual, "-o", manual / "site")
    assert result.code == 2
    assert f"qms: virhe: --output {manual / 'site'} on tai menee päällekkäin: käsikirjan sisällä oleva kansio" in (
        result.err)
    assert "vihje: Anna käsikirjan ulkopuolinen kansio, esim. -o ../site tai /tmp/site." in result.err
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine/notes.txt").write_text("mine", encoding="utf-8")
    result = qms("build", manual, "-o", tmp_path / "mine")
    assert result.code == 2 and "ei ole tyhjä eikä qms ole tehnyt sitä" in result.err
    result = qms("new", "process", "--id", "../up", "--name", "Up", "--category", "core", "--owner",
                 "quality-manager", "-C", manual)
    assert result.code == 2
    assert "qms: virhe: prosessin tunnus '../up' ei ole turvallinen tunnus" in result.err
    assert "vihje: Käytä 1\N{EN DASH}80 kirjainta, numeroa tai merkkejä" in result.err
    result = qms("changes", "--base", "no-such-branch", manual)
    assert result.code == 2 and "qms: virhe: 'no-such-branch' ei ole tämän repositorion commit" in result.err
    assert "vihje: Hae se ensin (esim. `git fetch origin main`) tai nimeä haara, tagi tai commit." in result.err
    assert english_left(result.err, manual) == {}


def test_lang_en_under_a_finnish_manual(finnish_itservices: Path, qms: Qms, tmp_path: Path) -> None:
    result = qms("build", finnish_itservices, "-o", tmp_path / "site", "--lang", "en")
    assert result.code == 0, result.err
    assert result.out.startswith("Built ") and "(internal)" in result.out
    assert '<html lang="en"' in (tmp_path / "site/index.html").read_text(encoding="utf-8")
    result = qms("record", "new", "no-such-form", finnish_itservices, "--lang", "en")
    assert "qms: error: no form 'no-such-form'" in result.err
    assert "qms: virhe: lomaketta 'no-such-form' ei ole" in qms("record", "new", "no-such-form",
                                                              finnish_itservices).err
    assert "Fill in a form (a new record)" in qms("record", "--help", "--lang", "en").out


def test_the_rule_list_says_severities_in_finnish(qms: Qms) -> None:
    out = qms("rules", "--lang", "fi").out
    assert re.search(r"\n QMS-FILE-002 +virhe ", out), out[:500]
    assert " varoitus " in out and " warning " not in out
    assert re.search(r"\n QMS-FILE-002 +error ", qms("rules").out)


# -- tables --------------------------------------------------------------------------------------------------------

def test_competence_gaps_say_their_problems_and_training_in_finnish(example: Path, qms: Qms) -> None:
    table = qms("competence", example, "--gaps", "--lang", "fi", "-f", "markdown").out
    assert "| timo-laine | Timo Laine | machinist | first-aid | 1 | 1 | vanhentunut | TR-2026-12 10.12.2026 |" in table
    assert "| taso liian matala |" in table and "| puuttuu |" in table
    assert english_left(table, example) == {}
    text = qms("competence", example, "--gaps", "--lang", "fi").out
    assert "vanhentunut" in text and "expired" not in text
    # tools read JSON and CSV: their values stay English
    gaps = qms("competence", example, "--gaps", "--lang", "fi", "-f", "json").json()
    assert {g["problem"] for g in gaps} == {"expired", "missing", "level too low"}
    assert "TR-2026-12 on 2026-12-10" in {g["training"] for g in gaps}
    assert ",expired,TR-2026-12 on 2026-12-10\n" in qms("competence", example, "--gaps", "--lang", "fi", "-f",
                                                        "csv").out
    grid = qms("competence", example, "--lang", "fi").out
    assert grid.startswith("Pätevyysmatriisi 27.11.2026: taso; ! vanhenemassa, ✗ vanhentunut, - puuttuu\n")


def test_history_says_how_each_approval_was_recorded_in_finnish(example: Path, qms: Qms) -> None:
    edit(example / "documents/procedures/PRO-009-internal-audit.md", "## Purpose", "## Purpose\n\nAudits follow "
         "ISO 19011.\n")
    commit_all(example, "Audits follow ISO 19011",
               "Approved-by: Mikko Heinonen <mikko.heinonen@tarkkuustyo.example>", who=EXAMPLE_MERGE)
    table = qms("history", "PRO-009", "-C", example, "--lang", "fi", "-f", "markdown").out.replace("\\", "")
    assert "(hyväksytty, commit-viestissä, ilmoitettu, ei varmennettu)" in table, table
    assert "asserted" not in table and "trailer" not in table
    rows = qms("history", "PRO-009", "-C", example, "--lang", "fi", "-f", "json").json()
    assert any("(approved, trailer, asserted, not verified)" in a for row in rows for a in row["approved_by"])


def test_coverage_statuses_in_finnish(finnish_itservices: Path, qms: Qms) -> None:
    table = qms("coverage", finnish_itservices, "-f", "markdown").out
    assert "| käsitelty |" in table and "| addressed |" not in table
    # the clause titles too come from the catalogue (tests/test_clause_texts.py checks each one)
    assert english_left(table, finnish_itservices) == {}
    assert ",addressed," in qms("coverage", finnish_itservices, "-f", "csv").out


# -- the check itself -------------------------------------------------------------------------------------------

def test_the_check_catches_english_command_output(example: Path, qms: Qms) -> None:
    """The no-English check on command output: the same error in English is caught, in Finnish it is clean."""
    english_run = qms("record", "new", "no-such-form", example, "--lang", "en")
    found = english_left(english_run.err, example)
    assert "Forms" in found or "no form" in found, found
    assert english_left(qms("record", "new", "no-such-form", example, "--lang", "fi").err, example) == {}
    help_found = english_left(_prose(qms("record", "new", "--help", "--lang", "en").out), example)
    assert help_found["Commit the new record"] == "Commit the new record.", help_found
