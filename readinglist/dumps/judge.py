"""The one judge every reader asks: does this read as a paper?

Readers find candidate entries in very different inputs; what keeps junk out
of the library is shared: site chrome and navigation, counts, user names,
web addresses, image lines, reference lists, a capture's own header, bylines
and dates are never a paper's title (`title_problem`). A reader that finds a
candidate whose title fails here reports it as a skipped block instead.

The dispatcher also judges a file as a whole (`judge_listing`): a text that
shows no sign of being a listing of the site (no chrome, no card lines, no
links to the site's papers, no bylines, no listing dates) keeps only entries
that read as papers, with an abstract of real prose. A README, notes, a
changelog, a CSV or an email then gives no papers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from readinglist.dumps.dates import DATE_PATTERN, is_month
from readinglist.dumps.result import ParseResult, SkippedBlock
from readinglist.papers import ParsedPaper

# Lines that only a listing page of the site shows (case-folded): a file
# holding one is a capture of the site, whatever else it holds.
SITE_LISTING_LINES: frozenset[str] = frozenset(
    line.casefold()
    for line in (
        "Daily Papers",
        "Trending Papers",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "byAK and the research community",
        "by AK and the research community",
        "Search by arxiv id or title",
        "Submit a paper",
    )
)

# Lines of the site's pages that are never a paper, compared case-folded after
# stripping (and without a trailing colon). Navigation, buttons, labels,
# headings and banners over the years.
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
        "Search any paper with AI",
        "Daily",
        "Weekly",
        "Monthly",
        "Daily / Weekly / Monthly",
        "Trending",
        "Trending Papers",
        "Submit a paper",
        "Submit",
        "Papers",
        "Paper page",
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
        "Show more",
        "Load more",
        "View all",
        "Upvote",
        "Upvoted",
        "Follow",
        "Share",
        "Copy link",
        "AI-generated summary",
        "AI summary",
        "Abstract",
        "View arXiv page",
        "View PDF",
        "Add to collection",
        "Hugging Face",
        "Hugging Face's logo",
        "Hugging Face's logo Hugging Face",
        "© Hugging Face",
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
        "TOS",
        "Terms of Service",
        "Privacy",
        "Status",
        "System theme",
        "Explore",
        "Menu",
        "References",
        "Visible links",
        "Hidden links",
        "Daily Papers - Hugging Face",
        "Trending Papers - Hugging Face",
        "Papers - Hugging Face",
    )
)

# Single words of the site's menus and footers: a line of two or more of them
# (with separators) is navigation: "Previous Next", "TOS Privacy About Jobs",
# "Models Datasets Spaces Pricing Docs", "Daily / Weekly / Monthly".
_NAV_WORDS = frozenset(
    {
        "models", "datasets", "spaces", "posts", "docs", "enterprise", "pricing", "solutions",
        "log", "in", "login", "sign", "up", "signup", "previous", "next", "tos", "privacy",
        "about", "jobs", "company", "website", "daily", "weekly", "monthly", "trending",
        "papers", "collections", "community", "subscribe", "search", "submit", "upvote",
        "new", "status", "terms", "of", "service", "learn", "discord", "forum", "github",
        "blog", "careers", "hugging", "face", "tasks", "explore", "menu", "share",
    }
)  # fmt: skip
_NAV_SPLIT = re.compile(r"[\s/|·•,\-–—]+")
_NAV_MAX = 120  # longer lines are never navigation

_COUNT_FIRST = frozenset("0123456789+-–.,:kKmM★☆⭐")
# Control, unassigned, private-use and surrogate characters: binary or mojibake,
# never a title (format characters such as a soft hyphen may be one's).
_NOT_TEXT = frozenset({"Cc", "Cn", "Co", "Cs"})
_DATE_MAX = 48

_COUNT = re.compile(r"[\d\s.,:+\-–kKmM]*\d[\d\s.,:+\-–kKmM]*")
# "97 upvotes", "5 comments", "GitHub 11.3k", "★ 1.2k", "11.3k stars".
_COUNTED = re.compile(
    r"(?:[★☆⭐]\s*|github\s+|stars?\s+)?\d[\d.,]*\s*[kKmM]?"
    r"(?:\s*(?:upvotes?|comments?|likes?|stars?|views?|downloads?|citations?|points?))?",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:[a-z][a-z0-9+.\-]*://|www\.|mailto:|/)\S*", re.IGNORECASE)
# A numbered list of links: lynx's "  12. file:///papers/2407.21783", w3m's "[12] https://...".
_REFERENCE = re.compile(r"(?:\d{1,5}\.|\[\d{1,5}\])\s+(?:[a-z][a-z0-9+.\-]*://|www\.)\S*", re.I)
_BYLINE = re.compile(
    r"(?:[•·\-*]\s*)?\d[\d,]*\s+authors?(?:\s*·\s*\d[\d,]*\s*comments?)?", re.IGNORECASE
)
_DATE_LINE = re.compile(
    r"(?:(?:published|submitted|posted|updated|added)\s+)?(?:on\s+)?"
    + DATE_PATTERN
    + r"(?:\s+\d{1,7})?",
    re.IGNORECASE,
)
_OTHER_DATE = re.compile(
    r"(?:(?:19|20)\d\d-\d\d-\d\d|week\s+\d{1,2}(?:,?\s+(?:19|20)\d\d)?"
    r"|[a-z]{3,9}\s+(?:19|20)\d\d|(?:an?|\d{1,3})\s+(?:minute|hour|day|week|month|year)s?\s+ago)",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(r"([a-z]{3,9})\s+(?:19|20)\d\d", re.IGNORECASE)
_SUBMITTED = re.compile(r"(?:submitted|posted|shared)\s+by\b", re.IGNORECASE)
_IMAGE = re.compile(
    r"!\[[^\]]*\]\([^)]*\)|\[(?:image|img|avatar|thumbnail|inline|icon)[^\]]*\]"
    r"|\((?:image|img|button)\)|<img\b[^>]*>",
    re.IGNORECASE,
)
# w3m shows an image as "[alt]", or its file's name when alt is empty: a line of
# nothing but such bracketed tokens is images and link marks.
_PLACEHOLDERS = re.compile(r"(?:\s*\[[^\[\]\s]{0,40}\])+\s*")
_LOGO = re.compile(
    r".{1,60}['’]s\s+(?:logo|avatar|profile picture)(?:\s.{0,60})?"
    r"|(?:user\s+)?(?:logo|avatar|profile picture)",
    re.IGNORECASE,
)
# A capture's own header: "URL: ...", "**Page Title:** ...", "Captured (UTC): ...".
_CAPTURE_HEADER = re.compile(
    r"[*_]*\s*(?:url|source(?:\s+url)?|page\s+title|captured(?:\s+\(utc\)|\s+at|\s+on)?|"
    r"retrieved(?:\s+at|\s+on)?|fetched(?:\s+at|\s+on)?|saved(?:\s+from|\s+at|\s+on)?|"
    r"scraped(?:\s+at|\s+on)?|clipped|downloaded|accessed)\s*[*_]*\s*:.*",
    re.IGNORECASE,
)
# What a capture tool writes where it cut the text short.
# "[Content truncated]", "(truncated)", "[... 4,000 characters truncated ...]",
# "Content truncated.", "... truncated": never "Truncated Flows for ...".
TRUNCATION = re.compile(
    r"[\[(<][^\[\]()<>]{0,40}\btruncated\b[^\[\]()<>]{0,40}[\])>]\.?"
    r"|(?:\.\.\.|…)?\s*(?:content|text|output|page|response|message)\s+(?:was\s+)?truncated\b[\s.…]*"
    r"|(?:\.\.\.|…)\s*truncated\b[\s.…]*",
    re.IGNORECASE,
)
# A user name alone on a line: one token of letters, digits, '-', '_' or '.',
# with no space; real one-word titles are capitalised words, not handles.
_HANDLE = re.compile(r"@?[A-Za-z0-9][A-Za-z0-9_.\-]{1,38}")
_LETTERS_THEN_DIGITS = re.compile(r"[A-Za-z]+\d+")


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
    # Every check is guarded by a cheap test on the line: most candidates are
    # real titles, and a dump of 10 MB asks about thousands of them.
    folded = line.casefold()
    spaced = " " in line
    if is_chrome(line):
        return "site navigation"
    if ":" in line and _CAPTURE_HEADER.fullmatch(line):
        return "a capture's header"
    if "truncat" in folded and TRUNCATION.fullmatch(line):
        return "a note that the capture was cut short"
    if (line[0] in _COUNT_FIRST or folded.startswith(("github", "star"))) and (
        _COUNT.fullmatch(line) or _COUNTED.fullmatch(line)
    ):
        return "a count"
    if (line[0].isdigit() or line[0] == "[") and _REFERENCE.fullmatch(line):
        return "a reference list"
    if not spaced and _URL.fullmatch(line):
        return "a web address"
    if _is_image(line, folded):
        return "an image"
    if folded.startswith(("submitted", "posted", "shared")) and _SUBMITTED.match(line):
        return "a 'Submitted by' line"
    if "author" in folded and _BYLINE.fullmatch(line):
        return "a byline"
    if len(line) <= _DATE_MAX and _is_date(line):
        return "a date"
    if not spaced and _is_handle(line):
        return "a user name"
    if _LETTER.search(line) is None:
        return "no words"
    if not line.isprintable() and any(unicodedata.category(char) in _NOT_TEXT for char in line):
        return "control characters: not text"
    if _looks_like_code(line):
        return "program code"
    return None


# Not "$" or "\\": titles carry LaTeX ("$\\mathcal{O}(n)$ Attention").
# Searched in C: these run once per title, thousands of times a dump.
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_CODE_MARK = re.compile(r"[{}\[\]()=;\"'`<>|]")
_CODE_SHARE = 0.2


def _looks_like_code(line: str) -> bool:
    r"""A line of program code (a script quoting the page) rather than a title.

    Titles hold a bracket or a quote now and then ("Llama 2 (70B)", "Don't
    Stop Pretraining", "$\mathcal{O}(n)$"); code packs them: a fifth of the line.
    """
    if len(line) < 8:
        return False
    marks = len(_CODE_MARK.findall(line))
    return marks > _CODE_SHARE * len(line) and marks >= 4


def is_chrome(line: str) -> bool:
    """Whether a stripped line is the site's navigation, a button or a banner."""
    if len(line) > _NAV_MAX:
        return False
    folded = line.casefold().rstrip(":").strip()
    if folded in SITE_CHROME or folded.startswith("©"):
        return True
    if folded.partition(" ")[0].strip("/|·•,-–—") not in _NAV_WORDS:
        return False
    words = [word for word in _NAV_SPLIT.split(folded) if word]
    return len(words) >= 2 and all(word in _NAV_WORDS for word in words)


def _is_image(line: str, folded: str) -> bool:
    if ("[" in line or "(" in line or "<" in line) and (
        (_IMAGE.search(line) and not _IMAGE.sub("", line).strip()) or _PLACEHOLDERS.fullmatch(line)
    ):
        return True
    return (
        len(line) <= 80
        and ("logo" in folded or "avatar" in folded or "picture" in folded)
        and bool(_LOGO.fullmatch(line))
    )


def _is_date(line: str) -> bool:
    if _DIGIT.search(line) is None:
        return False
    match = _DATE_LINE.fullmatch(line)
    if match and is_month(match[1]):
        return True
    if not _OTHER_DATE.fullmatch(line):
        return False
    month_year = _MONTH_YEAR.fullmatch(line)
    return month_year is None or is_month(month_year[1])


def _is_handle(line: str) -> bool:
    if not _HANDLE.fullmatch(line):
        return False
    # "Mamba", "Llama-2" or "Towards-0" could be a one-word title; "akhaliq",
    # "leo1117", "ibm-granite", "user_123", "@taesiri" are handles.
    name = line.removeprefix("@")
    return (
        line.startswith("@")
        or "_" in name
        or name.islower()
        or bool(_LETTERS_THEN_DIGITS.fullmatch(name))
    )


# -- the file as a whole ----------------------------------------------------------

# Forms whose reader recognises the site's own structure (its JSON, its saved
# pages' data): their papers need no sign in the text.
_STRUCTURED_FORMS = frozenset({"site-json", "page-html"})

# Signs that a text is a listing of the site: its chrome, its card lines
# ("533 authors", "·", "Submitted by"), links to its papers, its dates alone on
# a line ("Jan 29", "Jul 16, 2023 4"). Searched case-insensitively, at a line
# start or right after a tag (the text may be HTML).
_SIGNS = re.compile(
    r"(?:^|>)[ \t#*>\-\[\]\d]*(?:"
    r"daily papers|trending papers|get trending papers in your email inbox|"
    r"by ?ak and the research community|submitted by\b|search by arxiv id or title|"
    r"submit a paper\b"
    r")"
    r"|(?:^|>)[ \t•·*\-]*\d[\d,]*\s+authors?[ \t]*(?:$|<)"
    r"|(?:^|>)[ \t]*·[ \t]*(?:$|<)"
    r"|/papers/\d{4}\.\d{4,5}"
    r"|(?:^|>)[ \t]*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?[ \t]+"
    r"\d{1,2}(?:,?[ \t]+(?:19|20)\d\d)?(?:[ \t]+\d{1,7})?[ \t]*(?:$|<)",
    re.IGNORECASE | re.MULTILINE,
)

_MIN_ABSTRACT = 200  # characters without spaces: the shortest abstracts are ~500
_MIN_COVER = 1 / 3  # of a sign-less text, what papers must make up
_ALL_COVER = 0.9  # ... for short abstracts: the text is nothing but its entries
_SENTENCE_END = re.compile(r"[^\s.][.!?][\"'”)\]]*(?:\s|$)")
# First and second person: notes, letters and READMEs, not abstracts. One
# "my" or "I'm" is enough; a bare "I" may be a numeral ("Phase I"), "you" a quote.
# Case matters: "ME" and "i.e." are no pronouns.
_FIRST_PERSON = re.compile(r"\b(?:[Mm]y|me|[Mm]ine|[Mm]yself)\b|\bI[’'](?:m|ve|d|ll)\b")
_PERSONAL = re.compile(r"\bI\b(?![./\-])|\b(?i:you|your|yours)\b")
# Markdown's `code` (not LaTeX's ``quotes'' or `quotes'), code lines.
_CODE = re.compile(r"(?<!`)`[^`'\n]+`(?!`)|^\s*(?:def|class|import)\s|[{;]\s*$|=>", re.MULTILINE)
# A Markdown table's rule under its header ("|---|:---:|"); math has bars too ("|x|_2").
_TABLE_RULE = re.compile(r"\|\s*:?-{3,}:?\s*\|")
# An abstract is a paragraph of sentences: not a list item, a comment or a quote.
_LIST_START = re.compile(r"\s*(?:[#*>+\-•]|\d{1,3}[.)]\s|\[[ xX]\])")
# Titles of code and changelogs: "space_left = width - cur_len", "foo.pop()",
# '"""wrap(text : string)', "lynx (2.9.0-1) unstable; urgency=low".
_CODE_TITLE = re.compile(
    r'"""|\'\'\'|\s=\s|==|=>|->|;|\w=\w|\w\.\w+\(|\(\)|\[-?\d+\]|[{}<>]|^\s*[#*>=+|\-•]'
)
_DOCUMENT_HEADINGS = frozenset(
    {
        "introduction", "overview", "summary", "notes", "todo", "background", "usage",
        "installation", "install", "changelog", "changes", "contents", "references",
        "license", "contributing", "readme", "abstract", "conclusion", "discussion",
    }
)  # fmt: skip


def has_listing_signs(text: str) -> bool:
    """Whether a text shows any sign of being a listing of the site."""
    return _SIGNS.search(text) is not None


_SOURCE_LINE = re.compile(
    r"^\s*(?:def |class |import |from \S+ import |return\b|elif |except\b|#!|"
    r"function\b|const |let |var |public |private |#include\b|\}\s*$|\)\s*$)",
    re.MULTILINE,
)


def looks_like_source_code(text: str) -> bool:
    """Whether a text is a program's source (a script that quotes the site, say).

    Such a file mentions the site's words and links without being a listing:
    one line in twenty opening a definition, an import or a block is enough
    to tell, where a listing has none.
    """
    lines = sum(1 for line in text[:_SOURCE_SAMPLE].splitlines() if line.strip())
    return lines >= 10 and len(_SOURCE_LINE.findall(text[:_SOURCE_SAMPLE])) * 20 >= lines


_SOURCE_SAMPLE = 64 * 1024


def abstract_problem(abstract: str, *, short_ok: bool = False) -> str | None:
    """Why `abstract` does not read as a paper's abstract, or None when it does.

    Args:
        abstract: the text a reader took for an abstract.
        short_ok: accept an abstract shorter than a few hundred characters
            (a text that is nothing but its entries).
    """
    ink = _ink(abstract)
    if not ink:
        return "no abstract"
    if not short_ok and ink < _MIN_ABSTRACT:
        return "too short for an abstract"
    if _CODE.search(abstract):
        return "code or markup, not an abstract"
    letters = sum(char.isalpha() for char in abstract)
    if letters < 0.7 * ink or len(abstract.split()) < 4:
        return "not prose"
    if not _SENTENCE_END.search(abstract):
        return "no sentence"
    if any(_LIST_START.match(paragraph) for paragraph in abstract.split("\n\n")):
        return "a list, not an abstract"
    if _TABLE_RULE.search(abstract):
        return "a table, not an abstract"
    if _FIRST_PERSON.search(abstract) or len(_PERSONAL.findall(abstract)) >= 2:
        return "personal writing (notes, a letter), not an abstract"
    return None


def paper_problem(paper: ParsedPaper, *, short_ok: bool = False) -> str | None:
    """Why an entry of a text that shows no listing signs is no paper, or None."""
    title = paper.title.strip()
    if title.casefold().strip(" :#") in _DOCUMENT_HEADINGS:
        return "a document's heading"
    if title[-1:] in ".,:;":
        return "a sentence, not a title"
    if _CODE_TITLE.search(title) or title.count("(") != title.count(")"):
        return "code or a list item, not a title"
    return abstract_problem(paper.abstract, short_ok=short_ok)


def judge_listing(text: str, result: ParseResult) -> ParseResult:
    """Judge a file as a whole: a text with no sign of a listing keeps only real papers.

    Args:
        text: the decoded text the result was read from.
        result: what its reader found (its titles already judged).

    Returns:
        `result` itself when the text is a listing (or the form is the site's
        own data); otherwise the entries that read as papers, the others
        moved to the skipped blocks with the reason.
    """
    if result.form in _STRUCTURED_FORMS or not result.papers:
        return result
    if has_listing_signs(text) and not looks_like_source_code(text):
        return result
    total = _ink(text)
    problems = [paper_problem(paper) for paper in result.papers]
    kept = [paper for paper, problem in zip(result.papers, problems, strict=True) if not problem]
    if not kept or _covered(kept) < _MIN_COVER * total:
        # A text of nothing but entries (a title and its abstract pasted by hand)
        # may have short abstracts; anything else must be mostly papers.
        short = [paper_problem(paper, short_ok=True) for paper in result.papers]
        if not any(short) and _covered(result.papers) >= _ALL_COVER * total:
            return result
        kept = []
        problems = [problem or "the text around it is no listing" for problem in problems]
    skipped = list(result.skipped)
    for paper, problem in zip(result.papers, problems, strict=True):
        if problem:
            reason = f"not a listing of papers: {problem}"
            skipped.append(SkippedBlock(paper.title.strip()[:200], reason, paper))
    return replace(result, papers=kept, skipped=skipped)


def _covered(papers: list[ParsedPaper]) -> int:
    return sum(_ink(paper.title) + _ink(paper.abstract) for paper in papers)


def _ink(text: str) -> int:
    """Characters that are not white space."""
    return len(text) - sum(text.count(space) for space in " \t\n\r\f\v\xa0")
