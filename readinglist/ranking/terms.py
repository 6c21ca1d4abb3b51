"""The terms of a paper: folded words and two-word phrases, found in bulk.

Terms are words and two-word phrases ("state space", "selective scan"): a
phrase names a topic better than either of its words, and reasons read better
with phrases in them. Phrases never span a stop word or punctuation, so
"learning in transformers" gives no "learning transformer". Plurals fold into
the singular with a light rule (no stemmer dependency); terms are shown as
folded ("transformer", "language model"), which still reads as English.

The whole library is tokenised at once, into arrays: one findall per distinct
chunk of text and numpy for the rest, since a Python loop over every word of
10k abstracts alone would take seconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from readinglist.ranking.docs import RankDoc

# Words, or the punctuation that ends a phrase. Hyphens split words, so
# "state-space" gives the phrase "state space" like the spelled-out form;
# except after a prefix that is no word of its own ("in-context",
# "pre-training", "non-causal"), where splitting would leave "context
# learning" or "pre training" to show in a reason. ("multi", "self" and
# "cross" were tried too: they split "multimodal" from "multi-modal" and
# cost the benchmark 0.01 of precision@10.)
_PREFIXES = "in|pre|re|non|co|sub|post|semi"
_TOKEN = re.compile(rf"(?:{_PREFIXES})-[a-z][a-z0-9]*|[a-z][a-z0-9]*|[.,;:!?()\[\]{{}}\"/]")
_PUNCTUATION = frozenset('.,;:!?()[]{}"/')

# English function words and the boilerplate every abstract has ("we propose
# a novel method"): they would make every pair of papers look alike and would
# read as nonsense in a reason.
_STOP_TEXT = """
    a about above across after again against all almost along also although always am among an
    and another any are around as at be became because been before being below between both
    but by can cannot could did do does doing done down due during each either else enough etc
    even ever every few for from further furthermore had has have having he her here hers herself
    him himself his how however i if in into is it its itself just least less like made main
    mainly make makes making many may me might more moreover most mostly much must my near nearly
    neither no nor not of off often on once one only onto or other others otherwise our ours
    ourselves out over own per perhaps quite rather really same several shall she should show
    showed shown shows since so some such than that the their theirs them themselves then there
    therefore these they this those though three through thus to together too two under until up
    upon us use used uses using very via was we well were what whatever when where whereas whether
    which while who whom whose why will with within without would yet you your yours
    abstract approach approaches achieve achieves achieved address addresses based benefit
    called case cases compared comparison conduct conducted consider demonstrate demonstrates
    demonstrated existing experiment experiments experimental extensive find findings first
    furthermore given however introduce introduces introduced key large leading leverage
    leverages method methods new novel obtain obtains paper papers particular particularly
    present presents proposed propose proposes provide provides recent recently remain remains
    respectively result results second significant significantly show showing simple state
    study studies suggest superior task tasks technique techniques various way ways work works
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
# "state" alone says nothing, but "state space" says a lot: words kept for phrases only.
PHRASE_ONLY = frozenset({"state", "large", "key", "task", "first", "second", "new", "simple"})
_STOP_FOR_WORDS = STOP_WORDS
_STOP_FOR_PHRASES = STOP_WORDS - PHRASE_ONLY

TITLE_WEIGHT = 2  # a title's words count twice: a title is the paper's own summary


def fold(word: str) -> str:
    """A word's singular: 'models' -> 'model', 'studies' -> 'study', 'attention' unchanged."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


_TITLE_END = "\x01"
_DOC_END = "\x02"
_MARKED_TOKEN = re.compile(_TOKEN.pattern + "|[\x01\x02]")


def _marked_text(docs: Sequence[RankDoc]) -> str:
    """All titles and abstracts in one lower-cased string, with markers between fields."""
    parts: list[str] = []
    for doc in docs:
        for text, end in ((doc.title, _TITLE_END), (doc.abstract, _DOC_END)):
            # A marker inside the text would shift every paper after it.
            parts.append(text.replace(_TITLE_END, " ").replace(_DOC_END, " "))
            parts.append(end)  # its own chunk: str.split() keeps \x01 and \x02
    return " ".join(parts).lower()


@dataclass(frozen=True, slots=True)
class Tokens:
    """The corpus as arrays over its token positions, and tables over its distinct tokens."""

    kind: np.ndarray  # int32, distinct raw token of each position
    doc: np.ndarray  # int32, paper of each position
    weight: np.ndarray  # int64, TITLE_WEIGHT in a title, 1 in an abstract
    words: list[str]  # the folded words, indexed by word id
    word_of_kind: np.ndarray  # int32, folded word id of each raw token, -1 for none
    emits_word: np.ndarray  # bool, the raw token counts as a term on its own
    joins_phrase: np.ndarray  # bool, the raw token can be one half of a phrase


def _token_kinds(text: str) -> tuple[np.ndarray, list[str]]:
    """Each token of the text as an index into the distinct tokens, and those tokens.

    The regular expression runs once per distinct whitespace-separated chunk,
    not over the whole text: a corpus repeats its chunks ("models.",
    "state-space") thousands of times, and a plain split is three times faster
    than a tokenising findall over 15 MB.
    """
    chunks = text.split()
    distinct_chunks = list(set(chunks))
    chunk_of = dict(zip(distinct_chunks, range(len(distinct_chunks)), strict=True))
    chunk_kind = np.fromiter(map(chunk_of.__getitem__, chunks), dtype=np.int64, count=len(chunks))
    token_of: dict[str, int] = {}
    flat: list[int] = []
    lengths = np.zeros(len(distinct_chunks), dtype=np.int64)
    for index, chunk in enumerate(distinct_chunks):
        found = _MARKED_TOKEN.findall(chunk)
        lengths[index] = len(found)
        flat.extend(token_of.setdefault(token, len(token_of)) for token in found)
    first = np.zeros(len(distinct_chunks), dtype=np.int64)
    np.cumsum(lengths[:-1], out=first[1:])
    per_chunk = lengths[chunk_kind]
    ends = np.cumsum(per_chunk)
    offset = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - per_chunk, per_chunk)
    kind = np.array(flat, dtype=np.int32)[np.repeat(first[chunk_kind], per_chunk) + offset]
    return kind, list(token_of)


def tokens_of(docs: Sequence[RankDoc]) -> Tokens:
    """The tokens of every paper's title and abstract, in paper order."""
    kind, distinct = _token_kinds(_marked_text(docs))
    lookup = {token: index for index, token in enumerate(distinct)}
    is_doc_end = np.zeros(len(distinct), dtype=bool)
    is_title_end = np.zeros(len(distinct), dtype=bool)
    if _DOC_END in lookup:
        is_doc_end[lookup[_DOC_END]] = True
        is_title_end[lookup[_TITLE_END]] = True
    ends = is_doc_end[kind]
    doc = (np.cumsum(ends) - ends).astype(np.int32)  # a doc's end marker is still its own
    titles_ended = np.cumsum(is_title_end[kind]) - is_title_end[kind]
    weight = np.where(titles_ended == doc, TITLE_WEIGHT, 1).astype(np.int64)
    word_ids: dict[str, int] = {}
    word_of_kind = np.full(len(distinct), -1, dtype=np.int32)
    emits_word = np.zeros(len(distinct), dtype=bool)
    joins_phrase = np.zeros(len(distinct), dtype=bool)
    for index, token in enumerate(distinct):
        if len(token) < 2 or token in _STOP_FOR_PHRASES:
            continue  # punctuation, markers, one letter, stop words: phrase breakers
        word_of_kind[index] = word_ids.setdefault(fold(token), len(word_ids))
        emits_word[index] = token not in _STOP_FOR_WORDS
        joins_phrase[index] = True
    return Tokens(kind, doc, weight, list(word_ids), word_of_kind, emits_word, joins_phrase)


def term_codes(tokens: Tokens) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each occurrence of a term: (paper, term code, weight).

    A word's code is its word id; a phrase's is `n_words + first * n_words + second`.
    """
    n_words = np.int64(len(tokens.words))
    word = tokens.word_of_kind[tokens.kind].astype(np.int64)
    single = tokens.emits_word[tokens.kind]
    joins = tokens.joins_phrase[tokens.kind]
    pair = joins[:-1] & joins[1:]  # markers and punctuation never join, so no phrase spans fields
    phrase_code = n_words + word[:-1] * n_words + word[1:]
    docs = np.concatenate([tokens.doc[single], tokens.doc[1:][pair]])
    codes = np.concatenate([word[single], phrase_code[pair]])
    weights = np.concatenate([tokens.weight[single], tokens.weight[1:][pair]])
    return docs, codes, weights


def term_name(code: int, words: Sequence[str]) -> str:
    """The text of a term code: a word, or two words with a space between."""
    n_words = len(words)
    if code < n_words:
        return words[code]
    first, second = divmod(code - n_words, n_words)
    return f"{words[first]} {words[second]}"
