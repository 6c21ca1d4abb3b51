"""The weight of what the reader did with a paper."""

from __future__ import annotations

from readinglist.ranking import Signal, signal_weight
from readinglist.ranking.signals import LONG_OPEN_SECONDS


def test_each_positive_signal_adds_and_a_note_counts_as_much_as_reading():
    assert signal_weight(Signal()) == 0
    assert signal_weight(Signal(read=True)) == 1.0
    assert signal_weight(Signal(note=True)) == 1.0
    assert signal_weight(Signal(read=True, note=True)) == 2.0
    assert signal_weight(Signal(tags=1)) == 0.5


def test_tags_count_up_to_two():
    assert signal_weight(Signal(tags=2)) == signal_weight(Signal(tags=7)) == 1.0
    assert signal_weight(Signal(tags=-3)) == 0


def test_opened_counts_only_when_open_for_long():
    assert signal_weight(Signal(opened_seconds=LONG_OPEN_SECONDS - 1)) == 0
    assert signal_weight(Signal(opened_seconds=LONG_OPEN_SECONDS)) == 0.5
    assert signal_weight(Signal(read=True, opened_seconds=900)) == 1.5


def test_dismissed_overrides_everything_else():
    everything = Signal(read=True, note=True, tags=2, opened_seconds=900, dismissed=True)
    assert signal_weight(everything) == signal_weight(Signal(dismissed=True)) == -1.0
    assert signal_weight(Signal(read=True, note=True, tags=2, opened_seconds=900)) == 3.5
