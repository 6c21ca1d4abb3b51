"""How fast a paper gains upvotes now: the `rising` sort.

The window is the last week seen (`RISING_WINDOW`): from the latest point back
to the oldest point at most seven days before it. A paper gets most of its
upvotes in its first days on the daily page, so a rate over its whole life
would rank every old paper by its launch; a week is what a reader who drops a
page every day or two means by "now", and still spans several points for
them. A reader who drops pages less often has no point within the week before
the latest; then the point just before it is taken, so any two points give a
rate. Points seen at the same moment (one page saved twice) are one point,
with the highest count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

RISING_WINDOW = timedelta(days=7)
_SECONDS_PER_DAY = 86_400.0


def _merged(points: Sequence[tuple[int, datetime]]) -> list[tuple[datetime, int]]:
    """The points by time, one per moment, with the highest count seen at it."""
    best: dict[datetime, int] = {}
    for upvotes, seen_at in points:
        best[seen_at] = max(upvotes, best.get(seen_at, upvotes))
    return sorted(best.items())


def rising(points: Sequence[tuple[int, datetime]]) -> float | None:
    """Upvotes gained per day over the last week seen.

    Args:
        points: (upvotes, seen_at) pairs in any order; the datetimes must be
            comparable (all aware, or all naive).

    Returns:
        Upvotes per day from the start of the window to the latest point
        (negative if the count fell), or None with fewer than two points or no
        time between them.
    """
    merged = _merged(points)
    if len(merged) < 2:
        return None
    last_at, last_upvotes = merged[-1]
    in_window = [(at, up) for at, up in merged[:-1] if last_at - at <= RISING_WINDOW]
    first_at, first_upvotes = in_window[0] if in_window else merged[-2]
    days = (last_at - first_at).total_seconds() / _SECONDS_PER_DAY
    return (last_upvotes - first_upvotes) / days
