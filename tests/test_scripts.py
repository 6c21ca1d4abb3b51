"""The set-up and test scripts keep their word.

- tools/pytest_guard.py (what `scripts/test` runs pytest under) fails a run
  in which a test process crashed, even at exit after pytest said "passed",
  and keeps pytest's own status otherwise.
- scripts/setup-system waits for another package manager holding apt's
  locks, and says who it is waiting for.
- scripts/run and scripts/test install only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GUARD = REPO / "tools" / "pytest_guard.py"
SETUP_SYSTEM = REPO / "scripts" / "setup-system"
BASH = shutil.which("bash") or "/bin/bash"


def _load_guard():
    spec = importlib.util.spec_from_file_location("pytest_guard", GUARD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


guard = _load_guard()


# -- tools/pytest_guard.py -------------------------------------------------------------------


def _guard_env(**extra: str) -> dict[str, str]:
    # The inner pytest must not see this run's settings (xdist worker ids,
    # PYTEST_ADDOPTS) nor load every installed plugin: it gets xdist on demand.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PY_COLORS"))}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env.update(extra)
    return env


def _throwaway(folder: Path, body: str) -> Path:
    """A test directory of its own (its own rootdir): one test module holding `body`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (folder / "test_throwaway.py").write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


def _guard_command(*args: str) -> list[str]:
    return [sys.executable, str(GUARD), "-q", "-p", "no:cacheprovider", *args]


def _run_guard(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _guard_command(*args),
        cwd=folder,
        env=_guard_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_clean_run_keeps_pytests_status(tmp_path):
    folder = _throwaway(tmp_path, "def test_fine():\n    assert True\n")
    done = _run_guard(folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout  # pytest's output comes through
    assert "pytest-guard" not in done.stderr


def test_a_failing_test_keeps_pytests_status(tmp_path):
    folder = _throwaway(tmp_path, "def test_broken():\n    assert 1 == 2\n")
    assert _run_guard(folder).returncode == 1


def test_no_test_collected_stays_a_failure(tmp_path):
    folder = _throwaway(tmp_path, "HELPER = 1\n")
    done = _run_guard(folder)
    assert done.returncode == 5, done.stdout + done.stderr


CRASH_AT_EXIT = """
    import atexit
    import faulthandler
    import os

    def test_passes_then_the_process_dies_at_exit():
        atexit.register({how})
"""
HOW = {"abort": ("os.abort", signal.SIGABRT), "segfault": ("faulthandler._sigsegv", signal.SIGSEGV)}


@pytest.mark.parametrize("how", sorted(HOW))
def test_pytest_dying_at_exit_fails_the_run(tmp_path, how):
    call, number = HOW[how]
    folder = _throwaway(tmp_path, CRASH_AT_EXIT.format(how=call))
    done = _run_guard(folder)
    assert "1 passed" in done.stdout
    assert done.returncode == 128 + number, done.stdout + done.stderr
    assert f"died by signal {number.name}" in done.stderr


@pytest.mark.parametrize("how", sorted(HOW))
def test_a_worker_dying_at_exit_fails_the_run_although_pytest_returns_0(tmp_path, how):
    # The reported crash: an xdist worker dies after it has sent its results,
    # so the controller sums up "passed" and returns 0.
    folder = _throwaway(tmp_path, CRASH_AT_EXIT.format(how=HOW[how][0]))
    done = _run_guard(folder, "-p", "xdist", "-n", "1")
    assert "1 passed" in done.stdout
    assert "Fatal Python error" in done.stdout
    assert done.returncode == guard.CRASHED, done.stdout + done.stderr
    assert "a test process crashed" in done.stderr


def _lines_of(stream) -> queue.Queue[bytes]:
    lines: queue.Queue[bytes] = queue.Queue()

    def read() -> None:
        for line in iter(stream.readline, b""):
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_output_is_shown_as_it_comes(tmp_path):
    # The test waits until we have read its first line through the guard:
    # a guard that held the output back until pytest ended would never let it go.
    folder = _throwaway(
        tmp_path,
        """
        import pathlib
        import time

        def test_waits_for_its_reader():
            print("first line out", flush=True)
            go = pathlib.Path("go")
            deadline = time.monotonic() + 60
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert go.exists()
        """,
    )
    process = subprocess.Popen(
        _guard_command("-s"), cwd=folder, env=_guard_env(), stdout=subprocess.PIPE
    )
    try:
        lines = _lines_of(process.stdout)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if b"first line out" in line:
                break
        (folder / "go").touch()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()


def test_a_process_left_holding_the_output_does_not_hang_the_run(tmp_path):
    folder = _throwaway(
        tmp_path,
        """
        import pathlib
        import subprocess
        import sys

        def test_leaves_a_sleeper_behind():
            sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
            pathlib.Path("sleeper.pid").write_text(str(sleeper.pid))
        """,
    )
    started = time.monotonic()
    try:
        done = _run_guard(folder, "-s", **{guard.GRACE_ENV: "1"})
        assert done.returncode == 0, done.stdout + done.stderr
        assert time.monotonic() - started < 60
    finally:
        pid_file = folder / "sleeper.pid"
        if pid_file.exists():
            with suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_the_crash_marks_are_found_across_chunks():
    scanner = guard.CrashScanner()
    for chunk in (b"787 passed in 90s\nFatal Py", b"thon error: bool_dealloc", b"\n"):
        scanner.feed(chunk)
    assert scanner.found == b"Fatal Python error"
    quiet = guard.CrashScanner()
    for chunk in (b"Fatal", b" error in a test name is not Python's\n", b"3 passed\n"):
        quiet.feed(chunk)
    assert quiet.found is None


def test_exit_status_keeps_pytests_unless_it_hid_a_crash():
    mark = guard.CRASH_MARKS[0]
    assert guard.exit_status(0, None) == 0
    assert guard.exit_status(5, None) == 5
    assert guard.exit_status(1, mark) == 1
    assert guard.exit_status(0, mark) == guard.CRASHED != 0
    assert guard.exit_status(-signal.SIGSEGV, None) == 128 + signal.SIGSEGV
    assert guard.verdict(0, None) is None


def test_every_test_process_gets_the_fault_handler():
    env = guard.child_environment({"PATH": "/bin"}, tty=False)
    assert env["PYTHONFAULTHANDLER"] == "1" and env["PATH"] == "/bin"
    assert "PY_COLORS" not in env
    assert guard.child_environment({}, tty=True)["PY_COLORS"] == "1"


def test_scripts_test_runs_pytest_under_the_guard():
    text = (REPO / "scripts" / "test").read_text(encoding="utf-8")
    last = [line for line in text.splitlines() if line.strip()][-1]
    assert last.startswith("exec .venv/bin/python tools/pytest_guard.py ")


# -- scripts/setup-system: apt's locks -------------------------------------------------------

HOLD = """
import fcntl, os, sys, time
for path in sys.argv[2:]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    fcntl.lockf(fd, fcntl.LOCK_EX)  # the kind of lock apt takes
print("held", flush=True)
time.sleep(float(sys.argv[1]))
"""


@contextmanager
def holding(*paths: Path, seconds: float = 60) -> Iterator[subprocess.Popen]:
    """A process that holds apt-style locks on `paths` for `seconds` (or until we leave)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(seconds), *map(str, paths)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def _sourced(snippet: str, *, path: str | None = None, **env: str):
    """Run `snippet` in bash with setup-system's functions defined (sourcing runs nothing)."""
    full_env = dict(os.environ, **env)
    if path is not None:
        full_env["PATH"] = path
    return subprocess.run(
        [BASH, "-c", f'source "{SETUP_SYSTEM}"; {snippet}'],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _only_tools(folder: Path, *names: str) -> str:
    """A PATH with just these commands on it (to hide fuser or lsof)."""
    folder.mkdir()
    for name in names:
        found = shutil.which(name)
        assert found, f"{name} is needed for this test"
        (folder / name).symlink_to(found)
    return str(folder)


def _comm(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()


needs_proc = pytest.mark.skipif(not Path("/proc/self/comm").exists(), reason="needs /proc")


@needs_proc
@pytest.mark.parametrize("tool", ["fuser", "lsof"])
def test_the_waiting_line_names_the_process_holding_the_lock(tmp_path, tool):
    if not shutil.which(tool):
        pytest.skip(f"{tool} is not installed")
    lock = tmp_path / "lock-frontend"
    path = _only_tools(tmp_path / "bin", tool, "tr", "sort", "cat", "ps")
    with holding(lock) as holder:
        name = _comm(holder.pid)
        done = _sourced(
            f'waiting_message "$(lock_holders "{lock}" "{tmp_path}/absent")"', path=path
        )
    assert done.returncode == 0, done.stderr
    expected = f"Waiting for another package manager ({name}, PID {holder.pid}) to finish…"
    assert done.stdout.strip() == expected


def test_nobody_holding_the_lock_means_no_holders(tmp_path):
    lock = tmp_path / "lock"
    lock.touch()
    assert _sourced(f'lock_holders "{lock}" "{tmp_path}/absent"').stdout == ""


def test_without_fuser_or_lsof_the_holder_is_not_guessed(tmp_path):
    lock = tmp_path / "lock"
    path = _only_tools(tmp_path / "bin", "tr", "sort", "cat", "ps")
    with holding(lock):
        done = _sourced(f'lock_holders "{lock}"; waiting_message', path=path)
    assert done.stdout == "Waiting for another package manager to finish…\n"


def _fake_tools(folder: Path) -> Path:
    """apt-get, dpkg-query and id stand-ins that log what they were asked."""
    folder.mkdir(exist_ok=True)
    tools = {
        # Fails with apt's lock error for its first $FAKE_APT_LOCKED calls,
        # with $FAKE_APT_ERROR when set, and succeeds otherwise.
        "apt-get": """
            echo "$*" >>"$FAKE_LOG"
            calls=$(grep -c . "$FAKE_LOG")
            if [ "$calls" -le "${FAKE_APT_LOCKED:-0}" ]; then
              echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1" >&2
              exit 100
            fi
            if [ -n "${FAKE_APT_ERROR:-}" ]; then echo "$FAKE_APT_ERROR" >&2; exit 100; fi
        """,
        # Knows no package unless FAKE_INSTALLED=1.
        "dpkg-query": """
            for p in "$@"; do
              case $p in -*) ;; *) [ -n "${FAKE_INSTALLED:-}" ] && echo "$p install ok installed";;
              esac
            done
        """,
        "id": 'echo "${FAKE_UID:-0}"',
    }
    for name, body in tools.items():
        path = folder / name
        path.write_text("#!/usr/bin/env bash\n" + textwrap.dedent(body), encoding="utf-8")
        path.chmod(0o755)
    return folder


def _apt_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    fakes = _fake_tools(tmp_path / "fakes")
    log = tmp_path / "apt.log"
    log.touch()
    return {
        "PATH": f"{fakes}{os.pathsep}{os.environ['PATH']}",
        "FAKE_LOG": str(log),
        # Real locks stay out of it: another person's apt must not slow this test.
        "READINGLIST_APT_LOCKS": str(tmp_path / "lock"),
        **extra,
    }


def _apt_calls(tmp_path: Path) -> list[str]:
    return (tmp_path / "apt.log").read_text(encoding="utf-8").splitlines()


@needs_proc
def test_apt_get_waits_for_the_holder_and_says_so_once(tmp_path):
    if not (shutil.which("fuser") or shutil.which("lsof")):
        pytest.skip("neither fuser nor lsof is installed")
    env = _apt_env(tmp_path)
    lock = tmp_path / "lock"
    started = time.monotonic()
    with holding(lock, seconds=2) as holder:
        name = _comm(holder.pid)
        done = _sourced("apt_get update -qq", **env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"Waiting for another package manager ({name}, PID {holder.pid}) to finish…\n"
    )
    assert time.monotonic() - started >= 1.5  # apt-get ran once the holder let go
    [call] = _apt_calls(tmp_path)
    assert re.fullmatch(r"-o DPkg::Lock::Timeout=\d+ update -qq", call)


def test_apt_get_tries_again_while_apt_reports_the_lock_held(tmp_path):
    # A holder fuser cannot see (another container, no fuser): apt's own
    # error names the lock; the script waits and tries again.
    env = _apt_env(tmp_path, FAKE_APT_LOCKED="2")
    done = _sourced("apt_get install -y -qq some-package", **env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Waiting for another package manager to finish…\n"
    calls = _apt_calls(tmp_path)
    assert len(calls) == 3 and all(c.endswith("install -y -qq some-package") for c in calls)


def test_apt_get_gives_up_at_the_deadline_with_apts_error(tmp_path):
    env = _apt_env(tmp_path, FAKE_APT_LOCKED="1000", READINGLIST_APT_LOCK_TIMEOUT="1")
    started = time.monotonic()
    done = _sourced("apt_get update -qq", **env)
    assert done.returncode == 100
    assert time.monotonic() - started < 30
    assert done.stderr.count("Waiting for another package manager") == 1
    assert done.stderr.count("E: Could not get lock") == 1  # only the last attempt's


def test_other_apt_failures_are_reported_at_once(tmp_path):
    env = _apt_env(tmp_path, FAKE_APT_ERROR="E: Unable to locate package nosuch")
    done = _sourced("apt_get install -y nosuch", **env)
    assert done.returncode == 100
    assert done.stderr == "E: Unable to locate package nosuch\n"
    assert len(_apt_calls(tmp_path)) == 1


def _setup_system(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BASH, str(SETUP_SYSTEM)],
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_setup_system_updates_then_installs_what_is_missing(tmp_path):
    done = _setup_system(_apt_env(tmp_path))
    assert done.returncode == 0, done.stderr
    update, install = _apt_calls(tmp_path)
    assert re.fullmatch(r"-o DPkg::Lock::Timeout=\d+ update -qq", update)
    assert " install -y -qq --no-install-recommends libgl1 " in install
    assert install.startswith("-o DPkg::Lock::Timeout=") and install.endswith(" xvfb")


def test_setup_system_does_nothing_when_all_is_installed(tmp_path):
    done = _setup_system(_apt_env(tmp_path, FAKE_INSTALLED="1"))
    assert done.returncode == 0 and done.stderr == ""
    assert _apt_calls(tmp_path) == []


def test_setup_system_only_names_the_packages_without_root(tmp_path):
    done = _setup_system(_apt_env(tmp_path, FAKE_UID="1000"))
    assert done.returncode == 0
    assert done.stderr.startswith("Qt needs these Debian packages")
    assert "libxcb-cursor0" in done.stderr
    assert _apt_calls(tmp_path) == []


REAL_LOCKS = [Path("/var/lib/dpkg/lock-frontend"), Path("/var/cache/apt/archives/lock")]


@pytest.mark.skipif(
    not (os.environ.get("CI") or os.environ.get("READINGLIST_TEST_APT")),
    reason="touches the real apt: set CI or READINGLIST_TEST_APT=1",
)
@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"),
    reason="needs root and apt-get",
)
@pytest.mark.skipif(not all(p.exists() for p in REAL_LOCKS), reason="no apt locks here")
def test_the_real_apt_get_waits_for_its_locks():
    # dpkg is installed wherever apt-get is, and --no-upgrade keeps this a no-op:
    # it only takes apt's locks, which a holder keeps for three seconds.
    started = time.monotonic()
    with holding(*REAL_LOCKS, seconds=3) as holder:
        done = _sourced(
            "apt_get install -y -qq --no-upgrade dpkg >/dev/null",
            DEBIAN_FRONTEND="noninteractive",
        )
    assert done.returncode == 0, done.stderr
    assert f"PID {holder.pid}) to finish…" in done.stderr
    assert time.monotonic() - started >= 2.5


# -- scripts/run and scripts/test: install only when pyproject.toml changed ------------------

FAKE_VENV_TOOLS = {
    # Logs every call; pip "fails" with $FAKE_PIP_STATUS.
    "python": 'echo "python $*" >>"$FAKE_LOG"\nexit "${FAKE_PIP_STATUS:-0}"\n',
    "readinglist": 'echo "readinglist $*" >>"$FAKE_LOG"\n',
    "pytest": 'echo "pytest $*" >>"$FAKE_LOG"\n',
    "ruff": 'echo "ruff $*" >>"$FAKE_LOG"\n',
    "mypy": 'echo "mypy $*" >>"$FAKE_LOG"\n',
}


@pytest.fixture
def fake_clone(tmp_path: Path) -> Path:
    """The real scripts and pyproject.toml in a folder of their own, over a fake .venv."""
    clone = tmp_path / "clone"
    (clone / "scripts").mkdir(parents=True)
    for name in ("run", "test"):
        shutil.copy2(REPO / "scripts" / name, clone / "scripts" / name)
    # The system set-up is tested above; here it only says it ran.
    (clone / "scripts" / "setup-system").write_text(
        '#!/usr/bin/env bash\necho "setup-system" >>"$FAKE_LOG"\n', encoding="utf-8"
    )
    shutil.copy2(REPO / "pyproject.toml", clone / "pyproject.toml")
    bin_dir = clone / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in FAKE_VENV_TOOLS.items():
        (bin_dir / name).write_text("#!/usr/bin/env bash\n" + body, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    return clone


def _script(clone: Path, name: str, *args: str, **env: str):
    log = clone.parent / "calls.log"
    log.write_text("", encoding="utf-8")
    done = subprocess.run(
        [BASH, str(clone / "scripts" / name), *args],
        env=dict(os.environ, FAKE_LOG=str(log), **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done, log.read_text(encoding="utf-8").splitlines()


def _pip_calls(calls: list[str]) -> list[str]:
    return [c for c in calls if c.startswith("python -m pip")]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


RUN_STAMP = ".venv/.readinglist-installed"
TEST_STAMP = ".venv/.readinglist-installed-test"


def test_run_installs_once_then_starts_without_set_up(fake_clone):
    done, calls = _script(fake_clone, "run", "--version")
    assert done.returncode == 0, done.stderr
    assert calls == [
        "setup-system",
        "python -m pip install -q --upgrade pip",
        "python -m pip install -q -e .",
        "readinglist --version",
    ]
    stamp = fake_clone / RUN_STAMP
    assert stamp.read_text(encoding="utf-8").strip() == _sha256(fake_clone / "pyproject.toml")
    done, calls = _script(fake_clone, "run", "--version")
    assert done.returncode == 0 and done.stderr == ""
    assert calls == ["setup-system", "readinglist --version"]


def test_a_changed_pyproject_installs_again(fake_clone):
    _script(fake_clone, "run")
    with (fake_clone / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write("\n# a new dependency, say\n")
    _, calls = _script(fake_clone, "run")
    assert _pip_calls(calls) == [
        "python -m pip install -q --upgrade pip",
        "python -m pip install -q -e .",
    ]
    _, calls = _script(fake_clone, "run")
    assert _pip_calls(calls) == []


def test_a_failed_install_is_tried_again_next_time(fake_clone):
    done, calls = _script(fake_clone, "run", FAKE_PIP_STATUS="1")
    assert done.returncode != 0
    assert not (fake_clone / RUN_STAMP).exists()
    assert "readinglist" not in " ".join(calls)  # nothing started on a failed install
    _, calls = _script(fake_clone, "run")
    assert len(_pip_calls(calls)) == 2


def test_a_venv_without_the_app_installs_again(fake_clone):
    _script(fake_clone, "run")
    (fake_clone / ".venv" / "bin" / "readinglist").unlink()
    _, calls = _script(fake_clone, "run")
    assert "python -m pip install -q -e ." in calls


def test_the_test_extra_keeps_its_own_stamp(fake_clone):
    done, calls = _script(fake_clone, "test", "-k", "search")
    assert done.returncode == 0, done.stderr
    assert _pip_calls(calls) == [
        "python -m pip install -q --upgrade pip",
        "python -m pip install -q -e .[test]",
    ]
    assert calls[-4:] == [
        "ruff check .",
        "ruff format --check .",
        "mypy ",
        "python tools/pytest_guard.py -n 2 -k search",
    ]
    assert (fake_clone / TEST_STAMP).exists() and not (fake_clone / RUN_STAMP).exists()
    # The app's own install is another extra: scripts/run still installs it, once.
    _, calls = _script(fake_clone, "run")
    assert _pip_calls(calls)[-1] == "python -m pip install -q -e ."
    _, calls = _script(fake_clone, "test")
    assert _pip_calls(calls) == []
    _, calls = _script(fake_clone, "run")
    assert _pip_calls(calls) == []


def test_pyproject_uses_the_spdx_license_and_a_setuptools_that_reads_it():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    requires = " ".join(pyproject["build-system"]["requires"])
    floor = re.search(r"setuptools\s*>=\s*(\d+)", requires)
    assert floor and int(floor.group(1)) >= 77, requires
