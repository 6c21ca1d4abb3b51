"""Run pytest and fail the run when a Python process crashed, whatever pytest returned.

    python tools/pytest_guard.py [PYTEST ARGS...]

A crash while the interpreter shuts down (a refcount error in a C extension,
a Qt object destroyed after its QApplication) comes after pytest has printed
its summary and chosen its exit status, and in a pytest-xdist worker it never
reaches that status at all: the run ends "787 passed" with status 0 above a
"Fatal Python error". This wrapper runs `python -m pytest ARGS` with the
fault handler on in every process (so a segfault at exit is printed too),
copies its output to the terminal as it comes, watches it for the marks of a
crash and, if it sees one, makes the run fail.

POSIX only (it waits on the pipe with select), like the scripts that run it.

Exit status: pytest's own (5 when no test ran, 1 when tests failed...);
128 + N when pytest died by signal N; `CRASHED` when pytest returned 0 but a
process crashed.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import BinaryIO

# What a dying interpreter prints (Py_FatalError and the fault handler both
# begin so), and what pytest-xdist prints when a worker vanishes mid-run.
CRASH_MARKS = (b"Fatal Python error", b"node down: Not properly terminated")
# EX_SOFTWARE (sysexits.h): distinct from every status pytest itself uses.
CRASHED = 70
# After pytest exits, a worker may still be dying and printing why; wait this
# long for the last writer to close the pipe, but never hang on a stray
# process that inherited it.
GRACE_ENV = "PYTEST_GUARD_GRACE_S"
_DEFAULT_GRACE_S = 30.0
_CHUNK = 65536


class CrashScanner:
    """Finds the crash marks in a stream fed chunk by chunk (marks may straddle chunks)."""

    def __init__(self, marks: Sequence[bytes] = CRASH_MARKS) -> None:
        self.marks = tuple(marks)
        self.found: bytes | None = None
        self._tail = b""
        self._keep = max(len(mark) for mark in self.marks) - 1

    def feed(self, data: bytes) -> None:
        if self.found is not None:
            return
        window = self._tail + data
        for mark in self.marks:
            if mark in window:
                self.found = mark
                return
        self._tail = window[-self._keep :] if self._keep else b""


def exit_status(returncode: int, crash: bytes | None) -> int:
    """The run's exit status from pytest's return code and the crash mark seen, if any.

    Args:
        returncode: as `subprocess` reports it (negative: killed by that signal).
        crash: the crash mark found in the output, or None.
    """
    if returncode < 0:
        return 128 - returncode
    if returncode == 0 and crash is not None:
        return CRASHED
    return returncode


def verdict(returncode: int, crash: bytes | None) -> str | None:
    """One line saying why the run failed although pytest did not say so; None otherwise."""
    if returncode < 0:
        return f"pytest-guard: pytest died by signal {_signal_name(-returncode)}"
    if crash is not None:
        found = crash.decode()
        if returncode == 0:
            return f"pytest-guard: a test process crashed ({found!r} above); failing the run"
        return f"pytest-guard: a test process crashed ({found!r} above)"
    return None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def child_environment(base: dict[str, str], *, tty: bool) -> dict[str, str]:
    """The environment for pytest: the fault handler on in it and in every worker it starts."""
    env = dict(base)
    env["PYTHONFAULTHANDLER"] = "1"
    if tty:
        # pytest writes into our pipe, not to the terminal: keep its colours.
        env.setdefault("PY_COLORS", "1")
    return env


def pump(source: int, out: BinaryIO, scanner: CrashScanner, process: subprocess.Popen) -> None:
    """Copy `source` to `out` as it comes until every writer closed it (or the grace ran out)."""
    grace = _grace_s()
    deadline: float | None = None
    while True:
        if deadline is None and process.poll() is not None:
            deadline = time.monotonic() + grace
        wait = 0.5 if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([source], [], [], wait)
        if ready:
            data = os.read(source, _CHUNK)
            if not data:
                return
            out.write(data)
            out.flush()
            scanner.feed(data)
        elif deadline is not None and time.monotonic() >= deadline:
            return


def _grace_s() -> float:
    try:
        return max(0.0, float(os.environ.get(GRACE_ENV, _DEFAULT_GRACE_S)))
    except ValueError:
        return _DEFAULT_GRACE_S


def run(args: Sequence[str], out: BinaryIO) -> int:
    """Run `python -m pytest ARGS`, its output copied to `out`; the run's exit status."""
    env = child_environment(dict(os.environ), tty=_is_tty(out))
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    scanner = CrashScanner()
    # Ctrl+C reaches pytest too (same process group); let it print its summary
    # and return its status rather than dying here first. A Python-level
    # handler, unlike SIG_IGN, is not inherited by the child.
    previous = signal.signal(signal.SIGINT, lambda _number, _frame: None)
    try:
        assert process.stdout is not None
        pump(process.stdout.fileno(), out, scanner, process)
        returncode = process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
        if process.stdout is not None:
            process.stdout.close()
    message = verdict(returncode, scanner.found)
    if message:
        print(message, file=sys.stderr, flush=True)
    return exit_status(returncode, scanner.found)


def _is_tty(out: BinaryIO) -> bool:
    try:
        return os.isatty(out.fileno())
    except (AttributeError, OSError, ValueError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    return run(list(sys.argv[1:] if argv is None else argv), sys.stdout.buffer)


if __name__ == "__main__":
    sys.exit(main())
