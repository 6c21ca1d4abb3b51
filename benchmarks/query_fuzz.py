"""Fuzzed search queries against a real index (not a test).

    .venv/bin/python benchmarks/query_fuzz.py [-n 5000] [--seed 1] [--library DIR]

Imports the five sample dumps (tests/data/dumps) into a temporary library,
then runs `n` random queries built from the pieces of the query syntax
(`random_query`) through `Collection.search` (ranked, highlighted, with its
"did you mean") and through `ranked_ids`, `highlight` and `suggest`. Each
query must answer or be refused with a QueryError; anything else is a
crash. Prints how many answered, were refused and crashed (with examples),
p50/p95/max of the CPU time per query, the five slowest queries, and the
time of a 10,000-character query of each kind. With --library, the same runs
again on that library folder (its index is read as it is, never rebuilt).

The test `tests/index/test_query_fuzz.py` draws its queries from
`random_query` too, through Hypothesis.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The pieces of a query. Words the sample dumps have, typos of them, stop
# words, and words of other scripts.
WORDS = (
    "attention",
    "model",
    "models",
    "diffusion",
    "transformer",
    "language",
    "state",
    "space",
    "mamba",
    "learning",
    "graph",
    "vision",
    "llama",
    "gpt",
    "4",
    "2023",
    "atention",
    "transformr",
    "sequense",
    "modle",
    "the",
    "of",
    "is",
    "a",
    "x",
    "e.g.",
    "U.S.",
    "don't",
    "state-space",
    "Düsseldorf",
    "naïve",
    "日本語",
    "Ωmega",
    "ﬁne",
    "İstanbul",
    "straße",
)
OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO", "and", "or", "not", "-")
FIELDS = (
    "title",
    "abstract",
    "note",
    "tag",
    "tags",
    "status",
    "year",
    "upvotes",
    "Title",
    "STATUS",
    "foo",
    "http",
    "id",
    "lexicon",
    "words",
    "tagwords",
)
SYMBOLS = (*"\"()[]{}:*?~^-+!'\\/<>=,.@#&|;%$_", ">=", "<=", "::", "~~", "**", "^^")
UNICODE = (
    "é",
    "ü",
    "ß",
    "İ",
    "ﬁ",
    "Ω",
    "😀",
    "𝔘",
    "ǅ",
    "ſ",
    "\u0301",  # a combining accent
    "\u200b",  # zero-width space
    "\u00a0",  # no-break space
    "\u2028",  # line separator
    "\ufeff",  # byte order mark
    "\ufffd",  # replacement character
    "\u202e",  # right-to-left override
    "\uff08",  # fullwidth parenthesis
    "\uff1a",  # fullwidth colon
)
SEPARATORS = (" ", " ", " ", " ", "", "  ", "\t", "\n", "\r\n", "\u3000")


def random_query(rng: random.Random, *, pieces: int = 12) -> str:
    """A random query string of up to `pieces` pieces of the syntax.

    Pure: the same state of `rng` gives the same query.
    """
    count = rng.randint(0, pieces)
    out = []
    for _ in range(count):
        out.append(_piece(rng, depth=0))
        out.append(rng.choice(SEPARATORS))
    return "".join(out)


def _piece(rng: random.Random, depth: int) -> str:
    kinds: list[tuple[int, Callable[[random.Random, int], str]]] = [
        (30, _word),
        (8, _operator),
        (10, _field),
        (6, _phrase),
        (6, _group),
        (4, _range),
        (5, _fuzzy),
        (5, _wildcard),
        (3, _boost),
        (6, _symbol),
        (4, _unicode),
        (3, _surrogate),
        (3, _control),
        (2, _number),
        (2, _long_word),
        (2, _repeated),
    ]
    if depth > 2:  # keep recursion shallow; _repeated makes the deep ones
        kinds = [k for k in kinds if k[1] not in (_group, _field, _repeated)]
    weights = [w for w, _ in kinds]
    make = rng.choices([k for _, k in kinds], weights=weights)[0]
    return make(rng, depth)


def _word(rng: random.Random, _depth: int) -> str:
    word = rng.choice(WORDS)
    roll = rng.random()
    if roll < 0.1:
        return word.upper()
    if roll < 0.2:
        return word.capitalize()
    if roll < 0.3:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 12)))
    return word


def _operator(rng: random.Random, _depth: int) -> str:
    op = rng.choice(OPERATORS)
    return op if op == "-" or rng.random() < 0.7 else op + rng.choice(("", "-", "("))


def _field(rng: random.Random, depth: int) -> str:
    name = rng.choice(FIELDS)
    roll = rng.random()
    if roll < 0.15:
        value = ""
    elif roll < 0.25:
        value = rng.choice(("read", "unread", "done", "READ", "re*"))
    elif roll < 0.45:
        value = _number(rng, depth)
    elif roll < 0.55:
        value = rng.choice(("", ">", ">=", "<", "<=", "=")) + _number(rng, depth)
    elif roll < 0.65:
        value = _range(rng, depth)
    elif roll < 0.75:
        value = _group(rng, depth)
    elif roll < 0.85:
        value = _phrase(rng, depth)
    else:
        value = _piece(rng, depth + 1)
    return f"{name}:{value}"


def _phrase(rng: random.Random, depth: int) -> str:
    words = " ".join(_word(rng, depth) for _ in range(rng.randint(0, 5)))
    close = '"' if rng.random() < 0.85 else ""
    slop = f"~{rng.randint(0, 12)}" if rng.random() < 0.15 else ""
    return f'"{words}{close}{slop}'


def _group(rng: random.Random, depth: int) -> str:
    inner = " ".join(_piece(rng, depth + 1) for _ in range(rng.randint(0, 4)))
    roll = rng.random()
    if roll < 0.07:
        return f"({inner}"
    if roll < 0.14:
        return f"{inner})"
    return f"({inner})"


def _range(rng: random.Random, depth: int) -> str:
    def end() -> str:
        roll = rng.random()
        if roll < 0.25:
            return ""
        if roll < 0.7:
            return _number(rng, depth)
        return _word(rng, depth)

    to = rng.choice(("TO", "to", "To", "TO", ""))
    return f"{rng.choice('[{')}{end()} {to} {end()}{rng.choice(']}')}"


def _fuzzy(rng: random.Random, depth: int) -> str:
    suffix = rng.choice(("", "1", "2", "3", "0", "9", "99", "1.5", "-1", "~"))
    return f"{_word(rng, depth)}~{suffix}"


def _wildcard(rng: random.Random, depth: int) -> str:
    word = _word(rng, depth)
    cut = rng.randint(0, len(word))
    return word[:cut] + rng.choice(("*", "?", "*?", "**")) + word[cut:][: rng.randint(0, 3)]


def _boost(rng: random.Random, depth: int) -> str:
    return f"{_word(rng, depth)}^{rng.choice(('2', '0.5', '0', '-1', 'x', '', '1e9', '2^3'))}"


def _symbol(rng: random.Random, _depth: int) -> str:
    return rng.choice(SYMBOLS)


def _unicode(rng: random.Random, depth: int) -> str:
    if rng.random() < 0.3:
        return chr(rng.randint(0x80, 0x10FFFF) & ~0x800 | 0x80)  # rarely a surrogate
    return _word(rng, depth) + rng.choice(UNICODE) + rng.choice(("", _word(rng, depth)))


def _surrogate(rng: random.Random, depth: int) -> str:
    lone = chr(rng.randint(0xD800, 0xDFFF))
    escaped = chr(0xDC80 + rng.randint(0, 127))  # an undecodable byte of argv
    return rng.choice(("", _word(rng, depth))) + rng.choice((lone, escaped, "\ud83d\ude00"))


def _control(rng: random.Random, depth: int) -> str:
    char = chr(rng.choice((*range(0, 32), 0x7F, 0x85, 0x9F)))
    return rng.choice(("", _word(rng, depth))) + char + rng.choice(("", _word(rng, depth)))


def _number(rng: random.Random, _depth: int) -> str:
    return rng.choice(
        (
            str(rng.randint(0, 3000)),
            str(rng.randint(-50, 50)),
            "9" * rng.randint(10, 40),
            f"{rng.random() * 100:.2f}",
            "1e5",
            "0x1F",
            "٣",  # an Arabic-Indic digit
            "2²",
        )
    )


def _long_word(rng: random.Random, _depth: int) -> str:
    length = rng.choice((100, 500, 2000, rng.randint(50, 5000)))
    alphabet = rng.choice(("a", "ab", "abcdefghijklmnopqrstuvwxyz", "é", "a1_"))
    return "".join(rng.choice(alphabet) for _ in range(length))


def _repeated(rng: random.Random, depth: int) -> str:
    unit = rng.choice(
        ("(", ")", "NOT ", "- ", "-", '"', "x ", "x OR ", "x ANDNOT ", "title:", "*", "~", "^2")
    )
    if rng.random() < 0.3:
        unit = _piece(rng, depth + 1) + " "
    return unit * rng.choice((2, 10, 49, 51, 200, rng.randint(1, 3000)))


# Queries of 10,000 characters (the longest accepted), one of each kind.


def long_queries(size: int = 10_000) -> dict[str, str]:
    """Queries of `size` characters (the longest accepted), by kind."""

    def fill(unit: str, head: str = "", tail: str = "") -> str:
        body = (unit * (size // len(unit) + 1))[: size - len(head) - len(tail)]
        return head + body + tail

    words = " ".join(WORDS[:20]) + " "
    depth = (size - 1) // 2
    deepest = "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    groups = " ".join([deepest] * ((size + 1) // (len(deepest) + 1)))
    return {
        "words": fill(words, tail="x"),
        "distinct words": _distinct_words(size, " "),
        "one long word": "a" * size,
        "nested parentheses (refused)": "(" * depth + "x" * (size - 2 * depth) + ")" * depth,
        f"parentheses {MAX_DEPTH} deep, repeated": groups + " " + "x" * (size - len(groups) - 1),
        "tag: + 10 KB": fill("a", head="tag:"),
        "phrase": fill(words, head='"', tail='x"'),
        "OR of words": fill("model OR diffusion OR ", tail="x"),
        "OR of distinct words": _distinct_words(size, " OR "),
        "fields": fill("title:attention abstract:model ", tail="x"),
        "fuzzy words": fill("atention~ transformr~2 ", tail="x"),
        "prefixes": fill("gen* mod* att* ", tail="x"),
        "NOT NOT": fill("NOT ", tail="x"),
    }


MAX_DEPTH = 50  # the deepest nesting of parentheses accepted


def _distinct_words(size: int, separator: str) -> str:
    """Made-up words, none repeated, `size` characters in all."""
    rng = random.Random(7)
    out: list[str] = []
    length = 0
    while length < size:
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 10)))
        out.append(word)
        length += len(word) + len(separator)
    return separator.join(out)[: size - 1] + "x"


# Running them


def build_library(folder: Path) -> None:
    """A library of the five sample dumps in `folder`."""
    from readinglist.collection import Collection

    dumps = sorted((REPO / "tests" / "data" / "dumps").glob("*.txt"))
    collection = Collection.open(folder)
    try:
        collection.import_paths(dumps)
    finally:
        collection.close()


def run_one(collection, query: str) -> tuple[str, float, str]:
    """Runs `query` through every entry point of search: (outcome, CPU seconds,
    detail), outcome "answered", "refused" or "crashed"."""
    from readinglist.errors import QueryError

    start = time.process_time()
    try:
        result = collection.search(query)
        collection.index.ranked_ids(query)
        collection.highlight(query, [hit.id for hit in result.hits[:20]])
        collection.suggest(query)
    except QueryError as exc:
        return "refused", time.process_time() - start, str(exc)
    except Exception as exc:  # what this benchmark is here to find
        return "crashed", time.process_time() - start, repr(exc)
    return "answered", time.process_time() - start, f"{result.total} matches"


def timed_search(collection, query: str) -> tuple[float, float]:
    """(CPU, wall) seconds of one `Collection.search`, refused or not."""
    cpu, wall = time.process_time(), time.perf_counter()
    with contextlib.suppress(Exception):  # run_one says what happened
        collection.search(query)
    return time.process_time() - cpu, time.perf_counter() - wall


def report(collection, n: int, seed: int) -> None:
    """Runs `n` random queries and the long ones on `collection`, and prints the figures.

    Times are CPU times of this process: the machine may be shared, and
    wall times then measure the others too (the 10 KB ones show both).
    """
    rng = random.Random(seed)
    collection.search("warm up")
    counts = {"answered": 0, "refused": 0, "crashed": 0}
    crashes: list[tuple[str, str]] = []
    times: list[tuple[float, str]] = []
    for _ in range(n):
        query = random_query(rng)
        outcome, seconds, detail = run_one(collection, query)
        counts[outcome] += 1
        times.append((seconds, query))
        if outcome == "crashed":
            crashes.append((query, detail))
    ms = sorted(seconds * 1000 for seconds, _ in times)
    print(
        f"{n} random queries (seed {seed}): {counts['answered']} answered, "
        f"{counts['refused']} refused, {counts['crashed']} crashed"
    )
    print(
        f"CPU time per query (search + ranked_ids + highlight + suggest): "
        f"p50 {statistics.median(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, "
        f"max {ms[-1]:.1f} ms"
    )
    for query, detail in crashes[:10]:
        print(f"  CRASH {_shown(query)}: {detail}")
    print("slowest 5:")
    for seconds, query in sorted(times, reverse=True)[:5]:
        print(f"  {seconds * 1000:8.1f} ms  {_shown(query)}")
    print("10,000-character queries, first search (CPU / wall), then all four calls (CPU):")
    for kind, query in long_queries().items():
        cpu, wall = timed_search(collection, query)
        outcome, seconds, detail = run_one(collection, query)
        print(
            f"  {kind:38} {cpu * 1000:6.1f} / {wall * 1000:6.1f} ms,"
            f" all four {seconds * 1000:6.1f} ms  {outcome}: {detail[:60]}"
        )


def _shown(query: str, width: int = 90) -> str:
    text = repr(query)
    if len(text) > width:
        text = f"{text[: width - 20]}…{text[-12:]} ({len(query):,} chars)"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="random queries (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--library", type=Path, help="also run on this library folder")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from readinglist.collection import Collection

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lib"
        build_library(folder)
        collection = Collection.open(folder)
        try:
            print(f"== the five sample dumps ({collection.index.doc_count()} papers)")
            report(collection, args.n, args.seed)
        finally:
            collection.close()
    if args.library:
        # Not Collection.open: that would rebuild a stale index; searches
        # read the index as it is.
        collection = Collection(args.library)
        try:
            collection.index.warm()
            print(f"== {args.library} ({collection.index.doc_count()} papers)")
            report(collection, args.n, args.seed)
        finally:
            collection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
