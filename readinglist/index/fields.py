"""The Whoosh schema of the search index, and the analyzers behind it.

Only `index/index.py`, this module, `index/query.py`, `index/bulk.py` and
`index/whoosh_shims.py` import Whoosh, so that the engine could be swapped by
touching those files.

Text fields share one analyzer: words, lower-cased, accents folded (so
"Dusseldorf" finds "Düsseldorf"), English stop words dropped, Porter-stemmed
(so "transformers" finds "transformer").

The *unstemmed* words are kept too, once per index rather than once per
paper: in "lexicon" documents (field `lexicon`), whose `words` hold the words
of titles and abstracts and `notewords` those of notes and tags. A rebuild
writes one; a write adds one with the words the index did not have yet.
"Did you mean" suggests from `words`; fuzzy words (`attenton~`), prefixes
(`generat*`) and wildcards are matched against these real words, then mapped
to the stems of the field searched. Searches mask the lexicon documents out.

(Per-paper word fields, like Whoosh's own `spelling=True`, double the
postings of every paper: writes and rebuilds took twice as long.)

Tags are indexed twice: whole (`tag`, for `tag:"machine learning"`, exact but
case- and accent-insensitive) and as words (`tagwords`, part of the default
field group, so a plain `learning` finds the tag "machine learning").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
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

    from readinglist.index.index import IndexDoc

# Bump when the schema or the analyzers change: an index of another version
# reads as missing, and the caller rebuilds it.
SCHEMA_VERSION = 4

# The fields a word without a field prefix is searched in.
DEFAULT_FIELDS = ("title", "abstract", "note", "tagwords")
# The stored fields that come back highlighted.
HIGHLIGHT_FIELDS = ("title", "abstract", "note")
# The lexicon field of the unstemmed words behind each text field.
WORD_FIELDS = {"title": "words", "abstract": "words", "note": "notewords", "tagwords": "notewords"}
# The lexicon field "did you mean" suggests from, and the fields its words are in.
SUGGESTION_FIELD = "words"
SUGGESTION_SOURCES = ("title", "abstract")
# The term that marks the lexicon documents.
LEXICON_TERM = ("lexicon", "1")
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
    """The tokens of `text` as `text_analyzer` cuts them (stop words included).

    `matched` is set on those whose stem is in `stems`.

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


def stem_of(word: str) -> str:
    """The index form of a word already lower-cased and folded (not a stop word)."""
    return _stem(word)


# Porter stemming, cached: the same function StemFilter uses.
_stem = functools.lru_cache(maxsize=50_000)(stem)


def words_of(text: str) -> set[str]:
    """The distinct unstemmed words of `text`, as `text_analyzer` cuts them.

    As cut before stemming: lower-cased, folded, no stop words.
    """
    return {fold(match.group().lower()) for match in default_pattern.finditer(text)} - STOP_WORDS


def tag_analyzer() -> Analyzer:
    """One token per comma-separated tag.

    Each trimmed, lower-cased, accents folded, runs of white space collapsed to one space.
    """
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
        # The lexicon: space-separated words, already cut by words_of().
        # Scorable only because Whoosh's writer stats the file system for
        # every posting of a field without lengths.
        lexicon=fields.ID(),
        words=fields.KEYWORD(scorable=True),
        notewords=fields.KEYWORD(scorable=True),
        status=fields.ID(analyzer=IDTokenizer() | LowercaseFilter()),
        # Fewer, coarser range tiers than the default (8 terms per value):
        # these ranges are over a few thousand distinct values at most.
        year=fields.NUMERIC(int, bits=16, shift_step=8),
        upvotes=fields.NUMERIC(int, bits=32, shift_step=8),
    )


def normalize_tag(tag: str) -> str:
    """A tag as the index keeps it.

    Commas (the separator) become spaces, white space is collapsed, case folded.
    """
    return " ".join(tag.replace(",", " ").split()).casefold()


def document_fields(doc: IndexDoc) -> dict[str, Any]:
    """The Whoosh fields of one paper; absent numbers are left out.

    An open range such as `upvotes:[10 TO]` then does not match the paper.
    """
    out: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "abstract": doc.abstract,
        "note": doc.note,
        "status": doc.status,
    }
    tags = [t for t in (normalize_tag(tag) for tag in doc.tags) if t]
    if tags:
        out["tag"] = ",".join(tags)
        out["tagwords"] = " ".join(tags)
    if doc.year is not None:
        out["year"] = doc.year
    if doc.upvotes is not None:
        out["upvotes"] = doc.upvotes
    return out


class Lexicon:
    """The unstemmed words of some papers, for a lexicon document."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.notewords: set[str] = set()

    def add(self, doc: IndexDoc) -> None:
        """Adds the words of one paper."""
        self.words |= words_of(f"{doc.title}\n{doc.abstract}")
        self.notewords |= words_of("\n".join([doc.note, *doc.tags]))

    def document(self, known: Callable[[str, str], bool] | None = None) -> dict[str, str] | None:
        """The fields of a lexicon document of the words `known` does not know.

        The words are those for which `known(field, word)` is false; None if there are none.
        """
        out = {}
        for field, words in (("words", self.words), ("notewords", self.notewords)):
            new = sorted(w for w in words if not (known and known(field, w)))
            if new:
                out[field] = " ".join(new)
        if not out:
            return None
        out[LEXICON_TERM[0]] = LEXICON_TERM[1]
        return out
