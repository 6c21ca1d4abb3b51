"""What the tests of the window's threads measure with: GUI-thread ticks, GIL-bound work."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


def busy(seconds: float) -> None:
    """Pure Python for `seconds`: it holds the GIL as Whoosh's scoring does (a sleep would not)."""
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(range(200))


def ticks(interval_ms: int = 20) -> tuple[QTimer, list[float]]:
    """A timer on the GUI thread and the times it fired at: a gap is a stall of the thread."""
    times: list[float] = []
    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: times.append(time.perf_counter()))
    timer.start()
    return timer, times
