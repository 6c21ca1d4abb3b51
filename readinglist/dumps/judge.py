"""The one judge every reader asks: does this read as a paper?

Readers find candidate entries in very different inputs; what keeps junk out
of the library is shared: site chrome and navigation, counts, user names,
web addresses, image lines, bylines and dates are never a paper's title.
A reader that finds a candidate whose title fails here reports it as a
skipped block instead of a paper.
"""

from __future__ import annotations

import re

from readinglist.dates import DATE_PATTERN, is_month

# Lines of the site's pages that are never a paper, compared case-folded after
# stripping. Navigation, buttons, headings and banners over the years.
SITE_CHROME: frozenset[str] = frozenset(
    line.casefold()
    for line in (
        "new",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        "by AK and the research community",
        "Submitted by",
        "Search by arxiv id or title",
        "Search by arXiv id or title",
        "Daily",
        "Weekly",
        "Monthly",
        "Trending",
        "Trending Papers",
        "Submit a paper",
        "Submit",
        "Papers",
        "Models",
        "Datasets",
        "Spaces",
        "Posts",
        "Docs",
        "Enterprise",
        "Pricing",
        "Log In",
        "Login",
        "Sign Up",
        "Previous",
        "Next",
        "View all",
        "Upvote",
        "Hugging Face",
        "Collections",
        "Community",
        "Solutions",
        "Website",
        "Tasks",
        "Learn",
        "Discord",
        "Forum",
        "GitHub",
        "Company",
        "About",
        "Jobs",
        "Terms of Service",
        "Privacy",
        "Status",
        "System theme",
        "Explore",
        "Menu",
        "References",
        "Visible links",
        "Hidden links",
    )
)

_COUNT = re.compile(r"[\d\s.,:+\-–kKmM]*\d[\d\s.,:+\-–kKmM]*")
_URL = re.compile(r"(?:[a-z][a-z0-9+.\-]*://|www\.|mailto:|/)\S*", re.IGNORECASE)
_BYLINE = re.compile(r"(?:[•·\-*]\s*)?\d[\d,]*\s+authors?", re.IGNORECASE)
_DATE_LINE = re.compile(DATE_PATTERN + r"(?:\s+\d{1,7})?", re.IGNORECASE)
_SUBMITTED = re.compile(r"submitted\s+by\b", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[(?:image|img|avatar)[^\]]*\]", re.IGNORECASE)
# A user name alone on a line: one token of letters, digits, '-', '_' or '.',
# with no space; real one-word titles are capitalised words, not handles.
_HANDLE = re.compile(r"@?[A-Za-z0-9][A-Za-z0-9_.\-]{1,38}")


def title_problem(title: str) -> str | None:
    """Why `title` cannot be a paper's title, or None when it can.

    Args:
        title: a candidate title, stripped of markup by the reader.

    Returns:
        A short reason for the user ("site navigation", "a count", "a web
        address", "a user name"...), or None.
    """
    line = title.strip()
    if not line:
        return "an empty title"
    folded = line.casefold()
    if folded in SITE_CHROME:
        return "site navigation"
    if _COUNT.fullmatch(line):
        return "a count"
    if _URL.fullmatch(line):
        return "a web address"
    if _IMAGE.search(line) and not _IMAGE.sub("", line).strip():
        return "an image"
    if _SUBMITTED.match(line):
        return "a 'Submitted by' line"
    if _BYLINE.fullmatch(line):
        return "a byline"
    if (date_line := _DATE_LINE.fullmatch(line)) and is_month(date_line[1]):
        return "a date"
    if _is_handle(line):
        return "a user name"
    if not any(char.isalpha() for char in line):
        return "no words"
    return None


def _is_handle(line: str) -> bool:
    if not _HANDLE.fullmatch(line):
        return False
    # "Mamba" or "Llama-2" could be a one-word title; "akhaliq", "taesiri",
    # "user_123" are handles: all lower case, or with digits or '_' in them.
    return line.islower() or "_" in line or any(char.isdigit() for char in line)
