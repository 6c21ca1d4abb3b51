"""The window follows what another readinglist (a command in a terminal) writes to its library."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import run_readinglist
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from readinglist.gui.flows import outside_changes

ELSEWHERE = "The library was changed by another readinglist (a command, another window)."


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before the window fixture builds the window: it reads POLL_MS then.
    monkeypatch.setattr(outside_changes, "POLL_MS", 100)


def readinglist(library: Path, *args: str) -> str:
    """Run the real command line in its own process, as a terminal would; its output."""
    done = run_readinglist(library, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_papers_imported_by_a_command_appear_in_the_open_window(
    qtbot, window, library_dir: Path, zebra_dump: Path
):
    before = window.model.rowCount()
    papers = window.sidebar_stats.papers
    readinglist(library_dir, "import", str(zebra_dump))
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 2, timeout=10_000)
    qtbot.waitUntil(lambda: window.sidebar_stats.papers == papers + 2, timeout=10_000)
    assert window.last_message == ELSEWHERE
    # The index the command wrote answers here too.
    window.search.set_query("zebra")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)


def test_a_paper_marked_read_by_a_command_shows_as_read(qtbot, window, library_dir: Path):
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() is not None)
    shown = window.detail.current_paper_id()
    assert window.current_paper().status == "unread"
    readinglist(library_dir, "mark", str(shown), "--read")
    qtbot.waitUntil(lambda: window.current_paper().status == "read", timeout=10_000)
    assert window.detail.current_paper_id() == shown
    assert window.last_message == ELSEWHERE


def test_typing_in_the_note_holds_the_list_still_until_focus_leaves(
    qtbot, window, library_dir: Path, zebra_dump: Path
):
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() is not None)
    shown = window.detail.current_paper_id()
    before = window.model.rowCount()
    window.focus_note()
    editor = window.detail.note_editor.editor
    qtbot.waitUntil(editor.hasFocus)
    QTest.keyClicks(editor, "Half way through a sentence")
    readinglist(library_dir, "import", str(zebra_dump))
    qtbot.waitUntil(lambda: window.sidebar_stats.papers == before + 2, timeout=10_000)
    qtbot.wait(400)  # several polls: the listing must not move from under the typing
    assert window.model.rowCount() == before
    assert window.detail.current_paper_id() == shown
    QTest.keyClick(editor, Qt.Key.Key_Escape)  # back to the list
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 2, timeout=10_000)
    qtbot.waitUntil(window.is_idle)
    assert window.collection.get(shown).note == "Half way through a sentence"


def test_the_windows_own_writes_are_not_announced_as_from_elsewhere(qtbot, window):
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() is not None)
    QTest.keyClick(window.table, Qt.Key.Key_Space)  # marks it read, here
    qtbot.waitUntil(window.is_idle)
    qtbot.wait(500)  # several polls
    qtbot.waitUntil(window.is_idle)
    assert window.last_message != ELSEWHERE


def test_a_library_that_cannot_be_read_for_a_moment_is_asked_again(qtbot, window, library_dir):
    # The question fails (the file is briefly gone, say): no message, no crash
    # report, and the next poll asks again and finds the change.
    answers: list[int] = []
    real = window.collection.changed_elsewhere

    def flaky(seen: int) -> tuple[int, bool]:
        answers.append(seen)
        if len(answers) < 3:
            raise OSError("the library is being moved")
        return real(seen)

    window.outside._changed_elsewhere = flaky
    qtbot.waitUntil(lambda: len(answers) >= 3, timeout=10_000)
    assert window.last_message != ELSEWHERE
    readinglist(library_dir, "mark", str(window.model.id_at(0)), "--read")
    qtbot.waitUntil(lambda: window.last_message == ELSEWHERE, timeout=10_000)


def test_the_keyboard_on_the_similar_papers_does_not_hold_the_list(
    qtbot, window, library_dir: Path, zebra_dump: Path
):
    # Only typing holds the list still: a list or a button of the pane does not.
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() is not None)
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    QTest.keyClick(window.table, Qt.Key.Key_S)
    qtbot.waitUntil(window.detail.similar_list.hasFocus, timeout=10_000)
    before = window.model.rowCount()
    readinglist(library_dir, "import", str(zebra_dump))
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 2, timeout=10_000)
    assert window.last_message == ELSEWHERE


def test_a_search_saved_by_a_command_appears_in_the_sidebar(qtbot, window, library_dir: Path):
    def names() -> list[str]:
        saved = window.sidebar.saved
        return [saved.topLevelItem(i).text(0) for i in range(saved.topLevelItemCount())]

    assert "Zebras" not in names()
    readinglist(library_dir, "saved", "add", "Zebras", "zebra OR stripes")
    qtbot.waitUntil(lambda: "Zebras" in names(), timeout=10_000)
    readinglist(library_dir, "saved", "remove", "Zebras")
    qtbot.waitUntil(lambda: "Zebras" not in names(), timeout=10_000)
