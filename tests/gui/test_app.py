"""Starting the app, the index rebuild at start-up, and what happens on an unexpected error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from PySide6.QtWidgets import QMessageBox

from readinglist.errors import LibraryError
from readinglist.gui.crash import CrashReporter, log_path


def test_the_app_starts_and_quits_after_the_given_time(tmp_path, user_dirs, zebra_dump):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", READINGLIST_QUIT_AFTER_MS="300")
    code = (
        "import sys; from pathlib import Path; from readinglist.gui.app import run; "
        "sys.exit(run(Path(sys.argv[1]), sys.argv[2:]))"
    )
    library = tmp_path / "app-library"
    done = subprocess.run(
        [sys.executable, "-c", code, str(library), str(zebra_dump)],
        env=env,
        capture_output=True,
        # Start-up and quitting take seconds; a busy shared machine has been seen
        # to take over 60 s to start Python and Qt, so the bound is generous.
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert (library / "library.sqlite3").exists()
    # The window remembered its state in the (temporary) config dir on the way out.
    assert (user_dirs / "config" / "readinglist" / "readinglist.ini").exists()


def test_a_missing_index_is_rebuilt_in_the_background(qtbot, library_dir, settings):
    from readinglist.collection import Collection
    from readinglist.gui.main_window import MainWindow

    shutil.rmtree(library_dir / "index")
    collection = Collection(library_dir)
    window = MainWindow(collection, settings=settings, crash=CrashReporter())
    qtbot.addWidget(window)
    try:
        window.show()
        window.start()
        # The window is up and listing while the index builds behind it.
        qtbot.waitUntil(window.index_progress.isVisible)
        assert window.model.rowCount() == collection.stats().papers
        qtbot.waitUntil(window.is_idle, timeout=120_000)  # Whoosh builds slowly
        assert collection.index_is_current()
        assert not window.index_progress.isVisible()
        assert "index is ready" in window.last_message
        window.search.set_query("transformer")
        assert window.model.rowCount() > 0
    finally:
        window.shut_down()
        collection.close()


def test_an_unexpected_error_is_logged_shown_briefly_and_the_note_saved(qtbot, window):
    saved: list[bool] = []
    reporter = CrashReporter(lambda: window)
    reporter.before_report = lambda: saved.append(True)
    try:
        raise RuntimeError("a bug")
    except RuntimeError as exc:
        reporter.report(exc)
    assert saved == [True]
    assert "RuntimeError: a bug" in log_path().read_text(encoding="utf-8")
    box = reporter.last_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "a bug" not in box.text() and str(log_path()) in box.text()
    box.close()


def test_an_error_meant_for_the_user_is_shown_as_it_is(qtbot, window):
    reporter = CrashReporter(lambda: window)
    reporter.report(LibraryError("The library folder is read-only."))
    assert reporter.last_box.text() == "The library folder is read-only."
    assert not log_path().exists()
    reporter.last_box.close()
