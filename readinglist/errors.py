"""The error hierarchy, and the words for what the environment did to us.

A `ReadingListError` is something the user can act on: its message is written
for them and is shown as it is, never with a traceback. Anything else that
escapes is a bug: logged with its traceback and shown briefly.

Errors of the environment (a full disk, a damaged library file, a folder that
cannot be read) are not bugs: `describe_os_error` and `library_problem` put
them in words, so that they reach the user as a `ReadingListError`.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

REPAIR_HINT = (
    "run `readinglist check --repair` to save what can still be read into a new library "
    "file (the damaged one is kept beside it)"
)

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26

_OS_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "input/output error (the disk may be failing or disconnected)",
}


class ReadingListError(Exception):
    """An error whose message is meant for the user."""


class DumpError(ReadingListError):
    """A file could not be read as a page dump (no papers, binary, undecodable...).

    `result` is what the reader made of the file when it found no paper but
    skipped blocks (a `readinglist.dumps.ParseResult`), so that the user can
    be shown what was left out and take it anyway; None otherwise.
    """

    def __init__(self, message: str, result: object = None) -> None:
        super().__init__(message)
        self.result = result


class QueryError(ReadingListError):
    """A search query could not be understood."""


class LibraryError(ReadingListError):
    """The library folder or its database cannot be used."""


class DamagedLibraryError(LibraryError):
    """The library file is damaged; `check --repair` saves what can be read."""


class NotALibraryError(LibraryError):
    """The library file is not a readinglist library (empty, foreign, not SQLite)."""


class DiskFullError(LibraryError):
    """A write failed because the disk is full; nothing of that write was kept."""


class NotFoundError(ReadingListError):
    """A paper id that is not in the library."""


class ExportError(ReadingListError):
    """An export could not be carried out (bad folder, unwritable file...)."""


def describe_os_error(exc: OSError) -> str:
    """An OSError in words for the user: "the disk is full", "permission denied"..."""
    words = _OS_WORDS.get(exc.errno) if exc.errno is not None else None
    if words is None:
        words = exc.strerror or str(exc) or type(exc).__name__
    return words


def is_disk_full(exc: BaseException | None) -> bool:
    """True if `exc` says the disk is full.

    That is an OSError, an sqlite3 error, or an error of ours that carries `disk_full` or was caused
    by one of those.
    """
    if exc is None:
        return False
    if isinstance(exc, DiskFullError) or getattr(exc, "disk_full", False) is True:
        return True
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if _sqlite_code(exc) == _SQLITE_FULL:
        return True
    return isinstance(exc, ReadingListError) and is_disk_full(exc.__cause__)


def library_problem(exc: BaseException, db_path: str | os.PathLike[str]) -> LibraryError:
    """An sqlite3 error met on the library file, as a message for the user.

    Args:
        exc: the sqlite3 error (or an OSError met on the file).
        db_path: the library file, named in the message.
    """
    path = Path(db_path)
    if isinstance(exc, OSError):
        if is_disk_full(exc):
            return DiskFullError(f"Cannot write to the library in {path.parent}: the disk is full.")
        return LibraryError(f"Cannot use the library file {path}: {describe_os_error(exc)}.")
    code = _sqlite_code(exc)
    if code == _SQLITE_CORRUPT:
        return DamagedLibraryError(f"The library file {path} is damaged ({exc}): {REPAIR_HINT}.")
    if code == _SQLITE_NOTADB:
        return NotALibraryError(
            f"Cannot open the library file {path}: it is not a readinglist library "
            "(not an SQLite database), and readinglist leaves it alone."
        )
    if code == _SQLITE_FULL:
        return DiskFullError(f"Cannot write to the library in {path.parent}: the disk is full.")
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return LibraryError(
            f"The library file {path} is busy (another readinglist is writing to it); try again."
        )
    if code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        return LibraryError(f"Cannot open the library file {path} for writing: {exc}.")
    if code == _SQLITE_IOERR:
        return LibraryError(
            f"Cannot read or write the library file {path}: input/output error "
            "(the disk may be full, failing or disconnected)."
        )
    return LibraryError(f"Cannot use the library file {path}: {exc}.")


def _sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of an sqlite3 error, when it carries one."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        orig = getattr(exc, "orig", None)  # an SQLAlchemy error wraps the driver's
        code = getattr(orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None
