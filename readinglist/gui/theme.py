"""Look and feel: Fusion, the system's light or dark scheme, the app icon.

In the dark scheme (the platform's, or `READINGLIST_THEME=dark` for
screenshots and desktops without a theme plugin) the dark palette built here
is applied, the same everywhere. Widgets take their colours from the
palette, so nothing else needs to know, with one exception: Fusion draws the
outlines of fields, frames, buttons, check boxes and radio buttons in the
window colour darkened, which on a dark window is black on near-black and
on the light one a pale grey (under 2:1). Both schemes therefore run Fusion
behind `OutlinedFusion`, which draws those outlines in a colour with at least
3:1 contrast to the window; the light palette's selection is darkened too,
so white text on it reads (4.9:1).
"""

from __future__ import annotations

import functools
import logging
import os
from importlib import resources

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QImageReader,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

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
        # Bright enough to find the row at a glance on the dark base, dark
        # enough for white text (4.8:1).
        role.Highlight: "#2f6fd6",
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


# The outlines Fusion should draw (3:1 or more against the window); Fusion
# darkens the window colour by 140 % for outlines, so it is given the outline
# colour lightened by as much.
OUTLINES = {"light": "#80858c", "dark": "#737983"}
LIGHT_HIGHLIGHT = "#2b70c9"
_OUTLINED = frozenset(
    {
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        QStyle.PrimitiveElement.PE_FrameLineEdit,
        QStyle.PrimitiveElement.PE_PanelLineEdit,
        QStyle.PrimitiveElement.PE_Frame,
        QStyle.PrimitiveElement.PE_FrameGroupBox,
        QStyle.PrimitiveElement.PE_PanelButtonCommand,
        QStyle.PrimitiveElement.PE_PanelButtonTool,
    }
)


class OutlinedFusion(QProxyStyle):
    """Fusion, with outlines that show on the window (see the module docstring)."""

    def __init__(self, scheme: str) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.scheme = scheme
        self._outline_window = QColor(OUTLINES[scheme]).lighter(140)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element not in _OUTLINED or option is None:
            super().drawPrimitive(element, option, painter, widget)
            return
        saved = QPalette(option.palette)
        lighter = QPalette(saved)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            lighter.setColor(group, QPalette.ColorRole.Window, self._outline_window)
        option.palette = lighter
        try:
            super().drawPrimitive(element, option, painter, widget)
        finally:
            option.palette = saved


def is_dark(palette: QPalette) -> bool:
    """Whether `palette` is a dark one: its window colour is darker than mid-grey."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def wanted_scheme(app: QGuiApplication) -> str:
    """The colour scheme, "dark" or "light": the env override, else what the platform says."""
    forced = os.environ.get(THEME_ENV, "").strip().lower()
    if forced in ("dark", "light"):
        return forced
    scheme = app.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def light_palette(style: QStyle) -> QPalette:
    """Fusion's own light palette, with a selection dark enough for white text."""
    palette = style.standardPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor(LIGHT_HIGHLIGHT))
    return palette


def apply_theme(app: QApplication, scheme: str | None = None) -> None:
    """Fusion with a palette for `scheme` ("dark", "light"; None: the system's)."""
    scheme = "dark" if (scheme or wanted_scheme(app)) == "dark" else "light"
    style = app.style()
    if not isinstance(style, OutlinedFusion) or style.scheme != scheme:
        app.setStyle(OutlinedFusion(scheme))
    app.setPalette(dark_palette() if scheme == "dark" else light_palette(app.style()))


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
