"""The paper table's repaint after a model reset (what each keystroke of a search costs the
GUI thread), against a plain QTableView over a QStandardItemModel of the same texts.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/paint_bench.py [--runs 40]

The window is the real one, 1400x860, over a library of the sample dumps
(built once in a temporary folder); each run resets the model (as a new
listing does) and repaints the table at once. The anchor is the same texts
in a model whose data() is C++, in a table of the same size and font, so
the ratio is what Python's model and delegate add. Prints Markdown.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

REPO = Path(__file__).resolve().parents[1]
SIZE = (1400, 860)


def settle(app: QApplication, seconds: float = 0.5) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def timed(repaint, runs: int) -> list[float]:
    repaint()  # warm: the rows on screen are fetched and their texts made
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        repaint()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from readinglist.collection import Collection
    from readinglist.gui.main_window import MainWindow
    from readinglist.gui.models.paper_table import COLUMNS
    from readinglist.gui.settings import Settings

    app = QApplication([])
    with tempfile.TemporaryDirectory(prefix="readinglist-paint-") as work:
        folder = Path(work) / "lib"
        built = Collection.open(folder)
        built.import_paths(sorted((REPO / "tests" / "data" / "dumps").glob("*.txt")))
        built.close()
        collection = Collection.open(folder)
        window = MainWindow(collection, settings=Settings(Path(work) / "settings.ini"))
        window.resize(*SIZE)
        window.show()
        settle(app)
        model, table = window.model, window.table

        def ours() -> None:
            model.beginResetModel()
            model.endResetModel()
            table.viewport().repaint()

        # The anchor: the same rows' texts in a C++ model, in a table of the same size.
        plain_model = QStandardItemModel(model.rowCount(), len(COLUMNS))
        for row in range(model.rowCount()):
            for column in range(len(COLUMNS)):
                plain_model.setItem(row, column, QStandardItem(model.index(row, column).data()))
        plain = QTableView()
        plain.setModel(plain_model)
        plain.resize(table.size())
        plain.setFont(table.font())
        for column in range(len(COLUMNS)):
            plain.setColumnWidth(column, table.columnWidth(column))
        plain.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        plain.show()
        settle(app)

        def anchor() -> None:
            plain_model.layoutAboutToBeChanged.emit()
            plain_model.layoutChanged.emit()
            plain.viewport().repaint()

        rows_on_screen = table.rowAt(table.viewport().height() - 1) - table.rowAt(0) + 1
        # Interleaved, so that the machine's load falls on both alike.
        mine: list[float] = []
        bare: list[float] = []
        for _ in range(4):
            mine += timed(ours, args.runs // 4)
            bare += timed(anchor, args.runs // 4)
        window.shut_down()
        collection.close()

    def p95(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.95) - 1]

    shown = f"{model.rowCount()} papers, {rows_on_screen} rows on screen"
    print(f"{shown}, {args.runs} repaints each\n")
    print("| repaint after a reset | p50 | p95 |")
    print("|---|---|---|")
    print(f"| the paper table | {statistics.median(mine):.1f} ms | {p95(mine):.1f} ms |")
    print(f"| QStandardItemModel anchor | {statistics.median(bare):.1f} ms | {p95(bare):.1f} ms |")
    ratio = statistics.median(mine) / statistics.median(bare)
    print(f"| ratio | {ratio:.2f} | {p95(mine) / p95(bare):.2f} |")


if __name__ == "__main__":
    main()
