"""The order before there is anything to learn from: upvotes, then date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from readinglist.ranking.docs import RankDoc


def popularity_key(doc: RankDoc) -> tuple[int, int, int]:
    """Sort key: most upvotes first, then newest, then lowest id (so ties are stable)."""
    day = doc.published.toordinal() if doc.published is not None else date.min.toordinal()
    return (-(doc.upvotes or 0), -day, doc.id)


def by_popularity(docs: Sequence[RankDoc]) -> list[RankDoc]:
    """The papers by upvotes, then date: what the site itself would show first."""
    return sorted(docs, key=popularity_key)
