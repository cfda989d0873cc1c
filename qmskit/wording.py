"""Words that depend on a number or a letter: "1 day" / "2 days", "an instruction" / "a procedure", yes / no.
Pure. `quantity` and `yes_no` speak the current language through the catalogue; `article` is English grammar
and only for English text."""

from __future__ import annotations

from collections.abc import Callable

from qmskit.i18n import _, format_number, ngettext

# Words that start with a vowel letter but a consonant sound, and the reverse (the silent h).
_CONSONANT_SOUND = ("one", "once", "uni", "use", "usu", "eu", "ur", "uti")
_VOWEL_SOUND = ("hour", "honest", "honour", "honor", "heir")
_VOWEL_SOUND_LETTERS = "AEFHILMNORSX"  # letters whose names start with a vowel sound: "eff", "aitch", "ess"


# The nouns qmskit counts, each through the catalogue ("{n} file" / "{n} files"), so that a language with other
# plural rules than English counts them its own way.
_COUNTED: dict[str, Callable[[float], str]] = {
    "day": lambda n: ngettext("{n} day", "{n} days", n),
    "file": lambda n: ngettext("{n} file", "{n} files", n),
    "schema": lambda n: ngettext("{n} schema", "{n} schemas", n),
    "approval": lambda n: ngettext("{n} approval", "{n} approvals", n),
    "finding": lambda n: ngettext("{n} finding", "{n} findings", n),
    "accepted finding": lambda n: ngettext("{n} accepted finding", "{n} accepted findings", n),
    "document": lambda n: ngettext("{n} document", "{n} documents", n),
    "record": lambda n: ngettext("{n} record", "{n} records", n),
    "open item": lambda n: ngettext("{n} open item", "{n} open items", n),
    "order": lambda n: ngettext("{n} order", "{n} orders", n),
    "competence gap": lambda n: ngettext("{n} competence gap", "{n} competence gaps", n),
    "qualification": lambda n: ngettext("{n} qualification", "{n} qualifications", n),
    "month": lambda n: ngettext("{n} month", "{n} months", n),
    "nonconformity": lambda n: ngettext("{n} nonconformity", "{n} nonconformities", n),
    "commit": lambda n: ngettext("{n} commit", "{n} commits", n),
}


def quantity(number: float, noun: str, plural: str | None = None) -> str:
    """`number` and the noun in the right number: 1 day, 2 days, 0 days, 1.5 days, -1 day (1 päivä, 2 päivää).
    Nouns the catalogue counts speak the current language; any other noun is English."""
    if noun in _COUNTED and plural is None:
        return _COUNTED[noun](abs(number)).format(n=format_number(number))
    text = f"{number:g}" if isinstance(number, float) else str(number)
    return f"{text} {noun if abs(number) == 1 else plural or noun + 's'}"


def article(word: str) -> str:
    """The word with "a" or "an" before it, by how it sounds: an instruction, a procedure, a user, an hour."""
    lower = word.lower()
    if word[:1].isupper() and word.split("-", maxsplit=1)[0].isupper():  # read letter by letter: an SOP, a QM
        return f"{'an' if word[0] in _VOWEL_SOUND_LETTERS else 'a'} {word}"
    if lower.startswith(_VOWEL_SOUND):
        return f"an {word}"
    vowel = lower[:1] in ("a", "e", "i", "o", "u") and not lower.startswith(_CONSONANT_SOUND)
    return f"{'an' if vowel else 'a'} {word}"


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def abbreviate(names: list[str], width: int) -> list[str]:
    """Each name cut to at most `width` characters, all different: the start, and where two starts collide,
    the start, "~" and as much of the end as tells them apart (food-hy~sic, food-hy~ced); a number as a last
    resort. Names that fit are kept whole."""
    width = max(width, 3)
    result = [name if len(name) <= width else name[:width] for name in names]
    for tail in range(1, width - 1):
        clashes = _clashes(names, result)
        if not clashes:
            return result
        for index in clashes:
            if len(names[index]) > width:
                result[index] = names[index][: width - tail - 1] + "~" + names[index][-tail:]
    for number, index in enumerate(sorted(_clashes(names, result)), start=1):
        mark = f"~{number}"
        result[index] = names[index][: width - len(mark)] + mark
    return result


def _clashes(names: list[str], shown: list[str]) -> set[int]:
    """Indexes of shortened names that read the same as another column's."""
    seen: dict[str, list[int]] = {}
    for index, text in enumerate(shown):
        seen.setdefault(text, []).append(index)
    return {i for group in seen.values() if len({names[j] for j in group}) > 1 for i in group if shown[i] != names[i]}
