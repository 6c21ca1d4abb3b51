"""Query strings of the search box: checking, parsing, correcting.

Whoosh's parser is lenient: an unknown field, an unmatched parenthesis or a
year that is not a number silently turn into something else. `parse_query`
first rejects what would be silently misread (see `check_syntax`), then
parses with Whoosh and rejects the values Whoosh could not use. The message
of every `QueryError` is meant for the user.

Fuzzy words, prefixes and wildcards are matched against the unstemmed words
behind a field (see `search_schema`), then mapped to the field's stems: the
stem of "generation" is "gener", so a plain prefix query `generat*` over the
stems would miss it.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from whoosh import highlight as wh
from whoosh import qparser, query
from whoosh.reading import TermNotFound
from whoosh.support.levenshtein import distance

from readinglist.errors import QueryError
from readinglist.search_schema import (
    DEFAULT_FIELDS,
    HIGHLIGHT_FIELDS,
    SUGGESTION_FIELD,
    SUGGESTION_SOURCES,
    WORD_FIELDS,
    fold,
    marked_tokens,
    stem_of,
)

if TYPE_CHECKING:
    from whoosh.fields import Schema
    from whoosh.reading import IndexReader

FIELD_NAMES = ("title", "abstract", "note", "tag", "status", "year", "upvotes")
_ALIASES = {"tags": "tag"}
_FIELD_HINT = "use title:, abstract:, note:, tag:, status:, year: or upvotes:"
_EXAMPLES = {
    "title": "title:transformer",
    "abstract": 'abstract:"state space"',
    "note": "note:reread",
    "tag": 'tag:"machine learning"',
    "status": "status:unread",
    "year": "year:2023 or year:[2020 TO 2023]",
    "upvotes": "upvotes:[10 TO]",
}
# Highlighting: (passages kept, characters of words per passage); 0 = whole.
_FRAGMENTS = {"title": (1, 0), "abstract": (2, 240), "note": (1, 200)}
_WORD = re.compile(r"\w")
_STATUSES = frozenset({"read", "unread"})
_NUMBER_HINT = (
    "year: and upvotes: take a whole number or a range, "
    "e.g. year:2023, year:[2020 TO 2023], upvotes:[10 TO]"
)
# Where Whoosh's parser sees a field name: \w+ and a colon, at a word start.
_FIELD_RE = re.compile(r"(\w+):")
_WORD_CHAR_RE = re.compile(r"\w")
# NOT, and a minus sign glued to the start of a word, phrase or group
# ("-mamba"), exclude; a hyphen inside a word ("state-space") does not.
_NOT_RE = r"(^|(?<=(\s|[()])))(NOT(?=\s)|-(?=[\w\"(]))"


def check_syntax(text: str) -> str:
    """Rejects what Whoosh's parser would silently misread.

    Args:
        text: the query as typed.

    Returns:
        The query with field names lower-cased (same length, same positions).

    Raises:
        QueryError: unmatched quote or parenthesis, unknown field, field without value.
    """
    out = list(text)
    depth = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError('Unmatched quote: close the phrase with another "')
            i = end + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                raise QueryError('Unmatched ")": there is no "(" before it')
            depth -= 1
        elif i == 0 or not _WORD_CHAR_RE.match(text[i - 1]):
            match = _FIELD_RE.match(text, i)
            if match:
                name = _known_field(match.group(1))
                after = text[match.end() : match.end() + 1]
                if not after or after.isspace() or after == ")":
                    raise QueryError(
                        f'"{match.group(1)}:" needs a value right after the colon, '
                        f"e.g. {_EXAMPLES[_ALIASES.get(name, name)]}"
                    )
                out[i : match.end() - 1] = name
                i = match.end()
                continue
        i += 1
    if depth:
        raise QueryError('Unmatched "(": close it with ")"')
    return "".join(out)


def _known_field(name: str) -> str:
    lower = name.lower()
    if len(lower) != len(name) or (lower not in FIELD_NAMES and lower not in _ALIASES):
        raise QueryError(
            f'Unknown field "{name}:" — {_FIELD_HINT} '
            f'(to search for "{name}:" itself, put it in quotes)'
        )
    return lower


def make_parser(schema: Schema) -> qparser.QueryParser:
    """The parser of the search box: AND between words, the default field group."""
    parser = _Parser(None, schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.MultifieldPlugin(list(DEFAULT_FIELDS)))
    parser.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are text
    parser.remove_plugin_class(qparser.OperatorsPlugin)
    parser.add_plugin(qparser.OperatorsPlugin(Not=_NOT_RE))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({"tag": ["tags"]}))
    return parser


def parse_query(parser: qparser.QueryParser, text: str) -> query.Query:
    """Parses a non-empty query string.

    Raises:
        QueryError: the query is malformed; the message names the problem.
    """
    checked = check_syntax(text)
    q = parser.parse(checked, normalize=False)
    # Whoosh turns a value it cannot parse into an empty query with an
    # `error`, which normalize() would drop: look before normalizing.
    for node in _walk(q):
        if getattr(node, "error", None):
            raise QueryError(f'Not a number: "{_source(node, checked)}" — {_NUMBER_HINT}')
        if isinstance(node, query.Phrase) and node.fieldname in ("year", "upvotes"):
            raise QueryError(f"Write numbers without quotes — {_NUMBER_HINT}")
    q = q.normalize()
    for node in _walk(q):
        if node.is_leaf() and node.field() == "status":
            if not (type(node) is query.Term and node.text in _STATUSES):
                raise QueryError("status: takes read or unread, e.g. status:unread")
        elif isinstance(node, query.Phrase) and node.fieldname == "tag":
            raise QueryError('tag: takes one tag, and tags have no commas: tag:"machine learning"')
        elif isinstance(node, query.FuzzyTerm) and node.maxdist > 2:
            raise QueryError(
                f'A fuzzy word allows 1 or 2 edits: word~ or word~2 (got "~{node.maxdist}")'
            )
    return q


def _source(node: query.Query, text: str) -> str:
    start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
    if start is None or end is None:
        return getattr(node, "text", "") or ""
    return text[start:end]


def _walk(q: query.Query, *, skip_not: bool = False) -> Iterator[query.Query]:
    if skip_not and isinstance(q, query.Not):
        return
    yield q
    for child in q.children():
        yield from _walk(child, skip_not=skip_not)


# Fuzzy, prefix and wildcard over the unstemmed words


class _StemmedExpansion:
    """Mixin for Whoosh's multi-term queries: expand over the unstemmed words
    behind the field, match the stems of those words in the field."""

    fieldname: str
    text: str
    stems: tuple[str, ...] | None = None  # set by expand_words()

    def _words(self, reader: IndexReader, wordfield: str) -> Iterable[str]:
        raise NotImplementedError

    def expanded_stems(self, reader: IndexReader) -> tuple[str, ...]:
        """The stems of the words of `reader` this query matches."""
        if self.stems is not None:
            return self.stems
        try:
            words = self._words(reader, WORD_FIELDS[self.fieldname])
            return tuple(sorted({stem_of(word) for word in words}))
        except TermNotFound:  # no document has words there yet
            return ()

    def _btexts(self, reader: IndexReader) -> Iterator[bytes]:
        field = reader.schema[self.fieldname]
        for stem in self.expanded_stems(reader):
            if (self.fieldname, stem) in reader:
                yield field.to_bytes(stem)


def expand_words(q: query.Query, reader: IndexReader) -> query.Query:
    """`q` with its fuzzy words, prefixes and wildcards expanded over the
    words of the whole index (`reader`, not a segment's).

    Whoosh expands them again in each segment; but the lexicon document of a
    segment written after a rebuild holds only the words new to the index, so
    a segment on its own would miss the papers there with older words.
    """

    def expand(node: query.Query) -> query.Query:
        if isinstance(node, _StemmedExpansion) and node.stems is None:
            node = copy.copy(node)
            node.stems = node.expanded_stems(reader)
        return node

    return q.accept(expand)


class _SpellPrefix(_StemmedExpansion, query.Prefix):
    def _words(self, reader: IndexReader, wordfield: str) -> Iterable[str]:
        for btext in reader.expand_prefix(wordfield, self.text):
            yield btext.decode("utf-8")


class _SpellWildcard(_StemmedExpansion, query.Wildcard):
    def _words(self, reader: IndexReader, wordfield: str) -> Iterable[str]:
        for btext in query.Wildcard(wordfield, self.text)._btexts(reader):
            yield btext.decode("utf-8")

    def normalize(self) -> query.Query:
        text = self.text
        if text == "*":
            return query.Every(self.fieldname, boost=self.boost)
        if "?" not in text and text.find("*") == len(text) - 1:
            return _SpellPrefix(self.fieldname, text[:-1], boost=self.boost)
        return self


class _SpellFuzzy(_StemmedExpansion, query.FuzzyTerm):
    def _words(self, reader: IndexReader, wordfield: str) -> Iterable[str]:
        return _words_within(reader, wordfield, self.text, self.maxdist, self.prefixlength)


def _words_within(
    reader: IndexReader, wordfield: str, text: str, maxdist: int, prefix: int
) -> Iterator[str]:
    """Words of `wordfield` within `maxdist` edits of `text`, per segment: a
    segment reader walks its word list with a Levenshtein automaton, where
    the multi-segment reader would try every word."""
    for leaf, _ in reader.leaf_readers():
        try:
            yield from leaf.terms_within(wordfield, text, maxdist, prefix=prefix)
        except TermNotFound:
            continue


_EXPANSIONS = {
    query.Wildcard: _SpellWildcard,
    query.Prefix: _SpellPrefix,
    query.FuzzyTerm: _SpellFuzzy,
}


class _Parser(qparser.QueryParser):
    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> query.Query | None:
        expansion = _EXPANSIONS.get(termclass)
        if expansion is None or fieldname not in DEFAULT_FIELDS:
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        field = self.schema[fieldname]
        # The unstemmed form: lower-cased, accents folded, wildcards kept.
        words = list(
            field.process_text(text, mode="query", tokenize=False, removestops=False, no_morph=True)
        )
        if not words or not words[0]:
            return query.Or([])
        return expansion(fieldname, words[0], boost=boost)


# Did you mean


def suggest_correction(reader: IndexReader, q: query.Query, text: str) -> str | None:
    """The query string with each word unknown to the index replaced by the
    closest word of the titles and abstracts, or None if nothing changed.

    Args:
        reader: a reader of the index.
        q: the parsed query (see `parse_query`).
        text: the query string that was parsed.
    """
    replacements: list[tuple[int, int, str]] = []
    for (start, end), terms in sorted(_word_spans(q).items()):
        if any(_in_a_paper(reader, field, term) for field, term in terms):
            continue
        word = text[start:end]
        correction = _closest_word(reader, fold(word.lower()))
        if correction:
            replacements.append((start, end, _same_case(word, correction)))
    if not replacements:
        return None
    out, last = [], 0
    for start, end, word in replacements:
        out += [text[last:start], word]
        last = end
    out.append(text[last:])
    return "".join(out)


def _word_spans(q: query.Query) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """(start, end) in the query string -> the (field, stem) terms searched for there."""
    spans: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for node in _walk(q, skip_not=True):
        field = getattr(node, "fieldname", None)
        if field not in DEFAULT_FIELDS:
            continue
        start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
        if type(node) is query.Term and start is not None and end is not None:
            spans.setdefault((start, end), []).append((field, node.text))
        elif isinstance(node, query.Phrase) and getattr(node, "char_ranges", None):
            for span, word in zip(node.char_ranges, node.words, strict=False):
                spans.setdefault(tuple(span), []).append((field, word))
    return spans


def _closest_word(reader: IndexReader, word: str) -> str | None:
    """The word of the titles and abstracts closest to `word`: fewest edits,
    then found in most papers (the lexicon keeps the words of deleted papers
    until a rebuild: a word in none is no suggestion)."""
    if len(word) < 3 or not word.isalpha():
        return None
    maxdist = 1 if len(word) <= 4 else 2
    candidates = set(_words_within(reader, SUGGESTION_FIELD, word, maxdist, prefix=1))
    candidates.discard(word)
    ranked = []
    for candidate in candidates:
        stem = stem_of(candidate)
        if any(_in_a_paper(reader, field, stem) for field in SUGGESTION_SOURCES):
            papers = sum(reader.doc_frequency(field, stem) for field in SUGGESTION_SOURCES)
            # Ties (words of one stem, like "transform" and "transformer"
            # for "transformr") go to the longer shared ending.
            ending = _shared_ending(word, candidate)
            ranked.append((distance(word, candidate), -papers, -ending, candidate))
    return min(ranked)[-1] if ranked else None


def _shared_ending(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _in_a_paper(reader: IndexReader, field: str, term: str) -> bool:
    """Whether a paper not deleted has the term (deleted papers keep their
    terms in the index until Whoosh merges their segment)."""
    if (field, term) not in reader:
        return False
    if not reader.has_deletions():
        return True
    return any(not reader.is_deleted(d) for d in reader.postings(field, term).all_ids())


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# Highlighting


def highlight_words(reader: IndexReader, q: query.Query) -> dict[str, frozenset[str]]:
    """Field -> the index terms (stems) to highlight in it: every term of the
    query that exists, prefixes and fuzzy words expanded; excluded (NOT)
    terms are not highlighted."""
    words: dict[str, set[str]] = {field: set() for field in HIGHLIGHT_FIELDS}
    for node in _walk(q, skip_not=True):
        if not node.is_leaf() or node.field() not in words:
            continue
        for field, btext in node.expanded_terms(reader, phrases=True):
            if (field, btext) in reader:
                words[field].add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
    return {field: frozenset(found) for field, found in words.items()}


def highlight_text(field: str, text: str, terms: frozenset[str]) -> str:
    """HTML of `text` (a field's stored value): everything escaped, the words
    whose stem is in `terms` in <b>; "" when none is. A title comes whole;
    an abstract or a note as its best passages, in text order, joined by an
    ellipsis."""
    top, chars = _FRAGMENTS[field]
    tokens = marked_tokens(text, terms)
    fragmenter = (
        wh.WholeFragmenter(charlimit=None)
        if chars == 0
        else wh.ContextFragmenter(maxchars=chars, surround=chars // 4, charlimit=None)
    )
    fragments = wh.top_fragments(
        fragmenter.fragment_tokens(text, tokens), top, wh.BasicFragmentScorer(), wh.FIRST
    )
    if not fragments:
        return ""
    parts = [_format_fragment(fragment) for fragment in fragments]
    # Ellipses only where words were left out, not for a final full stop.
    head, rest = text[: fragments[0].startchar], text[fragments[-1].endchar :]
    lead = "… " if _WORD.search(head) else html.escape(head.lstrip())
    tail = " …" if _WORD.search(rest) else html.escape(rest.rstrip())
    return lead + " … ".join(parts) + tail


def _format_fragment(fragment: wh.Fragment) -> str:
    text, index, out = fragment.text, fragment.startchar, []
    for token in sorted(fragment.matches, key=lambda t: (t.startchar, t.startchar - t.endchar)):
        if token.startchar < index:
            continue  # overlaps the previous match
        out.append(html.escape(text[index : token.startchar]))
        out.append(f"<b>{html.escape(text[token.startchar : token.endchar])}</b>")
        index = token.endchar
    out.append(html.escape(text[index : fragment.endchar]))
    return "".join(out).strip()
