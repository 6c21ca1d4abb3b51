"""The serialized worker: order, results and errors on the GUI thread, progress, cancel."""

from __future__ import annotations

import threading

import pytest

from readinglist.gui.worker import Worker


@pytest.fixture
def worker(qtbot):
    made = Worker()
    yield made
    made.shutdown()


def test_jobs_run_in_order_off_the_gui_thread_and_report_back_on_it(qtbot, worker):
    gui_thread = threading.get_ident()
    ran: list[tuple[int, int]] = []
    delivered: list[tuple[int, int]] = []
    for number in range(5):
        worker.submit(
            lambda _task, n=number: ran.append((n, threading.get_ident())) or n,
            on_done=lambda n: delivered.append((n, threading.get_ident())),
        )
    qtbot.waitUntil(worker.is_idle)
    assert [n for n, _ in ran] == list(range(5))
    assert all(thread != gui_thread for _, thread in ran)
    assert delivered == [(n, gui_thread) for n in range(5)]


def test_an_error_goes_to_on_error_or_the_default(qtbot, worker):
    errors: list[BaseException] = []
    defaults: list[BaseException] = []
    worker.default_error = defaults.append

    def fail(_task):
        raise ValueError("boom")

    worker.submit(fail, on_error=errors.append)
    worker.submit(fail)
    qtbot.waitUntil(worker.is_idle)
    assert [str(e) for e in errors] == ["boom"] and [str(e) for e in defaults] == ["boom"]


def test_progress_and_cancel(qtbot, worker):
    started = threading.Event()
    seen: list[tuple[int, int]] = []

    def long_job(task):
        started.set()
        done = 0
        while not task.cancelled():
            done += 1
            task.progress(min(done, 99), 100)
        task.progress(100, 100)
        return done

    result: list[int] = []
    task = worker.submit(
        long_job, on_done=result.append, on_progress=lambda d, t: seen.append((d, t))
    )
    assert started.wait(5)
    qtbot.waitUntil(lambda: bool(seen))
    task.cancel()
    qtbot.waitUntil(worker.is_idle)
    assert result and result[0] > 0
    assert all(total == 100 for _, total in seen)


def test_busy_changes_and_shutdown_waits_for_queued_jobs(qtbot, worker):
    gate = threading.Event()
    finished: list[int] = []
    with qtbot.waitSignal(worker.busyChanged) as busy:
        worker.submit(lambda _task: gate.wait(5))
    assert busy.args == [True]
    worker.submit(lambda _task: finished.append(1))
    gate.set()
    assert worker.shutdown()
    assert finished == [1]
