"""The file system side of an export: whole-file writes, and reading what files say.

Every write goes to a temporary file in the folder, is fsynced and then
renamed over the target, so a crash leaves the old file or the new one,
never half of one. Replacing a directory entry never writes through a link.
Temporary files carry a name of our own, so a later export can remove the
ones a killed export left without touching anything of the user's.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from readinglist.export.filenames import plain_name_problem
from readinglist.export.frontmatter import split_front_matter
from readinglist.export.identity import Identity, identity_from_front_matter

TEMP_PREFIX = ".readinglist-"
TEMP_SUFFIX = ".tmp"
# Notes in a vault are small; a file much larger than any note is not ours to read whole.
MAX_SCANNED_BYTES = 4 * 1024 * 1024
_OUR_MARKS = (b"\npaper-id:", b"\nreadinglist-id:")
_DISK_FULL = frozenset(filter(None, (errno.ENOSPC, getattr(errno, "EDQUOT", None))))


def atomic_write(root: Path, name: str, data: bytes) -> None:
    """Write `root/name` all at once: a temp file, fsync, then rename.

    Raises:
        OSError: The file could not be written; the folder is as it was.
    """
    fd, temp = create_temp(root)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Replaces the directory entry: never writes through a link.
        os.replace(temp, root / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def create_temp(root: Path) -> tuple[int, Path]:
    """Create a new empty temporary file in `root`; return its descriptor and path."""
    # Not tempfile.mkstemp: its files are mode 0600, and an exported note
    # should get the user's usual permissions (0666 less the umask).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        path = root / f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {root}")


def remove_stale_temps(root: Path) -> None:
    """Remove temp files an interrupted export left (only ours, by name)."""
    for entry in os.scandir(root):
        if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)


def fsync_dir(root: Path) -> None:
    """Make the renames in `root` durable (POSIX; Windows cannot open a directory)."""
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_disk_full(error: OSError) -> bool:
    """True when `error` says the disk (or the user's quota) has no room left."""
    return error.errno in _DISK_FULL


def reason(error: OSError) -> str:
    """The system's words for an error, without the path."""
    return error.strerror or str(error)


@dataclass(frozen=True, slots=True)
class MarkedFile:
    """A file in the folder whose front matter says readinglist wrote it."""

    name: str
    identity: Identity


def marked_files(root: Path, names: Iterable[str]) -> list[MarkedFile]:
    """The Markdown files among `names` that carry a paper's identity, in name order.

    These are found again without the export record: files of an export that
    was killed before it recorded them, of a folder whose record was deleted,
    or renamed in the vault.
    """
    found = []
    for name in sorted(names):
        if not name.lower().endswith(".md") or plain_name_problem(name):
            continue
        identity = read_identity(root / name)
        if identity is not None:
            found.append(MarkedFile(name, identity))
    return found


def read_identity(path: Path) -> Identity | None:
    """What the front matter of the file at `path` says of its paper, if it is ours."""
    data = read_small_file(path)
    if data is None or not data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        return None
    # Parsing the YAML of every note in a large vault is what costs; most
    # notes are the user's own and lack our keys.
    flat = data.replace(b"\r\n", b"\n")
    if not any(mark in flat for mark in _OUR_MARKS):
        return None
    fields, _ = split_front_matter(data.decode("utf-8", "replace"))
    return identity_from_front_matter(fields) if fields is not None else None


def read_small_file(path: Path) -> bytes | None:
    """The bytes of a regular file (never through a link), or None."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    # Non-blocking: opening a FIFO someone left in the vault must not hang the export.
    flags |= getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None  # a FIFO or a device is nobody's note
            data = handle.read(MAX_SCANNED_BYTES + 1)
        except OSError:
            return None
    return None if len(data) > MAX_SCANNED_BYTES else data
