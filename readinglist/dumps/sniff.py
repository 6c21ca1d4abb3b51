"""Which input form a decoded dump is, from its content (not its file name).

A `.txt` can hold HTML, a `.md` a text-browser dump; the name is only a
hint for a tie.
"""

from __future__ import annotations

import json
import re

from readinglist.dumps.result import Form

_SAMPLE = 256 * 1024
# The site's JSON cut short (no longer JSON): its first key is a paper's or a listing's.
_SITE_JSON_START = re.compile(r'[\[{]\s*\{?\s*"(?:paper|dailyPapers|papers|id|title)"\s*:')
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|section|main)\b", re.IGNORECASE)
_HTML_TAGS = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?>", re.IGNORECASE)
# lynx and w3m: "[12]Title" link marks and a numbered "References" list.
_LINK_MARK = re.compile(r"\[\d{1,4}\]")
_REFERENCE = re.compile(r"^\s*\d{1,4}\.\s+(?:https?|file)://", re.MULTILINE)
# What only a text browser prints, even without link numbers: "(BUTTON)", a
# checkbox "[ ]" alone, a list bullet holding a card's "·".
_TEXT_BROWSER_LINE = re.compile(
    r"^[ \t]*(?:\(BUTTON\)|(?:[*•+][ \t]*)?\[ \][ \t]*$|[*•+][ \t]+·[ \t]*$)", re.MULTILINE
)
# Markdown links to the site's papers, headings, "[LINK: ...]" captures.
_MD_PAPER_LINK = re.compile(r"\]\((?:https?://[^)\s]*)?/papers/", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
# No "[" inside the text: a long run of "[" would make the match quadratic.
_MD_LINK = re.compile(r"\[[^\[\]\n]+\]\([^)\s]+\)")
# Markdown's own link forms, which lynx and w3m never write: "](url)", "][12]" and
# "[12]: url" definitions; their "[12]" marks stand alone, before the link text.
_MD_LINK_FORM = re.compile(
    r"\]\([^()\s]*\)|\]\[[^\[\]\n]*\]|^ {0,3}\[[^\[\]\n]+\]:[ \t]", re.MULTILINE
)
_BROWSER_MARK = re.compile(r"(?<![\]!])\[\d{1,4}\](?![(\[:])")
# Markdown that kept the page's HTML (pandoc -t gfm) has Markdown headings and
# none of a page's document tags.
_DOCUMENT_TAG = re.compile(r"<(?:!doctype|html|head|body)\b", re.IGNORECASE)
# The current site's cards, as a browser copies them.
_SUBMITTED = re.compile(r"^\s*Submitted by\b", re.MULTILINE)
_AUTHORS_LINE = re.compile(r"^\s*(?:·\s*)?\d[\d,]*\s+authors?\s*$", re.MULTILINE | re.IGNORECASE)


def sniff(text: str, *, name: str = "") -> Form:
    """The form of a dump's text.

    Args:
        text: the decoded text (LF line ends).
        name: the file's name, used only when the content leaves a tie.
    """
    head = text[:_SAMPLE]
    stripped = head.lstrip()
    if stripped[:1] in ("{", "[") and (_is_json(text) or _SITE_JSON_START.match(stripped)):
        return "site-json"
    if _HTML.search(head) and _is_markdown_with_html(head):
        return "markdown"
    if _HTML.search(head) and _is_html_document(stripped):
        return "page-html"
    if _is_markdown_links(head):
        return "markdown"
    # Substring scans (in C) before each regex: most dumps lack what it looks
    # for, and a 10 MB dump's sniff should cost little beside its parse.
    if (
        ("://" in head and len(_REFERENCE.findall(head)) >= 3)
        or ("[" in head and len(_LINK_MARK.findall(head)) >= 10)
        or _text_browser_lines(head) >= 3
    ):
        return "text-browser"
    linked = "](" in head
    markdown = (
        len(_MD_PAPER_LINK.findall(head)) * 3 + len(_MD_LINK.findall(head)) if linked else 0
    ) + (len(_MD_HEADING.findall(head)) if "#" in head else 0)
    if markdown >= 3 or (markdown and name.lower().endswith((".md", ".markdown"))):
        return "markdown"
    if ("Submitted by" in head and _SUBMITTED.search(head)) or (
        "uthor" in head and len(_AUTHORS_LINE.findall(head)) >= 2
    ):
        return "browser-copy"
    return "sample"


def _is_markdown_with_html(head: str) -> bool:
    """Markdown headings in a text with HTML tags but no page around them: pandoc's gfm."""
    return "#" in head and len(_MD_HEADING.findall(head)) >= 3 and not _DOCUMENT_TAG.search(head)


def _is_markdown_links(head: str) -> bool:
    """Markdown's link forms outnumber a text browser's marks: a converter's Markdown.

    Numbers as link text ("[94](/login...)", "[ 5 ][27]") are Markdown, not marks.
    """
    if "](" not in head and "][" not in head and "]:" not in head:
        return False
    forms = len(_MD_LINK_FORM.findall(head))
    return forms >= 5 and forms >= 2 * len(_BROWSER_MARK.findall(head))


def _text_browser_lines(head: str) -> int:
    """How many lines only a text browser prints (`_TEXT_BROWSER_LINE`)."""
    # Most dumps have none of their characters: two substring scans spare the regex.
    if "(BUTTON)" not in head and "[ ]" not in head and " ·\n" not in head:
        return 0
    return len(_TEXT_BROWSER_LINE.findall(head))


def _is_html_document(stripped: str) -> bool:
    """A page of HTML, not text that quotes a few tags (a script, notes, an email).

    A saved page starts with its markup (a doctype, `<html>`, a "saved from"
    comment); a fragment pasted into a file may not, but is then mostly tags.
    """
    tags = _HTML_TAGS.findall(stripped)
    if len(tags) < 5:
        return False
    if stripped.startswith("<"):
        return True
    return sum(map(len, tags)) > 0.3 * len(stripped)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    except RecursionError:
        return True  # JSON nested deeper than the decoder goes: still JSON, read as such
    return True
