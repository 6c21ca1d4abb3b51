"""The running QApplication, typed as one.

`QApplication.instance()` is typed as the base `QCoreApplication | None`, which has no widget or
focus API.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def application() -> QApplication:
    """The QApplication of this process, which the app makes before any widget.

    Raises:
        RuntimeError: there is none (or only a non-widget application).
    """
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication: widgets need one made first")
    return app
