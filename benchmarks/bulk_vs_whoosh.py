"""Bulk scoring against Whoosh's own search, on an existing library.

    .venv/bin/python benchmarks/bulk_vs_whoosh.py benchmarks/out/lib_100000 \\
        transformer "language model" "gen*"

For each query: whether the hits, their order and their scores are
Whoosh's (`searcher.search(limit=None)`), and the time of the bulk scorer
cold (postings not yet decoded), warm, and of Whoosh. Whoosh's `Or` is set
to the matcher it picks on indexes of over 5,000 documents, so that small
libraries compare like large ones (see index.bulk._expansion).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from whoosh import query as wq

from readinglist.collection import Collection
from readinglist.index.bulk import BulkScorer, SegmentCache
from readinglist.index.index import _lexicon_query, _parse
from readinglist.index.query import expand_words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("queries", nargs="+")
    args = parser.parse_args()
    wq.Or.matcher_type = wq.Or.DEFAULT_MATCHER
    collection = Collection(args.library)
    index = collection.index
    with index._lock:
        searcher = index._searcher()
        scorer = BulkScorer(searcher, _lexicon_query(), SegmentCache())
        for text in args.queries:
            q = expand_words(_parse(text), searcher.reader())
            start = time.perf_counter()
            ranked = scorer.run(q)
            cold = time.perf_counter()
            scorer.run(q)
            warm = time.perf_counter()
            results = searcher.search(q, limit=None, mask=_lexicon_query())
            done = time.perf_counter()
            if ranked is None:
                print(f"{text!r}: left to Whoosh ({(done - warm) * 1000:.0f} ms)")
                continue
            docnums = [d for _, d in results.top_n]
            diff = max(
                (
                    abs(a - b)
                    for (a, _), b in zip(results.top_n, ranked.scores.tolist(), strict=False)
                ),
                default=0.0,
            )
            print(
                f"{text!r}: {len(ranked)} matches, same order {docnums == ranked.docnums.tolist()},"
                f" largest score difference {diff:.1e}; bulk cold {(cold - start) * 1000:.1f} ms,"
                f" warm {(warm - cold) * 1000:.1f} ms, Whoosh {(done - warm) * 1000:.0f} ms"
            )
    collection.close()


if __name__ == "__main__":
    main()
