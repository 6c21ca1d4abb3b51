"""parse_date: listing dates, with and without a year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from readinglist.dumps.dates import parse_date

SNAPSHOT = datetime(2026, 4, 20, 15, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jul 16, 2023", date(2023, 7, 16)),
        ("Jul 16 2023", date(2023, 7, 16)),
        ("Jul 10, 2018", date(2018, 7, 10)),
        ("Dec 31,2024", date(2024, 12, 31)),
        ("July 4, 1999", date(1999, 7, 4)),
        ("Sept. 5, 2022", date(2022, 9, 5)),
        ("  jan   2,  2020 ", date(2020, 1, 2)),
        ("Feb 29, 2024", date(2024, 2, 29)),
        ("May 29, 2030", date(2030, 5, 29)),  # a stated year is kept, even in the future
    ],
)
def test_dates_with_a_year(text, expected):
    assert parse_date(text, snapshot=SNAPSHOT) == (expected, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 29", date(2026, 1, 29)),
        ("Apr 20", date(2026, 4, 20)),  # the snapshot's own day
        ("Apr 21", date(2025, 4, 21)),  # the day after: last year
        ("Oct 3", date(2025, 10, 3)),
        ("May 29", date(2025, 5, 29)),
        ("Feb 29", date(2024, 2, 29)),  # the latest leap day before the snapshot
        ("december 25", date(2025, 12, 25)),
    ],
)
def test_dates_without_a_year_take_the_latest_year_not_after_the_snapshot(text, expected):
    assert parse_date(text, snapshot=SNAPSHOT) == (expected, True)


def test_a_leap_day_may_look_back_eight_years():
    assert parse_date("Feb 29", snapshot=datetime(2103, 1, 1)) == (date(2096, 2, 29), True)


def test_an_aware_snapshot_works_too():
    snapshot = datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
    assert parse_date("Jan 1", snapshot=snapshot) == (date(2026, 1, 1), True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Jan",
        "29 Jan",
        "Feb 30",
        "Feb 30, 2024",
        "Feb 29, 2023",
        "Foo 12",
        "Jan 32",
        "Jul 16, 2023 5",  # a count after the date: the dump parser splits it off
        "Oct 3 2",
        "Jul 16, 1492",
        "Mamba 2",
        "A Survey of Techniques for Optimizing Transformer Inference",
    ],
)
def test_what_is_not_a_date(text):
    assert parse_date(text, snapshot=SNAPSHOT) is None
