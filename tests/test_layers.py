"""Imports point one way: gui -> collection -> library, index, export, ranking -> dumps -> base.

Every module of readinglist/ is parsed and every import in it counted: at the top,
inside functions, under `if TYPE_CHECKING:`. A module may import its own part and
the parts of lower layers (LAYER), never a part of its own layer or above: the four
parts of layer 2 do not know each other, and collection joins them (recommendations,
the library's side of the ranking, sits just under it). cli sits beside gui: it may
import collection and below, and reaches the window through one lazy import only
(`readinglist.cli.window` imports `readinglist.gui.app` inside the function that
opens it, so that a command never loads Qt).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "readinglist"


# The shared base: plain shapes and words every layer may use.
BASE = {"papers", "errors", "paths", "version"}
# Each part of the tree (readinglist.<part>) and its layer; a higher layer may import a lower.
LAYER = {
    "base": 0,
    "dumps": 1,
    "library": 2,
    "index": 2,
    "export": 2,
    "ranking": 2,
    "recommendations": 3,
    "collection": 4,
    "cli": 5,
    "gui": 5,
}
# The one import that points from a part to a peer: the CLI opening the window, lazily.
WINDOW_ENTRY = ("readinglist.cli.window", "readinglist.gui.app")
QT = ("PySide6", "shiboken6")


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is, and whether it runs only when called."""

    module: str
    target: str
    where: str
    lazy: bool


def module_name(path: Path) -> str:
    """`readinglist/index/query.py` -> `readinglist.index.query` (a package is its __init__)."""
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part(module: str) -> str:
    """The part of the tree a module belongs to (`base` for the shared modules)."""
    pieces = module.split(".")
    if len(pieces) == 1 or pieces[1] in BASE:
        return "base"
    if pieces[1] == "__main__":
        return "cli"  # `python -m readinglist` is the command line's other door
    return pieces[1]


def is_module(dotted: str) -> bool:
    """Whether a dotted name is a module or package of the tree (not a name inside one)."""
    path = PACKAGE_DIR.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    source = _absolute(node, module, is_package)
    # `from readinglist.dumps import judge` imports the module `judge`, not only the package.
    named = [f"{source}.{alias.name}" for alias in node.names]
    return [name if is_module(name) else source for name in named]


def _walk(node: ast.AST, lazy: bool = False):
    for child in ast.iter_child_nodes(node):
        inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield child, inner
        yield from _walk(child, inner)


def imports_in(source: str, module: str, is_package: bool, filename: str) -> list[Import]:
    """Every import in one module's source, however deep in it."""
    found = []
    for node, lazy in _walk(ast.parse(source, filename=filename)):
        for target in _targets(node, module, is_package):
            found.append(Import(module, target, f"{filename}:{node.lineno}", lazy))
    return found


def imports_of(path: Path) -> list[Import]:
    """Every import in one module of readinglist/."""
    return imports_in(
        path.read_text(encoding="utf-8"),
        module_name(path),
        path.name == "__init__.py",
        str(path.relative_to(PACKAGE_DIR.parent)),
    )


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    """The imports of every module of readinglist/."""
    paths = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(paths) > 50, f"expected the whole package under {PACKAGE_DIR}"
    return [found for path in paths for found in imports_of(path)]


def test_every_module_has_a_layer(imports: list[Import]) -> None:
    modules = {found.module for found in imports} | {
        module_name(path) for path in PACKAGE_DIR.rglob("*.py")
    }
    unplaced = sorted(module for module in modules if part(module) not in LAYER)
    assert not unplaced, f"give these a layer in LAYER (or BASE): {unplaced}"


def test_imports_point_down(imports: list[Import]) -> None:
    wrong = []
    for found in imports:
        if found.target.split(".")[0] != "readinglist":
            continue
        here, there = part(found.module), part(found.target)
        if here == there or LAYER.get(here, -1) > LAYER.get(there, -1):
            continue
        if (found.module, found.target) == WINDOW_ENTRY and found.lazy:
            continue
        wrong.append(f"{found.where}: {here} imports {there} ({found.target})")
    assert not wrong, "imports that point up or sideways:\n" + "\n".join(wrong)


def test_the_cli_opens_the_window_through_one_lazy_import(imports: list[Import]) -> None:
    to_gui = [
        found for found in imports if part(found.module) == "cli" and part(found.target) == "gui"
    ]
    assert [(found.module, found.target, found.lazy) for found in to_gui] == [(*WINDOW_ENTRY, True)]


def test_only_gui_imports_qt(imports: list[Import]) -> None:
    wrong = [
        f"{found.where}: {found.target}"
        for found in imports
        if found.target.split(".")[0] in QT and part(found.module) != "gui"
    ]
    assert not wrong, "Qt imported outside readinglist/gui:\n" + "\n".join(wrong)


def test_every_package_says_what_it_holds() -> None:
    silent = [
        str(init.relative_to(PACKAGE_DIR.parent))
        for init in sorted(PACKAGE_DIR.rglob("__init__.py"))
        if "__pycache__" not in init.parts
        and not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    ]
    assert not silent, f"packages without a docstring: {silent}"


SAMPLE = """
from typing import TYPE_CHECKING
import readinglist.errors
from readinglist.dumps import judge, read_dump
from . import output
from .. import paths
if TYPE_CHECKING:
    from readinglist.collection import Collection
def open_window():
    from readinglist.gui.app import run
class Late:
    def method(self):
        import readinglist.index.query
"""


def test_the_checker_sees_every_kind_of_import() -> None:
    found = imports_in(SAMPLE, "readinglist.cli.sample", False, "sample.py")
    assert {(item.target, item.lazy) for item in found} == {
        ("typing", False),
        ("readinglist.errors", False),
        ("readinglist.dumps.judge", False),  # a module of the package
        ("readinglist.dumps", False),  # a name the package exports
        ("readinglist.cli.output", False),
        ("readinglist.paths", False),
        ("readinglist.collection", False),  # under TYPE_CHECKING: counted, not lazy
        ("readinglist.gui.app", True),
        ("readinglist.index.query", True),
    }
