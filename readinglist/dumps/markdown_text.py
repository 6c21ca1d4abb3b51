"""Markdown syntax -> lines of plain text with their links, for the capture reader.

HTML-to-Markdown converters (html2text, pandoc, markdownify, turndown, web
clippers, text-browser captures) write the site's cards in Markdown that is
often not CommonMark: link text that runs over several lines and even over
blank lines (an abstract or an author list inside one link), URLs wrapped
at a hyphen, reference links whose definitions were cut off, images written
as `[alt]` inside link text, raw HTML left in. This module reads what such
text means, not what a strict parser would make of it:

- front matter (`---` key: value `---`) is taken off and returned;
- fenced blocks are kept as Markdown when `keep_fence` says so (a capture
  pasted into a fence), and dropped otherwise (code);
- raw HTML: links become Markdown links, images and other tags go, entities
  are decoded;
- reference definitions (`[12]: /papers/...`, wrapped URLs too) are taken off
  and resolve `[text][12]` links;
- images are never text: they only mark the link they sit in (an avatar);
- each link becomes one `Link` (its text as plain paragraphs, its URL) held by
  the line it starts on, so a link over many lines is one piece of that line;
- headings (ATX and setext, wrapped ones joined), list bullets, block quotes,
  emphasis, code spans and backslash escapes are taken off the text.

Pure functions, no I/O.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

LineKind = Literal["heading", "text", "rule"]


@dataclass(frozen=True, slots=True)
class Link:
    """A link as the reader needs it.

    `text` is what the link shows, as plain text: images dropped, markup taken
    off, wrapped lines joined, paragraphs kept apart by a blank line. `url` is
    None for a reference link whose definition is missing (a capture cut off
    before its list of references). `image` says an image sat in the text (an
    avatar or a logo before a name).
    """

    text: str
    url: str | None
    image: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document with its block markup taken off.

    `parts` is the line in order: runs of plain text and the links that start
    on it. `text` is the same with each link replaced by its text.
    """

    kind: LineKind
    parts: tuple[str | Link, ...]
    level: int = 0  # 1-6 for a heading
    blank_before: bool = False  # a blank line (or the document's start) precedes it
    indent: int = 0  # leading spaces in the source, after block markers
    item: bool = False  # it was a list item

    @property
    def text(self) -> str:
        """The line as plain text, each link given as its text."""
        return " ".join(
            piece
            for piece in (p if isinstance(p, str) else p.text for p in self.parts)
            if piece.strip()
        ).strip()

    @property
    def links(self) -> list[Link]:
        """The links that start on this line."""
        return [part for part in self.parts if isinstance(part, Link)]

    @property
    def bare_text(self) -> str:
        """The text of the line outside its links."""
        return " ".join(p.strip() for p in self.parts if isinstance(p, str) and p.strip())


@dataclass(slots=True)
class Document:
    """A Markdown document read into lines."""

    lines: list[Line]
    front_matter: dict[str, str]


# -- the steps, in the order `read_markdown` runs them -------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n`]*$", re.MULTILINE)
_FRONT_KEY = re.compile(r"^([A-Za-z][\w .()-]{0,40}):\s*(.*)$")

_HTML_HINT = re.compile(r"<(?:a|div|span|img|p|br|h[1-6]|li|ul|ol|article|section)\b", re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_IMG = re.compile(r"<(?:img|svg|source|picture|video)\b[^>]*>", re.IGNORECASE)
_HTML_SVG = re.compile(r"<svg\b.*?</svg\s*>", re.IGNORECASE | re.DOTALL)
_HTML_LINK = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)')[^>]*>(.*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")

# `[label]: url "title"`, indented up to three spaces (html2text indents them),
# then lines that continue a URL wrapped at a hyphen.
_DEFINITION = re.compile(
    r"^ {0,3}\[([^\[\]\n]{1,100})\]:[ \t]*<?(\S*?)>?"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$"
)
_URL_CONTINUATION = re.compile(r"^\S+$")

# A URL in parentheses: no spaces, balanced parentheses one deep, wrapped onto
# further lines at a hyphen (html2text), an optional title. `<...>` URLs too.
_URL = (
    r"(?:<(?P<{n}a>[^<>\n]*)>"
    r"|(?P<{n}u>[^()\s]*+(?:\([^()\s]*\)[^()\s]*+)*+(?:\n[^()\s]++)*+))"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*"
)
_IMAGE = re.compile(
    r"!\[(?P<alt>[^\[\]]*)\](?:\(\s*" + _URL.format(n="i") + r"\)|\[(?P<iref>[^\[\]\n]*)\])"
)
# Link text: anything but brackets, escapes, or one level of nested brackets
# (`[[microsoft] Microsoft][67]`: an image written as its alt text). Possessive
# quantifiers keep a lone `[` from costing more than a scan to the next bracket.
_LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]\\]++|\\.|\[(?:[^\[\]\\]++|\\.)*+\])*+)\]"
    r"(?:\(\s*" + _URL.format(n="l") + r"\)|\[(?P<ref>[^\[\]\n]*)\])",
    re.DOTALL,
)
_FLAT_LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]\\]++|\\.)*+)\]"
    r"(?:\(\s*" + _URL.format(n="l") + r"\)|\[(?P<ref>[^\[\]\n]*)\])",
    re.DOTALL,
)
_IMAGE_MARK = "\x02"
_TOKEN = re.compile("\x00(\\d+)\x01")
_ALT_MARK = re.compile(r"^\s*\[[^\[\]\n]*\]\s*(?=\S)")  # `[microsoft] Microsoft`
_ALT_ONLY = re.compile(r"\s*\[[^\[\]\n]*\]\s*")  # `[[avatar]](/papers/...)`

_BRACKET_DEBRIS = re.compile(r"\[|\]|\]\[[^\[\]]*\]|\]\([^()\s]*\)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:=[ \t]*){3,})$")
_BULLET = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])(?:[ \t]+|$)")
_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
_HASHES = re.compile(r"^[ \t]*#{1,6}[ \t]+")

_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# Inline spans are short and start with a word: "x_1 ... y_2" or LaTeX's
# `quotes' in an abstract are no emphasis and no code.
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*\d])(.{1,80}?)(?<=[^\s*])\*(?![\w*])")
_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_\d])(.{1,80}?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.{1,80}?)(?<=\S)~~")
_CODE = re.compile(r"(`+)([^`']{1,80}?)\1")
# The escapes converters write (html2text, turndown): Markdown's own marks. A
# "\\%" or "\\&" typed by hand is LaTeX in an abstract, and stays.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~= ])")
_TRAILING_BREAK = re.compile(r"(?:\\+| {2,})$")
_SPACES = re.compile(r"[ \t]+")

_TITLE_JOIN_MAX = 300  # a wrapped heading is joined only while it stays title-sized


def read_markdown(text: str, *, keep_fence: Callable[[str], bool] | None = None) -> Document:
    """Read Markdown text into lines of plain text with their links.

    Args:
        text: the document (any line ends).
        keep_fence: called with the text of each fenced block; True keeps the
            block as Markdown (a capture pasted into a fence), False drops it.
            Without it every fenced block is dropped.

    Returns:
        The lines in order, with the front matter apart.
    """
    text = _normalised(text)
    text, front_matter = _split_front_matter(text)
    text = _unfenced(text, keep_fence or (lambda _block: False))
    if _HTML_HINT.search(text):
        text = _html_to_markdown(text)
    text, definitions = _take_definitions(text)
    links: list[Link] = []
    text = _tokenise_links(text, definitions, links)
    return Document(_lines(text, links), front_matter)


def _normalised(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for odd, plain in (("\ufeff", ""), ("\xa0", " "), ("\t", "    "), ("\u200b", "")):
        if odd in text:
            text = text.replace(odd, plain)
    # The reader's own markers must not come from the text.
    return text.replace("\x00", "").replace("\x01", "").replace(_IMAGE_MARK, "")


def _split_front_matter(text: str) -> tuple[str, dict[str, str]]:
    """YAML-style front matter at the very top: `---`, `key: value` lines, `---`."""
    if not text.startswith("---\n"):
        return text, {}
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if end is None or text[4 : 4 + end.start()].count("\n") > 60:
        return text, {}
    body = text[4 : 4 + end.start()]
    pairs: dict[str, str] = {}
    for line in body.splitlines():
        match = _FRONT_KEY.match(line.strip())
        if match:
            pairs[match[1].strip().casefold()] = match[2].strip().strip("\"'")
    if not pairs:
        return text, {}
    return text[4 + end.end() :], pairs


def _unfenced(text: str, keep: Callable[[str], bool]) -> str:
    """Fence lines go; a block is kept as Markdown or dropped, as `keep` says."""
    if "```" not in text and "~~~" not in text:
        return text
    out: list[str] = []
    index = 0
    while (opening := _FENCE.search(text, index)) is not None:
        marker = opening[1]
        closing = re.compile(
            r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$", re.MULTILINE
        ).search(text, opening.end())
        out.append(text[index : opening.start()])
        body_end = closing.start() if closing else len(text)
        body = text[opening.end() + 1 : body_end]
        out.append(body if keep(body) else "")
        index = closing.end() if closing else len(text)
    out.append(text[index:])
    return "\n".join(out)


def _html_to_markdown(text: str) -> str:
    """Raw HTML in Markdown (pandoc keeps it): links as Markdown links, the rest as text."""
    text = _HTML_COMMENT.sub("", text)
    text = _HTML_SVG.sub("", text)
    text = _HTML_IMG.sub(_IMAGE_MARK, text)

    def link(match: re.Match[str]) -> str:
        url = match[1] if match[1] is not None else match[2]
        inner = match[3].replace("[", "(").replace("]", ")")
        return f"[{inner}]({html.unescape(url).replace(' ', '%20')})"

    text = _HTML_LINK.sub(link, text)
    text = _HTML_BREAK.sub("\n", text)
    return _HTML_TAG.sub("", text)


def _take_definitions(text: str) -> tuple[str, dict[str, str]]:
    """Take reference definitions out of the text: (the rest, label -> URL)."""
    if "]:" not in text:
        return text, {}
    definitions: dict[str, str] = {}
    kept: list[str] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _DEFINITION.match(line) if "]:" in line else None
        if match is None:
            kept.append(line)
            index += 1
            continue
        url = match[2]
        index += 1
        # html2text wraps a long URL at a hyphen onto lines of their own.
        while (
            index < len(lines)
            and _URL_CONTINUATION.match(lines[index])
            and not _DEFINITION.match(lines[index])
            and (url.endswith("-") or not url)
        ):
            url += lines[index].strip()
            index += 1
        definitions.setdefault(_label(match[1]), url)
        kept.append("")
    return "\n".join(kept), definitions


def _label(label: str) -> str:
    return _SPACES.sub(" ", label.strip()).casefold()


def _tokenise_links(text: str, definitions: dict[str, str], links: list[Link]) -> str:
    """Replace images by a mark and links by tokens that index `links`."""
    if "[" not in text:
        return text
    text = _IMAGE.sub(_IMAGE_MARK, text)

    def link(match: re.Match[str]) -> str:
        ref = match["ref"]
        if ref is not None:
            label = _label(ref) or _label(match["text"])
            url = definitions.get(label)
            if url is None and not label.isdigit():
                # `[text][label]` with no such label: CommonMark reads it as
                # text, and a numbered one as a capture's cut-off reference.
                return match[0]
        else:
            url = match["la"] if match["la"] is not None else match["lu"]
            url = url.replace("\n", "")
        links.append(_link(match["text"], url, links))
        return f"\x00{len(links) - 1}\x01"

    # Innermost links first (a video link inside a thumbnail's link), then
    # links whose text holds an image written as `[alt]`.
    return _LINK.sub(link, _FLAT_LINK.sub(link, text))


def _link(raw: str, url: str | None, links: list[Link]) -> Link:
    if "\x00" in raw:
        # A link inside this one's text: a media link, shown as its text.
        raw = _TOKEN.sub(lambda m: links[int(m[1])].text or _IMAGE_MARK, raw)
    image = _IMAGE_MARK in raw
    if image:
        raw = raw.replace(_IMAGE_MARK, " ")
    alt = _ALT_MARK.match(raw) or _ALT_ONLY.fullmatch(raw)
    if alt is not None:
        # `[[microsoft] Microsoft]`: a text browser writes the avatar as `[alt]`.
        image = True
        raw = raw[alt.end() :]
    return Link(plain_paragraphs(raw.split("\n")), url or None, image)


def plain_paragraphs(lines: list[str]) -> str:
    """Plain text of some Markdown lines: markup off, wraps joined, paragraphs apart."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        line = _strip_block_marks(line)
        line = unmark_inline(line)
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(unwrap(p) for p in paragraphs if p)


def _strip_block_marks(line: str) -> str:
    line = _QUOTE.sub("", line)
    while (bullet := _BULLET.match(line)) is not None:
        line = line[bullet.end() :]
    return _HASHES.sub("", line)


def unmark_inline(text: str) -> str:
    """Inline Markdown off one line: emphasis, code spans, escapes, hard breaks, entities."""
    text = text.strip()
    if text.endswith("\\"):
        text = _TRAILING_BREAK.sub("", text).rstrip()
    if not text:
        return ""
    if text[0] in "*_":
        text = _unwrapped_emphasis(text)
    if "`" in text:
        text = _CODE.sub(lambda m: m[2].strip(), text)
    if "*" in text or "_" in text:
        text = _STRONG.sub(r"\2", text)
        text = _EMPHASIS.sub(r"\1", text)
        text = _UNDERSCORE.sub(r"\1", text)
    if "~~" in text:
        text = _STRIKE.sub(r"\1", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def _unwrapped_emphasis(text: str) -> str:
    """Emphasis around a whole line, however long: "__An abstract. __", "**Title**"."""
    for marker in ("**", "__", "*", "_"):
        size = len(marker)
        if len(text) > 2 * size and text.startswith(marker) and text.endswith(marker):
            inner = text[size:-size]
            if marker not in inner:
                return inner.strip()
    return text


def unwrap(lines: list[str]) -> str:
    """Join the lines of a hard-wrapped paragraph into one line.

    Converters wrap at spaces and after hyphens ("Fine-" / "Tuning"), so a
    line that ends in a hyphen after a letter joins the next without a space.
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[0].isalpha():
            out += line
        else:
            out += " " + line
    return out


# -- lines --------------------------------------------------------------------


def _lines(text: str, links: list[Link]) -> list[Line]:
    raw = text.split("\n")
    lines: list[Line] = []
    blank = True
    index = 0
    while index < len(raw):
        source = raw[index]
        index += 1
        if not source.strip():
            blank = True
            continue
        following = raw[index] if index < len(raw) else ""
        if blank and _SETEXT.match(following) and not _RULE.match(source) and _is_text(source):
            # A setext heading: "Title" over "=====" or "-----".
            level = 1 if following.strip()[0] == "=" else 2
            lines.append(_heading(source, level, links, blank))
            index += 1
            blank = False
            continue
        if _RULE.match(source):
            lines.append(Line("rule", (), blank_before=blank))
            blank = True
            continue
        atx = _ATX.match(source) if source.lstrip(" ").startswith("#") else None
        if atx is not None:
            heading = _heading(atx[2], len(atx[1]), links, blank)
            heading, index = _join_wrapped_heading(heading, len(source), raw, index, links)
            lines.append(heading)
        else:
            line = _text_line(source, links, blank)
            if line is not None:
                lines.append(line)
        blank = False
    return lines


def _is_text(source: str) -> bool:
    stripped = source.strip()
    return not (_ATX.match(stripped) or _BULLET.match(stripped) or stripped.startswith(">"))


def _heading(source: str, level: int, links: list[Link], blank: bool) -> Line:
    return Line("heading", _parts(source, links), level=level, blank_before=blank)


def _join_wrapped_heading(
    heading: Line, width: int, raw: list[str], index: int, links: list[Link]
) -> tuple[Line, int]:
    """A heading wrapped onto the next line(s): indented, or a short tail of a long line.

    `width` is the heading's length in the source: a converter wraps there, so
    a long source line followed by a short one is a wrap.
    """
    while index < len(raw):
        source = raw[index]
        stripped = source.strip()
        if not stripped or _ATX.match(source) or _BULLET.match(source) or _RULE.match(source):
            break
        if _TOKEN.fullmatch(stripped) or stripped.startswith(("[", "!", ">", "|", _IMAGE_MARK)):
            break
        text = heading.text
        indented = source.startswith(" ")
        tail = (
            width >= 50
            and len(stripped) <= 80
            and not stripped.endswith((".", "!", "?", ":"))
            and (index + 1 >= len(raw) or not raw[index + 1].strip())
        )
        if not (indented or tail) or len(text) + len(stripped) > _TITLE_JOIN_MAX:
            break
        heading = Line(
            "heading",
            (*heading.parts, *_parts(stripped, links)),
            level=heading.level,
            blank_before=heading.blank_before,
        )
        index += 1
    return heading, index


def _text_line(source: str, links: list[Link], blank: bool) -> Line | None:
    indent = len(source) - len(source.lstrip(" "))
    body = _QUOTE.sub("", source)
    item = False
    while (bullet := _BULLET.match(body)) is not None:
        body = body[bullet.end() :]
        item = True
    if _RULE.match(body):
        return Line("rule", (), blank_before=blank)
    if _BRACKET_DEBRIS.fullmatch(body.strip()):
        return None  # what is left of a link cut off with its capture: "[", "][33]"
    parts = _parts(body, links)
    if not parts:
        return None
    return Line("text", parts, blank_before=blank, indent=indent, item=item)


def _parts(source: str, links: list[Link]) -> tuple[str | Link, ...]:
    """A line's text runs (markup off) and its links, in order; images dropped."""
    parts: list[str | Link] = []
    index = 0
    for token in _TOKEN.finditer(source):
        _add_text(parts, source[index : token.start()])
        parts.append(links[int(token[1])])
        index = token.end()
    _add_text(parts, source[index:])
    return tuple(parts)


def _add_text(parts: list[str | Link], text: str) -> None:
    if _IMAGE_MARK in text:
        text = text.replace(_IMAGE_MARK, " ")
    text = unmark_inline(text)
    if text:
        parts.append(text)
