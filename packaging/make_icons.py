"""Make every icon the packages need from the one source, resources/icon.svg.

Usage::

    python packaging/make_icons.py OUT_DIR          # hicolor PNGs, icon.ico, icon.icns
    python packaging/make_icons.py --runtime        # refresh resources/icon-256.png

The SVG is rendered with Qt's own SVG renderer (QtSvg ships in
PySide6-Essentials), offscreen, so no display and no extra dependency is
needed. The .ico and .icns containers are written here by hand: both formats
accept PNG entries (ICO since Windows Vista, ICNS since Mac OS X 10.7), so a
container is a small header plus the PNGs, and Pillow is not needed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE_SVG = REPO / "resources" / "icon.svg"
RUNTIME_PNG = REPO / "resources" / "icon-256.png"

# hicolor sizes for the Linux package (the freedesktop icon theme spec's usual set).
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
# Sizes Windows picks from: small icons, Explorer views, and 256 for "extra large".
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, with the pixel size of each.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
)


def render_pngs(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """Render the SVG to square PNGs.

    Args:
        svg: The SVG file.
        sizes: Pixel sizes wanted.

    Returns:
        PNG bytes by size.

    Raises:
        ValueError: If Qt cannot read the SVG.
    """
    # Offscreen so this runs on a build machine without a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"Qt cannot render {svg}")
    pngs: dict[int, bytes] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        pngs[size] = bytes(data)
    return pngs


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """Pack PNGs into a Windows .ico file.

    Args:
        pngs: PNG bytes by pixel size (at most 256).

    Returns:
        The .ico file's bytes.
    """
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = pngs[size]
        # Width and height 0 mean 256 in an ICONDIRENTRY.
        dim = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """Pack PNGs into a macOS .icns file.

    Args:
        pngs: PNG bytes by pixel size; every size of ICNS_TYPES must be there.

    Returns:
        The .icns file's bytes.
    """
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_all(out: Path, svg: Path = SOURCE_SVG) -> None:
    """Write hicolor/NxN/apps/readinglist.png, icon.ico and icon.icns under `out`.

    Args:
        out: The folder to write into (created if missing).
        svg: The source icon.
    """
    wanted = set(HICOLOR_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = render_pngs(svg, wanted)
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / "readinglist.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    (out / "icon.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (out / "icon.icns").write_bytes(icns_bytes(pngs))


def make_runtime_png(svg: Path = SOURCE_SVG, target: Path = RUNTIME_PNG) -> None:
    """Refresh the committed window icon, resources/icon-256.png.

    Args:
        svg: The source icon.
        target: Where the PNG goes.
    """
    target.write_bytes(render_pngs(svg, {256})[256])


def main(argv: list[str] | None = None) -> int:
    """Command line entry point.

    Args:
        argv: Arguments without the program name.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="folder for the generated icons")
    parser.add_argument("--runtime", action="store_true", help="refresh resources/icon-256.png")
    args = parser.parse_args(argv)
    if args.runtime:
        make_runtime_png()
    if args.out:
        make_all(args.out)
    if not (args.runtime or args.out):
        parser.error("give OUT_DIR, --runtime, or both")
    return 0


if __name__ == "__main__":
    sys.exit(main())
