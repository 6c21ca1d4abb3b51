"""Build the Debian package from the PyInstaller bundle.

Usage::

    python packaging/linux/build_deb.py [--bundle dist/readinglist] [--icons build/icons]
                                        [--docs build/docs] [--out dist]
                                        [--compression xz|gzip|zstd|none]

packaging/build.py --deb calls this after building the bundle. The package
holds the bundle under /opt/readinglist, a /usr/bin/readinglist symlink, the
.desktop file, the AppStream metainfo, the hicolor icons, the man page, the
bash/zsh/fish completions (both made by packaging/make_docs.py), a Debian
changelog, a machine-readable copyright file and lintian's overrides. Debian's
own triggers (desktop-file-utils, the icon caches, AppStream, man-db) pick
those up, so the package needs no maintainer scripts. dpkg-deb
--root-owner-group makes every file root's without fakeroot.

The maintainer, the homepage and the metainfo's links come from pyproject.toml
(packaging/project_meta.py); READINGLIST_REPO_URL overrides the repository URL
(the release workflow sets it to the repository it runs in).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

# packaging/ is not a package; appended, so that its build.py never shadows a real module.
sys.path.append(str(Path(__file__).resolve().parents[1]))
import project_meta

REPO = project_meta.REPO
LINUX = REPO / "packaging" / "linux"
APP_ID = "io.github.readinglist.ReadingList"
PACKAGE = "readinglist"
DEPENDS_FILE = LINUX / "deb-depends.txt"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
OVERRIDES = LINUX / f"{PACKAGE}.lintian-overrides"
# The upstream changelog, shipped as changelog.gz beside the Debian one.
UPSTREAM_CHANGELOG = REPO / "CHANGELOG.md"
# The Debian revision: the packaging of one upstream version; raise it to
# re-release the same version with packaging fixes only.
DEBIAN_REVISION = "1"
# Where each shell's completion loader looks (the Debian packages of bash-completion,
# zsh and fish read these folders), by the file names packaging/make_docs.py writes.
COMPLETION_DIRS = {
    PACKAGE: "usr/share/bash-completion/completions",
    f"_{PACKAGE}": "usr/share/zsh/vendor-completions",
    f"{PACKAGE}.fish": "usr/share/fish/vendor_completions.d",
}
# What the bundle carries besides readinglist itself, for the copyright file:
# (files, copyright holders, license short name). Each component's own license
# text ships with it in the bundle (the *.dist-info folders, Qt's LICENSES).
BUNDLED = [
    (
        "opt/readinglist/_internal/libpython* opt/readinglist/_internal/python3.11/*",
        "2001-2024 Python Software Foundation",
        "PSF-2.0",
    ),
    (
        "opt/readinglist/_internal/PySide6/* opt/readinglist/_internal/shiboken6/*"
        " opt/readinglist/_internal/libQt6* opt/readinglist/_internal/libpyside6*"
        " opt/readinglist/_internal/libshiboken6* opt/readinglist/_internal/libicu*",
        "2015-2024 The Qt Company Ltd.\n 1991-2024 Unicode, Inc. (ICU)",
        "LGPL-3",
    ),
    (
        "opt/readinglist/_internal/numpy* opt/readinglist/_internal/lib*openblas*"
        " opt/readinglist/_internal/libgfortran* opt/readinglist/_internal/libquadmath*",
        "2005-2024 NumPy Developers\n 2011-2024 The OpenBLAS Project\n"
        " 1985-2024 Free Software Foundation, Inc. (GCC runtime libraries)",
        "BSD-3-Clause",
    ),
    (
        "opt/readinglist/_internal/pydantic* opt/readinglist/_internal/sqlalchemy/*"
        " opt/readinglist/_internal/yaml/*",
        "2017-2024 Pydantic Services Inc. and contributors\n"
        " 2005-2024 the SQLAlchemy authors and contributors\n"
        " 2017-2021 Ingy döt Net, 2006-2016 Kirill Simonov (PyYAML)",
        "MIT",
    ),
]
LICENSE_TEXTS = {
    "PSF-2.0": "Python Software Foundation License Version 2; its full text ships in the\n"
    "bundle's Python standard library (LICENSE.txt of the interpreter's distribution).",
    "LGPL-3": "On Debian systems, the complete text of the GNU Lesser General Public\n"
    "License version 3 can be found in /usr/share/common-licenses/LGPL-3.",
    "BSD-3-Clause": "The 3-clause BSD license; the full texts of numpy's and its bundled\n"
    "libraries' licenses ship in opt/readinglist/_internal/numpy-*.dist-info/licenses/.",
}


def debian_version(version: str) -> str:
    """Turn a PEP 440 version into a Debian one that sorts the same way.

    Args:
        version: e.g. "1.2.0", "1.2.0rc1", "1.2.0.dev3".

    Returns:
        e.g. "1.2.0-1", "1.2.0~rc1-1", "1.2.0~dev3-1": "~" sorts before the
        release, and the Debian revision follows the upstream version.
    """
    upstream = re.sub(r"\.?(a|b|rc|dev)(\d*)", r"~\1\2", version).replace("+", "+local.")
    return f"{upstream}-{DEBIAN_REVISION}"


def repo_url(project: dict) -> str:
    """The project's public repository URL, for the metainfo's links and screenshot."""
    override = os.environ.get("READINGLIST_REPO_URL")
    if override:
        return override.rstrip("/")
    return project_meta.url(project, "Repository", "Homepage")


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


def metainfo_text(project: dict, url: str) -> str:
    """The metainfo file with its placeholders filled in from pyproject.

    Args:
        project: pyproject's [project] table.
        url: The repository URL (screenshot and homepage links).

    Returns:
        The filled-in XML.
    """
    try:
        issues = project_meta.url(project, "Issues")
    except KeyError:
        issues = f"{url}/issues"
    developer = project_meta.maintainer(project).split(" <", 1)[0]
    text = METAINFO.read_text(encoding="utf-8")
    for placeholder, value in (
        ("@REPO_URL@", url),
        ("@ISSUES_URL@", issues),
        ("@DEVELOPER@", developer),
        ("@VERSION@", project["version"]),
    ):
        text = text.replace(placeholder, value)
    return text


def metainfo_releases(path: Path = METAINFO) -> list[tuple[str, str, list[str]]]:
    """The releases the metainfo lists, newest first: the one place release notes are written.

    Args:
        path: The metainfo template.

    Returns:
        (version, ISO date, notes) for each <release>; the notes are its
        description's paragraphs and list items.
    """
    releases = []
    for release in ET.parse(path).getroot().findall("releases/release"):
        blocks = release.findall("description/*")
        items = [li for block in blocks for li in ([block] if block.tag == "p" else block)]
        notes = [" ".join("".join(item.itertext()).split()) for item in items]
        releases.append((release.get("version", ""), release.get("date", ""), notes))
    return releases


def changelog_text(releases: list[tuple[str, str, list[str]]], maintainer: str) -> str:
    """A Debian changelog (debian/changelog format) of the given releases.

    Args:
        releases: (version, ISO date, notes), newest first, as metainfo_releases gives them.
        maintainer: "Name <address>", who signs each entry.

    Returns:
        The changelog's text.
    """
    entries = []
    for version, date, notes in releases:
        moment = datetime.fromisoformat(date).replace(tzinfo=UTC)
        items = [
            textwrap.fill(note, width=78, initial_indent="  * ", subsequent_indent="    ")
            for note in notes or [f"New upstream release {version}."]
        ]
        entries.append(
            f"{PACKAGE} ({debian_version(version)}) unstable; urgency=medium\n\n"
            + "\n".join(items)
            + f"\n\n -- {maintainer}  {format_datetime(moment)}\n"
        )
    return "\n".join(entries)


def license_paragraph_text(text: str) -> str:
    """Text as the indented body of a copyright-format field (blank lines become " .")."""
    return "\n".join(f" {line}" if line.strip() else " ." for line in text.strip().splitlines())


def copyright_notices(license_text: str) -> list[str]:
    """The "Copyright (c) YEAR HOLDER" lines of a license file, as "YEAR HOLDER"."""
    pattern = re.compile(r"^\s*Copyright\s*(?:\(c\)|©)?\s*(.+?)\s*$", re.IGNORECASE)
    return [m.group(1) for line in license_text.splitlines() if (m := pattern.match(line))]


def copyright_text(url: str, license_text: str) -> str:
    """The machine-readable copyright file (copyright-format 1.0).

    Args:
        url: The project's repository URL (Source).
        license_text: The project's LICENSE file (MIT): its copyright line and text.

    Returns:
        The file's text.
    """
    notices = copyright_notices(license_text)
    if not notices:
        raise SystemExit("LICENSE has no Copyright line: the copyright file needs one")
    # The license's text without its title and copyright lines, which the fields above say.
    body = "\n".join(
        line for line in license_text.strip().splitlines()[1:] if not copyright_notices(line)
    )
    paragraphs = [
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        f"Upstream-Name: {PACKAGE}\nUpstream-Contact: {url}/issues\nSource: {url}",
        "Files: *\nCopyright: " + "\n ".join(notices) + "\nLicense: MIT",
    ]
    paragraphs += [
        f"Files: {files}\nCopyright: {holders}\nLicense: {short}"
        for files, holders, short in BUNDLED
    ]
    paragraphs.append("License: MIT\n" + license_paragraph_text(body))
    paragraphs += [
        f"License: {short}\n" + license_paragraph_text(text)
        for short, text in LICENSE_TEXTS.items()
    ]
    return "\n\n".join(paragraphs) + "\n"


def gzip_max(data: bytes) -> bytes:
    """gzip -9n: maximum compression, no name or time stamp (reproducible; what lintian wants)."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def control_text(fields: dict[str, str], description: str) -> str:
    """A DEBIAN/control file."""
    lines = [f"{key}: {value}" for key, value in fields.items()]
    summary, *body = description.strip().splitlines()
    lines.append(f"Description: {summary}")
    lines += [f" {line}" if line.strip() else " ." for line in body]
    return "\n".join(lines) + "\n"


def stage(root: Path, bundle: Path, icons: Path, docs: Path, project: dict, url: str) -> None:
    """Lay out the package's files under `root`.

    Args:
        root: The staging folder (emptied first).
        bundle: The PyInstaller one-folder bundle.
        icons: Folder made by packaging/make_icons.py (holds hicolor/).
        docs: Folder made by packaging/make_docs.py (holds completions/ and man/).
        project: pyproject's [project] table.
        url: The project's repository URL.
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
    stage_desktop_files(share, icons, project, url)
    stage_docs(root, docs)
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    license_text = (REPO / "LICENSE").read_text(encoding="utf-8")
    (doc / "copyright").write_text(copyright_text(url, license_text), encoding="utf-8")
    changelog = changelog_text(metainfo_releases(), project_meta.maintainer(project))
    (doc / "changelog.Debian.gz").write_bytes(gzip_max(changelog.encode("utf-8")))
    if UPSTREAM_CHANGELOG.is_file():
        (doc / "changelog.gz").write_bytes(gzip_max(UPSTREAM_CHANGELOG.read_bytes()))
    overrides = share / "lintian" / "overrides"
    overrides.mkdir(parents=True)
    shutil.copyfile(OVERRIDES, overrides / PACKAGE)
    set_modes(root)


def stage_desktop_files(share: Path, icons: Path, project: dict, url: str) -> None:
    """The desktop entry, the AppStream metainfo and the hicolor icons, under usr/share."""
    (share / "applications").mkdir(parents=True)
    shutil.copy2(LINUX / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(
        metainfo_text(project, url), encoding="utf-8"
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


def stage_docs(root: Path, docs: Path) -> None:
    """The man page (gzipped) and the shell completions, where man and the shells look."""
    page = docs / "man" / f"{PACKAGE}.1"
    if not page.is_file():
        raise SystemExit(f"no man page at {page}: run packaging/make_docs.py")
    man1 = root / "usr" / "share" / "man" / "man1"
    man1.mkdir(parents=True)
    (man1 / f"{PACKAGE}.1.gz").write_bytes(gzip_max(page.read_bytes()))
    for name, folder in COMPLETION_DIRS.items():
        source = docs / "completions" / name
        if not source.is_file():
            raise SystemExit(f"no completion script at {source}: run packaging/make_docs.py")
        (root / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / folder / name)


def is_shared_library(path: Path) -> bool:
    """Whether a file is named like a shared library or extension module (libfoo.so.6, x.so)."""
    return re.search(r"\.so(\.\d+)*$", path.name) is not None


def set_modes(root: Path) -> None:
    """Files 0644, folders and programs 0755, whatever the umask was.

    Shared libraries are 0644 even when the wheels shipped them executable:
    they are loaded, never run (lintian: shared-library-is-executable).
    """
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or (os.access(path, os.X_OK) and not is_shared_library(path)):
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def md5sums_text(root: Path) -> str:
    """DEBIAN/md5sums: what `dpkg --verify` checks the installed files against."""
    lines = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_symlink() or not path.is_file() or relative.parts[0] == "DEBIAN":
            continue
        lines.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {relative.as_posix()}\n")
    return "".join(lines)


def installed_size_kib(root: Path) -> int:
    """Installed-Size, in KiB, as dpkg counts it (roughly: the sum of file sizes)."""
    total = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return (total + 1023) // 1024


def build(
    bundle: Path,
    icons: Path,
    docs: Path,
    out: Path,
    compression: str = "xz",
    workdir: Path | None = None,
) -> Path:
    """Build the .deb and return its path.

    Args:
        bundle: The PyInstaller bundle folder.
        icons: The generated icons folder.
        docs: The generated man page and completions (packaging/make_docs.py).
        out: Where the .deb goes.
        compression: dpkg-deb's -Z value.
        workdir: Staging area (default build/deb).

    Returns:
        The path of the .deb.
    """
    if not (bundle / PACKAGE).is_file():
        raise SystemExit(f"no bundle at {bundle}: build it first (packaging/build.py)")
    project = project_meta.load()
    version = debian_version(project["version"])
    url = repo_url(project)
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()
    root = (workdir or REPO / "build" / "deb") / "root"
    stage(root, bundle, icons, docs, project, url)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "md5sums").write_text(md5sums_text(root), encoding="utf-8")
    control = control_text(
        control_fields(project, arch, installed_size_kib(root)), description(project)
    )
    (root / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{PACKAGE}_{version}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(root), str(deb)],
        check=True,
    )
    return deb


def control_fields(project: dict, arch: str, installed_size: int) -> dict[str, str]:
    """The control file's fields but Description, from pyproject and the Depends list.

    Args:
        project: pyproject's [project] table.
        arch: The Debian architecture (dpkg --print-architecture).
        installed_size: Installed-Size, in KiB.

    Returns:
        Field name to value, in the order they are written.
    """
    return {
        "Package": PACKAGE,
        "Version": debian_version(project["version"]),
        "Architecture": arch,
        "Maintainer": project_meta.maintainer(project),
        "Installed-Size": str(installed_size),
        "Depends": ", ".join(read_depends()),
        "Section": "science",
        "Priority": "optional",
        "Homepage": project_meta.url(project, "Homepage", "Repository"),
    }


def description(project: dict) -> str:
    """The control file's Description: the synopsis line, then the long description."""
    return f"""{project_meta.synopsis(project)}
readinglist turns saved listing pages of research papers (page dumps) into a
local, searchable library: title, abstract, byline, date and upvotes of every
paper, read/unread status, tags and Markdown notes, exported to a notes vault.
.
This package ships a self-contained build (Python and Qt included) under
/opt/readinglist."""


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
    parser.add_argument("--docs", type=Path, default=REPO / "build" / "docs")
    parser.add_argument("--out", type=Path, default=REPO / "dist")
    parser.add_argument("--compression", default="xz", choices=("xz", "gzip", "zstd", "none"))
    args = parser.parse_args(argv)
    deb = build(args.bundle, args.icons, args.docs, args.out, args.compression)
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
