"""The man page and the shell completions made at build time from the CLI's parser.

packaging/make_docs.py writes them; these tests run it on the real parser
(`readinglist.cli.build_parser`), so a command added to the CLI is checked
here without a list of commands to keep in step. The installed files are
checked by packaging/ci_check.sh after `dpkg -i`.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("shtab", reason="shtab is in pyproject's bundle extra")
pytest.importorskip("argparse_manpage", reason="argparse-manpage is in pyproject's bundle extra")

from readinglist.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"


def load(path: Path) -> ModuleType:
    """Import a packaging script (packaging/ is not a package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_docs = load(PACKAGING / "make_docs.py")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    subprocess.run(
        [sys.executable, str(PACKAGING / "make_docs.py"), str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def commands() -> list[tuple[str, ...]]:
    paths = make_docs.command_paths(build_parser())
    assert len(paths) >= 10, paths  # import, list, search, show, similar, mark, tag, note, ...
    return paths


def nested_parser() -> argparse.ArgumentParser:
    """A parser shaped like the CLI's, with a command that has commands of its own."""
    parser = argparse.ArgumentParser(prog="readinglist")
    parser.add_argument("--library", metavar="DIR")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    imp = sub.add_parser("import", help="import page dumps")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    saved = sub.add_parser("saved", help="saved searches")
    saved_sub = saved.add_subparsers(dest="saved_command")
    saved_sub.add_parser("list", help="list them")
    run = saved_sub.add_parser("run", help="run one")
    run.add_argument("name")
    run.add_argument("--limit", type=int, metavar="N")
    return parser


def roff_to_text(roff: str) -> str:
    """The words of a roff page: escapes for minus and fonts undone."""
    text = roff.replace("\\-", "-")
    return re.sub(r"\\f[BIRP]|\\[,/]", "", text)


def option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """A parser's long options but --help (the man page does not repeat it for each command)."""
    return {o for a in parser._actions for o in a.option_strings if o.startswith("--")} - {"--help"}


def command_parser(path: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = build_parser()
    for name in path:
        parser = make_docs.subcommands(parser)[name]
    return parser


# --- the walk over the parser ------------------------------------------------------


def test_command_paths_include_nested_commands() -> None:
    assert make_docs.command_paths(nested_parser()) == [
        ("import",),
        ("saved",),
        ("saved", "list"),
        ("saved", "run"),
    ]


def test_file_and_folder_arguments_complete_paths() -> None:
    parser = nested_parser()
    make_docs.mark_path_arguments(parser)
    library = next(a for a in parser._actions if a.dest == "library")
    paths = next(a for a in make_docs.subcommands(parser)["import"]._actions if a.dest == "paths")
    assert library.complete == make_docs.shtab.DIRECTORY
    assert paths.complete == make_docs.shtab.FILE


# --- the man page --------------------------------------------------------------------


def test_man_page_names_every_command_and_option(
    docs: Path, commands: list[tuple[str, ...]]
) -> None:
    text = roff_to_text((docs / "man" / "readinglist.1").read_text(encoding="utf-8"))
    for path in commands:
        assert f"readinglist {' '.join(path)}" in text, path
        for option in option_strings(command_parser(path)):
            assert option in text, (path, option)
    for option in option_strings(build_parser()):
        assert option in text


def test_man_page_header_and_name_come_from_pyproject(docs: Path) -> None:
    project = make_docs.project_meta.load()
    roff = (docs / "man" / "readinglist.1").read_text(encoding="utf-8")
    header = roff.splitlines()[0]
    assert header.startswith('.TH READINGLIST "1" ')
    assert f'"readinglist {project["version"]}"' in roff_to_text(header)
    name = roff_to_text(roff.split(".SH NAME\n", 1)[1].splitlines()[0])
    assert name == f"readinglist - {make_docs.project_meta.synopsis(project)}"
    assert make_docs.project_meta.maintainer(project) in roff


def test_man_page_of_nested_commands() -> None:
    project = make_docs.project_meta.load()
    text = roff_to_text(make_docs.manpage(nested_parser(), project))
    assert "readinglist saved run" in text
    assert "--limit" in text


@pytest.mark.skipif(shutil.which("man") is None, reason="needs man-db's man")
def test_man_renders_the_page_without_warnings(docs: Path) -> None:
    # What lintian's manpage check runs (manpage-has-errors-from-man).
    result = subprocess.run(
        ["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", str(docs / "man/readinglist.1")],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C.UTF-8", "MANWIDTH": "80", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0
    assert result.stderr == ""


# --- the completions ---------------------------------------------------------------------


def test_a_completion_script_for_each_shell(docs: Path, commands: list[tuple[str, ...]]) -> None:
    names = ("readinglist", "_readinglist", "readinglist.fish")  # bash, zsh, fish
    scripts = {name: (docs / "completions" / name).read_text() for name in names}
    assert scripts["_readinglist"].startswith("#compdef readinglist")
    assert "complete -c readinglist" in scripts["readinglist.fish"]
    assert "complete -o bashdefault -F" in scripts["readinglist"]
    for name, script in scripts.items():
        words = set(re.findall(r"[\w-]+", script))
        for path in commands:
            assert path[-1] in words, (name, path)


def bash_complete(script: Path, words: list[str]) -> list[str]:
    """What bash offers for the last of `words`, with the completion script loaded."""
    line = " ".join(words)
    program = f"""
source {script}
COMP_WORDS=({" ".join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}
COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}
function=$(complete -p readinglist | sed 's/.* -F \\([^ ]*\\) .*/\\1/')
"$function" readinglist {words[-1]!r} {words[-2]!r}
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_bash_completes_every_command(docs: Path, commands: list[tuple[str, ...]]) -> None:
    script = docs / "completions" / "readinglist"
    for path in commands:
        *parents, name = path
        offered = bash_complete(script, ["readinglist", *parents, name[:2]])
        assert name in offered, (path, offered)


def test_bash_completes_options_and_files(docs: Path, tmp_path: Path) -> None:
    script = docs / "completions" / "readinglist"
    assert "--json" in bash_complete(script, ["readinglist", "import", "--j"])
    (tmp_path / "dump-one.txt").write_text("x")
    offered = bash_complete(script, ["readinglist", "import", str(tmp_path / "dump-")])
    assert str(tmp_path / "dump-one.txt") in offered


@pytest.mark.parametrize(("shell", "name"), [("zsh", "_readinglist"), ("fish", "readinglist.fish")])
def test_completion_script_parses_in_its_shell(docs: Path, shell: str, name: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    subprocess.run([shell, "-n", str(docs / "completions" / name)], check=True)
