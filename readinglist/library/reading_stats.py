"""Reading at a glance: papers imported and read per week, and the Inbox's size.

Computed from when each paper was added, read and put aside (the library
keeps those times), so nothing extra is recorded. The Inbox of a past week
is the papers of the recent pages not yet read, put aside or dismissed by
the week's end; notes and tags, which also take a paper out of the Inbox
today, carry no date and are not counted back in time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from readinglist.library.reader import INBOX_DAYS, PaperActivity

WEEKS_SHOWN = 12


@dataclass(frozen=True, slots=True)
class Week:
    """One week, Monday to Sunday, and what happened in it."""

    start: date
    imported: int
    read: int
    inbox: int  # the Inbox's size at the week's end


@dataclass(frozen=True, slots=True)
class ReadingSummary:
    """What the Reading view shows: the recent weeks and the most used tags."""

    weeks: tuple[Week, ...]
    top_tags: tuple[tuple[str, int], ...]

    @property
    def empty(self) -> bool:
        return not any(w.imported or w.read for w in self.weeks)


def monday(day: date) -> date:
    """The Monday that starts the week holding `day`."""
    return day - timedelta(days=day.weekday())


def weekly(
    activity: Sequence[PaperActivity], *, today: date | None = None, weeks: int = WEEKS_SHOWN
) -> tuple[Week, ...]:
    """The last `weeks` weeks up to the one holding `today`, oldest first."""
    today = today or datetime.now(UTC).date()
    first = monday(today) - timedelta(weeks=weeks - 1)
    starts = [first + timedelta(weeks=n) for n in range(weeks)]
    imported = dict.fromkeys(starts, 0)
    read = dict.fromkeys(starts, 0)
    for paper in activity:
        for moment, counts in ((paper.added_at, imported), (paper.read_at, read)):
            if moment is not None and (week := monday(moment.date())) in counts:
                counts[week] += 1
    return tuple(
        Week(start, imported[start], read[start], inbox_at(activity, _week_end(start)))
        for start in starts
    )


def inbox_at(activity: Sequence[PaperActivity], moment: datetime) -> int:
    """How many papers the Inbox held at `moment`, as far as the times tell."""
    added = [p for p in activity if p.added_at is not None and p.added_at <= moment]
    if not added:
        return 0
    since = max(p.added_at for p in added if p.added_at) - timedelta(days=INBOX_DAYS)
    return sum(
        1
        for p in added
        if p.added_at is not None
        and p.added_at >= since
        and not _before(p.read_at, moment)
        and not _before(p.triaged_at, moment)
    )


def _before(moment: datetime | None, limit: datetime) -> bool:
    return moment is not None and moment <= limit


def _week_end(start: date) -> datetime:
    end = start + timedelta(days=7)
    return datetime(end.year, end.month, end.day, tzinfo=UTC) - timedelta(microseconds=1)


def summarise(
    activity: Sequence[PaperActivity],
    tag_counts: Sequence[tuple[str, int]],
    *,
    today: date | None = None,
    tags_shown: int = 8,
) -> ReadingSummary:
    """The Reading view's figures: the weeks, and the most used tags."""
    top = sorted(tag_counts, key=lambda item: (-item[1], item[0].casefold()))[:tags_shown]
    return ReadingSummary(weekly(activity, today=today), tuple(top))
