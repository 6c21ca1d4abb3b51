"""Training and scoring: a Rocchio profile of the reader over TF-IDF terms.

The model is one vector over the terms: the weighted centroid of the papers
the reader liked, minus half the centroid of those they dismissed, minus the
centroid of the whole library. A paper's score is its dot product with that
vector. The library's centroid takes out what every paper
here has ("language model", "transformer"), so a reader of state-space papers
is matched on "state space", not on what all papers share.

Why Rocchio and not logistic regression or a linear SVM (arxiv-sanity's
choice): `benchmarks/ranking_bench.py` ran all three over the same TF-IDF on
simulated readers of the five dumps (docs/benchmarks.md, "What to read next").
Precision@10 / NDCG@10: this Rocchio 0.63 / 0.81, logistic regression 0.62 /
0.81, linear SVM 0.59 / 0.76 (Rocchio without the library's centroid 0.61 /
0.75). With eight papers read, a discriminative learner has eight positives
against every other paper taken as a negative and learns no more than the
centroid does, at the price of ~150 gradient passes over the whole matrix
(tens of milliseconds each at 10k papers) against one pass over the rows
signalled, and of a regularisation to tune. A Rocchio score is a sum of
per-term contributions, which is what the reasons are made of.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from readinglist.ranking import reasons
from readinglist.ranking.docs import RankDoc
from readinglist.ranking.fallback import popularity_key
from readinglist.ranking.features import Features, build_features
from readinglist.ranking.signals import Signal, signal_weight

MIN_SIGNALS = 5  # fewer papers than this with a signal, and the profile is mostly noise
DISMISSED_SHARE = 0.5  # how far a dismissed paper's terms pull down, against a liked one's
# The whole of the library's centroid comes off: a term scores by how much more
# the liked papers have of it than the average paper. (0 to 2 were tried in the
# benchmark; precision@10 moved within 0.02, 1.0 was best and is the plain reading.)
LIBRARY_SHARE = 1.0


@dataclass(frozen=True, slots=True)
class Ranked:
    """One candidate in rank order, with the reader-facing reason."""

    id: int
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class _Profile:
    """What training learned: the term weights and the papers behind them."""

    weights: np.ndarray
    liked: np.ndarray  # centroid of the liked papers
    dismissed: np.ndarray  # centroid of the dismissed papers (zeros if none)
    liked_evidence: reasons.Evidence
    dismissed_evidence: reasons.Evidence


class Model:
    """A trained ranking: `rank` orders candidates and says why.

    Attributes:
        fallback: True when there were too few signals to learn from and the
            order is upvotes, then date.
        note: one line for the UI on what the order is based on.
    """

    def __init__(
        self,
        docs: Sequence[RankDoc],
        features: Features,
        weights: Mapping[int, float],
        profile: _Profile | None,
        note: str,
    ) -> None:
        self._docs = {doc.id: doc for doc in docs}
        self._features = features
        self._weights = dict(weights)
        self._profile = profile
        # Every paper's learned score, once: a model is never changed after training.
        self._learned = None if profile is None else features.scores(profile.weights)
        self.fallback = profile is None
        self.note = note

    @property
    def features(self) -> Features:
        """The TF-IDF the model was trained on: pass it to the next `train` of the same papers."""
        return self._features

    def rank(self, candidates: Sequence[int], *, limit: int | None = None) -> list[Ranked]:
        """The candidates best first, each with its score and reason.

        Papers the reader dismissed come last whatever their score; ids the
        model was not trained with (imported since) come after those, as is.

        Args:
            candidates: paper ids, usually the unread ones.
            limit: return only the first this many (reasons are most of the
                cost: ~0.1 ms each, so ranking 10k with reasons takes a second).

        Returns:
            One `Ranked` per distinct candidate, up to `limit`.
        """
        distinct = list(dict.fromkeys(candidates))
        order = self._order([i for i in distinct if i in self._docs])
        order += [i for i in distinct if i not in self._docs]
        if limit is not None:
            order = order[: max(limit, 0)]
        return [Ranked(i, self._score(i), self._reason_for(i)) for i in order]

    def scores(self, candidates: Sequence[int]) -> dict[int, float]:
        """Each candidate's score, without reasons: a sort key (higher first).

        Dismissed papers score `-inf`; unknown ids are left out. In fallback
        the score is the upvote count, and ties fall to the date in `rank`.
        """
        return {i: self._score(i) for i in candidates if i in self._docs}

    def _score(self, doc_id: int) -> float:
        if doc_id not in self._docs:
            return 0.0
        if self._weights.get(doc_id, 0.0) < 0:
            return float("-inf")
        if self._learned is None:
            return float(self._docs[doc_id].upvotes or 0)
        return float(self._learned[self._features.row_of[doc_id]])

    def _order(self, ids: Sequence[int]) -> list[int]:
        scores = self._learned

        def key(doc_id: int) -> tuple[bool, float, tuple[int, int, int]]:
            sunk = self._weights.get(doc_id, 0.0) < 0
            learned = 0.0 if scores is None else -scores[self._features.row_of[doc_id]]
            return (sunk, learned, popularity_key(self._docs[doc_id]))

        return sorted(ids, key=key)

    def _reason_for(self, doc_id: int) -> str:
        if doc_id not in self._docs:
            return reasons.UNKNOWN
        if self._weights.get(doc_id, 0.0) < 0:
            return reasons.YOU_DISMISSED
        if self._profile is None:
            doc = self._docs[doc_id]
            return reasons.fallback_reason(doc.upvotes, doc.published)
        return self._reason(doc_id)

    def _reason(self, doc_id: int) -> str:
        assert self._profile is not None
        profile, features = self._profile, self._features
        indices, data = features.row(features.row_of[doc_id])
        net = float(data @ profile.weights[indices])
        liked = reasons.pick_terms(indices, data, profile.liked, features)
        if liked and net > 0:
            count = reasons.papers_sharing(profile.liked_evidence, liked)
            names = [features.term(c) for c in liked]
            return reasons.liked_reason(names, count, profile.liked_evidence)
        dismissed = reasons.pick_terms(indices, data, profile.dismissed, features)
        if dismissed:
            count = reasons.papers_sharing(profile.dismissed_evidence, dismissed)
            return reasons.dismissed_reason([features.term(c) for c in dismissed], count)
        return reasons.NOTHING_SHARED


def _centroid(features: Features, rows: Sequence[int], weights: Sequence[float]) -> np.ndarray:
    total = sum(weights)
    if not rows or total <= 0:
        return np.zeros(features.n_terms)
    return features.weighted_sum(rows, weights) / total


def _evidence(features: Features, rows: Sequence[int], all_read: bool) -> reasons.Evidence:
    return reasons.Evidence.of([features.row(r)[0].tolist() for r in rows], all_read)


def _profile(
    features: Features, weights: Mapping[int, float], signals: Mapping[int, Signal]
) -> _Profile:
    liked = {features.row_of[i]: w for i, w in weights.items() if w > 0}
    dismissed = {features.row_of[i]: -w for i, w in weights.items() if w < 0}
    liked_c = _centroid(features, list(liked), list(liked.values()))
    dismissed_c = _centroid(features, list(dismissed), list(dismissed.values()))
    everything = np.bincount(features.indices, weights=features.data, minlength=features.n_terms)
    library_c = everything / max(features.n_docs, 1)
    profile = liked_c - DISMISSED_SHARE * dismissed_c - LIBRARY_SHARE * library_c
    all_read = all(signals[features.ids[r]].read for r in liked)
    return _Profile(
        profile,
        liked_c,
        dismissed_c,
        _evidence(features, list(liked), all_read),
        _evidence(features, list(dismissed), True),
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _note(liked: int, dismissed: int) -> str:
    if liked + dismissed < MIN_SIGNALS:
        return (
            f"Ranked by upvotes and date until {MIN_SIGNALS} papers are read, noted, tagged "
            f"or dismissed ({liked + dismissed} so far)."
        )
    if liked == 0:
        return (
            "Ranked by upvotes and date until a paper is read, noted or tagged "
            f"({dismissed} dismissed)."
        )
    return (
        f"Learned from {_plural(liked, 'paper')} you read, noted or tagged "
        f"and {dismissed} you dismissed."
    )


def train(
    docs: Sequence[RankDoc], signals: Mapping[int, Signal], *, features: Features | None = None
) -> Model:
    """Learn the reader's profile from what they did with the papers.

    Args:
        docs: every paper of the library (the candidates and the signalled ones).
        signals: what the reader did, by paper id; ids not in `docs` are ignored.
        features: `Model.features` of an earlier training on the same papers
            (same ids, same text), so that retraining after a signal changed
            skips the TF-IDF, nearly all of the cost. Ignored if its ids differ.

    Returns:
        The model; `Model.fallback` is True with fewer than `MIN_SIGNALS`
        papers signalled or none liked.
    """
    if features is None or features.ids != tuple(doc.id for doc in docs):
        features = build_features(docs)
    weights = {
        i: w for i, s in signals.items() if i in features.row_of and (w := signal_weight(s)) != 0
    }
    liked = sum(1 for w in weights.values() if w > 0)
    dismissed = len(weights) - liked
    note = _note(liked, dismissed)
    if liked + dismissed < MIN_SIGNALS or liked == 0:
        return Model(docs, features, weights, None, note)
    return Model(docs, features, weights, _profile(features, weights, signals), note)
