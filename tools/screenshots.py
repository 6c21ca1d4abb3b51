"""Screenshots of the window and its dialogs, for reviewing the GUI and for the README.

Builds a library from the page dumps (and the real captures of the site) in
a temporary folder, opens the real window on it and saves PNGs, in the light
and the dark palette (`-light.png`, `-dark.png`):

    main                the library newest first, with bylines, dates, votes,
                        tags and read papers, a note being typed
    window-1000x700, window-1400x900, window-1900x1000
                        the library, a paper with a long abstract selected
                        and a note being typed into it
    search              a search with the hits highlighted
    saved-search        a saved search listed (one highlight in the sidebar)
    drop                files dragged over the window
    import-preview      the preview of an import (new and known papers)
    import-summary      what an import did, file by file
    export-dialog       the export dialog, with its validation message
    export-result       what an export wrote, and where
    save-search         the dialog that names a search
    shortcuts           the F1 list
    inbox               the Inbox in for-you order, with its count
    upvote-history      a paper seen on two pages, its upvotes drawn
    reading             Reading at a glance
    empty               an empty library

and main-light again as resources/screenshots/main.png (the README and the
Linux metainfo show it). Run it under a display, e.g. Xvfb:

    Xvfb :99 -screen 0 1900x1000x24 &
    DISPLAY=:99 .venv/bin/python tools/screenshots.py shots/
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DUMPS = REPO / "tests" / "data" / "dumps"
CAPTURES = [
    REPO / "tests" / "data" / "wild" / "daily_2024-08-01.html",
    REPO / "tests" / "data" / "wild" / "trending_capture.md",
]
MAIN_SHOT = REPO / "resources" / "screenshots" / "main.png"
SIZES = ((1000, 700), (1400, 900), (1900, 1000))
MAIN_SIZE = (1400, 900)
THEMES = ("light", "dark")
DUMPS_LEFT_OUT: list[Path] = []

NOTE = """## Why it matters

Continued fractions as a **drop-in** replacement for attention blocks:

- far fewer parameters than multi-head attention
- custom gradients, *no* change to the training loop

> Results are competitive on GPT2-xl and Llama3.

Next: compare with [state space models](https://arxiv.org) on long context.
"""
TYPED = "Read with the RAG survey.\nCheck the ablation in section 4\nand the "


def settle(app, ms: int = 150) -> None:
    """Let timers fire and paint happen (a tool, so waiting is fine)."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(app, condition: Callable[[], bool], timeout_s: float = 300) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not settle")
        app.processEvents()
        time.sleep(0.01)


def grab(app, window, path: Path, *, dialog=None) -> None:
    """The window (and a dialog over it) as the screen shows them."""
    settle(app, 250)
    screen = window.screen()
    frame = window.frameGeometry()
    if dialog is not None:
        frame = frame.united(dialog.frameGeometry())
    picture = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    if picture.isNull() or app.platformName() == "offscreen":
        picture = (dialog or window).grab()
    picture.save(str(path))
    print(f"saved {path}")


def save_small(source: Path, target: Path) -> None:
    """A 256-colour copy: the screenshot stays well under 300 KB, text still crisp."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    target.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(str(source)).convertToFormat(
        QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
    )
    image.save(str(target), "PNG", 0)
    print(f"saved {target} ({target.stat().st_size // 1024} KB)")


def build_library(folder: Path, sources: list[Path]) -> None:
    from readinglist.collection import Collection

    collection = Collection.open(folder)
    try:
        report = collection.import_paths(sources)
        if report.failed:
            raise SystemExit(f"could not import: {[f.path for f in report.failed]}")
        ids = collection.list_ids(sort="added")
        collection.mark(ids[:9], "read")
        collection.add_tags(ids[:6], ["to-cite"])
        collection.add_tags(ids[2:5], ["attention"])
        collection.add_tags(ids[7:9], ["survey"])
        collection.set_note(ids[0], NOTE)
        collection.set_note(ids[3], "Compare with the Mamba results.")
        collection.save_search("Attention papers", "attention")
        collection.save_search("Unread surveys", "survey status:unread")
    finally:
        collection.close()


def open_window(app, folder: Path, settings_path: Path):
    from readinglist.collection import Collection
    from readinglist.gui.main_window import MainWindow
    from readinglist.gui.settings import Settings

    collection = Collection.open(folder)
    window = MainWindow(collection, settings=Settings(settings_path))
    window.resize(*MAIN_SIZE)
    window.move(0, 0)
    window.show()
    window.start()
    wait_for(app, window.is_idle)
    window.activateWindow()
    settle(app, 300)
    return window, collection


def close_window(app, window, collection) -> None:
    window.close()
    settle(app, 50)
    collection.close()


def select_paper(app, window, paper_id: int) -> None:
    window.show_paper_id(paper_id)
    wait_for(app, lambda: window.detail.current_paper_id() == paper_id)
    settle(app, 700)  # the detail pane loads similar papers after a pause
    wait_for(app, window.is_idle)


def longest_abstract(collection) -> int:
    papers = collection.get_many(collection.list_ids())
    return max(papers, key=lambda p: len(p.abstract)).id


def type_note(app, window, typed: str) -> None:
    """Enter in the table, then type as a person would (the note is left unsaved)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_Return)
    editor = window.detail.note_editor.editor
    editor.selectAll()
    editor.textCursor().removeSelectedText()
    for line_number, line in enumerate(typed.split("\n")):
        if line_number:
            QTest.keyClick(editor, Qt.Key.Key_Return)
        QTest.keyClicks(editor, line)
    settle(app, 100)


def hover_files(window, paths: list[Path]) -> None:
    """Drag files over the window, as a file manager would (no drop)."""
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(window.width() // 2, window.height() // 2),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)


def fit_on_screen(app, window, width: int, height: int) -> None:
    """`width` x `height`, the window frame included when the screen is no larger."""
    window.resize(width, height)
    settle(app, 200)
    room = window.screen().availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    fitted = (min(width, room.width() - extra_w), min(height, room.height() - extra_h))
    if fitted != (width, height):
        window.resize(*fitted)
        window.move(room.topLeft())
        settle(app, 200)


def centre(dialog, window) -> None:
    dialog.move(window.geometry().center() - dialog.rect().center())


def shoot_main(app, window, collection, path: Path) -> None:
    """The picture for the README: the listing at its richest, a paper and its note."""
    from readinglist.gui.models.paper_table import DATE

    fit_on_screen(app, window, *MAIN_SIZE)
    window.sidebar.select_view("all")
    window.table.horizontalHeader().sectionClicked.emit(DATE)  # newest publication first
    rows = [window.model.id_at(i) for i in range(8)]
    collection.mark([rows[i] for i in (1, 4, 5)], "read")
    collection.add_tags([rows[i] for i in (0, 2, 6)], ["to-cite"])
    collection.add_tags([rows[0]], ["memory"])
    window.model.forget()
    window.refresh_stats()
    select_paper(app, window, rows[0])
    window.table.scrollToTop()
    type_note(app, window, "Stateless LLMs vs. an event-driven memory:\ncompare with ")
    grab(app, window, path)
    window.detail.note_editor.set_text("")
    window.reset_sort()


def shoot_theme(app, window, collection, out: Path, scheme: str, sources: list[Path]) -> None:
    from readinglist.gui.dialogs.export_dialog import ExportResultDialog
    from readinglist.gui.dialogs.import_dialogs import ImportPreviewDialog, ImportSummaryDialog
    from readinglist.gui.dialogs.shortcuts_dialog import ShortcutsDialog
    from readinglist.gui.models.paper_table import DATE

    shoot_main(app, window, collection, out / f"main-{scheme}.png")
    long_one = longest_abstract(collection)
    window.sidebar.select_view("all")
    window.search.set_query("")
    for width, height in SIZES:
        fit_on_screen(app, window, width, height)
        select_paper(app, window, long_one)
        type_note(app, window, TYPED)
        grab(app, window, out / f"window-{width}x{height}-{scheme}.png")
        window.detail.note_editor.set_text("")  # leave the typing unsaved
        window.table.setFocus()
    fit_on_screen(app, window, *MAIN_SIZE)

    # Newest publication first: the listing with bylines, dates and votes.
    window.table.horizontalHeader().sectionClicked.emit(DATE)
    window.search.set_query("attention transformer")
    window.table.selectRow(0)
    settle(app, 700)
    grab(app, window, out / f"search-{scheme}.png")

    item = window.sidebar.saved.topLevelItem(0)
    window.sidebar.saved.setCurrentItem(item)
    window.sidebar.saved.itemClicked.emit(item, 0)
    settle(app, 600)
    grab(app, window, out / f"saved-search-{scheme}.png")
    window.search.set_query("")
    window.reset_sort()

    hover_files(window, sources[:5])
    grab(app, window, out / f"drop-{scheme}.png")
    window.drop_overlay.withdraw()

    # The dump left out of the library (new papers), a capture (known ones), a missing file.
    window.import_paths([str(DUMPS_LEFT_OUT[0]), str(sources[-1]), str(DUMPS / "missing.txt")])
    wait_for(app, lambda: window.import_flow.preview is not None)
    preview: ImportPreviewDialog = window.import_flow.preview
    centre(preview, window)
    grab(app, window, out / f"import-preview-{scheme}.png", dialog=preview)
    plan = preview.plan
    preview.reject()
    wait_for(app, lambda: not window.import_flow.busy)

    report = collection.run_import(plan)
    window.refresh_stats()  # imported behind the window's back: its counts follow
    summary = ImportSummaryDialog(report, window, plan)
    summary.show()
    centre(summary, window)
    grab(app, window, out / f"import-summary-{scheme}.png", dialog=summary)
    summary.close()

    window.open_export_dialog()
    dialog = window.export_flow.dialog
    dialog.folder_edit.setText("Notes/Papers")
    dialog.force_check.setChecked(True)
    dialog.accept()  # refused: the message shows where it will always show
    centre(dialog, window)
    grab(app, window, out / f"export-dialog-{scheme}.png", dialog=dialog)
    dialog.reject()

    with tempfile.TemporaryDirectory(prefix="readinglist-vault-") as vault:
        papers = collection.select_for_export()
        exported = collection.export(papers, Path(vault))
        result = ExportResultDialog(exported, window, Path(vault))
        result.show()
        centre(result, window)
        grab(app, window, out / f"export-result-{scheme}.png", dialog=result)
        result.close()

    window.search.set_query("attention")
    window.save_search()
    naming = window.last_dialog
    centre(naming, window)
    grab(app, window, out / f"save-search-{scheme}.png", dialog=naming)
    naming.reject()
    window.search.set_query("")

    shortcuts = ShortcutsDialog(window)
    shortcuts.show()
    centre(shortcuts, window)
    grab(app, window, out / f"shortcuts-{scheme}.png", dialog=shortcuts)
    shortcuts.close()

    # The Inbox, in for-you order once a few papers are read, one with history.
    window.sidebar.select_view("inbox")
    settle(app, 600)
    window.table.selectRow(0)
    settle(app, 400)
    grab(app, window, out / f"inbox-{scheme}.png")
    with_history = next(
        (i for i in window.model.ids() if len(collection.upvote_history(i)) > 1), None
    )
    if with_history is not None:
        select_paper(app, window, with_history)
        grab(app, window, out / f"upvote-history-{scheme}.png")
    window.sidebar.select_view("all")

    window.show_reading()
    reading = window.last_dialog
    wait_for(app, lambda: reading.summary is not None)
    centre(reading, window)
    grab(app, window, out / f"reading-{scheme}.png", dialog=reading)
    reading.close()


def shoot(out: Path, dumps_dir: Path, main_shot: Path | None) -> None:
    from PySide6.QtWidgets import QApplication

    from readinglist.gui import theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("readinglist")
    app.setWindowIcon(theme.app_icon())
    dumps = sorted(dumps_dir.glob("*.txt"))
    if len(dumps) < 2:
        raise SystemExit(f"no page dumps in {dumps_dir}")
    sources = dumps + [p for p in CAPTURES if p.is_file()]

    with tempfile.TemporaryDirectory(prefix="readinglist-shots-") as temp:
        temp_dir = Path(temp)
        print("building a library from the dumps (the search index takes a while)…")
        for scheme in THEMES:
            theme.apply_theme(app, scheme)
            library = temp_dir / scheme / "papers"  # the window's title names it
            # The last dump is left out: the import preview shows it as new.
            DUMPS_LEFT_OUT[:] = dumps[-1:]
            build_library(library, dumps[:-1] + sources[len(dumps) :])
            window, collection = open_window(app, library, temp_dir / f"{scheme}.ini")
            shoot_theme(app, window, collection, out, scheme, sources)
            close_window(app, window, collection)

            empty, empty_collection = open_window(
                app, temp_dir / scheme / "new-library", temp_dir / f"empty-{scheme}.ini"
            )
            grab(app, empty, out / f"empty-{scheme}.png")
            close_window(app, empty, empty_collection)
        theme.apply_theme(app, "light")

    if main_shot is not None:
        save_small(out / "main-light.png", main_shot)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="shots", help="folder for the PNGs")
    parser.add_argument("--dumps", default=str(DUMPS), help="folder of page dumps")
    parser.add_argument(
        "--no-main", action="store_true", help="do not update resources/screenshots/main.png"
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shoot(out, Path(args.dumps), None if args.no_main else MAIN_SHOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
