"""The library's side of "what to read next": signals in, a trained model out.

`readinglist.ranking` learns from plain values; this module reads them from
the library and keeps the trained model while nothing it learned from
changed (the library's generation, and the time papers were open, which
changes no generation). The TF-IDF, nearly all of a training's cost, is kept
while the papers and their text stay the same, so retraining after a paper
is read takes milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from readinglist.library.reader import LibraryReader
from readinglist.ranking import Model, RankDoc, Ranked, Signal, rising, train
from readinglist.ranking.features import Features


@dataclass(frozen=True, slots=True)
class ForYou:
    """Papers in "for you" order, each with its reason, and what the order rests on."""

    ranked: list[Ranked]
    fallback: bool  # too few signals: upvotes and date decide
    note: str  # one line for the person: what the order is learned from


class Recommender:
    """Trains on demand and keeps the model until the library changes.

    Safe to call from several threads; one trains at a time.
    """

    def __init__(self, reader: LibraryReader) -> None:
        self._reader = reader
        self._lock = threading.Lock()
        self._model: Model | None = None
        self._key: tuple[int, int] | None = None
        self._features: Features | None = None
        self._texts_seen = -1
        self.opened_changes = 0  # bumped when time spent open is recorded
        self.text_changes = 0  # bumped by imports and restores, which change text

    def model(self) -> Model:
        """The model for the library as it is now (trained if anything changed)."""
        key = (self._reader.generation(), self.opened_changes)
        with self._lock:
            if self._model is not None and self._key == key:
                return self._model
            rows = self._reader.reading_signals()
            docs = [RankDoc(r.id, r.title, r.abstract, r.upvotes, r.published) for r in rows]
            signals = {
                r.id: Signal(r.read, r.note, r.tags, r.opened_seconds, r.dismissed)
                for r in rows
                if r.read or r.note or r.tags or r.opened_seconds or r.dismissed
            }
            features = self._features if self._texts_seen == self.text_changes else None
            self._model = train(docs, signals, features=features)
            self._features, self._texts_seen = self._model.features, self.text_changes
            self._key = key
            return self._model

    def rank(self, candidates: Sequence[int], *, limit: int | None = None) -> ForYou:
        model = self.model()
        return ForYou(model.rank(candidates, limit=limit), model.fallback, model.note)

    def order(self, ids: Sequence[int]) -> list[int]:
        """`ids` best first, without reasons (a sort of a whole view)."""
        scores = self.model().scores(ids)
        # Papers imported since the training (not scored) come last.
        return sorted(ids, key=lambda i: (i not in scores, -scores.get(i, 0.0)))


def rising_order(reader: LibraryReader, ids: Sequence[int]) -> list[int]:
    """`ids` by upvotes gained per day lately, fastest first; papers seen once last."""
    rates = rising_rates(reader, ids)
    return sorted(ids, key=lambda i: (rates.get(i) is None, -(rates.get(i) or 0.0)))


def rising_rates(reader: LibraryReader, ids: Sequence[int]) -> dict[int, float | None]:
    """Upvotes gained per day over the last week seen, by paper (None: seen once)."""
    histories = reader.upvote_histories(ids)
    return {i: rising([(p.upvotes, p.seen_at) for p in histories.get(i, [])]) for i in ids}
