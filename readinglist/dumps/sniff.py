"""Which input form a decoded dump is, from its content (not its file name).

A `.txt` can hold HTML, a `.md` a text-browser dump; the name is only a
hint for a tie.
"""

from __future__ import annotations

import json
import re

from readinglist.dumps.result import Form

_SAMPLE = 256 * 1024
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|section|main)\b", re.IGNORECASE)
_HTML_TAGS = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?>", re.IGNORECASE)
# lynx and w3m: "[12]Title" link marks and a numbered "References" list.
_LINK_MARK = re.compile(r"\[\d{1,4}\]")
_REFERENCE = re.compile(r"^\s*\d{1,4}\.\s+(?:https?|file)://", re.MULTILINE)
# Markdown links to the site's papers, headings, "[LINK: ...]" captures.
_MD_PAPER_LINK = re.compile(r"\]\((?:https?://[^)\s]*)?/papers/", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
_MD_LINK = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)")
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
    if stripped[:1] in ("{", "[") and _is_json(text):
        return "site-json"
    if _HTML.search(head) and len(_HTML_TAGS.findall(head)) >= 5:
        return "page-html"
    if len(_REFERENCE.findall(head)) >= 3 or len(_LINK_MARK.findall(head)) >= 10:
        return "text-browser"
    markdown = (
        len(_MD_PAPER_LINK.findall(head)) * 3
        + len(_MD_HEADING.findall(head))
        + len(_MD_LINK.findall(head))
    )
    if markdown >= 3 or (markdown and name.lower().endswith((".md", ".markdown"))):
        return "markdown"
    if _SUBMITTED.search(head) or len(_AUTHORS_LINE.findall(head)) >= 2:
        return "browser-copy"
    return "sample"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
