"""The time a paper stays open is recorded, through the real window and a test clock."""

from __future__ import annotations

from readinglist.gui.flows.reading_clock import MAX_STRETCH_S, MIN_STRETCH_S, ReadingClock


class FakeTime:
    """A clock the test moves by hand (time itself, not the code under test)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_stretches_are_recorded_when_long_enough_and_capped(qapp):
    seen: list[tuple[int, float]] = []
    now = FakeTime()
    clock = ReadingClock(lambda pid, s: seen.append((pid, s)), now)
    clock.shown(1)
    now.now += MIN_STRETCH_S / 2  # a glance while browsing
    clock.shown(2)
    now.now += 60
    clock.shown(2)  # the same paper again: the stretch goes on
    now.now += 30
    clock.shown(3)
    now.now += MAX_STRETCH_S * 4  # left the machine
    clock.stop()
    assert seen == [(2, 90.0), (3, MAX_STRETCH_S)]


def test_an_inactive_window_stops_the_clock(qapp):
    seen: list[tuple[int, float]] = []
    now = FakeTime()
    clock = ReadingClock(lambda pid, s: seen.append((pid, s)), now)
    clock.shown(7)
    now.now += 20
    clock.stop()  # what the application going inactive does
    now.now += 500
    clock.resume()
    now.now += 10
    clock.shown(None)
    assert seen == [(7, 20.0), (7, 10.0)]


def test_the_window_saves_the_time_a_paper_was_open(qtbot, window, collection):
    now = FakeTime()
    paper_id, other = window.model.id_at(1), window.model.id_at(2)
    window.reading_clock.stop()  # the stretch of the paper shown at start, on the real clock
    window.reading_clock._clock = now
    window.show_paper_id(paper_id)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == paper_id)
    now.now += 42
    window.show_paper_id(other)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == other)
    qtbot.waitUntil(window.is_idle)
    assert collection.get(paper_id).opened_seconds >= 42
