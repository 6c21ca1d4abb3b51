"""The Qt bindings keep Python's reference counts, so a long session (or test run) ends cleanly.

PySide6 6.12.0 on CPython 3.11 hands None back from every call of a void
method, and True back from every `Signal.emit()`, without taking a reference
to it. Each call leaves them one reference short; when the count reaches zero
the interpreter aborts ("Fatal Python error: none_dealloc" or "bool_dealloc"),
mid-session in a long-running window or, in the test suite, while the
interpreter shuts down after the last test. Python 3.12 made None and the
booleans immortal, which hides the bug there.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Each probe call costs one reference on a broken binding: a clear signal, and
# well below None's and True's counts in a fresh interpreter (~600 for True),
# so the probe itself survives to tell.
CALLS = 200

PROBE = """
import json, sys
from PySide6.QtCore import QObject, Signal

class Probe(QObject):
    ping = Signal()

probe = Probe()
probe.ping.connect(lambda: None)
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range({calls}):
    probe.setObjectName("probe")  # a void method: returns None
none_after = sys.getrefcount(None)
for _ in range({calls}):
    probe.ping.emit()  # returns True
true_after = sys.getrefcount(True)
import PySide6
print(json.dumps({{
    "none": none_after - none_before,
    "true": true_after - true_before,
    "pyside": PySide6.__version__,
}}))
"""


def test_calls_into_qt_keep_none_and_true_referenced():
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(calls=CALLS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, f"the probe printed nothing (status {done.returncode}):\n{done.stderr}"
    seen = json.loads(lines[-1])
    python = ".".join(map(str, sys.version_info[:3]))
    # A few references either way are the interpreter's own bookkeeping.
    kept = abs(seen["none"]) < CALLS // 10 and abs(seen["true"]) < CALLS // 10
    assert kept, (
        f"PySide6 {seen['pyside']} on Python {python} loses a reference to None on every "
        f"void call ({seen['none']:+d} after {CALLS}) and to True on every emit() "
        f"({seen['true']:+d}): a process aborts when they run out, here at exit with "
        f"status {done.returncode}. Install a PySide6 without this bug for this Python "
        "(pyproject.toml's dependencies)."
    )
    assert done.returncode == 0, done.stderr
