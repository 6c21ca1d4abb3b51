"""Reading at a glance: weekly imports and reads, and the Inbox's size over time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from testdata import DUMP_000

from readinglist.collection import Collection
from readinglist.library.reader import PaperActivity
from readinglist.library.reading_stats import inbox_at, monday, summarise, weekly

TODAY = date(2026, 12, 2)  # a Wednesday


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_weeks_count_imports_and_reads_by_monday():
    this_week = monday(TODAY)
    last_week = this_week - timedelta(weeks=1)
    activity = [
        PaperActivity(_at(last_week), _at(this_week), None, None),
        PaperActivity(_at(last_week), None, _at(last_week + timedelta(days=1)), "dismissed"),
        PaperActivity(_at(this_week), None, None, None),
        PaperActivity(_at(this_week - timedelta(weeks=40)), None, None, None),  # long ago
    ]
    weeks = weekly(activity, today=TODAY, weeks=3)
    assert [w.start for w in weeks] == [this_week - timedelta(weeks=2), last_week, this_week]
    assert [(w.imported, w.read) for w in weeks] == [(0, 0), (2, 0), (1, 1)]
    # Last week ended with one paper waiting (the other dismissed); this week
    # the first was read and a new one came.
    assert [w.inbox for w in weeks][1:] == [1, 1]


def test_the_inbox_forgets_pages_older_than_its_window():
    old, new = date(2026, 10, 1), date(2026, 11, 20)
    activity = [
        PaperActivity(_at(old), None, None, None),
        PaperActivity(_at(new), None, None, None),
    ]
    assert inbox_at(activity, _at(old, 23)) == 1
    assert inbox_at(activity, _at(new, 23)) == 1  # the October page is out of the window
    assert inbox_at(activity, _at(date(2026, 9, 1))) == 0


def test_top_tags_by_use_then_name():
    summary = summarise([], [("b", 2), ("a", 2), ("c", 5), ("d", 1)], today=TODAY, tags_shown=3)
    assert summary.top_tags == (("c", 5), ("a", 2), ("b", 2))
    assert summary.empty


def test_a_real_library_summary(tmp_path: Path):
    collection = Collection.open(tmp_path / "lib")
    try:
        collection.import_paths([DUMP_000])
        ids = collection.list_ids()
        collection.mark(ids[:3], "read")
        collection.add_tags(ids[:2], ["ssm"])
        summary = collection.reading_summary()
        this_week = summary.weeks[-1]
        assert this_week.imported == len(ids) and this_week.read == 3
        assert this_week.inbox == len(ids) - 3
        assert summary.top_tags == (("ssm", 2),)
        assert not summary.empty
    finally:
        collection.close()
