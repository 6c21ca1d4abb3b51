"""Tidy the bundle's ELF files after PyInstaller: strip them, and drop build-machine RUNPATHs.

The PyInstaller spec calls `tidy()` on Linux. Two things lintian reports on
an untidied bundle, and why they matter:

- unstripped-binary-or-object: symbol tables and debug sections are dead
  weight for users. GNU strip breaks the libraries that auditwheel vendored
  into a wheel's `<name>.libs/` folder (numpy's OpenBLAS: "ELF load command
  address/offset not page-aligned" at import), because patchelf rewrote their
  layout; elfutils' eu-strip keeps the layout, so those get eu-strip.
- custom-library-search-path: an interpreter built outside the system (CI's
  pyenv Python) bakes its own prefix (`/root/.pyenv/versions/3.11.7/lib`)
  into libpython and every lib-dynload module as RUNPATH. On a user's machine
  that folder does not exist, or worse, holds another Python's libraries.
  The bundle finds its libraries through the bootloader, so such entries go;
  `$ORIGIN`-relative ones (numpy's `$ORIGIN/../numpy.libs`) are the bundle's
  own layout and stay.

Needs binutils (strip), elfutils (eu-strip) and patchelf.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
TOOLS = {"strip": "binutils", "eu-strip": "elfutils", "patchelf": "patchelf"}


def is_elf(path: Path) -> bool:
    """Whether a file is an ELF object (not a symlink, not a script)."""
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as fh:
        return fh.read(4) == ELF_MAGIC


def kept_runpath(runpath: str) -> str:
    """The entries of a RUNPATH that point inside the bundle (relative to $ORIGIN).

    Args:
        runpath: A colon-separated RUNPATH or RPATH, e.g. "/root/.pyenv/lib:$ORIGIN/../x.libs".

    Returns:
        The kept entries, colon-separated; "" when none is kept.
    """
    entries = [entry for entry in runpath.split(":") if entry]
    return ":".join(e for e in entries if e.startswith(("$ORIGIN", "${ORIGIN}")))


def is_vendored_by_auditwheel(path: Path) -> bool:
    """Whether a library sits in a wheel's `<name>.libs/` folder (patched by auditwheel)."""
    return any(part.endswith(".libs") for part in path.parent.parts)


def missing_tools() -> list[str]:
    """The Debian packages of the tools this needs that are not installed."""
    return sorted({package for tool, package in TOOLS.items() if shutil.which(tool) is None})


def strip(path: Path) -> None:
    """Strip an ELF file's symbols and debug sections, with the tool that keeps it loadable."""
    if is_vendored_by_auditwheel(path):
        subprocess.run(["eu-strip", "--remove-comment", str(path)], check=True)
    else:
        subprocess.run(["strip", "--strip-unneeded", str(path)], check=True)


def fix_runpath(path: Path) -> bool:
    """Drop the RUNPATH entries of an ELF file that point outside the bundle.

    Args:
        path: The ELF file; rewritten in place when it changes.

    Returns:
        True if the file was changed.
    """
    runpath = subprocess.run(
        ["patchelf", "--print-rpath", str(path)], check=True, capture_output=True, text=True
    ).stdout.strip()
    kept = kept_runpath(runpath)
    if kept == runpath:
        return False
    if kept:
        subprocess.run(["patchelf", "--set-rpath", kept, str(path)], check=True)
    else:
        subprocess.run(["patchelf", "--remove-rpath", str(path)], check=True)
    return True


def tidy(folder: Path) -> int:
    """Strip every ELF file under a folder, then drop the RUNPATHs outside it.

    Stripping comes first: GNU strip must not see a file patchelf has rewritten.

    Args:
        folder: The bundle's `_internal/` folder.

    Returns:
        How many RUNPATHs were changed.

    Raises:
        SystemExit: If strip, eu-strip or patchelf is missing.
    """
    missing = missing_tools()
    if missing:
        raise SystemExit(
            f"the Linux bundle needs {', '.join(missing)}: apt-get install {' '.join(missing)}"
        )
    changed = 0
    for path in sorted(folder.rglob("*")):
        if not is_elf(path):
            continue
        strip(path)
        changed += fix_runpath(path)
    return changed
