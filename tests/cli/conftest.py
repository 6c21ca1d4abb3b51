"""Fixtures of the command-line tests: a real library in tmp_path, and `main` run in process."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from readinglist.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def lib(tmp_path: Path) -> str:
    """The folder of a library that does not exist yet."""
    return str(tmp_path / "lib")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    """`cli(*argv)` runs `main` and returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def cli_json(cli: Run) -> Callable[..., dict]:
    """`cli_json(*argv)` runs a command that must succeed and returns its JSON document."""

    def run(*argv: str) -> dict:
        code, out, err = cli(*argv)
        assert code == 0, err
        return json.loads(out)

    return run


@pytest.fixture(scope="session")
def _filled_once(tmp_path_factory: pytest.TempPathFactory, dump_paths: list[Path]) -> Path:
    from readinglist.collection import Collection

    folder = tmp_path_factory.mktemp("filled") / "lib"
    collection = Collection.open(folder)
    try:
        assert collection.import_paths(dump_paths[3:4]).added == 78
    finally:
        collection.close()
    return folder


@pytest.fixture
def filled(_filled_once: Path, lib: str) -> str:
    """A library holding the 78 papers of one real dump (ids 1 to 78), the test's own copy."""
    shutil.copytree(_filled_once, lib)
    return lib


def library_bytes(lib: str) -> bytes:
    """The library file's bytes (and its write-ahead log's): equal means nothing changed."""
    folder = Path(lib)
    parts = [folder / "library.sqlite3", folder / "library.sqlite3-wal"]
    return b"".join(path.read_bytes() for path in parts if path.exists())


@pytest.fixture
def unchanged() -> Callable[[str], AbstractContextManager[None]]:
    """`with unchanged(lib):` fails if the library file changed inside the block."""

    @contextmanager
    def check(lib: str) -> Iterator[None]:
        before = library_bytes(lib)
        yield
        assert library_bytes(lib) == before, "the library changed"

    return check
