"""Searches on a thread of their own, the latest request winning.

The window asks for a search at every pause in typing; at 100k papers a
phrase could take a second, and Whoosh holds the GIL for much of it. So
searches run here, one at a time, never on the GUI thread. Requests go in
lanes (the listing, the highlights of the rows on screen, "did you mean"):
each lane holds one waiting job at most, and a newer request replaces the
one that has not started; the listing lane goes first. An answer that is no
longer the latest of its lane when it arrives is dropped.

While a search runs, Python's thread switch interval is 1 ms instead of 5:
a search holds the GIL (Whoosh's scoring is pure Python), and every Python
call Qt makes on the GUI thread (a paint, a key, a timer) waits up to one
interval for it, which at 5 ms made the GUI thread's timers tick at 20 ms
instead of 5.

Only a ticket (an int) crosses threads by signal; the answer itself waits in
a dict under a lock until the GUI thread takes it. No Python object is
handed to Qt's queued-signal machinery, which is where PySide6 crashed
(`none_dealloc`) when results crossed threads, and the receiving slot is
declared with `@Slot`, as PySide6 6.8 and later need for cross-thread calls.

Another part of the window can have a runner of its own, with lanes of its
own: the detail pane's similar papers run on one, so that they never wait
behind a slow search nor hold up the listing's lanes. The switch interval is
then shared: it stays at 1 ms while a job of any runner runs, and goes back
to what it was when the last one ends.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

# The order the lanes are served in: what the table lists comes first.
LANES = ("listing", "highlight", "suggest")
# Python's thread switch interval while a search runs (see the module docstring).
SWITCH_INTERVAL_S = 0.001

Job = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass(slots=True)
class _Request:
    ticket: int
    lane: str
    job: Job
    on_done: Done
    on_error: Failed | None


@dataclass(slots=True)
class _Lanes:
    """What waits in each lane, and the latest ticket of each (guarded by the runner's lock)."""

    waiting: dict[str, _Request] = field(default_factory=dict)
    latest: dict[str, int] = field(default_factory=dict)


class SearchRunner(QObject):
    """One search thread; create it on the GUI thread and `shutdown()` it at the end.

    Args:
        on_start: run on the search thread before its first job (say, to read
            the index ahead); on_stop: as it ends (to close what it opened).
        lanes: the lanes, in the order they are served (the window's search by default).
        name: the thread's name.
    """

    _answered = Signal(int)  # a ticket: the answer waits in self._answers

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        on_start: Callable[[], None] | None = None,
        on_stop: Callable[[], None] | None = None,
        lanes: Sequence[str] = LANES,
        name: str = "readinglist-search",
    ) -> None:
        super().__init__(parent)
        self._on_start, self._on_stop = on_start, on_stop
        self._order = tuple(lanes)
        self._cond = threading.Condition()
        self._lanes = _Lanes()
        self._requests: dict[int, _Request] = {}  # every request not yet answered or dropped
        self._answers: dict[int, tuple[bool, Any]] = {}
        self._running: int | None = None
        self._tickets = 0
        self._stopping = False
        self._answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # -- the GUI thread ------------------------------------------------------

    def submit(self, lane: str, job: Job, on_done: Done, on_error: Failed | None = None) -> int:
        """Run `job()` on the search thread; its answer goes to `on_done` (or `on_error`).

        The answer arrives on the GUI thread, unless a newer request of the same lane came
        meanwhile.

        Returns:
            The request's ticket (see `wait`).
        """
        assert lane in self._order, lane
        with self._cond:
            self._tickets += 1
            request = _Request(self._tickets, lane, job, on_done, on_error)
            replaced = self._lanes.waiting.get(lane)
            if replaced is not None:
                self._requests.pop(replaced.ticket, None)
            self._lanes.waiting[lane] = request
            self._lanes.latest[lane] = request.ticket
            self._requests[request.ticket] = request
            self._cond.notify_all()
        return request.ticket

    def withdraw(self, lane: str) -> None:
        """Drop what waits in `lane` and the answer of what runs there.

        The window no longer wants them (say, the query was cleared).
        """
        with self._cond:
            self._tickets += 1
            self._lanes.latest[lane] = self._tickets
            replaced = self._lanes.waiting.pop(lane, None)
            if replaced is not None:
                self._requests.pop(replaced.ticket, None)

    def wait(self, ticket: int, timeout_s: float) -> bool:
        """Wait up to `timeout_s` for the answer of `ticket` and deliver it now.

        A click that lists a quick query then shows its answer at once,
        without a frame of dimmed results; a slow one waits no longer than
        this. False if the answer did not come in time (it is delivered
        when it comes).
        """
        with self._cond:
            if not self._cond.wait_for(lambda: ticket in self._answers, timeout_s):
                return False
        self._deliver(ticket)
        return True

    def pending(self, lane: str) -> bool:
        """True while the latest request of `lane` has not been answered."""
        with self._cond:
            return self._lanes.latest.get(lane) in self._requests

    def is_idle(self) -> bool:
        """True when nothing waits, runs, or waits to be delivered."""
        with self._cond:
            return not self._requests and not self._answers and self._running is None

    def shutdown(self, timeout_s: float = 30.0) -> bool:
        """Let the running search end, drop the waiting ones, stop the thread."""
        with self._cond:
            self._stopping = True
            self._lanes.waiting.clear()
            self._requests.clear()
            self._cond.notify_all()
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    @Slot(int)
    def _deliver(self, ticket: int) -> None:
        with self._cond:
            answer = self._answers.pop(ticket, None)
            request = self._requests.pop(ticket, None)
            latest = request is not None and self._lanes.latest.get(request.lane) == ticket
        if answer is None or request is None or not latest:
            return  # delivered already by wait(), withdrawn, or overtaken by a newer request
        ok, value = answer
        if ok:
            request.on_done(value)
        elif request.on_error is not None:
            request.on_error(value)
        else:
            log.error("search failed", exc_info=(type(value), value, value.__traceback__))

    # -- the search thread -----------------------------------------------------

    def _run(self) -> None:
        try:
            if self._on_start is not None:
                self._on_start()
            while (request := self._next()) is not None:
                answer = _answer(request.job)
                with self._cond:
                    self._running = None
                    if request.ticket in self._requests:
                        self._answers[request.ticket] = answer
                    self._cond.notify_all()
                self._answered.emit(request.ticket)
        except Exception:
            log.exception("the search thread stopped")
        finally:
            if self._on_stop is not None:
                self._on_stop()

    def _next(self) -> _Request | None:
        """The next job to run, by lane; None when stopping."""
        with self._cond:
            while not self._stopping:
                for lane in self._order:
                    request = self._lanes.waiting.pop(lane, None)
                    if request is not None:
                        self._running = request.ticket
                        return request
                self._cond.wait()
        return None


def _answer(job: Job) -> tuple[bool, Any]:
    """(True, what `job()` returned) or (False, what it raised), with the GUI thread first."""
    with _SWITCH.shortened():
        try:
            return True, job()
        except Exception as exc:  # every failure goes back to the GUI thread
            return False, exc


class _SwitchInterval:
    """Python's switch interval, shortened while any runner's job runs.

    Counted, not saved and restored by each job: with two runners at work,
    the job that ended first would put back 5 ms under the other one, or the
    other would put back the 1 ms it found, for good.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs = 0
        self._saved = 0.0

    @contextlib.contextmanager
    def shortened(self) -> Iterator[None]:
        """SWITCH_INTERVAL_S for the duration of the block, and of any other's running then."""
        with self._lock:
            if not self._jobs:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, SWITCH_INTERVAL_S))
            self._jobs += 1
        try:
            yield
        finally:
            with self._lock:
                self._jobs -= 1
                if not self._jobs:
                    sys.setswitchinterval(self._saved)


_SWITCH = _SwitchInterval()
