"""Timing probe of the search index on a synthetic library (not a test).

    .venv/bin/python benchmarks/search_probe.py [--size 10000]
    .venv/bin/python benchmarks/search_probe.py --index benchmarks/out/lib_100000/index

Builds an index of `size` synthetic papers (titles and abstracts drawn from
the words of the real dumps, as often as they occur there), then times
rebuild, single writes, and the p50/p95 of search, ranked_ids, highlight,
suggest and similar. With --index, only times the searches of an existing
index, without writing to it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import draw_words
from readinglist.index.index import IndexDoc, SearchIndex


def papers(size: int, seed: int = 3) -> list[IndexDoc]:
    rng = random.Random(seed)

    def text(n: int) -> str:
        return " ".join(draw_words(rng, n))

    return [
        IndexDoc(
            id=i,
            title=text(rng.randint(6, 14)).capitalize(),
            abstract=text(rng.randint(120, 260)),
            note=text(rng.randint(5, 40)) if rng.random() < 0.1 else "",
            tags=tuple(rng.sample(["ml", "nlp", "vision", "machine learning", "rl"], 2)),
            status=rng.choice(["read", "unread"]),
            year=rng.choice([None, *range(2015, 2026)]),
            upvotes=rng.choice([None, *range(0, 300)]),
        )
        for i in range(1, size + 1)
    ]


def timed(fn, runs: int = 30) -> str:
    fn()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"p50 {statistics.median(samples):6.1f} ms  p95 {p95:6.1f} ms"


QUERIES = {
    "one word": "attention",
    "one word 2": "retrieval",
    "one word 3": "speech",
    "common word": "model",
    "two words": "language model",
    "phrase": '"language model"',
    "field": "title:attention",
    "prefix": "retriev*",
    "short prefix": "gen*",
    "fuzzy": "modle~",
    "field+range": "title:model year:[2018 TO 2022]",
    "typo (suggest)": "languag modl",
}


def time_searches(index: SearchIndex, runs: int = 30) -> None:
    """Times search (limit 50, with and without highlights) and ranked_ids."""
    for name, q in QUERIES.items():
        total = index.search(q, limit=50).total
        print(f"search {name:15} ({total:6} hits) with highlights: ", end="")
        print(timed(lambda q=q: index.search(q, limit=50), runs), end="  | no highlights: ")
        print(timed(lambda q=q: index.search(q, limit=50, highlight=False), runs))
    for q in ("attention", "language model", "retriev*"):
        print(f"ranked_ids {q!r:22}", timed(lambda q=q: index.ranked_ids(q), runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--index", type=Path, help="time the searches of this index only")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if args.index:
        index = SearchIndex(args.index)
        print(f"{index.doc_count()} papers in {args.index}")
        time_searches(index, args.runs)
        index.close()
        return
    docs = papers(args.size)
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "index")
        start = time.perf_counter()
        index.rebuild(iter(docs), total=len(docs), generation=1)
        took = time.perf_counter() - start
        print(f"rebuild {len(docs)}: {took:.1f} s ({len(docs) / took:.0f} papers/s)")
        time_searches(index, args.runs)
        ids = index.ranked_ids("model")[:40]
        print("highlight 40 on screen:        ", timed(lambda: index.highlight("model", ids)))
        print("suggest 'languag modl':        ", timed(lambda: index.suggest("languag modl")))
        print("similar:                       ", timed(lambda: index.similar(5)))
        generation = [1]

        def one_write() -> None:
            generation[0] += 1
            index.write(upsert=[docs[generation[0]]], generation=generation[0])

        print("write 1 upsert + commit:       ", timed(one_write, runs=20))
        batch = docs[:250]
        print(
            "write 250 upserts + commit:    ",
            timed(lambda: index.write(upsert=batch, generation=99), runs=5),
        )
        print(
            "search right after a write:    ",
            timed(lambda: (one_write(), index.search("model"))[1], runs=10),
        )
        index.close()


if __name__ == "__main__":
    main()
