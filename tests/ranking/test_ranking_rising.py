"""Upvotes gained per day over the last week seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from readinglist.ranking import RISING_WINDOW, rising

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def test_rate_over_the_last_week_not_the_whole_history():
    # A launch burst (10 -> 40 in three days), then slower gains.
    history = [(10, day(0)), (40, day(3)), (100, day(10)), (130, day(12))]
    assert timedelta(days=7) == RISING_WINDOW
    # day 5 and later is in the window; the oldest point in it is day 10.
    assert rising(history) == pytest.approx((130 - 100) / 2)
    history.append((112, day(6)))  # seen six days before the last: now the window's start
    assert rising(history) == pytest.approx((130 - 112) / 6)


def test_order_of_the_points_does_not_matter():
    history = [(130, day(12)), (10, day(0)), (100, day(10))]
    assert rising(history) == pytest.approx(15.0)


def test_points_further_apart_than_the_window_still_give_a_rate():
    assert rising([(20, day(0)), (50, day(30))]) == pytest.approx(1.0)


def test_hours_count_as_fractions_of_a_day():
    assert rising([(0, day(0)), (12, day(0.5))]) == pytest.approx(24.0)


def test_a_falling_count_gives_a_negative_rate():
    assert rising([(50, day(0)), (45, day(5))]) == pytest.approx(-1.0)


def test_too_few_points_or_no_time_between_them():
    assert rising([]) is None
    assert rising([(5, day(0))]) is None
    assert rising([(5, day(0)), (9, day(0))]) is None  # one page saved twice


def test_points_at_the_same_moment_are_one_point_with_the_highest_count():
    history = [(10, day(0)), (20, day(2)), (26, day(2))]
    assert rising(history) == pytest.approx(8.0)
