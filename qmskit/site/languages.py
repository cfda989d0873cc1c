"""A site in several languages: `qms build --lang fi,en -o site` builds each language into a folder of its own
(`site/fi/`, `site/en/`), with a page at `site/` that leads to them, mkdocs-material's language selector in the
header, and each page linked to the same page in the other languages (decision 0026). Pure."""

from __future__ import annotations

import html

from qmskit import i18n
from qmskit.errors import ConfigError

# Each language by its own name, as its readers look for it in a language selector
NAMES = {"en": "English", "fi": "Suomi"}


def parse(option: str) -> tuple[str, ...]:
    """`--lang fi` or `--lang fi,en`: supported languages, in the order given, each once."""
    found: list[str] = []
    for part in option.split(","):
        code = i18n.supported(part.strip())
        if code is None:
            raise ConfigError(i18n._("qms build cannot write the site in '{language}'").format(
                language=part.strip()[:40]), i18n._("Use one of: {languages}, or several separated by commas (--lang "
                                                    "fi,en).").format(languages=", ".join(i18n.LANGUAGES)))
        if code not in found:
            found.append(code)
    return tuple(found)


def link_to(url: str, language: str) -> str:
    """The relative address, from the page at `url` (below its site's root: `documents/pro-006/`) in one
    language's folder, of the same page in `language`'s folder."""
    up = "../" * (url.count("/") + 1)  # out of the page's folders, then out of its language's folder
    return f"{up}{language}/{url}"


def selector(languages: tuple[str, ...]) -> list[dict[str, str]]:
    """mkdocs-material's `extra.alternate`: the header's language selector, to each language's home page."""
    return [{"name": NAMES.get(code, code), "link": f"../{code}/", "lang": code} for code in languages]


def index_page(languages: tuple[str, ...], title: str) -> str:
    """The page at the top of a site in several languages: links to each, and on to the first one."""
    first = languages[0]
    items = "\n".join(f'<li><a href="{code}/" hreflang="{code}" lang="{code}">{html.escape(NAMES.get(code, code))}'
                      "</a></li>" for code in languages)
    return (f'<!DOCTYPE html>\n<html lang="{first}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="refresh" content="0; url={first}/">\n<title>{html.escape(title)}</title>\n</head>\n'
            f"<body>\n<h1>{html.escape(title)}</h1>\n<ul>\n{items}\n</ul>\n</body>\n</html>\n")
