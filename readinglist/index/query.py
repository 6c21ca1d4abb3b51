"""Query strings of the search box: checking, parsing, correcting.

Whoosh's parser is lenient: an unknown field, an unmatched parenthesis or a
year that is not a number silently turn into something else. `parse_query`
first rejects what would be silently misread (see `check_syntax`), then
parses with Whoosh and rejects the values Whoosh could not use. The message
of every `QueryError` is meant for the user.

Fuzzy words, prefixes and wildcards are matched against the unstemmed words
behind a field (see `index.fields`), then mapped to the field's stems: the
stem of "generation" is "gener", so a plain prefix query `generat*` over the
stems would miss it.

Every query either answers or is refused with a QueryError, in time about
linear in its length. `clean_query` makes the characters that are not text
harmless (lone surrogates, control characters). `parse_query` refuses a
query over 10,000 characters, parentheses nested over 50 levels (Whoosh's
parser and queries recurse per level), more than 10 fuzzy words or one over
40 characters; `expand_words` refuses a prefix, wildcard, fuzzy word or
range of words matching over 1,000 words. The parser below replaces the
Whoosh pieces that crashed on odd input ("NOT NOT a", ">= 5", "a REQUIRE
REQUIRE b") or took quadratic or worse time (the tagging loop, the range
pattern, the hash of a word's fields, nested binary operators), and skips
Whoosh's parser for text without syntax (`_Parser.parse_plain`).
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import fnmatch
import html
import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np
from whoosh import fields, qparser, query
from whoosh.analysis import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern
from whoosh.matching import ListMatcher
from whoosh.qparser import syntax
from whoosh.qparser.common import attach
from whoosh.reading import TermNotFound
from whoosh.support.levenshtein import distance

from readinglist.errors import QueryError
from readinglist.index.fields import (
    DEFAULT_FIELDS,
    HIGHLIGHT_FIELDS,
    SUGGESTION_FIELD,
    SUGGESTION_SOURCES,
    WORD_FIELDS,
    fold,
    stem_of,
)

if TYPE_CHECKING:
    from whoosh.fields import Schema
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

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
# Whoosh's binary operators (not documented, kept working): each nests the
# query one level deeper.
_NESTING_OPERATOR_RE = re.compile(r"(ANDNOT|ANDMAYBE|REQUIRE)(?=\s)")
_WORD_RUN_RE = re.compile(r"\w+")
# What makes a query more than plain words: a symbol that starts a piece of
# syntax, a minus that starts a word, an operator.
_SYNTAX_RE = re.compile(
    r'["()\[\]{}:*?\u055e\u061f\u1367^~<>=]|(^|\s)-|(^|\s)(AND|OR|NOT|ANDNOT|ANDMAYBE|REQUIRE)(\s|$)'
)
_CHUNK_RE = re.compile(r"\S+")
# Analyses of query words kept by the parser, and expansions and
# corrections kept per reader (a few MB at most).
_ANALYSES_KEPT = 20_000
_CACHE_KEPT = 5_000
# The widest `And` handed to Whoosh's matchers (see for_whoosh).
_WIDEST_AND = 32
_STARS_RE = re.compile(r"\*{2,}")
_LAST_CHAR = chr(0x10FFFF)  # sorts after every character

# The longest query parsed: a pasted abstract is ~2,000 characters.
MAX_QUERY_CHARS = 10_000
# The deepest nesting parsed, in parentheses (and, separately, in ANDNOT,
# ANDMAYBE and REQUIRE): Whoosh's parser and queries recurse once or more a
# level, and Python stops at 1,000 frames.
MAX_NESTING = 50
# A prefix, wildcard or fuzzy word matching more words than this is refused:
# each word costs ~0.3 ms to score and highlight ("*a*" matched 1,881 words
# of the five sample dumps, and took 0.6 s).
MAX_EXPANDED_WORDS = 1_000
# Fuzzy words in one query, and the longest: a Levenshtein automaton walks
# the word list for each (~60 ms for word~2 on the five sample dumps), and
# its size grows with the word.
MAX_FUZZY_WORDS = 10
MAX_FUZZY_CHARS = 40
# "Did you mean" looks up at most this many different unknown words (each
# a walk of the word list) and none longer than MAX_FUZZY_CHARS.
MAX_CORRECTED = 5
# Control characters (C0, DEL, C1) separate words as a space does; as a
# space, they also cannot cut a phrase in two (Whoosh's phrase pattern stops
# at a line end).
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " ")


def clean_query(text: str) -> str:
    """The query as it is parsed: trimmed, and without characters that are not text.

    A lone surrogate (an undecodable byte of a command line, half of a pair
    cut by a paste) cannot be encoded, and Whoosh encodes every word: it
    becomes U+FFFD, the replacement character, which separates words as a
    space does; a pair of surrogates becomes the character it stands for.
    Control characters become spaces. Nothing is said about either: what
    is left is what can be searched.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if not text.isprintable():  # fast for the usual query: no controls
        text = text.translate(_CONTROLS)
    return text.strip()


def check_syntax(text: str) -> str:
    """Rejects what Whoosh's parser would silently misread, or could not parse.

    Args:
        text: the query as typed.

    Returns:
        The query with field names lower-cased (same length, same positions).

    Raises:
        QueryError: unmatched quote or parenthesis, unknown field, field
            without value, parentheses or binary operators nested too deep.
    """
    out = list(text)
    depth = deepest = nesting_operators = 0
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
            deepest = max(deepest, depth)
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
            if i and text[i - 1].isspace() and _NESTING_OPERATOR_RE.match(text, i):
                nesting_operators += 1
        i += 1
    if deepest > MAX_NESTING:
        raise QueryError(f"Too many nested parentheses ({deepest:,} levels; at most {MAX_NESTING})")
    if depth:
        raise QueryError('Unmatched "(": close it with ")"')
    if nesting_operators > MAX_NESTING:
        raise QueryError(
            f"Too many ANDNOT, ANDMAYBE or REQUIRE ({nesting_operators:,}; at most "
            f"{MAX_NESTING}): each nests the query deeper; use NOT, as in a NOT b NOT c"
        )
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
    parser.add_plugin(_MultifieldPlugin(list(DEFAULT_FIELDS)))
    parser.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are text
    parser.remove_plugin_class(qparser.OperatorsPlugin)
    parser.add_plugin(_OperatorsPlugin(_operators(), clean=True))
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.add_plugin(qparser.RangePlugin(_RANGE_RE))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(_GtLtPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({"tag": ["tags"]}))
    parser.add_plugin(_RepeatsPlugin())
    return parser


def _operators() -> list[tuple[qparser.OperatorsPlugin.OpTagger, int]]:
    """Whoosh's operators, in Whoosh's order, with NOT and the binary operators replaced.

    NOT binds tightest, then AND, then OR...; the replacements are described below.
    """
    tagger = qparser.OperatorsPlugin.OpTagger
    return [
        (tagger(_NOT_RE, syntax.NotGroup, _NotOperator, leftassoc=False, memo="not"), 0),
        (tagger(r"(?<=\s)AND(?=\s)", syntax.AndGroup, memo="and"), 0),
        (tagger(r"(?<=\s)OR(?=\s)", syntax.OrGroup, memo="or"), 0),
        (tagger(r"(?<=\s)ANDNOT(?=\s)", _AndNotGroup, _BinaryOperator, memo="anot"), -5),
        (tagger(r"(?<=\s)ANDMAYBE(?=\s)", _AndMaybeGroup, _BinaryOperator, memo="amaybe"), -5),
        (tagger(r"(^|(?<=\s))REQUIRE(?=\s)", _RequireGroup, _BinaryOperator, memo="req"), 0),
    ]


# Whoosh's range pattern, except that a range cannot hold another "[" or
# "{", and must have its closing bracket: Whoosh's own tried every "TO"
# after every "[" against the rest of the query (cubic: "[to " repeated
# 2,500 times did not finish).
_RANGE_RE = re.compile(
    r"""
    (?P<open>\{|\[)
    (?=[^\]}\[{]*[\]}])             # a closing bracket before any other opening one
    (?P<start>
        ('[^']*?'\s+)                # single-quoted
        |
        ([^\]}\[{]+?(?=[Tt][Oo]))    # everything until "to"
    )?
    [Tt][Oo]
    (?P<end>
        (\s+'[^']*?')                # single-quoted
        |
        ([^\]}\[{]+?)                # everything until "]" or "}"
    )?
    (?P<close>}|])
    """,
    re.VERBOSE | re.UNICODE,
)


class _NotOperator(syntax.PrefixOperator):
    """NOT, or a minus before a word, applied from right to left.

    A NOT before another cancels it ("NOT NOT a" is "a", so a run of them
    does not nest); a NOT before another operator, or at the end, is
    ignored, as a dangling AND is. Whoosh's own left an empty group in
    both cases, and crashed (IndexError).
    """

    def replace_self(self, parser: qparser.QueryParser, group: syntax.GroupNode, position: int):
        del group[position]
        if position < len(group):
            operand = group[position]
            if isinstance(operand, syntax.NotGroup) and len(operand) == 1:
                group[position] = operand[0]  # made by the NOT after this one
            elif not isinstance(operand, syntax.Operator):
                group[position] = syntax.NotGroup([operand])
        return position


class _BinaryOperator(syntax.InfixOperator):
    """ANDNOT, ANDMAYBE and REQUIRE, ignored next to another operator.

    "a ANDNOT ANDNOT b" is "a ANDNOT b". Whoosh's own put the other operator in the two-operand
    group, which was left with one (AssertionError).
    """

    def replace_self(self, parser: qparser.QueryParser, group: syntax.GroupNode, position: int):
        neighbours = group[position - 1 : position + 2] if position else []
        if len(neighbours) == 3 and not any(
            isinstance(node, syntax.Operator) for node in (neighbours[0], neighbours[2])
        ):
            return super().replace_self(parser, group, position)
        del group[position]
        return position


class _RepeatsPlugin(qparser.Plugin):
    """Drops the repeats of a word, phrase, prefix, fuzzy word or range in an AND group.

    `And.normalize` drops them too, keeping the first, but only after a dozen filters and the
    analysis spent ~0.2 ms on each ('""' repeated 5,000 times took 1.5 s).

    Only where both copies are "free", with no operator or boost beside
    them: an operator takes its neighbours into a group of its own ("NOT a
    a" is "NOT a" and "a"). Runs after the field names are applied (100),
    before the field groups are made (110).
    """

    def filters(self, parser: qparser.QueryParser) -> list:
        return [(self.drop_repeats, 105)]

    def drop_repeats(self, parser: qparser.QueryParser, group: syntax.GroupNode):
        if type(group) is syntax.AndGroup:
            group = _without_repeats(group)
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.drop_repeats(parser, node)
        return group


def _without_repeats(group: syntax.GroupNode) -> syntax.GroupNode:
    parts = [node for node in group if not isinstance(node, syntax.Whitespace)]
    bound = {id(node) for node in parts if _binds(node)}
    bound |= {id(b) for a, b in itertools.pairwise(parts) if _binds(a)}
    bound |= {id(a) for a, b in itertools.pairwise(parts) if _binds(b)}
    seen = set()
    kept = group.empty_copy()
    for node in group:
        key = None if id(node) in bound else _repeat_key(node)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append(node)
    return kept


def _binds(node: syntax.SyntaxNode) -> bool:
    return isinstance(node, (syntax.Operator, qparser.BoostPlugin.BoostNode))


def _repeat_key(node: syntax.SyntaxNode) -> tuple | None:
    """What makes two nodes the same query; None for nodes not dropped."""
    kind = type(node)
    if kind in _TEXT_NODES:
        return (kind, node.text, node.fieldname, node.boost)
    if kind is qparser.PhrasePlugin.PhraseNode:
        return (kind, node.text, node.fieldname, node.boost, node.slop)
    if kind is qparser.FuzzyTermPlugin.FuzzyTermNode:
        return (kind, node.text, node.fieldname, node.boost, node.maxdist, node.prefixlength)
    if kind is syntax.RangeNode:
        return (kind, node.start, node.end, node.startexcl, node.endexcl, node.fieldname)
    return None


_TEXT_NODES = (
    syntax.WordNode,
    qparser.WildcardPlugin.WildcardNode,
    qparser.PrefixPlugin.PrefixNode,
)


class _BinaryGroup(syntax.BinaryGroup):
    """The group of a binary operator, each operand's query built once.

    Whoosh's built each twice, 2ⁿ times for n nested operators (20 ANDNOT took seconds).
    """

    def query(self, parser: qparser.QueryParser) -> query.Query:
        first, second = (node.query(parser) for node in self.nodes)
        if first is None:
            q = query.NullQuery if second is None else second
        elif second is None:
            q = first
        else:
            q = self.qclass(first, second)
        return attach(q, self)


class _AndNotGroup(_BinaryGroup):
    qclass = query.AndNot


class _AndMaybeGroup(_BinaryGroup):
    qclass = query.AndMaybe


class _RequireGroup(_BinaryGroup):
    qclass = query.Require


class _GtLtPlugin(qparser.GtLtPlugin):
    """The `year:>2021` syntax, without Whoosh's IndexError where a ">" starts a group.

    Whoosh's raised IndexError on a ">" that starts a group (">= 5", "(<3)"), where no field name
    can come before it.
    """

    def do_gtlt(self, parser: qparser.QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        newgroup = group.empty_copy()
        i = 0
        while i < len(group):
            node = group[i]
            if isinstance(node, self.GtLtNode):
                if i + 1 < len(group) and newgroup:
                    nextnode = group[i + 1]
                    if isinstance(newgroup[-1], syntax.FieldnameNode) and nextnode.has_text:
                        newgroup.append(self.make_range(nextnode, node.rel))
                        i += 1
            elif isinstance(node, syntax.GroupNode):
                newgroup.append(self.do_gtlt(parser, node))
            else:
                newgroup.append(node)
            i += 1
        return newgroup


def parse_query(parser: qparser.QueryParser, text: str) -> query.Query:
    """Parses a non-empty query string, cleaned by `clean_query`.

    Raises:
        QueryError: the query is malformed; the message names the problem.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The query is too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})"
        )
    plain = parser.parse_plain(text) if isinstance(parser, _Parser) else None
    if plain is not None:
        return plain.normalize()
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
    _check_fuzzy_words(q)
    return q


def _check_fuzzy_words(q: query.Query) -> None:
    fuzzy = {node.text for node in _walk(q) if isinstance(node, query.FuzzyTerm)}
    if len(fuzzy) > MAX_FUZZY_WORDS:
        raise QueryError(
            f"Too many fuzzy words ({len(fuzzy):,}; at most {MAX_FUZZY_WORDS}): "
            "keep the ~ for the words you are unsure of"
        )
    longest = max(fuzzy, key=len, default="")
    if len(longest) > MAX_FUZZY_CHARS:
        raise QueryError(
            f"A fuzzy word is too long ({len(longest):,} characters; at most {MAX_FUZZY_CHARS})"
        )


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
    """Mixin for Whoosh's multi-term queries: expand over unstemmed words, match stems.

    Expands over the unstemmed words behind the field and matches the stems of those words in the
    field.
    """

    fieldname: str
    text: str
    stems: tuple[str, ...] | None = None  # set by expand_words()

    def _words(self, reader: IndexReader, wordfield: str, cache: dict | None) -> Iterable[str]:
        raise NotImplementedError

    def expanded_stems(self, reader: IndexReader, cache: dict | None = None) -> tuple[str, ...]:
        """The stems of the words of `reader` this query matches.

        `cache` keeps them for the next call on the same reader (a keystroke
        expands the query three times: to list, highlight and correct).

        Raises:
            QueryError: it matches more than MAX_EXPANDED_WORDS words.
        """
        if self.stems is not None:
            return self.stems
        wordfield = WORD_FIELDS[self.fieldname]
        key = (type(self), wordfield, self.text, *self._expansion_options())
        found = cache.get(key) if cache is not None else None
        if found is None:
            found = self._stems(reader, wordfield, cache)
            if cache is not None:
                keep(cache, key, found)
        return found

    def _stems(self, reader: IndexReader, wordfield: str, cache: dict | None) -> tuple[str, ...]:
        words: set[str] = set()
        try:
            for word in self._words(reader, wordfield, cache):
                words.add(word)
                if len(words) > MAX_EXPANDED_WORDS:
                    raise QueryError(
                        f'"{self.text}{self._suffix()}" matches too many different words '
                        f"(over {MAX_EXPANDED_WORDS:,}): write more of the word"
                    )
        except TermNotFound:  # no document has words there yet
            return ()
        return tuple(sorted({stem_of(word) for word in words}))

    def _expansion_options(self) -> tuple:
        return ()

    def _suffix(self) -> str:
        return ""

    def _btexts(self, reader: IndexReader) -> Iterator[bytes]:
        field = reader.schema[self.fieldname]
        for stem in self.expanded_stems(reader):
            if (self.fieldname, stem) in reader:
                yield field.to_bytes(stem)


def expand_words(q: query.Query, reader: IndexReader, cache: dict | None = None) -> query.Query:
    """`q` with its fuzzy words, prefixes and wildcards expanded over the whole index.

    Expanded over the words of the whole index (`reader`, not a segment's).

    Whoosh expands them again in each segment; but the lexicon document of a
    segment written after a rebuild holds only the words new to the index, so
    a segment on its own would miss the papers there with older words.

    Args:
        q: a parsed query.
        reader: the reader of the whole index.
        cache: expansions kept for this reader (a dict the caller forgets
            with the reader), or None.

    Raises:
        QueryError: one of them matches more than MAX_EXPANDED_WORDS words.
    """

    def expand(node: query.Query) -> query.Query:
        if isinstance(node, _StemmedExpansion) and node.stems is None:
            node = copy.copy(node)
            node.stems = node.expanded_stems(reader, cache)
        elif type(node) is query.TermRange:
            _check_range(node, reader)
        return node

    return q.accept(expand)


def for_whoosh(q: query.Query) -> query.Query:
    """`q` rearranged for Whoosh's matchers.

    The same matches in the same order, the scores the same but for rounding, except as said below.

    Whoosh joins the matchers of an `And` smallest-first, each join weighing
    the sum of its parts, so n words make a chain n deep: 1,200 words beside
    a phrase raised RecursionError. A wide `And` becomes a tree of narrow
    ones. And each excluded word is a matcher stepping through every paper
    (1,200 took 2 s on the five sample dumps): beyond 32 of them, they are
    excluded together, which lowers every match's score by the same amount
    (Whoosh scores each exclusion 1.0).
    """

    def rearrange(node: query.Query) -> query.Query:
        if type(node) is not query.And or len(node.subqueries) <= _WIDEST_AND:
            return node
        parts = node.subqueries
        excluded = [part.query for part in parts if type(part) is query.Not]
        if len(excluded) > _WIDEST_AND:
            # One union of all their terms: Whoosh's union of a few terms
            # on a small index fills an array the size of the index.
            excluded = [term for q in excluded for term in (q if isinstance(q, query.Or) else [q])]
            parts = [part for part in parts if type(part) is not query.Not]
            parts.append(query.Not(query.Or(excluded)))
        while len(parts) > _WIDEST_AND:
            parts = [
                query.And(parts[i : i + _WIDEST_AND]) for i in range(0, len(parts), _WIDEST_AND)
            ]
        return query.And(parts, boost=node.boost)

    return q.accept(rearrange)


def _check_range(q: query.TermRange, reader: IndexReader) -> None:
    """Refuses a range of words (`[a TO m]`) over more than MAX_EXPANDED_WORDS words.

    Whoosh matches each of them, one posting at a time.
    """
    try:
        count = sum(1 for _ in itertools.islice(q._btexts(reader), MAX_EXPANDED_WORDS + 1))
    except TermNotFound:
        return
    if count > MAX_EXPANDED_WORDS:
        start, end = q.start or "", q.end or ""
        raise QueryError(
            f'"[{start} TO {end}]" takes in too many different words '
            f"(over {MAX_EXPANDED_WORDS:,}): narrow the range"
        )


def _attached(q: query.Query, start: int | None, end: int | None) -> query.Query:
    """`q` placed in the query string, as Whoosh's parser places what it builds."""
    if q:
        q.startchar, q.endchar = start, end
    return q


def _word_list(reader: IndexReader, wordfield: str, cache: dict | None) -> list[str]:
    """All the words of a lexicon field, sorted (kept in `cache`)."""
    key = ("all words", wordfield)
    found = cache.get(key) if cache is not None else None
    if found is None:
        words: set[bytes] = set()
        for leaf, _ in reader.leaf_readers():
            with contextlib.suppress(TermNotFound):
                words.update(leaf.lexicon(wordfield))
        found = sorted(word.decode("utf-8") for word in words)
        if cache is not None:
            keep(cache, key, found)
    return found


def keep(cache: dict, key: object, value: object) -> None:
    """Stores in a cache of at most _CACHE_KEPT entries (emptied when full)."""
    if len(cache) >= _CACHE_KEPT:
        cache.clear()
    cache[key] = value


class _SpellPrefix(_StemmedExpansion, query.Prefix):
    def _words(self, reader: IndexReader, wordfield: str, cache: dict | None) -> Iterable[str]:
        for btext in reader.expand_prefix(wordfield, self.text):
            yield btext.decode("utf-8")


class _SpellWildcard(_StemmedExpansion, query.Wildcard):
    def _words(self, reader: IndexReader, wordfield: str, cache: dict | None) -> Iterable[str]:
        """The words Whoosh's `Wildcard` matches, from a list of them in memory.

        Whoosh read the whole word list from disk for a pattern that starts with a wildcard
        (`*tion`), ~20 µs a word.
        """
        words = _word_list(reader, wordfield, cache)
        prefix = self._find_prefix(self.text)
        start = bisect.bisect_left(words, prefix)
        end = bisect.bisect_left(words, prefix + _LAST_CHAR) if prefix else len(words)
        return filter(re.compile(fnmatch.translate(self.text)).match, words[start:end])

    def normalize(self) -> query.Query:
        text = _STARS_RE.sub("*", self.text)  # "**" is "*"
        if text == "*":
            return _EveryWord(self.fieldname, boost=self.boost)
        if "?" not in text and text.find("*") == len(text) - 1:
            return _SpellPrefix(self.fieldname, text[:-1], boost=self.boost)
        if text != self.text:
            return _SpellWildcard(self.fieldname, text, boost=self.boost)
        return self


class _EveryWord(query.Every):
    """The papers with a word in the field (`*` there), from the field's lengths.

    As Whoosh's `Every` finds and scores them; Whoosh's read the postings of every word of the field
    (0.3 s on the five sample dumps, and in proportion to the number of words beyond).
    """

    def matcher(self, searcher: Searcher, context: object = None) -> ListMatcher:
        from readinglist.index.bulk import deleted_docs, leaf_lengths

        found = []
        for leaf, offset in searcher.reader().leaf_readers():
            if not leaf.doc_count_all():
                continue
            has_words = leaf_lengths(leaf, self.fieldname) > 0
            if leaf.has_deletions():
                has_words[np.fromiter(deleted_docs(leaf), dtype=np.int64)] = False
            found.append(np.flatnonzero(has_words) + offset)
        docnums = np.concatenate(found).tolist() if found else []
        return ListMatcher(docnums, all_weights=self.boost)


class _SpellFuzzy(_StemmedExpansion, query.FuzzyTerm):
    def _words(self, reader: IndexReader, wordfield: str, cache: dict | None) -> Iterable[str]:
        return _words_within(reader, wordfield, self.text, self.maxdist, self.prefixlength)

    def _expansion_options(self) -> tuple:
        return (self.maxdist, self.prefixlength)

    def _suffix(self) -> str:
        return f"~{self.maxdist}"


def _words_within(
    reader: IndexReader, wordfield: str, text: str, maxdist: int, prefix: int
) -> Iterator[str]:
    """Words of `wordfield` within `maxdist` edits of `text`, per segment.

    A segment reader walks its word list with a Levenshtein automaton, where the multi-segment
    reader would try every word.
    """
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
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._analyses: dict[tuple, tuple[str, ...]] = {}  # see _analyzed

    def parse_plain(self, text: str) -> query.Query | None:
        """The query of text without any syntax (a pasted title or abstract), or None.

        Built as Whoosh's parser builds it, without it; None for any other text.

        Whoosh's parser costs ~0.2 ms a word (a dozen filters walk every
        word's group of fields); this, the analysis of each word and the
        queries. Same query, same positions (a test compares them).
        """
        if _SYNTAX_RE.search(text):
            return None
        words, spans = [], [match.span() for match in _CHUNK_RE.finditer(text)]
        seen = set()
        for start, end in spans:
            if text[start:end] in seen:
                continue  # And.normalize would drop it, keeping the first
            seen.add(text[start:end])
            in_fields = []
            for name in DEFAULT_FIELDS:
                q = self.term_query(name, text[start:end], self.termclass)
                if q is not None:
                    in_fields.append(_attached(q, start, end))
            words.append(_attached(FieldsOr(in_fields), start, end))
        if not words:
            return None
        return _attached(self.group.qclass(words), spans[0][0], spans[-1][1])

    def tag(self, text: str, pos: int = 0, debug: bool = False) -> syntax.GroupNode:
        r"""Whoosh's tagging loop, without its quadratic part.

        Whoosh tries every tagger at every character that no tagger took;
        inside a long word, the field-name pattern (`\w+:`) scans to the
        word's end each time: n²/2 steps for a word of n characters. Here,
        where no tagger matches at a word character, the loop jumps to the
        end of that run of word characters: inside it, `\w+:` fails as it
        just did (same run, same end), and every other tagger of this
        parser starts with a symbol or needs a space or a bracket before it.
        (A test compares the nodes with Whoosh's loop.)
        """
        stack = []
        prev = pos
        taggers = self.taggers()
        # Only the white space tagger starts at white space (every other
        # pattern starts with a symbol or a letter): one regex, not all.
        spaces = [t for t in taggers if isinstance(t, qparser.WhitespacePlugin)]

        def between(startchar: int, endchar: int) -> syntax.WordNode:
            node = syntax.WordNode(text[startchar:endchar])
            node.startchar, node.endchar = startchar, endchar
            return node

        while pos < len(text):
            for tagger in spaces if text[pos].isspace() else taggers:
                node = tagger.match(self, text, pos)
                if node is not None:
                    if prev < pos:
                        stack.append(between(prev, pos))
                    stack.append(node)
                    prev = pos = node.endchar
                    break
            else:
                run = _WORD_RUN_RE.match(text, pos)
                pos = run.end() if run else pos + 1
        if prev < len(text):
            stack.append(between(prev, len(text)))
        return self.group(stack)

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> query.Query | None:
        """Whoosh's term query, with each text analyzed once per analyzer.

        The four default fields share one analyzer, and a long query repeats
        its words: Whoosh analyzed each word once per field, per occurrence.
        """
        if fieldname not in self.schema or self.schema[fieldname].self_parsing():
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        field = self.schema[fieldname]
        expansion = _EXPANSIONS.get(termclass)
        if expansion is not None and fieldname in DEFAULT_FIELDS:
            # The unstemmed form: lower-cased, accents folded, wildcards kept.
            words = self._analyzed(field, text, tokenize=False, removestops=False, no_morph=True)
            if not words or not words[0]:
                return query.Or([])
            return expansion(fieldname, words[0], boost=boost)
        texts = self._analyzed(field, text, tokenize=tokenize, removestops=removestops)
        if len(texts) > 1:
            return self.multitoken_query(field.multitoken_query, texts, fieldname, termclass, boost)
        return termclass(fieldname, texts[0], boost=boost) if texts else None

    def _analyzed(self, field: fields.FieldType, text: str, **options: bool) -> tuple[str, ...]:
        # The schema, and so its analyzers, live as long as the parser.
        key = (id(field.analyzer), text, *options.items())
        found = self._analyses.get(key)
        if found is None:
            if len(self._analyses) >= _ANALYSES_KEPT:
                self._analyses.clear()
            found = tuple(field.process_text(text, mode="query", **options))
            self._analyses[key] = found
        return found


class FieldsOr(query.Or):
    """The fields a word without a field is searched in.

    An `Or` whose hash tells words apart.

    Whoosh's hash of an `Or` XORs the hashes of its terms, each the XOR of
    the field's and the text's hash: over the four default fields, the
    text's hash cancels out. Every word of a query then hashed the same,
    and `And.normalize` took quadratic time to drop duplicates (7 s for
    1,400 different words).
    """

    def __hash__(self) -> int:
        return hash((query.Or, self.boost, *self.subqueries))


class _FieldsGroup(syntax.OrGroup):
    qclass = FieldsOr


class _MultifieldPlugin(qparser.MultifieldPlugin):
    """Whoosh's, making `FieldsOr` groups, with a cheaper copy of each node.

    copy.copy was a third of the time of parsing a long query.
    """

    def __init__(self, fieldnames: list[str]) -> None:
        super().__init__(fieldnames, group=_FieldsGroup)

    def do_multifield(self, parser: qparser.QueryParser, group: syntax.GroupNode):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_multifield(parser, node)
            elif node.has_fieldname and node.fieldname is None:
                copies = []
                for name in self.fieldnames:
                    copied = object.__new__(type(node))
                    copied.__dict__.update(node.__dict__)
                    copied.set_fieldname(name)
                    copied.set_boost(self.boosts.get(name, 1.0))
                    copies.append(copied)
                group[i] = self.group(copies)
        return group


class _OperatorsPlugin(qparser.OperatorsPlugin):
    """Whoosh's, without its walk through the groups that hold no operator.

    Those groups are one per word of a long query, made by the field group.
    """

    def do_operators(self, parser: qparser.QueryParser, group: syntax.GroupNode, *args, **kw):
        if not any(isinstance(node, (syntax.Operator, syntax.GroupNode)) for node in group):
            return group
        return super().do_operators(parser, group, *args, **kw)


# Did you mean


def suggest_correction(
    reader: IndexReader, q: query.Query, text: str, cache: dict | None = None
) -> str | None:
    """The query string with each word unknown to the index replaced, or None.

    Each unknown word is replaced by the closest word of the titles and abstracts; None if nothing
    changed.

    Only the first MAX_CORRECTED unknown words (in the order of the query)
    are looked up, each costs a walk of the word list: a long query of
    unknown words (a paste in another language) took seconds otherwise.

    Args:
        reader: a reader of the index.
        q: the parsed query (see `parse_query`).
        text: the query string that was parsed.
        cache: corrections kept for this reader, or None.
    """
    replacements: list[tuple[int, int, str]] = []
    looked_up: set[str] = set()
    for (start, end), terms in sorted(_word_spans(q).items()):
        if any(_in_a_paper(reader, field, term) for field, term in terms):
            continue
        word = text[start:end]
        folded = fold(word.lower())
        if not _correctable(folded):
            continue
        if folded not in looked_up:
            if len(looked_up) == MAX_CORRECTED:
                break
            looked_up.add(folded)
        correction = _closest_word(reader, folded, cache)
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


def _closest_word(reader: IndexReader, word: str, cache: dict | None = None) -> str | None:
    """The word of the titles and abstracts closest to `word`.

    Fewest edits, then found in most papers (the lexicon keeps the words of deleted papers until a
    rebuild: a word in none is no suggestion).
    """
    if not _correctable(word):
        return None
    key = ("closest", word)
    if cache is not None and key in cache:
        return cache[key]
    found = _closest_known(reader, word)
    if cache is not None:
        keep(cache, key, found)
    return found


def _correctable(word: str) -> bool:
    return 3 <= len(word) <= MAX_FUZZY_CHARS and word.isalpha()


def _closest_known(reader: IndexReader, word: str) -> str | None:
    """`_closest_word`, uncached."""
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
    """Whether a paper not deleted has the term.

    Deleted papers keep their terms in the index until Whoosh merges their segment.
    """
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
    """Field -> the index terms (stems) to highlight in it.

    Every term of the query, prefixes and fuzzy words expanded; excluded (NOT) terms are not
    highlighted.

    Terms the index does not have are kept: no paper's text has them, and
    looking each up cost more than the highlighting (1,200 words: 0.1 s).
    """
    words: dict[str, set[str]] = {field: set() for field in HIGHLIGHT_FIELDS}
    for node in _walk(q, skip_not=True):
        if not node.is_leaf() or node.field() not in words:
            continue
        for field, btext in node.expanded_terms(reader, phrases=True):
            words[field].add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
    return {field: frozenset(found) for field, found in words.items()}


def highlight_text(field: str, text: str, terms: frozenset[str]) -> str:
    """HTML of `text` (a field's stored value), the words whose stem is in `terms` in <b>.

    Everything escaped; "" when no word is. A title comes whole; an abstract or a note as its best
    passages, in text order, joined by an ellipsis.

    The passages are those of Whoosh's ContextFragmenter, BasicFragmentScorer
    and top_fragments (a test compares them), found over plain lists of the
    words' offsets: Whoosh's token objects cost ~4 ms an abstract, 60 % of
    a search's time.
    """
    top, chars = _FRAGMENTS[field]
    starts, ends, words = cut_words(text, terms)
    if not any(words):
        return ""
    if chars == 0:
        fragments = [(0, len(text), [i for i, word in enumerate(words) if word])]
    else:
        found = _context_fragments(starts, ends, words, chars, chars // 4)
        fragments = _best_fragments(found, words, top)
    if not fragments:
        return ""
    parts = [_format_fragment(text, fragment, starts, ends) for fragment in fragments]
    # Ellipses only where words were left out, not for a final full stop.
    head, rest = text[: fragments[0][0]], text[fragments[-1][1] :]
    lead = "… " if _WORD.search(head) else html.escape(head.lstrip())
    tail = " …" if _WORD.search(rest) else html.escape(rest.rstrip())
    return lead + " … ".join(parts) + tail


def cut_words(text: str, stems: frozenset[str]) -> tuple[list[int], list[int], list[str | None]]:
    """The words of `text` as `marked_tokens` cuts them: offsets, and matched words.

    Their start and end offsets, and each word (lower-cased, folded) where its stem is in `stems`,
    else None. Each distinct word is stemmed once; a text without a match gives three empty lists,
    without cutting it into offsets.

    The offsets are summed from the lengths of the words and of the gaps
    between them (findall, split): no match object per word.
    """
    ascii_text = text.isascii()  # then lower() keeps the offsets and folding changes nothing
    source = text.lower() if ascii_text else text
    tokens = _WORDS.findall(source)
    found = tokens if ascii_text else [fold(word.lower()) for word in tokens]
    matched = {w for w in set(found) - STOP_WORDS if stem_of(w) in stems}
    if not matched:
        return [], [], []
    pieces = [0] * (2 * len(tokens))
    pieces[0::2] = map(len, _WORDS.split(source)[:-1])
    pieces[1::2] = map(len, tokens)
    offsets = list(itertools.accumulate(pieces))
    return offsets[0::2], offsets[1::2], [word if word in matched else None for word in found]


# The analyzer's word pattern (whoosh's default_pattern) without its
# capturing group, so that findall gives whole words.
_WORDS = re.compile(default_pattern.pattern.replace("(", "(?:"), default_pattern.flags)
_Fragment = tuple[int, int, list[int]]  # start, end, the matched words' indexes


def _context_fragments(
    starts: list[int], ends: list[int], words: list[str | None], maxchars: int, surround: int
) -> list[_Fragment]:
    """Whoosh's ContextFragmenter.fragment_tokens (charlimit None), over offsets.

    Step for step; it also yields the match-less fragments Whoosh yields, which the scoring drops.

    Between fragments it jumps from one match to the next: there Whoosh
    only keeps the starts of the words within `surround` characters before
    the next match, which a few steps back from it find.
    """
    out: list[_Fragment] = []
    matched_at = [i for i, word in enumerate(words) if word is not None]
    first: int | None = None
    firsts: deque[int] = deque()
    countdown = -1
    matches: list[int] = []
    currentlen = 0
    end = 0
    i, count = 0, len(starts)
    while i < count:
        if countdown < 0 and words[i] is None:
            # Outside a fragment (and firsts empty): on to the next match.
            after = bisect.bisect_left(matched_at, i)
            if after == len(matched_at):
                end = ends[-1]
                break
            nxt = matched_at[after]
            last_end = ends[nxt - 1]
            j = nxt
            while j > i and last_end - starts[j - 1] <= surround:
                j -= 1
            firsts = deque(starts[j:nxt])
            end = last_end
            i = nxt
        start, end = starts[i], ends[i]
        length = end - start
        matched = words[i] is not None
        if countdown < 0 and not matched:
            firsts.append(start)
            while firsts and end - firsts[0] > surround:
                firsts.popleft()
        elif currentlen + length > maxchars:
            countdown = 0
        elif matched:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += surround
            matches.append(i)
        if countdown >= 0:
            currentlen += length
            countdown -= length
            if countdown <= 0:
                out.append((_fragment_start(first, matches, starts), end, matches))
                matches, firsts, first, currentlen = [], deque(), None, 0
        i += 1
    if matches:
        out.append((_fragment_start(first, matches, starts), end, matches))
    return out


def _fragment_start(first: int | None, matches: list[int], starts: list[int]) -> int:
    # whoosh.highlight.mkfrag: no start given, the first match's (or 0).
    if first is not None:
        return first
    return starts[matches[0]] if matches else 0


def _best_fragments(fragments: list[_Fragment], words: list[str | None], top: int) -> list:
    """Whoosh's top_fragments with BasicFragmentScorer and FIRST.

    The `top` best scored (ties: the later), those scoring 1 or more, in text order.
    """
    scored = []
    for fragment in fragments:
        matches = fragment[2]
        # Boosts (1.0 each) times 100 a distinct word.
        score = len(matches) * ((len({words[i] for i in matches}) * 100) or 1)
        scored.append((score, fragment[0], fragment))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    best = [fragment for score, _, fragment in scored[:top] if score >= 1]
    best.sort(key=lambda fragment: fragment[0])
    return best


def _format_fragment(text: str, fragment: _Fragment, starts: list[int], ends: list[int]) -> str:
    start, end, matches = fragment
    index, out = start, []
    for i in sorted(matches, key=lambda i: (starts[i], starts[i] - ends[i])):
        if starts[i] < index:
            continue  # overlaps the previous match
        out.append(html.escape(text[index : starts[i]]))
        out.append(f"<b>{html.escape(text[starts[i] : ends[i]])}</b>")
        index = ends[i]
    out.append(html.escape(text[index:end]))
    return "".join(out).strip()
