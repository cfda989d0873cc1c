"""One escaping discipline for every output channel. Every value from a manual is hostile: whoever can commit to
the manual can write anything into any field, so each channel escapes for its own syntax here, in one place.

Pure functions, no I/O. The site's Markdown helpers (`md`, `cell`) live in site/generate.py and build on these.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

# -- terminal ---------------------------------------------------------------------------------------------------

# C0 and C1 controls (ESC starts ANSI/OSC sequences, CR and BS overwrite what was shown), DEL, and the
# bidirectional overrides that make text read differently from what it is (Trojan Source).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal(value: object) -> str:
    """Text for a terminal: control characters, escape sequences and bidi overrides shown as `?`.
    Newlines and tabs stay (callers that want one line collapse them)."""
    return _TERMINAL_UNSAFE.sub("?", str(value))


def one_line(value: object) -> str:
    """Text for one line of a terminal table or a Markdown cell: whitespace runs become one space."""
    return re.sub(r"\s+", " ", terminal(value)).strip()


# -- CSV --------------------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ (and, after a TAB or CR, whatever follows) as a formula:
    such a cell gets a leading apostrophe, which spreadsheets show as text (OWASP's CSV injection advice)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


# -- Markdown (PR comments, reports) ----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")
_BLOCK_START = re.compile(r"^(?:[-=?:^.~]|\d+[.)])")


def markdown_text(value: object) -> str:
    """One line of inline Markdown that shows `value` as it is: Markdown syntax backslash-escaped and HTML
    special characters as entities, so neither a link, an image, emphasis, a table cell break nor a tag can form.
    A first character that would start a block (list, setext heading, admonition, definition) becomes an entity."""
    text = html.escape(_MD_SPECIAL.sub(r"\\\1", one_line(value)), quote=False)
    if _BLOCK_START.match(text):
        text = f"&#{ord(text[0])};" + text[1:]
    return text


def code_fence(content: str, char: str = "`") -> str:
    """A fence for a fenced code block that nothing in `content` can close: longer than its longest run."""
    runs = [len(run) for run in re.findall(re.escape(char) + "+", content)]
    return char * max(3, max(runs, default=0) + 1)


def code_span(value: object) -> str:
    """Inline code that no backtick in `value` can end: delimiters longer than any backtick run inside."""
    text = one_line(value)
    runs = [len(run) for run in re.findall("`+", text)]
    ticks = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


# -- URLs -------------------------------------------------------------------------------------------------------

_SAFE_URL = re.compile(r"(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)?[A-Za-z0-9._~/%+,;=@-]*")


def safe_url(value: str) -> str:
    """`value` if it is a plain http(s) URL or a relative path made of URL-safe characters, else "". Tools put
    such addresses into attributes and scripts without escaping them (dot's SVG links, mkdocs' canonical link):
    no quote, bracket, space, other scheme (javascript:) or protocol-relative `//host` gets through."""
    if value.startswith("//") or not _SAFE_URL.fullmatch(value):
        return ""
    return value


def absolute_url(value: str) -> str:
    """`value` if it is a plain absolute http(s) URL (see safe_url), else ""."""
    return value if value.startswith(("http://", "https://")) and safe_url(value) else ""


# -- HTML -------------------------------------------------------------------------------------------------------

# What a document body may contain after it is rendered: text structure, tables, code, links and images over
# http(s), admonitions and details. No script, style, frames, forms, plugins, event handlers or other URL schemes.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var", "wbr"})
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
ID_PREFIX = "doc-"  # ids a body sets can never clobber the theme's own (e.g. __config)

# The extensions the site's mkdocs.yml enables, so that a body renders here as mkdocs would render it.
MARKDOWN_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "pymdownx.details",
                       "pymdownx.superfences"]


def sanitize_html(fragment: str, links: Callable[[str], str | None] | None = None) -> str:
    """An HTML fragment with only the allow-listed tags, attributes and URL schemes left (Ammonia, via nh3).
    `links` maps each link target (`href`) to the one to keep, or None to drop it."""
    import nh3  # noqa: PLC0415 - only the site and the review pack need it; terminal escaping stays cheap

    def relink(tag: str, attribute: str, value: str) -> str | None:
        return links(value) if links is not None and tag == "a" and attribute == "href" else value

    return nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), clean_content_tags={"script", "style"}, strip_comments=True,
                     link_rel="noopener noreferrer", filter_style_properties={"text-align"}, id_prefix=ID_PREFIX,
                     attribute_filter=relink)


@functools.cache
def _renderer() -> Any:
    import markdown  # noqa: PLC0415 - see sanitize_html

    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")  # loading them costs ~5 ms


def render_markdown(text: str, links: Callable[[str], str | None] | None = None) -> str:
    """Organisation-written Markdown -> sanitized HTML (`links`: see sanitize_html)."""
    return sanitize_html(_renderer().reset().convert(text), links)


class _TopLevel(HTMLParser):
    """Splits sanitized HTML at its top-level headings: [(level, heading text)] and the HTML between them."""

    _VOID = frozenset({"br", "col", "hr", "img", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[tuple[int, str]] = [(0, "")]  # (heading level or 0 for HTML, text or markup)
        self.depth = 0
        self.heading = 0

    def _add(self, markup: str) -> None:
        if self.heading:
            return
        level, text = self.parts[-1]
        if level:
            self.parts.append((0, markup))
        else:
            self.parts[-1] = (0, text + markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0 and not self.heading and re.fullmatch(r"h[1-6]", tag):
            self.heading = int(tag[1])
            self.parts.append((self.heading, ""))
            return
        if self.heading:
            return
        self._add(self.get_starttag_text() or "")
        if tag not in self._VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.heading:
            if tag == f"h{self.heading}":
                self.heading = 0
            return
        self.depth -= 1
        self._add(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.heading:
            level, text = self.parts[-1]
            self.parts[-1] = (level, text + data)
        else:
            self._add(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def markdown_body(text: str, links: Callable[[str], str | None] | None = None) -> str:
    """A document body for a Markdown page that mkdocs renders again: rendered and sanitized here, then its
    top-level headings as Markdown headings (so the page's table of contents and search sections keep working)
    and everything between them as one opaque HTML block each, which Markdown does not read again."""
    parser = _TopLevel()
    parser.feed(render_markdown(text, links))
    parser.close()
    out = []
    for level, content in parser.parts:
        if level:
            out.append("#" * level + " " + markdown_text(html.unescape(content)))
        elif content.strip():
            out.append('<div class="qms-body">\n' + content.strip() + "\n</div>")
    return "\n\n".join(out) + "\n"


# Unicode's control characters (category Cc) but TAB and LF, and the surrogates (Cs): one pattern, not a look-up
# per character (a site build calls this for every value it shows)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(value: object) -> str:
    """Text without control characters or unpaired surrogates: what YAML and HTML accept everywhere."""
    return _UNPRINTABLE.sub("", str(value))
