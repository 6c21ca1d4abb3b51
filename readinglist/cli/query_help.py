"""The query syntax, for `readinglist help query` and the README, from one text.

The installed package has no README, so the syntax lives here; the README's
"Query syntax" section is `markdown()` of it (a test holds the two equal).
Text is kept as Markdown (`code`, **bold**, a table); `text()` renders it for
a terminal.
"""

from __future__ import annotations

import re
import shutil
import textwrap

INTRO = """\
Type words to find papers containing **all** of them, in the title, abstract,
note or tags. Matching ignores case and accents (`Dusseldorf` finds
"Düsseldorf") and word endings (`transformers` finds "transformer"). A match in
the title ranks higher than one in the abstract (BM25F ranking). Very common
words such as "the", "of" or "is" are ignored.
"""
TABLE_HEADER = ("you type", "finds papers with")
TABLE: tuple[tuple[str, str], ...] = (
    ("`state space`", "both words, anywhere"),
    ('`"state space model"`', "that exact phrase"),
    ("`generat*`", 'words starting with "generat" (generate, generation…)'),
    ("`atention~`, `atenton~2`", "words within 1 (or 2) typos of it"),
    ("`mamba OR diffusion`", "either word"),
    ("`transformer NOT vision`, `transformer -vision`", "the first but not the second"),
    ("`(mamba OR s4) AND linear`", "grouping with parentheses"),
    ('`title:mamba`, `abstract:"linear time"`, `note:reread`', "the word in that field only"),
    ('`tag:nlp`, `tag:"machine learning"`', "that tag (exact, any case); quote tags with spaces"),
    ("`status:read`, `status:unread`", "read or unread papers"),
    ("`year:2023`, `year:[2020 TO 2023]`, `year:>=2021`", "papers from those years"),
    (
        "`upvotes:[10 TO]`, `upvotes:<5`",
        "papers with that many upvotes (papers without a count never match)",
    ),
)
NOTES = (
    """\
Operators `AND`, `OR`, `NOT` are written in capitals; `-word` excludes too,
while a hyphen inside a word (`state-space`) just joins two words that must
both appear. `[a TO b]` includes both ends, `{a TO b}` excludes them; leave an
end empty for an open range. A plain word also matches the words of tags
(`learning` finds the tag "machine learning").
""",
    """\
When a word is not in the library, readinglist offers a **did you mean**
correction from the words of titles and abstracts. A query it cannot
understand is refused with a message saying why: an unmatched `(` or `"`, an
unknown field such as `foo:` (put text with a colon in quotes: `"10:30"`), a
field with nothing after the colon, a `year:`/`upvotes:` value that is not a
number, a `status:` other than read/unread, or more than 2 typos (`word~3`).
Limits keep every query quick, and say so when reached: at most 10,000
characters, 50 levels of parentheses, 10 fuzzy words (each up to 40
letters), and a prefix, wildcard, fuzzy word or text range matching at most
1,000 different words ("write more of the word"). `NOT NOT x` means `x`; a
`NOT` with nothing after it is ignored. Characters that are not text
(control characters, a lone surrogate from a broken paste) count as spaces.
"Did you mean" corrects at most the first 5 unknown words.
An empty query shows the whole library. `readinglist similar ID` (and the
window's "Similar papers" list) finds papers that share a paper's key terms.
""",
)

_LEFT = 30  # width of the "you type" column in the terminal; longer examples get a line
_MARKUP = re.compile(r"`([^`]*)`|\*\*([^*]*)\*\*")


def markdown() -> str:
    """The syntax as the README's "Query syntax" section holds it (below its heading)."""
    rows = [_row(TABLE_HEADER), "|---|---|", *(_row(row) for row in TABLE)]
    blocks = [INTRO.strip(), "\n".join(rows), *(note.strip() for note in NOTES)]
    return "\n\n".join(blocks) + "\n"


def _row(cells: tuple[str, str]) -> str:
    return f"| {cells[0]} | {cells[1]} |"


def text(width: int | None = None) -> str:
    """The syntax as plain text for a terminal, wrapped to `width` (default: the terminal's)."""
    if width is None:
        width = min(max(shutil.get_terminal_size((80, 24)).columns, 60), 100) - 2
    blocks = [
        "Query syntax (search, saved add, export --query)",
        _paragraph(INTRO, width),
        _table(width),
        *(_paragraph(note, width) for note in NOTES),
    ]
    return "\n\n".join(blocks) + "\n"


def plain(markup: str) -> str:
    """Markdown's `code` and **bold** as their bare text."""
    return _MARKUP.sub(lambda m: m[1] if m[1] is not None else m[2], markup)


def _paragraph(markup: str, width: int) -> str:
    return textwrap.fill(" ".join(plain(markup).split()), width)


def _table(width: int) -> str:
    lines = []
    for left, right in (tuple(cell.upper() for cell in TABLE_HEADER), *TABLE):
        example, meaning = plain(left), plain(right)
        wrapped = textwrap.wrap(meaning, max(width - _LEFT - 2, 20))
        if len(example) > _LEFT - 4:  # a gap of two spaces at least
            lines.append(f"  {example}")
            first = ""
        else:
            first = example
        lines.append(f"  {first:<{_LEFT - 2}}{wrapped[0]}")
        lines += [" " * _LEFT + more for more in wrapped[1:]]
    return "\n".join(lines)
