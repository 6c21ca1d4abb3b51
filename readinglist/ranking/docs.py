"""The one shape of a paper the ranking sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class RankDoc:
    """A paper as the ranking needs it: its words, and what the site says of it."""

    id: int
    title: str
    abstract: str
    upvotes: int | None = None
    published: date | None = None
