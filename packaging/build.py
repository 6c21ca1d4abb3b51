"""Build the readinglist bundle (and with --deb the Debian package) in one command.

Usage, from a clone, with the Python environment to build with active (or
called through it, e.g. `.venv/bin/python packaging/build.py`)::

    python packaging/build.py            # dist/readinglist/ (dist/readinglist.app on macOS)
    python packaging/build.py --deb      # ... and dist/readinglist_<version>_<arch>.deb

What it does:
  1. installs readinglist (editable, with its dependencies) into this
     environment unless the installed version already matches pyproject.toml:
     the spec copies the installed dist-info so the frozen app knows its version;
  2. installs PyInstaller (>= 6.10) into this environment if it is missing;
  3. renders the icons from resources/icon.svg into build/icons/;
  4. generates the shell completions and the man page from the CLI's parser
     into build/docs/ (packaging/make_docs.py; installs shtab and
     argparse-manpage, pyproject's `bundle` extra, if missing);
  5. runs PyInstaller on packaging/readinglist.spec;
  6. with --deb, runs packaging/linux/build_deb.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
import tomllib
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / "dist"
BUILD = REPO / "build"
ICONS = BUILD / "icons"
DOCS = BUILD / "docs"
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10"


def say(message: str) -> None:
    """Print a progress line."""
    print(f"[build] {message}", flush=True)


def pip_install(*args: str) -> None:
    """Run pip of this interpreter."""
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *args], check=True)


def project_version() -> str:
    """The version defined in pyproject.toml."""
    with (REPO / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def ensure_project_installed(version: str) -> None:
    """Install readinglist into this environment unless the right version already is."""
    try:
        installed = metadata.version("readinglist")
    except metadata.PackageNotFoundError:
        installed = None
    if installed == version:
        return
    say(f"installing readinglist {version} (installed: {installed})")
    pip_install("-e", str(REPO))


def ensure_pyinstaller() -> None:
    """Install PyInstaller into this environment if it is missing or too old."""
    try:
        major_minor = tuple(int(p) for p in metadata.version("pyinstaller").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        major_minor = (0, 0)
    if major_minor >= (6, 10):
        return
    say(f"installing {PYINSTALLER_REQUIREMENT}")
    pip_install(PYINSTALLER_REQUIREMENT)


def bundle_requirements() -> list[str]:
    """pyproject's `bundle` extra: what building needs besides readinglist itself."""
    with (REPO / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["optional-dependencies"]["bundle"]


def ensure_doc_tools() -> None:
    """Install the `bundle` extra's doc generators (shtab, argparse-manpage) if missing."""
    wanted = {"shtab": "shtab", "argparse_manpage": "argparse-manpage"}
    missing = [dist for module, dist in wanted.items() if importlib.util.find_spec(module) is None]
    if not missing:
        return
    requirements = [r for r in bundle_requirements() if r.split(">")[0].strip() in missing]
    say(f"installing {' '.join(requirements)}")
    pip_install(*requirements)


def make_docs() -> None:
    """Generate the completions and the man page, in a child process (it imports the CLI)."""
    script = REPO / "packaging" / "make_docs.py"
    subprocess.run([sys.executable, str(script), str(DOCS)], check=True, stdout=subprocess.DEVNULL)


def make_icons() -> None:
    """Render every icon size from the SVG, in a child process (it starts a Qt app)."""
    script = REPO / "packaging" / "make_icons.py"
    subprocess.run([sys.executable, str(script), str(ICONS)], check=True)


def run_pyinstaller() -> Path:
    """Build the one-folder bundle and return its folder."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(REPO / "packaging" / "readinglist.spec"),
        ],
        check=True,
        cwd=REPO,
    )
    return DIST / "readinglist"


def folder_size_mib(folder: Path) -> float:
    """Size of the files under a folder, in MiB."""
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def main(argv: list[str] | None = None) -> int:
    """Command line entry point.

    Args:
        argv: Arguments without the program name.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", action="store_true", help="also build the .deb (Linux)")
    parser.add_argument(
        "--deb-compression",
        default="xz",
        choices=("xz", "gzip", "zstd", "none"),
        help="dpkg-deb compression (xz: smallest; gzip: fastest to build)",
    )
    args = parser.parse_args(argv)
    if args.deb and not sys.platform.startswith("linux"):
        parser.error("--deb builds on Linux only")

    started = time.monotonic()
    version = project_version()
    ensure_project_installed(version)
    ensure_pyinstaller()
    ensure_doc_tools()
    say("rendering icons")
    make_icons()
    say("generating the shell completions and the man page")
    make_docs()
    say("running PyInstaller")
    bundle = run_pyinstaller()
    say(f"bundle: {bundle} ({folder_size_mib(bundle):.0f} MiB)")
    if args.deb:
        sys.path.insert(0, str(REPO / "packaging" / "linux"))
        import build_deb

        say("building the .deb")
        deb = build_deb.build(bundle, ICONS, DOCS, DIST, args.deb_compression)
        say(f"deb: {deb} ({deb.stat().st_size / 2**20:.0f} MiB)")
    say(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
