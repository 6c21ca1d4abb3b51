"""Build the Debian package from the PyInstaller bundle.

Usage::

    python packaging/linux/build_deb.py [--bundle dist/readinglist] [--icons build/icons]
                                        [--out dist] [--compression xz|gzip|zstd|none]

packaging/build.py --deb calls this after building the bundle. The package
holds the bundle under /opt/readinglist, a /usr/bin/readinglist symlink, the
.desktop file, the AppStream metainfo and the hicolor icons. Debian's own
triggers (desktop-file-utils, the icon caches, AppStream) pick those up, so
the package needs no maintainer scripts. dpkg-deb --root-owner-group makes
every file root's without fakeroot.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
APP_ID = "io.github.readinglist.ReadingList"
PACKAGE = "readinglist"
DEPENDS_FILE = LINUX / "deb-depends.txt"
DEFAULT_REPO_URL = "https://github.com/readinglist/readinglist"
# Override with READINGLIST_MAINTAINER="Name <address>" for a real release.
DEFAULT_MAINTAINER = "The readinglist developers <readinglist@example.invalid>"


def project_metadata() -> dict:
    """The [project] table of pyproject.toml."""
    with (REPO / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]


def debian_version(version: str) -> str:
    """Turn a PEP 440 version into a Debian one that sorts the same way.

    Args:
        version: e.g. "1.2.0", "1.2.0rc1", "1.2.0.dev3".

    Returns:
        e.g. "1.2.0", "1.2.0~rc1", "1.2.0~dev3": "~" sorts before the release.
    """
    return re.sub(r"\.?(a|b|rc|dev)(\d*)", r"~\1\2", version).replace("+", "+local.")


def repo_url(project: dict) -> str:
    """The project's public URL, for the metainfo's links and screenshot."""
    urls = {key.lower(): value for key, value in project.get("urls", {}).items()}
    url = (
        os.environ.get("READINGLIST_REPO_URL")
        or urls.get("repository")
        or urls.get("homepage")
        or urls.get("source")
    )
    if not url:
        print(
            f"build_deb: no [project.urls] Repository in pyproject.toml; using {DEFAULT_REPO_URL}",
            file=sys.stderr,
        )
        url = DEFAULT_REPO_URL
    return url.rstrip("/")


def read_depends(path: Path = DEPENDS_FILE) -> list[str]:
    """The Depends entries: one a line, '#' starts a comment.

    Args:
        path: The list (packaging/linux/deb-depends.txt).

    Returns:
        Entries such as "libegl1" or "fonts-dejavu-core | fonts-freefont-ttf".
    """
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return entries


def metainfo_text(version: str, url: str) -> str:
    """The metainfo file with its placeholders filled in."""
    text = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    return text.replace("@REPO_URL@", url).replace("@VERSION@", version)


def control_text(fields: dict[str, str], description: str) -> str:
    """A DEBIAN/control file."""
    lines = [f"{key}: {value}" for key, value in fields.items()]
    summary, *body = description.strip().splitlines()
    lines.append(f"Description: {summary}")
    lines += [f" {line}" if line.strip() else " ." for line in body]
    return "\n".join(lines) + "\n"


def stage(root: Path, bundle: Path, icons: Path, version: str, url: str) -> None:
    """Lay out the package's files under `root`.

    Args:
        root: The staging folder (emptied first).
        bundle: The PyInstaller one-folder bundle.
        icons: Folder made by packaging/make_icons.py (holds hicolor/).
        version: The project version.
        url: The project's public URL.
    """
    if root.exists():
        shutil.rmtree(root)
    opt = root / "opt" / PACKAGE
    shutil.copytree(bundle, opt, symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    # A symlink is enough: the bootloader finds its files through
    # /proc/self/exe, which resolves the link.
    (usr_bin / PACKAGE).symlink_to(f"/opt/{PACKAGE}/{PACKAGE}")
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(LINUX / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(
        metainfo_text(version, url), encoding="utf-8"
    )
    hicolor = share / "icons" / "hicolor"
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(REPO / "resources" / "icon.svg", hicolor / "scalable" / "apps" / f"{APP_ID}.svg")
    pngs = sorted((icons / "hicolor").glob("*/apps/*.png"))
    if not pngs:
        raise SystemExit(f"no PNG icons under {icons}/hicolor: run packaging/make_icons.py")
    for png in pngs:
        target = hicolor / png.parent.parent.name / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, target)
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        f"Upstream-Name: {PACKAGE}\nSource: {url}\n\n"
        "Files: *\nCopyright: The readinglist developers\nLicense: MIT\n\n"
        "Files: opt/readinglist/_internal/*\n"
        "Comment: Python, Qt (PySide6) and the Python packages the app uses, each\n"
        " under its own license (Python-2.0, LGPL-3.0, MIT, BSD); see their\n"
        " *.dist-info folders.\n",
        encoding="utf-8",
    )
    # Files 0644, folders and executables 0755, whatever the umask was.
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or os.access(path, os.X_OK):
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def installed_size_kib(root: Path) -> int:
    """Installed-Size, in KiB, as dpkg counts it (roughly: the sum of file sizes)."""
    total = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return (total + 1023) // 1024


def build(
    bundle: Path, icons: Path, out: Path, compression: str = "xz", workdir: Path | None = None
) -> Path:
    """Build the .deb and return its path.

    Args:
        bundle: The PyInstaller bundle folder.
        icons: The generated icons folder.
        out: Where the .deb goes.
        compression: dpkg-deb's -Z value.
        workdir: Staging area (default build/deb).

    Returns:
        The path of the .deb.
    """
    if not (bundle / PACKAGE).is_file():
        raise SystemExit(f"no bundle at {bundle}: build it first (packaging/build.py)")
    project = project_metadata()
    version = debian_version(project["version"])
    url = repo_url(project)
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()
    root = (workdir or REPO / "build" / "deb") / "root"
    stage(root, bundle, icons, project["version"], url)
    fields = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": arch,
        "Maintainer": os.environ.get("READINGLIST_MAINTAINER", DEFAULT_MAINTAINER),
        "Installed-Size": str(installed_size_kib(root)),
        "Depends": ", ".join(read_depends()),
        "Section": "science",
        "Priority": "optional",
        "Homepage": url,
    }
    description = f"""{project["description"]}
readinglist turns saved listing pages of research papers (page dumps) into a
local, searchable library: title, abstract, byline, date and upvotes of every
paper, read/unread status, tags and Markdown notes, exported to a notes vault.
.
This package ships a self-contained build (Python and Qt included) under
/opt/readinglist."""
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(control_text(fields, description), encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{PACKAGE}_{version}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(root), str(deb)],
        check=True,
    )
    return deb


def main(argv: list[str] | None = None) -> int:
    """Command line entry point.

    Args:
        argv: Arguments without the program name.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description="Build the readinglist .deb from the bundle.")
    parser.add_argument("--bundle", type=Path, default=REPO / "dist" / PACKAGE)
    parser.add_argument("--icons", type=Path, default=REPO / "build" / "icons")
    parser.add_argument("--out", type=Path, default=REPO / "dist")
    parser.add_argument("--compression", default="xz", choices=("xz", "gzip", "zstd", "none"))
    args = parser.parse_args(argv)
    deb = build(args.bundle, args.icons, args.out, args.compression)
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
