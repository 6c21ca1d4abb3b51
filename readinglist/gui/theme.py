"""Look and feel: Fusion, the system's light or dark scheme, the app icon.

Qt 6 gives Fusion a dark palette on its own where the platform says the
scheme is dark (Windows, macOS, GNOME through the portal). Where the platform
says "dark" but the palette stayed light, and for `READINGLIST_THEME=dark`
(screenshots, people on desktops without a theme plugin), a dark palette
built here is applied. Widgets take their colours from the palette, so
nothing else needs to know.
"""

from __future__ import annotations

import functools
import logging
import os
from importlib import resources

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImageReader, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

THEME_ENV = "READINGLIST_THEME"  # "light", "dark", or unset: follow the system
APP_NAME = "readinglist"


def dark_palette() -> QPalette:
    """A calm dark palette with enough contrast for long reading."""
    palette = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: "#26282b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1d1f21",
        role.AlternateBase: "#232528",
        role.ToolTipBase: "#2f3236",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#8d939a",
        role.Text: "#e6e6e6",
        role.Button: "#2f3236",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ffffff",
        role.Light: "#3a3d41",
        role.Midlight: "#33363a",
        role.Mid: "#4a4e53",
        role.Dark: "#161719",
        role.Shadow: "#000000",
        role.Highlight: "#3d6fb4",
        role.HighlightedText: "#ffffff",
        role.Link: "#8ab4f8",
        role.LinkVisited: "#c58af9",
    }
    for colour_role, value in colours.items():
        palette.setColor(colour_role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, colour_role, QColor("#777b80"))
    palette.setColor(disabled, role.Highlight, QColor("#3a3d41"))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def wanted_scheme(app: QGuiApplication) -> str:
    """ "dark" or "light": the env override, else what the platform says."""
    forced = os.environ.get(THEME_ENV, "").strip().lower()
    if forced in ("dark", "light"):
        return forced
    scheme = app.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def apply_theme(app: QApplication, scheme: str | None = None) -> None:
    """Fusion with a palette for `scheme` ("dark", "light"; None: the system's)."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    scheme = scheme or wanted_scheme(app)
    standard = app.style().standardPalette()
    if scheme == "dark":
        app.setPalette(standard if is_dark(standard) else dark_palette())
    else:
        app.setPalette(standard)


def follow_system(app: QApplication) -> None:
    """Apply the theme now and again whenever the system switches light/dark."""
    apply_theme(app)
    if not os.environ.get(THEME_ENV):
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app))


@functools.cache
def app_icon() -> QIcon:
    """The app icon from readinglist.resources (SVG, else PNG); empty if neither is there.

    Rendered once per process (the app and each window share it).
    """
    try:
        folder = resources.files("readinglist.resources")
    except (ModuleNotFoundError, TypeError):
        log.info("no readinglist.resources package; running without an icon")
        return QIcon()
    for name in ("icon.svg", "icon-256.png"):
        try:
            data = (folder / name).read_bytes()
        except OSError:
            continue
        icon = _icon_from(data)
        if not icon.isNull():
            return icon
    log.info("no usable app icon in readinglist.resources")
    return QIcon()


def _icon_from(data: bytes) -> QIcon:
    """Render the image at each size an icon is asked for: crisp at any DPI."""
    icon = QIcon()
    # Qt scales between these; each SVG render costs a few ms at start-up.
    for size in (16, 32, 64, 128, 256):
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        reader.setScaledSize(QSize(size, size))
        image = reader.read()
        if not image.isNull():
            icon.addPixmap(QPixmap.fromImage(image))
    return icon
