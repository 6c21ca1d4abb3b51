"""The Whoosh schema of the search index, and the analyzers behind it.

Only `search.py`, this module and `search_query.py` import Whoosh, so that the
engine could be swapped by touching those three files.

Text fields share one analyzer: words, lower-cased, accents folded (so
"Dusseldorf" finds "Düsseldorf"), English stop words dropped, Porter-stemmed
(so "transformers" finds "transformer"). Every text field also keeps its
*unstemmed* words in a spelling sub-field (`spell_<field>`): the "did you mean"
suggestions, fuzzy words (`attenton~`) and prefixes (`generat*`) are matched
against real words there, then mapped back to the stems of the main field.

Tags are indexed twice: whole (`tag`, for `tag:"machine learning"`, exact but
case- and accent-insensitive) and as words (`tagwords`, part of the default
field group, so a plain `learning` finds the tag "machine learning").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whoosh import fields
from whoosh.analysis import (
    CharsetFilter,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    StripFilter,
    SubstitutionFilter,
)
from whoosh.support.charset import accent_map

if TYPE_CHECKING:
    from whoosh.analysis import Analyzer

    from readinglist.search import IndexDoc

# Bump when the schema or the analyzers change: an index of another version
# reads as missing, and the caller rebuilds it.
SCHEMA_VERSION = 1

# The fields a word without a field prefix is searched in.
DEFAULT_FIELDS = ("title", "abstract", "note", "tagwords")
# The stored fields that come back highlighted.
HIGHLIGHT_FIELDS = ("title", "abstract", "note")
# The fields whose words feed "did you mean".
SPELLING_FIELDS = ("title", "abstract")
# The fields compared by "more like this".
SIMILAR_FIELDS = ("title", "abstract", "note")

# A match in the title counts this much more than one in the abstract or note.
TITLE_BOOST = 3.0


def text_analyzer() -> Analyzer:
    """The analyzer of every text field (see the module docstring).

    Accents are folded before stemming so that both spellings share a stem.
    Single characters are kept (minsize=1): "GPT 4" and "Llama 3" need them.
    """
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(minsize=1)
        | StemFilter()
    )


def tag_analyzer() -> Analyzer:
    """One token per comma-separated tag: trimmed, lower-cased, accents folded,
    runs of white space collapsed to one space."""
    return (
        RegexTokenizer(r"[^,]+")
        | StripFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | SubstitutionFilter(r"\s+", " ")
    )


def build_schema() -> fields.Schema:
    """The schema of a fresh index."""
    text = text_analyzer()
    return fields.Schema(
        # Numeric so that a sortable column maps document numbers to ids fast.
        id=fields.NUMERIC(int, bits=64, unique=True, stored=True, sortable=True),
        title=fields.TEXT(analyzer=text, stored=True, field_boost=TITLE_BOOST, spelling=True),
        abstract=fields.TEXT(analyzer=text, stored=True, spelling=True),
        note=fields.TEXT(analyzer=text, stored=True, spelling=True),
        tag=fields.TEXT(analyzer=tag_analyzer(), phrase=False),
        tagwords=fields.TEXT(analyzer=text, spelling=True),
        status=fields.ID(analyzer=IDTokenizer() | LowercaseFilter()),
        year=fields.NUMERIC(int),
        upvotes=fields.NUMERIC(int),
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
