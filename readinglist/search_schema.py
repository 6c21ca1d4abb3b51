"""The Whoosh schema of the search index, and the analyzers behind it.

Only `search.py`, this module and `search_query.py` import Whoosh, so that the
engine could be swapped by touching those three files.

Text fields share one analyzer: words, lower-cased, accents folded (so
"Dusseldorf" finds "Düsseldorf"), English stop words dropped, Porter-stemmed
(so "transformers" finds "transformer"). The *unstemmed* words are kept too,
in two hidden fields: `words` (titles and abstracts) and `notewords` (notes
and tags). "Did you mean" takes its suggestions from `words`; fuzzy words
(`attenton~`), prefixes (`generat*`) and wildcards are matched against real
words there, then mapped back to the stems of the field searched.

(Whoosh's own `spelling=True` sub-fields do the same per field, but its
writer then checks the file system once per posting of each: 3x slower.)

Tags are indexed twice: whole (`tag`, for `tag:"machine learning"`, exact but
case- and accent-insensitive) and as words (`tagwords`, part of the default
field group, so a plain `learning` finds the tag "machine learning").
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from whoosh import fields
from whoosh.analysis import (
    STOP_WORDS,
    CharsetFilter,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    StripFilter,
    SubstitutionFilter,
    Token,
)
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

if TYPE_CHECKING:
    from whoosh.analysis import Analyzer

    from readinglist.search import IndexDoc

# Bump when the schema or the analyzers change: an index of another version
# reads as missing, and the caller rebuilds it.
SCHEMA_VERSION = 3

# The fields a word without a field prefix is searched in.
DEFAULT_FIELDS = ("title", "abstract", "note", "tagwords")
# The stored fields that come back highlighted.
HIGHLIGHT_FIELDS = ("title", "abstract", "note")
# The unstemmed words behind each text field (see the module docstring).
WORD_FIELDS = {"title": "words", "abstract": "words", "note": "notewords", "tagwords": "notewords"}
# The field whose words "did you mean" suggests.
SUGGESTION_FIELD = "words"
# The fields compared by "more like this".
SIMILAR_FIELDS = ("title", "abstract", "note")

# A match in the title counts this much more than one in the abstract or note.
TITLE_BOOST = 3.0


class FoldAccents(CharsetFilter):
    """`CharsetFilter(accent_map)` after lower-casing, skipping ASCII words.

    The output is the same (on lower-case ASCII the map is the identity) and
    most words are ASCII: a dict-driven `str.translate` costs ~1.5 µs a word,
    a fifth of the time of indexing a paper.
    """

    def __init__(self) -> None:
        super().__init__(accent_map)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        charmap = self.charmap
        for token in tokens:
            if not token.text.isascii():
                token.text = token.text.translate(charmap)
            yield token


def fold(word: str) -> str:
    """A lower-case word with its accents folded, as `FoldAccents` does."""
    return word if word.isascii() else word.translate(accent_map)


def text_analyzer() -> Analyzer:
    """The analyzer of every text field (see the module docstring).

    Accents are folded before stemming so that both spellings share a stem.
    Single characters are kept (minsize=1): "GPT 4" and "Llama 3" need them.
    """
    return (
        RegexTokenizer() | LowercaseFilter() | FoldAccents() | StopFilter(minsize=1) | StemFilter()
    )


def marked_tokens(text: str, stems: frozenset[str]) -> Iterator[Token]:
    """The tokens of `text` as `text_analyzer` cuts them (stop words
    included), with `matched` set on those whose stem is in `stems`.

    The analyzer's work in a few lines, about 4x faster, for highlighting;
    keep the two in step (a test compares them). The token object is reused,
    as Whoosh's analyzers do: copy it to keep it.
    """
    token = Token(positions=False, chars=True)
    for match in default_pattern.finditer(text):
        word = fold(match.group().lower())
        token.text = word
        token.startchar, token.endchar = match.span()
        token.matched = word not in STOP_WORDS and _stem(word) in stems
        yield token


# Porter stemming, cached: the same function StemFilter uses.
_stem = functools.lru_cache(maxsize=50_000)(stem)


def word_analyzer() -> Analyzer:
    """The text analyzer without stemming: the words as they were written,
    lower-cased and accents folded."""
    return RegexTokenizer() | LowercaseFilter() | FoldAccents() | StopFilter(minsize=1)


def tag_analyzer() -> Analyzer:
    """One token per comma-separated tag: trimmed, lower-cased, accents folded,
    runs of white space collapsed to one space."""
    return (
        RegexTokenizer(r"[^,]+")
        | StripFilter()
        | LowercaseFilter()
        | FoldAccents()
        | SubstitutionFilter(r"\s+", " ")
    )


def build_schema() -> fields.Schema:
    """The schema of a fresh index."""
    text = text_analyzer()
    return fields.Schema(
        # Numeric so that a sortable column maps document numbers to ids
        # fast; shift_step=0 indexes one term per id (no ranges over ids).
        id=fields.NUMERIC(int, bits=64, shift_step=0, unique=True, stored=True, sortable=True),
        title=fields.TEXT(analyzer=text, stored=True, field_boost=TITLE_BOOST),
        abstract=fields.TEXT(analyzer=text, stored=True),
        note=fields.TEXT(analyzer=text, stored=True),
        tag=fields.TEXT(analyzer=tag_analyzer(), phrase=False),
        tagwords=fields.TEXT(analyzer=text),
        words=fields.TEXT(analyzer=word_analyzer(), phrase=False),
        notewords=fields.TEXT(analyzer=word_analyzer(), phrase=False),
        status=fields.ID(analyzer=IDTokenizer() | LowercaseFilter()),
        # Fewer, coarser range tiers than the default (8 terms per value):
        # these ranges are over a few thousand distinct values at most.
        year=fields.NUMERIC(int, bits=16, shift_step=8),
        upvotes=fields.NUMERIC(int, bits=32, shift_step=8),
    )


def normalize_tag(tag: str) -> str:
    """A tag as the index keeps it: commas (the separator) become spaces, white
    space is collapsed, case folded."""
    return " ".join(tag.replace(",", " ").split()).casefold()


def document_fields(doc: IndexDoc) -> dict[str, Any]:
    """The Whoosh fields of one paper; absent numbers are left out (an open
    range such as `upvotes:[10 TO]` then does not match the paper)."""
    out: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "abstract": doc.abstract,
        "note": doc.note,
        "status": doc.status,
        "words": f"{doc.title}\n{doc.abstract}",
    }
    tags = [t for t in (normalize_tag(tag) for tag in doc.tags) if t]
    if tags:
        out["tag"] = ",".join(tags)
        out["tagwords"] = " ".join(tags)
    if doc.note or tags:
        out["notewords"] = "\n".join([doc.note, *tags])
    if doc.year is not None:
        out["year"] = doc.year
    if doc.upvotes is not None:
        out["upvotes"] = doc.upvotes
    return out
