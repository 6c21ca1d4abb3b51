"""The source icon renders with Qt's SVG renderer, which makes every packaged icon."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def make_icons():
    path = REPO / "packaging" / "make_icons.py"
    spec = importlib.util.spec_from_file_location("make_icons", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def covered(image: QImage) -> float:
    """Share of pixels that are not fully transparent."""
    opaque = sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 0
    )
    return opaque / (image.width() * image.height())


@pytest.mark.parametrize("size", [16, 32, 256])
def test_icon_renders_at_every_size(qapp, make_icons, size: int) -> None:
    png = make_icons.render_pngs(REPO / "resources" / "icon.svg", {size})[size]
    image = QImage.fromData(png, "PNG")
    assert (image.width(), image.height()) == (size, size)
    # The icon fills most of its square, and its middle (the paper) is opaque.
    assert covered(image) > 0.4
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_committed_window_icon_matches_the_svg(qapp, make_icons) -> None:
    rendered = QImage.fromData(make_icons.render_pngs(REPO / "resources" / "icon.svg", {256})[256])
    committed = QImage(str(REPO / "resources" / "icon-256.png"))
    assert committed.size() == rendered.size()
    # Renderers may differ in anti-aliasing by a step or two, not in shape:
    # rerun `python packaging/make_icons.py --runtime` after editing the SVG.
    differing = sum(
        1
        for y in range(0, 256, 4)
        for x in range(0, 256, 4)
        if abs(committed.pixelColor(x, y).alpha() - rendered.pixelColor(x, y).alpha()) > 16
    )
    assert differing < 0.01 * 64 * 64
