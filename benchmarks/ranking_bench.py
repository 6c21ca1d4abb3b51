"""The "for you" ranking (issue 13) measured with simulated readers on the five dumps.

    .venv/bin/python benchmarks/ranking_bench.py [--draws 5] [--train-size 10000]

For each topic of tests/data/topics.json (assigned by reading titles), a
reader reads 8 papers of the topic drawn from the first three dumps (fixed
seeds, `--draws` draws); every other paper of the five dumps is a candidate.
Precision@10 and NDCG@10 of topic papers are reported for the shipped model,
for other learners tried (Rocchio without the library centroid, logistic
regression and a linear SVM, arxiv-sanity style, over the same TF-IDF), for
the upvote-and-date ordering and for a random one. Then `train` is timed on
`--train-size` synthetic papers. Prints Markdown (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import draw_words

from readinglist.dumps import read_dump
from readinglist.ranking import RankDoc, Signal, train
from readinglist.ranking.features import Features, build_features

REPO = Path(__file__).resolve().parents[1]

DUMPS = REPO / "tests" / "data" / "dumps"
TOPICS = REPO / "tests" / "data" / "topics.json"
FIRST_DUMPS = 3  # the reader's papers come from these; the candidates are all the rest
READ = 8
K = 10
SNAPSHOT = datetime(2026, 12, 1, tzinfo=UTC)

Ranker = Callable[[Features, list[int], list[int]], list[int]]  # (features, read rows, candidates)


def library() -> tuple[list[RankDoc], set[int]]:
    """The distinct papers of the five dumps, and the ids first seen in the first dumps."""
    docs: dict[str, RankDoc] = {}
    early: set[int] = set()
    for index, path in enumerate(sorted(DUMPS.glob("*.txt"))):
        for paper in read_dump(path.read_bytes(), name=path.name, snapshot=SNAPSHOT).papers:
            known = docs.get(paper.title)
            if known is None:
                doc_id = len(docs) + 1
                docs[paper.title] = RankDoc(
                    doc_id, paper.title, paper.abstract, paper.upvotes, paper.published
                )
                if index < FIRST_DUMPS:
                    early.add(doc_id)
            elif known.upvotes is None and paper.upvotes is not None:
                docs[paper.title] = RankDoc(
                    known.id, known.title, known.abstract, paper.upvotes, known.published
                )
    return list(docs.values()), early


def precision(ranked: Sequence[int], relevant: set[int]) -> float:
    return sum(1 for i in ranked[:K] if i in relevant) / K


def ndcg(ranked: Sequence[int], relevant: set[int]) -> float:
    gain = sum(1 / math.log2(r + 2) for r, i in enumerate(ranked[:K]) if i in relevant)
    ideal = sum(1 / math.log2(r + 2) for r in range(min(K, len(relevant))))
    return gain / ideal if ideal else 0.0


def rocchio_without_library(features: Features, read: list[int], cands: list[int]) -> list[int]:
    rows = [features.row_of[i] for i in read]
    scores = features.scores(features.weighted_sum(rows, [1.0] * len(rows)))
    return sorted(cands, key=lambda i: -scores[features.row_of[i]])


def _linear(features: Features, read: list[int], loss: str, steps: int = 150) -> np.ndarray:
    """Full-batch gradient descent, read papers against all others, classes balanced, L2."""
    y = np.zeros(features.n_docs)
    y[[features.row_of[i] for i in read]] = 1.0
    sample = np.where(y == 1, 1 / y.sum(), 1 / (len(y) - y.sum()))
    w = np.zeros(features.n_terms)
    bias, rate, l2 = 0.0, 2.0, 1e-3
    for _ in range(steps):
        margin = features.scores(w) + bias
        if loss == "logistic":
            residual = sample * (1 / (1 + np.exp(-margin)) - y)
        else:  # hinge, labels in {-1, 1}
            sign = 2 * y - 1
            residual = np.where(sign * margin < 1, -sign * sample, 0.0)
        grad = np.bincount(
            features.indices,
            weights=features.data * residual[features.rows],
            minlength=features.n_terms,
        )
        w -= rate * (grad + l2 * w)
        bias -= rate * residual.sum()
    return w


def linear_ranker(loss: str) -> Ranker:
    def rank(features: Features, read: list[int], cands: list[int]) -> list[int]:
        scores = features.scores(_linear(features, read, loss))
        return sorted(cands, key=lambda i: -scores[features.row_of[i]])

    return rank


def evaluate(draws: int) -> tuple[list[dict], dict]:
    docs, early = library()
    by_title = {d.title: d.id for d in docs}
    topics = json.loads(TOPICS.read_text(encoding="utf-8"))["topics"]
    features = build_features(docs)
    upvote_order = [r.id for r in train(docs, {}).rank([d.id for d in docs])]
    others: dict[str, Ranker] = {
        "Rocchio, no library centroid": rocchio_without_library,
        "logistic regression": linear_ranker("logistic"),
        "linear SVM": linear_ranker("hinge"),
    }
    rows: list[dict] = []
    skipped: list[str] = []
    for topic, titles in topics.items():
        members = {by_title[t] for t in titles}
        pool = sorted(members & early)
        if len(pool) < READ:
            skipped.append(f"{topic} ({len(pool)} of {len(members)} in the first dumps)")
            continue
        figures: dict[str, list[tuple[float, float]]] = {}
        for seed in range(draws):
            rng = random.Random(seed)
            read = rng.sample(pool, READ)
            cands = [d.id for d in docs if d.id not in read]
            relevant = members - set(read)
            model = train(docs, {i: Signal(read=True) for i in read}, features=features)
            orders = {
                "model": [r.id for r in model.rank(cands)],
                "upvotes": [i for i in upvote_order if i not in read],
                "random": rng.sample(cands, len(cands)),
            }
            orders |= {name: rank(features, read, cands) for name, rank in others.items()}
            for name, order in orders.items():
                figures.setdefault(name, []).append(
                    (precision(order, relevant), ndcg(order, relevant))
                )
        ceiling = min(K, len(members) - READ) / K
        rows.append({"topic": topic, "size": len(members), "ceiling": ceiling, "figures": figures})
    return rows, {"papers": len(docs), "early": len(early), "skipped": skipped}


def mean(rows: list[dict], name: str, which: int) -> float:
    return statistics.mean(statistics.mean(f[which] for f in r["figures"][name]) for r in rows)


def report(rows: list[dict], counts: dict, draws: int) -> None:
    names = list(rows[0]["figures"])
    print(
        f"{counts['papers']} distinct papers, {counts['early']} of them in the first "
        f"{FIRST_DUMPS} dumps; {len(rows)} topics, {draws} draws of {READ} read papers each."
    )
    if counts["skipped"]:
        print(f"Too few papers to read {READ} of: {'; '.join(counts['skipped'])}.")
    print()
    print("| topic | papers | P@10 ceiling | P@10 | NDCG@10 | upvotes P@10 | random P@10 |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        cells = [
            statistics.mean(f[0] for f in r["figures"][n]) for n in ("model", "upvotes", "random")
        ]
        nd = statistics.mean(f[1] for f in r["figures"]["model"])
        print(
            f"| {r['topic']} | {r['size']} | {r['ceiling']:.1f} | {cells[0]:.2f} | {nd:.2f} "
            f"| {cells[1]:.2f} | {cells[2]:.2f} |"
        )
    print("\n| ordering | P@10 | NDCG@10 | P@10 / attainable |")
    print("|---|---|---|---|")
    for name in names:
        attainable = statistics.mean(
            statistics.mean(f[0] for f in r["figures"][name]) / r["ceiling"] for r in rows
        )
        p10, n10 = mean(rows, name, 0), mean(rows, name, 1)
        print(f"| {name} | {p10:.2f} | {n10:.2f} | {attainable:.2f} |")


def synthetic_docs(n: int) -> list[RankDoc]:
    rng = random.Random(5)
    return [
        RankDoc(
            i,
            " ".join(draw_words(rng, rng.randint(6, 14))),
            " ".join(draw_words(rng, rng.randint(120, 260))),
            rng.randint(0, 300),
            None,
        )
        for i in range(1, n + 1)
    ]


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of a call (CPU time is what other jobs on the machine
    do not inflate)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def time_training(n: int, repeat: int = 5) -> None:
    docs = synthetic_docs(n)
    rng = random.Random(9)
    signals = {d.id: Signal(read=True) for d in rng.sample(docs, 40)}
    signals |= {d.id: Signal(dismissed=True) for d in rng.sample(docs, 20)}
    features = build_features(docs)
    model = train(docs, signals, features=features)
    unread = [d.id for d in docs if d.id not in signals]
    steps = (
        ("`train(docs, signals)`, TF-IDF included", lambda: train(docs, signals)),
        ("of which `build_features(docs)`", lambda: build_features(docs)),
        (
            "`train(docs, signals, features=f)`: retrain after a signal",
            lambda: train(docs, signals, features=features),
        ),
        ("`Model.rank(unread)`, every reason", lambda: model.rank(unread)),
        ("`Model.rank(unread, limit=50)`", lambda: model.rank(unread, limit=50)),
        ("`Model.scores(unread)`, no reasons", lambda: model.scores(unread)),
    )
    print(f"\n{n} synthetic papers, 40 read and 20 dismissed, median of {repeat}:\n")
    print("| step | wall | CPU |")
    print("|---|---|---|")
    for label, call in steps:
        wall, cpu = timed(call, repeat)
        print(f"| {label} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--train-size", type=int, default=10_000)
    args = parser.parse_args()
    rows, counts = evaluate(args.draws)
    report(rows, counts, args.draws)
    time_training(args.train_size)


if __name__ == "__main__":
    main()
