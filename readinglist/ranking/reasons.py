"""Why a paper is where it is, in words a reader checks at a glance.

A learned rank names the terms the paper shares with what the reader liked,
phrases first ("shares state space, selective scan with 3 papers you read");
a fallback rank names the upvotes or the date it was ordered by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from readinglist.ranking.features import Features

MAX_TERMS = 2  # more than two terms and the reason stops being read


@dataclass(frozen=True, slots=True)
class Evidence:
    """The papers that carry a signal of one kind: for each term, which of them hold it."""

    # Bit j of holders[column] is set when the j-th of these papers holds the
    # term: "how many share either term" is then one OR and a bit count.
    holders: dict[int, int]
    all_read: bool  # every one was read (not only noted, tagged or opened)

    @classmethod
    def of(cls, term_lists: Sequence[Sequence[int]], all_read: bool) -> Evidence:
        """Evidence from the term columns of each paper."""
        holders: dict[int, int] = {}
        for bit, columns in enumerate(term_lists):
            for column in columns:
                holders[column] = holders.get(column, 0) | (1 << bit)
        return cls(holders, all_read)


def pick_terms(
    indices: np.ndarray, data: np.ndarray, centroid: np.ndarray, features: Features
) -> list[int]:
    """The terms of a paper that weigh most towards a centroid, phrases first.

    Args:
        indices: the paper's terms (columns of the matrix).
        data: the paper's weights for them.
        centroid: the weight of each term in the papers the reason refers to.
        features: the matrix, for the terms' names.

    Returns:
        Up to `MAX_TERMS` columns; a word is left out when a phrase picked holds it.
    """
    contribution = data * centroid[indices]
    positive = np.flatnonzero(contribution > 0)
    # Candidates for the reason, best first; a few more than needed, since a
    # word inside a picked phrase is skipped. Only these get named.
    best = positive[np.argsort(-contribution[positive], kind="stable")][: 4 * MAX_TERMS]
    shared = [int(c) for c in indices[best]]
    picked: list[int] = []
    words_in_phrases: set[str] = set()
    for column in shared:
        words = features.term(column).split()
        # "state space" then "space model" would say one thing twice.
        if len(words) == 2 and len(picked) < MAX_TERMS and not words_in_phrases & set(words):
            picked.append(column)
            words_in_phrases.update(words)
    for column in shared:
        if len(picked) >= MAX_TERMS:
            break
        if not features.is_phrase(column) and features.term(column) not in words_in_phrases:
            picked.append(column)
    return picked


def papers_sharing(evidence: Evidence, columns: Sequence[int]) -> int:
    """How many of the evidence papers hold at least one of the columns."""
    mask = 0
    for column in columns:
        mask |= evidence.holders.get(column, 0)
    return mask.bit_count()


def _papers(count: int, verb: str) -> str:
    return f"{count} paper{'' if count == 1 else 's'} you {verb}"


def liked_reason(picked: Sequence[str], count: int, evidence: Evidence) -> str:
    """'shares state space, selective scan with 3 papers you read'."""
    verb = "read" if evidence.all_read else "read, noted or tagged"
    return f"shares {', '.join(picked)} with {_papers(count, verb)}"


def dismissed_reason(picked: Sequence[str], count: int) -> str:
    """'like 2 papers you dismissed: shares reinforcement learning'."""
    return f"like {_papers(count, 'dismissed')}: shares {', '.join(picked)}"


NOTHING_SHARED = "shares no terms with papers you read"
YOU_DISMISSED = "you dismissed it"
UNKNOWN = "imported after the ranking last learned"


def fallback_reason(upvotes: int | None, published: date | None) -> str:
    """Why a paper sits where upvotes and date put it: 'popular on the site: 120 upvotes'."""
    if upvotes:
        return f"popular on the site: {upvotes} upvote{'' if upvotes == 1 else 's'}"
    if published is not None:
        return f"no upvotes on the site; by date: {published.isoformat()}"
    return "no upvotes or date on the site"
