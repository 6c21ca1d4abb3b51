"""The query to run while the search box is being typed in.

A word half typed ("gene" on the way to "generation") matches nothing as a
word, so every keystroke would flip the results to "No papers match" and
back. While the person types, the word under the cursor is searched as a
prefix (`gene*`, ranked as one); once they pause or type a space, the window
runs the query as written. Only what a prefix can mean is rewritten:

- not a word inside a closed phrase, nor one that already ends in `*` or
  `~` (or carries `?`, `^`), nor a negated word (`-gene`, `NOT gene`: a
  prefix would leave out every word it begins), nor an operator (AND, OR...);
- after a field operator only in the text fields (`title:gene*`); `tag:`,
  `status:`, `year:` and `upvotes:` take whole values;
- not inside a range (`year:[2020 TO 20`).

What a person has not finished would otherwise be refused while they type
it: an open phrase (`"language mo`) is searched as its words, the last one a
prefix, until its quote is closed; open parentheses and ranges are
closed; a field name with nothing after it yet (`vision title:`) is left
out; a status being typed (`status:unr`) is completed.

Pure functions of the text and the cursor position; no Qt, no index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A one-letter prefix matches a good part of the vocabulary (and the core
# refuses prefixes of over 1,000 words): it is searched as written.
MIN_PREFIX = 2
# Fields whose values are analysed text, where a prefix means what it means
# for a word without a field.
TEXT_FIELDS = frozenset({"title", "abstract", "note"})
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO"})
STATUSES = ("unread", "read")
_CLOSING = {"[": "]", "{": "}"}

_WORD = re.compile(r"\w+")
_FIELD_BEFORE = re.compile(r"(?:^|(?<=[\s(\-]))(\w+):$")
_TRAILING_FIELD = re.compile(r"(?:^|(?<=[\s(]))-?\w+:$")
# What may touch a word on its left for it to be a word of its own: the start,
# a space, an opening parenthesis, a field's colon.
_STARTS = frozenset(" \t\n(:")
# ... and on its right: the end, a space, a closing parenthesis.
_ENDS = frozenset(" \t\n)")


@dataclass(frozen=True, slots=True)
class _Context:
    """Where the cursor is, as the query syntax sees it."""

    quote: int | None  # index of the quote opening the phrase the cursor is in
    quote_closed: bool  # that phrase has its closing quote
    in_range: bool  # inside [ ] or { }
    group_fields: tuple[str | None, ...]  # the field before each open "(" around it
    depth: int  # parentheses open at the end of the text, outside phrases
    open_range: str  # the bracket of a range left open at the end ("" if none)


def query_while_typing(text: str, cursor: int) -> str:
    """The query to run while the person is still typing `text`.

    Args:
        text: what the search field holds.
        cursor: the cursor's position in it (0 to len(text)).

    Returns:
        `text` with the word under the cursor made a prefix and unfinished
        syntax completed (see the module docstring); `text` itself when
        no word is being typed (after a space, in a closed phrase...). A
        word of one letter is left out until it has a second.
    """
    return _while_typing(text, cursor, drop=False)


def query_without_typed_word(text: str, cursor: int) -> str:
    """`query_while_typing` with the word under the cursor left out, not a prefix.

    What to search for when the prefix is refused (it begins more words
    than the index expands): the rest of the query, whose results stay on
    screen instead of "No papers match".
    """
    return _while_typing(text, cursor, drop=True)


def _while_typing(text: str, cursor: int, *, drop: bool) -> str:
    cursor = max(0, min(cursor, len(text)))
    context = _context(text, cursor)
    if context.quote is not None and not context.quote_closed:
        return _open_phrase(text, cursor, context, drop=drop)
    if context.in_range and context.open_range and cursor == len(text):
        return _closed(text + _CLOSING[context.open_range], context.depth)
    if context.quote is not None or context.in_range:
        return _closed(text, context.depth)
    span = _word_at(text, cursor)
    if span is None:
        return _closed(_without_trailing_field(text, cursor), context.depth)
    start, end = span
    status = _status_typed(text, start, end)
    if status is not None:
        return _closed(text[:start] + status + text[end:], context.depth)
    if not _may_be_prefix(text, start, end, context):
        return _closed(text, context.depth)
    if drop or end - start < MIN_PREFIX:
        head = _without_trailing_field(text[:start], start).rstrip()
        return _closed(" ".join(p for p in (head, text[end:].lstrip()) if p), context.depth)
    return _closed(text[:end] + "*" + text[end:], context.depth)


def _context(text: str, cursor: int) -> _Context:
    """One pass over the text: phrases, ranges and groups around the cursor."""
    quote: int | None = None
    quote_closed = False
    in_range = False
    fields: list[str | None] = []
    depth = 0
    brackets: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            end = text.find('"', i + 1)
            if i < cursor and (end < 0 or cursor <= end):
                quote, quote_closed = i, end >= 0
            if end < 0:
                break
            i = end + 1
            continue
        if char in "[{":
            brackets.append(char)
        elif char in "]}":
            if brackets:
                brackets.pop()
        elif char == "(":
            depth += 1
            if i < cursor:
                match = _FIELD_BEFORE.search(text, 0, i)
                fields.append(match.group(1).lower() if match else None)
        elif char == ")":
            depth = max(depth - 1, 0)
            if i < cursor and fields:
                fields.pop()
        if i + 1 == cursor:
            in_range = bool(brackets)
        i += 1
    open_range = brackets[-1] if brackets and quote is None else ""
    return _Context(quote, quote_closed, in_range, tuple(fields), depth, open_range)


def _word_at(text: str, cursor: int) -> tuple[int, int] | None:
    """(start, end) of the run of word characters the cursor ends or is inside."""
    if cursor == 0 or not _WORD.match(text, cursor - 1):
        return None
    start = cursor - 1
    while start > 0 and _WORD.match(text, start - 1):
        start -= 1
    found = _WORD.match(text, start)
    return (start, found.end()) if found else None


def _may_be_prefix(text: str, start: int, end: int, context: _Context) -> bool:
    word = text[start:end]
    if word in OPERATORS:
        return False
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before not in _STARTS or after not in _ENDS:
        return False  # "-gene", "gene*", "gene~", "state-spa", "title" of "title:"
    if _negated(text, start):
        return False
    if before == ":":
        match = _FIELD_BEFORE.search(text, 0, start)
        return match is not None and match.group(1).lower() in TEXT_FIELDS
    field = next((f for f in reversed(context.group_fields) if f is not None), None)
    return field is None or field in TEXT_FIELDS


def _status_typed(text: str, start: int, end: int) -> str | None:
    """The status `status:` is followed by the beginning of, if any."""
    match = _FIELD_BEFORE.search(text, 0, start)
    if match is None or match.end() != start or match.group(1).lower() != "status":
        return None
    typed = text[start:end].lower()
    return next((s for s in STATUSES if s.startswith(typed)), None)


def _negated(text: str, start: int) -> bool:
    """True if the word at `start` is excluded: `NOT word`, or a group `-(` ... it is in."""
    before = text[:start].rstrip()
    return before.endswith(" NOT") or before == "NOT" or before.endswith("-(")


def _open_phrase(text: str, cursor: int, context: _Context, *, drop: bool) -> str:
    """An unclosed phrase becomes a group of its words, the one at the cursor a prefix."""
    quote = context.quote
    assert quote is not None
    head, body = text[:quote], text[quote + 1 :]
    negated = head.endswith("-") and (len(head) == 1 or head[-2] in _STARTS)
    words = []
    for match in _WORD.finditer(body):
        word = match.group().lower()  # AND, OR... inside a phrase are words
        at_cursor = match.start() < cursor - quote - 1 <= match.end()
        if at_cursor and not negated:
            if drop or len(word) < MIN_PREFIX:
                continue
            word += "*"
        words.append(word)
    if not words:
        return _closed(_without_trailing_field(head.rstrip(), len(head.rstrip())), context.depth)
    return _closed(head + "(" + " ".join(words) + ")", context.depth)


def _without_trailing_field(text: str, cursor: int) -> str:
    """Leaves out a field name that has no value yet when the cursor is right after it."""
    if cursor != len(text):
        return text
    match = _TRAILING_FIELD.search(text)
    return text[: match.start()].rstrip() if match else text


def _closed(text: str, depth: int) -> str:
    return text + ")" * depth if depth else text
