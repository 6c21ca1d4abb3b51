"""Generate the shell completions and the man page from the command line's parser.

Usage::

    python packaging/make_docs.py [OUT]        # default: build/docs

Writes, from `readinglist.cli.build_parser()` and pyproject.toml:

    OUT/completions/readinglist        bash (shtab)
    OUT/completions/_readinglist       zsh (shtab)
    OUT/completions/readinglist.fish   fish (shtab)
    OUT/man/readinglist.1              the man page (argparse-manpage)

packaging/build.py runs it at build time, and packaging/linux/build_deb.py
installs the files where bash-completion, zsh, fish and man look for them.
Nothing here runs when the app runs: the app neither imports shtab nor
argparse-manpage (both are in pyproject's `bundle` extra).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import shtab
from argparse_manpage.manpage import Manpage

# packaging/ is not a package; appended, so that its build.py never shadows a real module.
sys.path.append(str(Path(__file__).resolve().parent))
import project_meta

REPO = project_meta.REPO
PROG = "readinglist"
# The completion file of each shell, named as each shell's loader looks it up.
COMPLETION_FILES = {"bash": PROG, "zsh": f"_{PROG}", "fish": f"{PROG}.fish"}
# The parser names its file and folder arguments by metavar; completing them
# with file or folder names is what a user expects at those places.
FILE_METAVARS = {"PATH", "FILE", "F"}
DIR_METAVARS = {"DIR"}


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The commands directly under a parser, aliases included.

    Args:
        parser: A parser.

    Returns:
        Command name to its parser, in the order they were added.
    """
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def command_paths(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
    """Every command and nested command of a parser, e.g. ("import",), ("saved", "run").

    Args:
        parser: The top-level parser.

    Returns:
        The command paths, parents before their children.
    """
    paths: list[tuple[str, ...]] = []
    for name, child in subcommands(parser).items():
        paths.append((name,))
        paths += [(name, *rest) for rest in command_paths(child)]
    return paths


def mark_path_arguments(parser: argparse.ArgumentParser) -> None:
    """Have shtab complete file names for file arguments and folder names for folder ones.

    An argument that already says how to complete it (its `complete`
    attribute, set by the CLI itself) is left as it is.

    Args:
        parser: The top-level parser; its commands are marked too.
    """
    for action in parser._actions:
        if getattr(action, "complete", None) is not None or not isinstance(action.metavar, str):
            continue
        if action.metavar in FILE_METAVARS:
            action.complete = shtab.FILE
        elif action.metavar in DIR_METAVARS:
            action.complete = shtab.DIRECTORY
    for child in {id(p): p for p in subcommands(parser).values()}.values():
        mark_path_arguments(child)


def completion(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script of one shell.

    Args:
        parser: The top-level parser.
        shell: "bash", "zsh" or "fish".

    Returns:
        The script's text.
    """
    mark_path_arguments(parser)
    return shtab.complete(parser, shell=shell).rstrip("\n") + "\n"


def manpage(parser: argparse.ArgumentParser, project: dict) -> str:
    """The man page (section 1, roff), with the project's version, maintainer and homepage.

    The date is $SOURCE_DATE_EPOCH's when set (reproducible builds), else today's.

    Args:
        parser: The top-level parser.
        project: pyproject's [project] table.

    Returns:
        The page's roff source.
    """
    data = {
        "project_name": PROG,
        "prog": PROG,
        "version": project["version"],
        "description": project_meta.synopsis(project),
        "authors": [project_meta.maintainer(project)],
        "url": project_meta.url(project, "Homepage", "Repository"),
        "manual_section": 1,
        "manual_title": "User Commands",
    }
    return str(Manpage(parser, data))


def write(out: Path, parser: argparse.ArgumentParser, project: dict) -> list[Path]:
    """Write the three completion scripts and the man page under `out`.

    Args:
        out: The output folder (created if needed).
        parser: The top-level parser.
        project: pyproject's [project] table.

    Returns:
        The files written.
    """
    written = []
    (out / "completions").mkdir(parents=True, exist_ok=True)
    for shell, name in COMPLETION_FILES.items():
        path = out / "completions" / name
        path.write_text(completion(parser, shell), encoding="utf-8")
        written.append(path)
    (out / "man").mkdir(parents=True, exist_ok=True)
    page = out / "man" / f"{PROG}.1"
    page.write_text(manpage(parser, project), encoding="utf-8")
    written.append(page)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line entry point.

    Args:
        argv: Arguments without the program name.

    Returns:
        The exit status.
    """
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("out", nargs="?", type=Path, default=REPO / "build" / "docs")
    args = cli.parse_args(argv)
    from readinglist.cli import build_parser

    for path in write(args.out, build_parser(), project_meta.load()):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
