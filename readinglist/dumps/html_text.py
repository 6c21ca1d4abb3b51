"""The visible text of a saved HTML page, laid out as a text dump.

A browser's "Save page as" gives HTML; the dump parser reads lines. Block
elements become paragraphs (a blank line between them, as in a text dump),
`<br>` a line break, white space inside a block collapses as a browser shows
it, entities are decoded, and what a reader never sees (head, scripts,
styles, templates, noscript, inline SVG) is dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never shown as text.
_HIDDEN = frozenset({"head", "script", "style", "template", "noscript", "svg"})

# Elements that start and end a block of text.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main",
        "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

_SPACES = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")

_LINE, _PARAGRAPH = 1, 2


def html_to_text(html: str) -> str:
    """Extract the visible text of an HTML page.

    Args:
        html: the page's source.

    Returns:
        Its text: one paragraph per block element, paragraphs separated by a
        blank line, lines stripped, entities decoded.
    """
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return extractor.text()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._hidden: list[str] = []  # open hidden elements, innermost last
        self._pre = 0
        self._break = 0  # strongest break asked for since the last text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self._hidden:
            # </head> is optional in HTML: the body ends the head anyway.
            del self._hidden[self._hidden.index("head") :]
        if tag in _HIDDEN:
            self._hidden.append(tag)
        elif tag == "br":
            self._break = max(self._break, _LINE)
        elif tag in _BLOCKS:
            self._break = _PARAGRAPH
            if tag == "pre":
                self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <script/> or <div/> opens and closes nothing that holds text.
        if tag == "br":
            self._break = max(self._break, _LINE)
        elif tag in _BLOCKS:
            self._break = _PARAGRAPH

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            if tag in self._hidden:
                del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
        elif tag in _BLOCKS:
            self._break = _PARAGRAPH
            if tag == "pre" and self._pre:
                self._pre -= 1
        elif tag == "br":  # </br> is read as <br> by browsers
            self._break = max(self._break, _LINE)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if not self._pre:
            data = _SPACES.sub(" ", data)
            if data == " " and self._break:
                return
        if self._break:
            self._parts.append("\n" * self._break)
            self._break = 0
        self._parts.append(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # "<![" not followed by CDATA, if, endif... makes the stdlib raise an
        # AssertionError (Python 3.11-3.13); browsers read it as a bogus comment.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

    def text(self) -> str:
        lines = "".join(self._parts).split("\n")
        text = "\n".join(line.strip() for line in lines)
        return _BLANK_RUNS.sub("\n\n", text).strip("\n")
