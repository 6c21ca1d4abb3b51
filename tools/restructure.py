"""Move the flat core into packages (issue 14's "Layout"), and every reference with it.

    python tools/restructure.py [--dry-run] [--allow-dirty] [--ruff PATH]

Run from the repository root, once, in a commit of its own (so that
`git log --follow` finds each module's history). It:

1. checks that every top-level module of `readinglist/`, every module of
   `readinglist/gui/` and every file directly in `tests/core/` is in the
   mapping below, and stops, listing them, if one is not (a module added since
   the mapping was written is never left behind);
2. moves the modules and tests with `git mv` (a file git does not track yet is
   renamed in place), and writes the new packages' `__init__.py`;
3. rewrites every reference to a moved module: imports (`from readinglist import
   search` too), dotted names in code and strings (`"readinglist.search_query"`,
   monkeypatch targets, logger names, `python -m ...`), file paths
   (`readinglist/search.py`, `gui/detail_pane.py`, `tests/core/test_x.py`),
   file names that changed (`search_bulk.py`), pyproject's package list, and
   the README's layout paragraph;
4. sorts the imports and formats the Python files it changed with ruff, then
   checks that every `readinglist` import in the tree names a module that
   exists, that no old path is left, and that no line grew past the line
   length where the formatter cannot wrap it (in a string); it lists each and
   exits 1 if there is one. It exits 2, having changed nothing, when it
   refuses the tree.

It changes files only; staging and committing are left to the person.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import re
import shutil
import subprocess
import sys
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "readinglist"

# Top-level core modules that move: old name -> new dotted path under readinglist.
CORE_MOVES = {
    "decoding": "dumps.decoding",
    "htmltext": "dumps.html_text",
    "dates": "dumps.dates",
    "titles": "dumps.titles",
    "models": "library.tables",
    "paper_columns": "library.columns",
    "schema": "library.schema",
    "reader": "library.reader",
    "records": "library.records",
    "library": "library.writes",
    "importer": "library.importing",
    "reading_stats": "library.reading_stats",
    "search": "index.index",
    "search_bulk": "index.bulk",
    "search_query": "index.query",
    "search_schema": "index.fields",
    "search_buffers": "index.whoosh_shims",
    "index_lock": "index.lock",
    # Not `typing`: a module named like the standard library's is a trap.
    "typing_query": "index.as_typed",
    "export": "export.vault",
    "export_markdown": "export.markdown",
    "frontmatter": "export.frontmatter",
    "filenames": "export.filenames",
    "vault_files": "export.files",
    "vault_manifest": "export.manifest",
    "paper_identity": "export.identity",
    # Library-aware, so not in the pure ranking package: beside collection.py.
    "for_you": "recommendations",
}
# Top-level modules and packages that stay where they are.
CORE_STAYS = {"__init__", "__main__", "collection", "papers", "errors", "paths", "version"}
CORE_PACKAGES = {"dumps", "ranking", "cli", "gui"}

GUI_STAYS = {
    "__init__",
    "app",
    "main_window",
    "worker",
    "undo",
    "settings",
    "theme",
    "text",
    "crash",
    "single_instance",
    "modeless",
    "progress",
    "actions",
    "qt_app",
}
_GUI_GROUPS = {
    "widgets": (
        "charts",
        "detail_pane",
        "note_editor",
        "tag_editor",
        "year_editor",
        "sidebar",
        "search_bar",
        "table_view",
        "empty_state",
        "labels",
        "upvote_history",
        "panes",
    ),
    "models": ("paper_table",),
    "flows": (
        "import_flow",
        "export_flow",
        "dropping",
        "listing",
        "navigation",
        "triage",
        "indexing",
        "history",
        "search_runner",
        "reading_clock",
        "saved_searches",
    ),
    "dialogs": (
        "export_dialog",
        "import_dialogs",
        "tags_dialog",
        "shortcuts_dialog",
        "reading_dialog",
    ),
}
GUI_MOVES = {name: f"gui.{group}.{name}" for group, names in _GUI_GROUPS.items() for name in names}
# Column widths fit the table view's header to what the rows hold: a view's concern.
GUI_MOVES["columns"] = "gui.widgets.column_widths"

# Files directly in tests/core: old name -> new path under tests/.
TEST_MOVES = {
    "test_dates.py": "dumps/test_dates.py",
    "test_decoding.py": "dumps/test_decoding.py",
    "test_dumps.py": "dumps/test_dumps.py",
    "test_dumps_properties.py": "dumps/test_dumps_properties.py",
    "test_htmltext.py": "dumps/test_html_text.py",
    "test_titles.py": "dumps/test_titles.py",
    "test_library.py": "library/test_library.py",
    "test_library_damage.py": "library/test_library_damage.py",
    "test_library_refuses.py": "library/test_library_refuses.py",
    "test_schema_v3.py": "library/test_schema_v3.py",
    "test_schema_v4.py": "library/test_schema_v4.py",
    "test_import.py": "library/test_import.py",
    "test_import_disk_full.py": "library/test_import_disk_full.py",
    "test_import_limits.py": "library/test_import_limits.py",
    "test_import_site_fields.py": "library/test_import_site_fields.py",
    "test_import_site_pages.py": "library/test_import_site_pages.py",
    "test_reading_stats.py": "library/test_reading_stats.py",
    "test_search.py": "index/test_index.py",
    "test_search_bulk.py": "index/test_bulk.py",
    "test_search_query.py": "index/test_query.py",
    "test_search_buffers.py": "index/test_whoosh_shims.py",
    "test_search_empty.py": "index/test_index_empty.py",
    "test_index_lock.py": "index/test_lock.py",
    "test_typing_query.py": "index/test_as_typed.py",
    "test_query_fuzz.py": "index/test_query_fuzz.py",
    "test_index_unwritable.py": "index/test_index_unwritable.py",
    "test_export.py": "export/test_vault.py",
    "test_export_disk_full.py": "export/test_export_disk_full.py",
    "test_export_interrupted.py": "export/test_export_interrupted.py",
    "test_export_identity.py": "export/test_identity.py",
    "test_filenames.py": "export/test_filenames.py",
    "test_frontmatter.py": "export/test_frontmatter.py",
    "test_cli.py": "cli/test_cli.py",
    "test_cli_contract.py": "cli/test_cli_contract.py",
    "test_collection.py": "collection/test_collection.py",
    "test_concurrent_create.py": "collection/test_concurrent_create.py",
    "test_lazy_imports.py": "collection/test_lazy_imports.py",
    "test_for_you.py": "collection/test_recommendations.py",
    "test_core_is_qt_free.py": "test_core_is_qt_free.py",
}
# Folders in tests/core: everything in them moves along, new files included.
TEST_DIR_MOVES = {
    "dumps": "dumps",
    "ranking": "ranking",
    "cli": "cli",
    "data": "data/library",
}
# The old library files (tests/core/data) are found through testdata.py, like all test data.
LIBRARY_DATA_NAME = "LIBRARY_DATA"
LIBRARY_DATA_LINE = (
    "# Library files as older versions wrote them (the schema upgrades' inputs).\n"
    f'{LIBRARY_DATA_NAME} = DATA / "library"\n'
)

# Each package's __init__.py says in two lines what it holds and what it may import.
# They stay free of imports: reading the library must not load sqlmodel, nor the index Whoosh.
NEW_PACKAGES = {
    "library": (
        "The library: SQLite tables and schema upgrades, reads, writes, records, import planning.",
        "Imports dumps and the base (papers, errors, paths, version); never index, export or Qt.",
    ),
    "index": (
        "The Whoosh index: lifecycle, fields and analyzers, queries, bulk scoring, lock, shims.",
        "Imports only the base (papers, errors, paths, version); never library, export or Qt.",
    ),
    "export": (
        "Notes to a Markdown vault: rendering, front matter, file names, manifest, paper identity.",
        "Imports dumps (titles) and the base; never the library, the index, ranking or Qt.",
    ),
    "gui/widgets": (
        "The window's widgets: panes, table view and column widths, detail pane, editors, charts.",
        "May import the rest of gui, collection and everything below it; never cli.",
    ),
    "gui/models": (
        "Qt item models over the core: the paper table, a model over ids.",
        "May import the rest of gui, collection and everything below it; never cli.",
    ),
    "gui/flows": (
        "What the window does step by step: import, export, listing, navigation, triage, search.",
        "May import the rest of gui, collection and everything below it; never cli.",
    ),
    "gui/dialogs": (
        "The window's dialogs: import preview and summary, export, tags, shortcuts, reading.",
        "May import the rest of gui, collection and everything below it; never cli.",
    ),
}
# Existing packages whose __init__.py is empty get these two lines.
EMPTY_INIT_DOCSTRINGS = {
    "gui": (
        "The PySide6 window: app, main window, worker, undo; widgets/, models/, flows/, dialogs/.",
        "May import collection, recommendations and everything below; the core never imports it.",
    ),
}

# Where references are rewritten: (folder or file, whether to recurse).
SCOPE_DIRS = ("readinglist", "tests", "benchmarks", "tools", "packaging", ".ci", "scripts")
SCOPE_FILES = ("pyproject.toml", "README.md", "CONTRIBUTING.md")
SCOPE_GLOBS = ("docs/*.md", ".github/workflows/*.yml")
# Never rewritten: data as found, history, and this script (it names the old modules).
SKIP_PREFIXES = ("tests/data/", "CHANGELOG.md", "tools/restructure.py")
CACHES = {"__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache"}
SKIP_PARTS = CACHES | {"out"}  # benchmarks/out: results as measured

README_LAYOUT = """\
- Layout (`ls readinglist/*/` shows it): `readinglist/` is the Qt-free core.
  `dumps/` reads each input form (one reader per form behind a dispatcher
  that sniffs it, a shared judge of what reads as a paper, decoding, HTML
  text, dates, titles); `library/` is the SQLite file (tables, schema
  upgrades, reads, writes, records, import planning); `index/` the Whoosh
  index (lifecycle, fields, query parsing, bulk scoring, the Whoosh shims);
  `export/` notes to a Markdown vault; `ranking/` what to read next (pure);
  `collection.py` keeps library and index in step, `recommendations.py`
  feeds the ranking from the library; `papers.py`, `errors.py`, `paths.py`
  and `version.py` are the base every layer may use. `cli/` is the command
  line, `readinglist/gui/` the PySide6 window (`widgets/`, `models/`,
  `flows/`, `dialogs/`). Imports point one way, gui -> collection ->
  library, index, export, ranking -> dumps -> base (`tests/test_layers.py`
  checks it); `tests/` mirrors the tree. `resources/` holds the icon and
  screenshots, `packaging/` the bundles and installers, `benchmarks/` the
  speed and memory checks (figures in [docs/benchmarks.md](docs/benchmarks.md)).
"""
# Prose that names a group of old files, said again in the new layout's words.
PROSE = {
    "readinglist/search*.py": "readinglist/index/",
    "search*.py": "index/",
    "./scripts/test tests/core -k search": "./scripts/test tests/index -k search",
    # A line in a string (ruff format leaves it) that the longer module name takes past 100.
    "readinglist.library.writes  # the slow imports, first": "readinglist.library.writes  # slow",
}
# Markers in tests/test_layers.py around the skip that holds until this script has run.
GUARD_BEGIN = "# restructure.py: begin flat-layout guard"
GUARD_END = "# restructure.py: end flat-layout guard"


class Refused(Exception):
    """The tree is not one this script can restructure; the message says why."""


@dataclass
class Plan:
    """What moves where, as paths relative to the repository root."""

    modules: dict[str, str] = field(default_factory=dict)  # dotted old -> dotted new
    files: list[tuple[str, str]] = field(default_factory=list)  # old path -> new path
    test_paths: dict[str, str] = field(default_factory=dict)  # old path or folder -> new
    prose: dict[str, str] = field(default_factory=dict)  # old module word -> new dotted name
    core_tests: set[str] = field(default_factory=set)  # new paths of the files of tests/core/*.py


def _module_names(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.py")}


def _subpackages(folder: Path) -> set[str]:
    return {
        path.name
        for path in folder.iterdir()
        if path.is_dir() and path.name not in SKIP_PARTS and any(path.glob("*.py"))
    }


def check_complete(root: Path) -> None:
    """Refuse a tree that has a module or test the mapping does not place.

    Raises:
        Refused: listing every module, package or test left out, or a tree
            that looks restructured already.
    """
    core = root / PACKAGE
    if (core / "index").is_dir() or not (core / "search.py").exists():
        raise Refused("readinglist/ is not the flat layout (already restructured?)")
    problems: list[str] = []
    for name in sorted(_module_names(core) - CORE_STAYS - set(CORE_MOVES)):
        problems.append(f"readinglist/{name}.py: not in CORE_MOVES or CORE_STAYS")
    for name in sorted(_subpackages(core) - CORE_PACKAGES):
        problems.append(f"readinglist/{name}/: not in CORE_PACKAGES")
    gui = core / "gui"
    for name in sorted(_module_names(gui) - GUI_STAYS - set(GUI_MOVES)):
        problems.append(f"readinglist/gui/{name}.py: not in GUI_MOVES or GUI_STAYS")
    for name in sorted(_subpackages(gui)):
        problems.append(f"readinglist/gui/{name}/: a subpackage the mapping does not know")
    tests = root / "tests" / "core"
    for path in sorted(tests.iterdir()) if tests.is_dir() else ():
        if path.name in SKIP_PARTS:
            continue
        known = TEST_DIR_MOVES if path.is_dir() else TEST_MOVES
        if path.name not in known:
            problems.append(f"tests/core/{path.name}: not in TEST_MOVES or TEST_DIR_MOVES")
    if problems:
        raise Refused("the mapping does not place:\n  " + "\n  ".join(problems))


def make_plan(root: Path) -> Plan:
    """The moves for this tree: modules, their files, and the tests."""
    plan = Plan()
    # A module of the mapping that is gone from the tree (deleted since) is simply not moved.
    for old, new in CORE_MOVES.items():
        if (root / PACKAGE / f"{old}.py").exists():
            plan.modules[f"{PACKAGE}.{old}"] = f"{PACKAGE}.{new}"
    for old, new in GUI_MOVES.items():
        if (root / PACKAGE / "gui" / f"{old}.py").exists():
            plan.modules[f"{PACKAGE}.gui.{old}"] = f"{PACKAGE}.{new}"
    for old, new in plan.modules.items():
        plan.files.append((_module_path(old), _module_path(new)))
    core = root / "tests" / "core"
    for old, new in TEST_MOVES.items():
        if (core / old).exists():
            plan.test_paths[f"tests/core/{old}"] = f"tests/{new}"
            plan.core_tests.add(f"tests/{new}")
    for old, new in TEST_DIR_MOVES.items():
        for path in sorted(_files_under(core / old)):
            rel = path.relative_to(core / old).as_posix()
            plan.files.append((f"tests/core/{old}/{rel}", f"tests/{new}/{rel}"))
        if (core / old).exists():
            plan.test_paths[f"tests/core/{old}"] = f"tests/{new}"
    plan.files.extend((old, new) for old, new in plan.test_paths.items() if old.endswith(".py"))
    return plan


def _module_path(dotted: str) -> str:
    return dotted.replace(".", "/") + ".py"


def _files_under(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        if path.is_file() and not SKIP_PARTS & set(path.relative_to(folder).parts):
            yield path


def check_targets(root: Path, plan: Plan) -> None:
    """Refuse moves onto existing files, and test file names that would clash.

    Raises:
        Refused: listing each clash. pytest imports test files without
            packages by their base name, so two `test_x.py` cannot coexist.
    """
    problems = [f"{new}: exists already" for _, new in plan.files if (root / new).exists()]
    moved_from = {old for old, _ in plan.files}
    names: dict[str, list[str]] = {}
    remaining = (
        path.relative_to(root).as_posix()
        for path in _files_under(root / "tests")
        if path.name.startswith("test_") and path.suffix == ".py"
    )
    for path in [p for p in remaining if p not in moved_from] + [n for _, n in plan.files]:
        if Path(path).name.startswith("test_") and not path.startswith("tests/data/"):
            names.setdefault(Path(path).name, []).append(path)
    problems += [
        f"{name}: {' and '.join(paths)}" for name, paths in names.items() if len(paths) > 1
    ]
    if problems:
        raise Refused("the moves would clash:\n  " + "\n  ".join(sorted(problems)))


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in `root`."""
    return subprocess.run(["git", *args], cwd=root, check=check, capture_output=True, text=True)


def is_tracked(root: Path, path: str) -> bool:
    """Whether git tracks `path` (in the index)."""
    return git(root, "ls-files", "--error-unmatch", path, check=False).returncode == 0


def move_files(root: Path, plan: Plan) -> list[str]:
    """Move every planned file; return the ones git did not track (renamed in place)."""
    untracked = []
    for old, new in plan.files:
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        if is_tracked(root, old):
            git(root, "mv", old, new)
        else:
            os.rename(root / old, root / new)
            untracked.append(new)
    _remove_if_only_caches(root / "tests" / "core")
    return untracked


def _remove_if_only_caches(folder: Path) -> None:
    """Remove a folder the moves emptied (a stale __pycache__ does not keep it)."""
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.is_dir():
            _remove_if_only_caches(child)
    left = [child for child in folder.iterdir() if child.name not in CACHES]
    if not left:
        shutil.rmtree(folder)


def _docstring(lines: tuple[str, str]) -> str:
    return f'"""{lines[0]}\n\n{lines[1]}\n"""\n'


def write_inits(root: Path) -> list[Path]:
    """Write the new packages' __init__.py, and docstrings where an existing one is empty."""
    written = []
    for package, doc in NEW_PACKAGES.items():
        path = root / PACKAGE / package / "__init__.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(_docstring(doc), encoding="utf-8")
            written.append(path)
    for package, doc in EMPTY_INIT_DOCSTRINGS.items():
        path = root / PACKAGE / package / "__init__.py"
        if path.exists() and not path.read_text(encoding="utf-8").strip():
            path.write_text(_docstring(doc), encoding="utf-8")
            written.append(path)
    return written


# --- rewriting references ---------------------------------------------------------------------

_DOTTED = re.compile(r"(?<![\w.])readinglist(?:\.[A-Za-z_]\w*)+")
_CORE_PATH = re.compile(r"(?<![\w/.])readinglist/((?:[A-Za-z_]\w*/)*[A-Za-z_]\w*)\.py\b")
_GUI_PATH = re.compile(r"(?<![\w/.])gui/([A-Za-z_]\w*)\.py\b")
_TEST_PATH = re.compile(r"(?<![\w/.])tests/core(?:/\w+(?:\.\w+)*)*")


def rewrite_dotted(text: str, modules: dict[str, str]) -> str:
    """Replace the longest moved module that starts each `readinglist.a.b.c` name."""

    def replace(match: re.Match[str]) -> str:
        parts = match.group(0).split(".")
        for cut in range(len(parts), 1, -1):
            new = modules.get(".".join(parts[:cut]))
            if new is not None:
                return ".".join([new, *parts[cut:]])
        return match.group(0)

    return _DOTTED.sub(replace, text)


def rewrite_paths(text: str, plan: Plan, bare: dict[str, str]) -> str:
    """Replace file paths of moved modules and tests, and changed bare file names."""
    modules = plan.modules

    def core(match: re.Match[str]) -> str:
        new = modules.get(f"{PACKAGE}." + match.group(1).replace("/", "."))
        return _module_path(new) if new else match.group(0)

    def gui(match: re.Match[str]) -> str:
        new = modules.get(f"{PACKAGE}.gui.{match.group(1)}")
        return _module_path(new).removeprefix(f"{PACKAGE}/") if new else match.group(0)

    def tests(match: re.Match[str]) -> str:
        path = match.group(0)
        for old in sorted(plan.test_paths, key=len, reverse=True):
            if path == old or path.startswith(old + "/"):
                return plan.test_paths[old] + path[len(old) :]
        return path

    for old, new in PROSE.items():
        text = text.replace(old, new)
    text = _CORE_PATH.sub(core, text)
    text = _GUI_PATH.sub(gui, text)
    text = _TEST_PATH.sub(tests, text)
    for old, new in bare.items():
        text = re.sub(rf"(?<![\w/.\-]){re.escape(old)}(?![\w/])", new, text)
    return text


def prose_names(root: Path, plan: Plan) -> dict[str, str]:
    """Old module names that comments and docstrings say bare: `search_bulk` -> `index.bulk`.

    Only names that read as nothing else: with an underscore (or `htmltext`),
    renamed, and never a function, class, argument or variable anywhere in
    the tree (`paper_identity` is a function too, so it stays). A file's own
    import of the module (`from readinglist import search_bulk`) does not count.
    """
    candidates = {}
    for old, new in plan.modules.items():
        word, new_word = old.removeprefix(f"{PACKAGE}."), new.removeprefix(f"{PACKAGE}.")
        if "." not in word and ("_" in word or word == "htmltext") and new_word != word:
            candidates[word] = new_word
    taken: set[str] = set()
    for path in scope_files(root):
        text = _read(path) if path.suffix == ".py" else None
        if text is not None:
            taken |= _identifiers(text)
    return {word: new for word, new in candidates.items() if word not in taken}


def _identifiers(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    imported = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and node.id not in imported:
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)
    return names


def rewrite_prose(source: str, words: dict[str, str]) -> str:
    """Old module words in the comments and strings of Python source -> their new names."""
    if not words:
        return source
    pattern = re.compile(r"(?<![\w./])(" + "|".join(map(re.escape, words)) + r")\b(?![/])")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out, at = [], 0
    for token in tokens:
        if token.type not in (tokenize.COMMENT, tokenize.STRING):
            continue
        begin = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        out += [source[at:begin], pattern.sub(lambda m: words[m.group(1)], source[begin:end])]
        at = end
    return "".join([*out, source[at:]])


def bare_names(root: Path, plan: Plan) -> dict[str, str]:
    """Core file names that changed, `old.py` -> `pkg/new.py`, where the old name is unambiguous.

    A name another file of the tree also carries (outside the moved ones) is
    left alone: a bare `models.py` could mean either.
    """
    moved = {old for old, _ in plan.files}
    others = {
        Path(path).name
        for path in git(root, "ls-files", "-co", "--exclude-standard").stdout.splitlines()
        if path not in moved
    }
    names = {}
    for old, new in plan.modules.items():
        if not old.startswith(f"{PACKAGE}.gui."):
            old_name = old.rsplit(".", 1)[1] + ".py"
            new_path = _module_path(new).removeprefix(f"{PACKAGE}/")
            if old_name not in others and Path(new_path).name != old_name:
                names[old_name] = new_path
    return names


def rewrite_from_imports(source: str, modules: dict[str, str]) -> str:
    """Split `from readinglist[.gui] import a, b` where a moved: `from readinglist.index import a`.

    A moved module keeps the name the code uses for it (`import ... as old`),
    so that no other line changes.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            replacement = _split_import(node, modules)
            if replacement is not None:
                edits.append((node, replacement))
    for node, statements in sorted(edits, key=lambda e: e[0].lineno, reverse=True):
        first, last = node.lineno - 1, node.end_lineno - 1
        prefix = lines[first][: node.col_offset]
        suffix = lines[last][node.end_col_offset :]
        if prefix.strip():
            raise Refused(f"an import not at the start of its line: {lines[first].strip()!r}")
        joined = ("\n" + prefix).join(statements)
        lines[first : last + 1] = [prefix + joined + suffix]
    return "".join(lines)


def _split_import(node: ast.ImportFrom, modules: dict[str, str]) -> list[str] | None:
    kept: list[str] = []
    moved: list[str] = []
    for alias in node.names:
        new = modules.get(f"{node.module}.{alias.name}")
        if new is None:
            kept.append(alias.name + (f" as {alias.asname}" if alias.asname else ""))
            continue
        parent, name = new.rsplit(".", 1)
        local = alias.asname or alias.name
        moved.append(f"from {parent} import {name}" + (f" as {local}" if local != name else ""))
    if not moved:
        return None
    return ([f"from {node.module} import {', '.join(kept)}"] if kept else []) + moved


def point_at_library_data(text: str) -> str:
    """`Path(__file__).parent / "data"` of a test from tests/core -> testdata's LIBRARY_DATA."""
    pattern = re.compile(r'Path\(__file__\)(?:\.resolve\(\))?\.parent\s*/\s*"data"')
    if not pattern.search(text):
        return text
    text = pattern.sub(LIBRARY_DATA_NAME, text)
    first = next(
        (
            node
            for node in ast.parse(text).body
            if isinstance(node, ast.Import | ast.ImportFrom)
            and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
        ),
        None,
    )
    if first is None:
        raise Refused("a test that names tests/core/data has no imports to join")
    lines = text.splitlines(keepends=True)
    lines.insert(first.lineno - 1, f"from testdata import {LIBRARY_DATA_NAME}\n")
    return "".join(lines)


_WILD_LINE = re.compile(r'^WILD = DATA / "wild"\n', re.MULTILINE)


def add_library_data(root: Path) -> Path | None:
    """Name tests/data/library in tests/testdata.py (once)."""
    path = root / "tests" / "testdata.py"
    text = path.read_text(encoding="utf-8")
    if f"{LIBRARY_DATA_NAME} =" in text:
        return None
    anchor = _WILD_LINE.search(text)
    if anchor is None:
        raise Refused('tests/testdata.py has no `WILD = DATA / "wild"` line to add to')
    path.write_text(text[: anchor.end()] + LIBRARY_DATA_LINE + text[anchor.end() :], "utf-8")
    return path


def packages_line(root: Path) -> str:
    """pyproject's `packages = [...]`: every package under readinglist/, and the resources."""
    found = sorted(
        ".".join(init.parent.relative_to(root).parts)
        for init in (root / PACKAGE).rglob("__init__.py")
        if not SKIP_PARTS & set(init.parts)
    )
    names = [*found, f"{PACKAGE}.resources"]
    return "packages = [\n" + "".join(f'    "{name}",\n' for name in names) + "]"


def rewrite_pyproject(root: Path, text: str) -> str:
    """Regenerate [tool.setuptools]' package list (other tables' `packages` stay as they are).

    Raises:
        Refused: pyproject.toml has no [tool.setuptools] table with one `packages = [...]`.
    """
    section = re.search(r"(?ms)^\[tool\.setuptools\]\n.*?(?=^\[|\Z)", text)
    if section is None:
        raise Refused("pyproject.toml has no [tool.setuptools] table")
    body, count = re.subn(
        r"(?ms)^packages = \[.*?\]", lambda _: packages_line(root), section.group(0)
    )
    if count != 1:
        raise Refused("pyproject.toml: no single `packages = [...]` under [tool.setuptools]")
    return text[: section.start()] + body + text[section.end() :]


def rewrite_readme(text: str) -> tuple[str, bool]:
    """Replace the Development section's `- Layout:` bullet; say whether there was one."""
    pattern = re.compile(r"(?ms)^- Layout[ :(].*?(?=^- |^#|\Z)")
    new, count = pattern.subn(lambda _: README_LAYOUT, text, count=1)
    return new, count == 1


def drop_layout_guard(text: str) -> str:
    """Remove the block of tests/test_layers.py that skips on the flat layout."""
    pattern = re.compile(
        rf"(?ms)^[ \t]*{re.escape(GUARD_BEGIN)}\n.*?^[ \t]*{re.escape(GUARD_END)}\n"
    )
    return pattern.sub("", text)


def scope_files(root: Path) -> list[Path]:
    """The text files whose references are rewritten (tracked or not, never ignored)."""
    listed = git(root, "ls-files", "-co", "--exclude-standard").stdout.splitlines()
    chosen = []
    for rel in sorted(set(listed)):
        path = root / rel
        if not path.is_file() or rel.startswith(SKIP_PREFIXES):
            continue
        if SKIP_PARTS & set(Path(rel).parts):
            continue
        top = rel.split("/", 1)[0]
        if (
            top in SCOPE_DIRS
            or rel in SCOPE_FILES
            or any(Path(rel).match(glob) for glob in SCOPE_GLOBS)
        ):
            chosen.append(path)
    return chosen


def rewrite_file(root: Path, path: Path, plan: Plan, bare: dict[str, str]) -> bool:
    """Rewrite one file's references; return whether it changed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return False
    rel = path.relative_to(root).as_posix()
    # Dotted names first: `from readinglist.library import Library` -> `...library.writes`.
    # The split imports come after, because they name new packages (`readinglist.library`)
    # that are also old module names.
    new = rewrite_dotted(text, plan.modules)
    if path.suffix == ".py":
        new = rewrite_from_imports(new, plan.modules)
    new = rewrite_paths(new, plan, bare)
    if path.suffix == ".py":
        new = rewrite_prose(new, plan.prose)
    if rel in plan.core_tests:
        new = point_at_library_data(new)
    if rel == "pyproject.toml":
        new = rewrite_pyproject(root, new)
    if rel == "tests/test_layers.py":
        new = drop_layout_guard(new)
    if rel == "README.md":
        new, found = rewrite_readme(new)
        if not found:
            print("warning: README.md has no `- Layout:` bullet to replace", file=sys.stderr)
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def run_ruff(root: Path, ruff: str, files: Iterable[Path]) -> None:
    """Sort imports (the split ones, and renamed modules' new order) and format the files."""
    python = [str(path.relative_to(root)) for path in files if path.suffix == ".py"]
    if not python:
        return
    # F401: a test whose `Path` only built the old data path no longer needs the import.
    subprocess.run(
        [ruff, "check", "--fix", "--select", "I,F401", "--quiet", *python], cwd=root, check=False
    )
    subprocess.run([ruff, "format", "--quiet", *python], cwd=root, check=True)


def too_long(root: Path, ruff: str, files: Iterable[Path]) -> list[str]:
    """Lines a longer module name took past the line length where the formatter cannot help."""
    python = [str(path.relative_to(root)) for path in files if path.suffix == ".py"]
    if not python:
        return []
    result = subprocess.run(
        [ruff, "check", "--select", "E501", "--output-format", "concise", "--quiet", *python],
        cwd=root,
        capture_output=True,
        text=True,
    )
    return [line for line in result.stdout.splitlines() if "E501" in line]


# --- checking the result ----------------------------------------------------------------------


def unresolved_imports(root: Path) -> list[str]:
    """Every `readinglist` import in the tree that names no existing module or package."""
    problems = []
    for path in scope_files(root):
        if path.suffix != ".py":
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(tree):
            for name in _imported_modules(node):
                if name.split(".")[0] == PACKAGE and not _module_exists(root, name):
                    problems.append(f"{rel}:{node.lineno}: {name}")
    return problems


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def _module_exists(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    if dotted == f"{PACKAGE}.resources" or dotted.startswith(f"{PACKAGE}.resources."):
        return True
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def leftovers(root: Path, plan: Plan) -> list[str]:
    """Lines that still name an old file path (the dotted names are checked by import)."""
    old_paths = [old for old, _ in plan.files if old.startswith(f"{PACKAGE}/")]
    patterns = [re.compile(rf"(?<![\w/.]){re.escape(old)}\b") for old in old_paths]
    patterns.append(re.compile(r"(?<![\w/.])tests/core\b"))
    found = []
    for path in scope_files(root):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(lines, 1):
            if any(pattern.search(line) for pattern in patterns):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def preflight(root: Path, allow_dirty: bool) -> Plan:
    """The plan for this tree, once the tree is known to be one the plan fits.

    Raises:
        Refused: not a repository root, a module or test the mapping does not
            place, a clash, or uncommitted work (unless `allow_dirty`).
    """
    if not (root / "pyproject.toml").is_file() or not (root / PACKAGE).is_dir():
        raise Refused("run from the repository root (pyproject.toml and readinglist/)")
    check_complete(root)
    plan = make_plan(root)
    check_targets(root, plan)
    check_rewritable(root, plan)
    dirty = git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip()
    new_files = [old for old, _ in plan.files if not is_tracked(root, old)]
    if (dirty or new_files) and not allow_dirty:
        untracked = f" (untracked: {', '.join(new_files)})" if new_files else ""
        raise Refused(
            f"the tree has uncommitted changes{untracked}; commit them first so that the move"
            " is a commit of its own (or pass --allow-dirty)"
        )
    return plan


def check_rewritable(root: Path, plan: Plan) -> None:
    """Try every rewrite that can refuse on the tree as it is, before anything moves.

    Raises:
        Refused: as the rewrite would, so that a refusal never leaves a half-moved tree.
    """
    rewrite_pyproject(root, (root / "pyproject.toml").read_text(encoding="utf-8"))
    testdata = (root / "tests" / "testdata.py").read_text(encoding="utf-8")
    if LIBRARY_DATA_NAME not in testdata and not _WILD_LINE.search(testdata):
        raise Refused('tests/testdata.py has no `WILD = DATA / "wild"` line to add to')
    for path in scope_files(root):
        if path.suffix != ".py":
            continue
        text = _read(path)
        if text is None:
            continue
        rewrite_from_imports(rewrite_dotted(text, plan.modules), plan.modules)
        if path.relative_to(root).as_posix() in plan.test_paths:
            point_at_library_data(text)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def apply(root: Path, plan: Plan) -> tuple[set[Path], list[str]]:
    """Move the files and rewrite the references; return the files touched, and the untracked."""
    bare = bare_names(root, plan)
    plan.prose = prose_names(root, plan)
    untracked = move_files(root, plan)
    touched = set(write_inits(root))
    library_data = add_library_data(root)
    if library_data:
        touched.add(library_data)
    touched |= {path for path in scope_files(root) if rewrite_file(root, path, plan, bare)}
    touched |= {root / new for _, new in plan.files}
    return touched, untracked


def find_ruff(root: Path, given: str | None) -> str | None:
    """The ruff to run: the one given, the project's .venv's, or the first on PATH."""
    venv = root / ".venv" / "bin" / "ruff"
    return given or (str(venv) if venv.exists() else shutil.which("ruff"))


def report(root: Path, plan: Plan, untracked: list[str], long_lines: list[str]) -> int:
    """Say what is left to do by hand; 0 when nothing is."""
    if untracked:
        print("renamed without git (untracked before): " + ", ".join(untracked))
    problems = [f"unresolved import: {line}" for line in unresolved_imports(root)]
    problems += [f"old path left: {line}" for line in leftovers(root, plan)]
    problems += [f"line too long (shorten it by hand): {line}" for line in long_lines]
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print("done: stage the moves with `git add -A`, then check `git status` before committing")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    """Restructure the repository in the current folder."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the moves, change nothing")
    parser.add_argument(
        "--allow-dirty", action="store_true", help="run with uncommitted changes in the tree"
    )
    parser.add_argument("--ruff", help="the ruff to run (default: .venv's, or PATH's)")
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        plan = preflight(root, args.allow_dirty or args.dry_run)
        for old, new in plan.files:
            print(f"{old} -> {new}")
        if args.dry_run:
            return 0
        touched, untracked = apply(root, plan)
    except Refused as refused:
        print(f"restructure: {refused}", file=sys.stderr)
        return 2
    ruff = find_ruff(root, args.ruff)
    long_lines: list[str] = []
    if ruff is None:
        print("warning: no ruff found; imports are not sorted or formatted", file=sys.stderr)
    else:
        run_ruff(root, ruff, touched)
        long_lines = too_long(root, ruff, touched)
    print(f"moved {len(plan.files)} files; wrote or moved {len(touched)}")
    return report(root, plan, untracked, long_lines)


if __name__ == "__main__":
    sys.exit(main())
