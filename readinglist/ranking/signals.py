"""What the reader did with a paper, and how much it says about their interests.

Weights, and why:

- read: +1.0. The base unit: finishing a paper is the commonest sign of interest.
- note written: +1.0. Writing about a paper takes more than reading it, so a
  noted paper counts double a paper only read.
- tags: +0.5 each, at most two counted. Filing a paper is a deliberate act,
  but a third or fourth tag says more about the tagging habit than about the
  paper.
- opened for long: +0.5 once the paper stayed open `LONG_OPEN_SECONDS` (two
  minutes: long enough to read the abstract and more, longer than a glance).
  Weaker than read because an open window may be one left behind.
- dismissed: -1.0 whatever else was done. "Not interested" is the reader's
  explicit verdict and overrides anything the paper earned by being opened or
  read first; its size matches read so one dismissal cancels one read.
"""

from __future__ import annotations

from dataclasses import dataclass

READ_WEIGHT = 1.0
NOTE_WEIGHT = 1.0
TAG_WEIGHT = 0.5
MAX_TAGS_COUNTED = 2
LONG_OPEN_WEIGHT = 0.5
LONG_OPEN_SECONDS = 120.0
DISMISSED_WEIGHT = -1.0


@dataclass(frozen=True, slots=True)
class Signal:
    """What the reader did with one paper."""

    read: bool = False
    note: bool = False
    tags: int = 0
    opened_seconds: float = 0.0
    dismissed: bool = False


def signal_weight(signal: Signal) -> float:
    """How much a paper says of the reader's interests: > 0 liked, < 0 not, 0 nothing.

    Args:
        signal: what the reader did with the paper.

    Returns:
        The weight, from -1.0 (dismissed) up to 3.5 (read, noted, two tags, opened long).
    """
    if signal.dismissed:
        return DISMISSED_WEIGHT
    weight = 0.0
    if signal.read:
        weight += READ_WEIGHT
    if signal.note:
        weight += NOTE_WEIGHT
    weight += TAG_WEIGHT * min(max(signal.tags, 0), MAX_TAGS_COUNTED)
    if signal.opened_seconds >= LONG_OPEN_SECONDS:
        weight += LONG_OPEN_WEIGHT
    return weight
