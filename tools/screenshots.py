"""Screenshots of the main views, for looking at the GUI and for the store listing.

Builds a library from the shared page dumps in a temporary folder, opens the
real window on it and saves PNGs:

    library.png         the library view, a paper selected
    search.png          a search with the hits highlighted
    detail-note.png     a paper with a Markdown note, in preview
    import-preview.png  the preview of an import (new and known papers)
    export-dialog.png   the export dialog
    empty.png           an empty library
    dark.png            the library view in the dark palette

and the library view again as resources/screenshots/main.png (the Linux
metainfo shows it). Run it under a display, e.g. Xvfb:

    Xvfb :99 -screen 0 1400x900x24 &
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
MAIN_SHOT = REPO / "resources" / "screenshots" / "main.png"
SIZE = (1400, 860)

NOTE = """## Why it matters

Continued fractions as a **drop-in** replacement for attention blocks:

- far fewer parameters than multi-head attention
- custom gradients, *no* change to the training loop

> Results are competitive on GPT2-xl and Llama3.

Next: compare with [state space models](https://arxiv.org) on long context.
"""


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
    settle(app)
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
    """A 256-colour copy: the metainfo screenshot stays well under 300 KB, text still crisp."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    target.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(str(source)).convertToFormat(
        QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
    )
    image.save(str(target), "PNG", 0)
    print(f"saved {target} ({target.stat().st_size // 1024} KB)")


def build_library(folder: Path, dumps: list[Path]) -> None:
    from readinglist.collection import Collection

    collection = Collection.open(folder)
    try:
        report = collection.import_paths(dumps)
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
    window.resize(*SIZE)
    window.move(0, 0)
    window.show()
    window.start()
    wait_for(app, window.worker.is_idle)
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


def shoot(out: Path, dumps_dir: Path, main_shot: Path | None) -> None:
    from PySide6.QtWidgets import QApplication

    from readinglist.gui import theme
    from readinglist.gui.import_dialogs import ImportPreviewDialog
    from readinglist.gui.paper_table import DATE

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("readinglist")
    theme.apply_theme(app, "light")
    app.setWindowIcon(theme.app_icon())
    dumps = sorted(dumps_dir.glob("*.txt"))
    if len(dumps) < 2:
        raise SystemExit(f"no page dumps in {dumps_dir}")

    with tempfile.TemporaryDirectory(prefix="readinglist-shots-") as temp:
        temp_dir = Path(temp)
        library = temp_dir / "library"
        print("building a library from the dumps (the search index takes a while)…")
        build_library(library, dumps[:-1])
        window, collection = open_window(app, library, temp_dir / "settings.ini")

        ids = collection.list_ids(sort="added")
        window.sidebar.select_view("all")
        # Newest publication first: the listing with bylines, dates and votes.
        window.table.horizontalHeader().sectionClicked.emit(DATE)
        collection.mark([window.model.id_at(i) for i in (1, 4, 5)], "read")
        collection.add_tags([window.model.id_at(i) for i in (1, 2, 6)], ["to-cite"])
        window.refresh_stats()
        window.model.forget()
        select_paper(app, window, window.model.id_at(2))
        window.table.scrollToTop()
        grab(app, window, out / "library.png")
        if main_shot is not None:
            save_small(out / "library.png", main_shot)

        window.search.set_query("attention transformer")
        window.table.selectRow(0)
        settle(app, 700)
        grab(app, window, out / "search.png")

        window.search.set_query("")
        select_paper(app, window, ids[0])
        window.detail.note_editor.set_preview(True)
        settle(app)
        window.detail.scroll.ensureWidgetVisible(window.detail.note_editor, 0, 40)
        grab(app, window, out / "detail-note.png")
        window.detail.note_editor.set_preview(False)

        window.import_paths([str(dumps[-1]), str(dumps[0])])
        wait_for(app, lambda: window.import_flow.preview is not None)
        preview: ImportPreviewDialog = window.import_flow.preview
        preview.move(window.geometry().center() - preview.rect().center())
        grab(app, window, out / "import-preview.png", dialog=preview)
        preview.reject()
        wait_for(app, lambda: not window.import_flow.busy)

        window.open_export_dialog()
        dialog = window.export_flow.dialog
        dialog.folder_edit.setText(str(Path.home() / "Notes" / "Papers"))
        dialog.move(window.geometry().center() - dialog.rect().center())
        grab(app, window, out / "export-dialog.png", dialog=dialog)
        dialog.reject()

        theme.apply_theme(app, "dark")
        window.search.set_query("attention")
        select_paper(app, window, window.model.id_at(1))
        window.table.scrollToTop()
        settle(app, 400)
        grab(app, window, out / "dark.png")
        theme.apply_theme(app, "light")
        close_window(app, window, collection)

        empty, empty_collection = open_window(app, temp_dir / "empty", temp_dir / "empty.ini")
        grab(app, empty, out / "empty.png")
        close_window(app, empty, empty_collection)


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
