"""One writer of a search index at a time, across processes.

The lock is a file in the index folder that also names its holder (pid,
host, start time, what it does, the folder it is building), so that others
can say who they wait for and never delete what the holder is building.

Two ways to hold it:

- `fcntl.flock` (Linux, macOS): the kernel releases the lock when its
  process dies, `kill -9` included. The file stays in place between holders
  (unlinking it would let two processes lock two different files); it is
  emptied on release, so leftover text after a crash means nothing.
- Elsewhere (Windows; file systems without flock): the lock is a file made
  with O_EXCL. A holder that is gone leaves it behind; it is taken over when
  its pid is not alive on this host, or, for a holder on another host (a
  shared folder), once it is older than `stale_after`.

Nothing here imports more than the standard library: every command may take
the lock.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "index.lock"
_EXCL_NAME = "index.lock.excl"  # the fallback's file: its existence is the lock
_STALE_AFTER = 6 * 3600.0  # a 100k-paper rebuild takes minutes; hours mean the holder is gone
_YOUNG = 10.0  # a lock file this new may still be half written
_NO_FLOCK = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)


@dataclass(frozen=True, slots=True)
class LockOwner:
    """Who holds the lock, as they recorded it."""

    pid: int
    host: str
    started: float  # time.time() when taken
    what: str  # "rebuild" | "write"
    building: str | None = None  # the index folder a rebuild is filling
    token: str = ""

    def describe(self) -> str:
        """The holder in words: "process 4242 on laptop, since 14:03:12"."""
        since = time.strftime("%H:%M:%S", time.localtime(self.started))
        return f"process {self.pid} on {self.host}, since {since}"


class IndexLock:
    """The lock of one index folder; one object per holder (not thread-safe).

    Raises OSError from its methods when the folder cannot be written (a
    full disk, permission denied, a file where the folder should be): a
    caller tells that apart from "busy", which is a False from `try_acquire`.
    """

    def __init__(
        self,
        folder: Path,
        *,
        use_flock: bool | None = None,
        stale_after: float = _STALE_AFTER,
    ) -> None:
        self.folder = Path(folder)
        self._flock = fcntl is not None if use_flock is None else use_flock and fcntl is not None
        self._stale_after = stale_after
        self._fd: int | None = None
        self._owner: LockOwner | None = None

    @property
    def held(self) -> bool:
        return self._owner is not None

    @property
    def path(self) -> Path:
        return self.folder / (LOCK_NAME if self._flock else _EXCL_NAME)

    def try_acquire(self, what: str, building: str | None = None) -> bool:
        """Takes the lock if it is free (or its holder is gone); False if busy."""
        if self.held:
            raise RuntimeError("the index lock is held already")
        owner = LockOwner(
            pid=os.getpid(),
            host=socket.gethostname(),
            started=time.time(),
            what=what,
            building=building,
            token=uuid.uuid4().hex,
        )
        if self._flock:
            try:
                taken = self._flock_acquire()
            except OSError as exc:
                if exc.errno not in _NO_FLOCK:
                    raise
                self._flock = False  # this file system has no flock
                return self.try_acquire(what, building)
        else:
            taken = self._excl_acquire(owner)
        if taken:
            self._owner = owner
            if self._flock:
                self._record(owner)
        return taken

    def acquire(
        self,
        what: str,
        *,
        timeout: float,
        cancelled: Callable[[], bool] | None = None,
        poll: float = 0.2,
    ) -> bool:
        """Takes the lock, waiting up to `timeout` seconds.

        False if still busy then (or `cancelled()` said stop).
        """
        deadline = time.monotonic() + max(timeout, 0.0)
        while not self.try_acquire(what):
            if time.monotonic() >= deadline or (cancelled is not None and cancelled()):
                return False
            time.sleep(poll)
        return True

    def building(self, dirname: str | None) -> None:
        """Records the folder the holder is filling (None: no longer)."""
        if self._owner is None:
            raise RuntimeError("the index lock is not held")
        self._owner = LockOwner(**{**asdict(self._owner), "building": dirname})
        self._record(self._owner)

    def release(self) -> None:
        """Gives the lock up; a no-op when not held."""
        owner, self._owner = self._owner, None
        if owner is None:
            return
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)  # leftover text would name a holder that is gone
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
            return
        recorded = _read_owner(self.path)
        if recorded is not None and recorded.token == owner.token:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def owner(self) -> LockOwner | None:
        """The holder of the lock, as recorded; None when it is free (or its holder is gone).

        Never takes the lock; never raises.
        """
        if self._owner is not None:
            return self._owner
        try:
            recorded = _read_owner(self.path)
            if recorded is None or not self._flock:
                return None if recorded is None or self._gone(recorded) else recorded
            return recorded if self._flock_busy() else None
        except OSError:
            return None

    # flock

    def _flock_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    def _flock_busy(self) -> bool:
        """True if someone (this process's other holders included) holds the flock."""
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing drops the shared lock too
        return False

    def _record(self, owner: LockOwner) -> None:
        data = json.dumps(asdict(owner)).encode("utf-8")
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, data, 0)
            return
        _write_new(self.path, data, replace=True)

    # O_EXCL

    def _excl_acquire(self, owner: LockOwner) -> bool:
        data = json.dumps(asdict(owner)).encode("utf-8")
        for _ in range(3):  # a stale lock taken away, then one more try
            try:
                _write_new(self.path, data, replace=False)
                return True
            except FileExistsError:
                pass
            recorded = _read_owner(self.path)
            if recorded is None:
                if not self._old_enough(self.path):
                    return False  # being written right now, by its holder
            elif not self._gone(recorded):
                return False
            if not self._take_away(recorded):
                return False
        return False

    def _gone(self, owner: LockOwner) -> bool:
        """True if the holder of a fallback lock is no longer there."""
        if owner.host == socket.gethostname():
            return not pid_alive(owner.pid)
        return time.time() - owner.started > self._stale_after

    def _old_enough(self, path: Path) -> bool:
        try:
            return time.time() - path.stat().st_mtime > _YOUNG
        except FileNotFoundError:
            return True

    def _take_away(self, stale: LockOwner | None) -> bool:
        """Moves a stale lock file aside; False if another process took it first.

        Renaming is atomic: of two processes taking the same stale lock, one
        renames it and the other finds nothing. What was renamed is checked
        to be the stale lock and not a fresh one made meanwhile.
        """
        aside = self.path.with_name(f"{_EXCL_NAME}.{uuid.uuid4().hex}.stale")
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return True  # gone already: try to make it
        moved = _read_owner(aside)
        if stale is not None and (moved is None or moved.token != stale.token):
            with contextlib.suppress(OSError):
                if not self.path.exists():
                    os.rename(aside, self.path)  # a fresh lock: put it back
            return False
        aside.unlink(missing_ok=True)
        return True


def pid_alive(pid: int) -> bool:
    """True if a process with this pid runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill(pid, 0) on Windows sends CTRL_C_EVENT: ask the process table instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # ERROR_ACCESS_DENIED: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _read_owner(path: Path) -> LockOwner | None:
    """The holder a lock file names; None when missing, empty or garbled."""
    try:
        data = json.loads(path.read_bytes() or b"null")
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        owner = LockOwner(**data)
    except TypeError:
        return None
    if not isinstance(owner.pid, int) or not isinstance(owner.started, (int, float)):
        return None
    return owner


def _write_new(path: Path, data: bytes, *, replace: bool) -> None:
    """Writes a lock file whole: made with O_EXCL, or (replace) swapped in."""
    target = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp") if replace else path
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    os.close(fd)
    if replace:
        os.replace(target, path)
