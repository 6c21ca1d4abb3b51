"""Compare what the source install and the bundle wrote for the same commands.

Usage (packaging/ci_check.sh calls it)::

    python packaging/compare_outputs.py SOURCE_DIR BUNDLE_DIR

Each folder holds one run of the same scenario: `*.json` (the commands' --json
output), `*.txt` (plain output) and `export/` (the Markdown files); its `lib/`
(the library itself, SQLite and index files) is not compared. Both must
be equal once the things that must differ are taken out: the run's own temp
folder in paths, and the moments things happened (added_at, read_at, the
`exported:` and `read:` times in front matter). Ids, scores, highlights, file
names and contents must match exactly.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

# Keys whose values are moments of the run, not results.
TIME_KEYS = {"added_at", "read_at", "note_updated_at", "imported_at", "exported_at"}
ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?")


def normalize(value: Any, root: str) -> Any:
    """Replace run-specific parts of a JSON value.

    Args:
        value: Parsed JSON.
        root: The run's folder, replaced by "<root>" in strings.

    Returns:
        The value with paths made relative and moments blanked.
    """
    if isinstance(value, dict):
        return {
            key: ("<time>" if key in TIME_KEYS and item else normalize(item, root))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [normalize(item, root) for item in value]
    if isinstance(value, str):
        return value.replace(root, "<root>")
    return value


def normalize_text(text: str, root: str) -> str:
    """Plain text or Markdown with the run's folder and the moments blanked."""
    return ISO_MOMENT.sub("<time>", text.replace(root, "<root>"))


def _files(folder: Path) -> set[Path]:
    return {
        p.relative_to(folder)
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] != "lib"
    }


def compare(source: Path, bundle: Path) -> list[str]:
    """Differences between two scenario folders.

    Args:
        source: Output of the source install.
        bundle: Output of the bundled app.

    Returns:
        One line per difference; empty when they agree.
    """
    problems = []
    names, bundle_names = _files(source), _files(bundle)
    for missing in sorted(names ^ bundle_names):
        side = "bundle" if missing in names else "source"
        problems.append(f"{missing}: missing from the {side} run")
    for name in sorted(names & bundle_names):
        a, b = source / name, bundle / name
        if name.suffix == ".json" and name.parent == Path("."):
            left = normalize(json.loads(a.read_text(encoding="utf-8")), str(source))
            right = normalize(json.loads(b.read_text(encoding="utf-8")), str(bundle))
        elif name.name.startswith(".readinglist-export"):
            continue  # the exporter's own bookkeeping: hashes of files compared below
        else:
            left = normalize_text(a.read_text(encoding="utf-8"), str(source))
            right = normalize_text(b.read_text(encoding="utf-8"), str(bundle))
        if left != right:
            where, mine, theirs = first_difference(left, right)
            problems.append(
                f"{name}: differs at {where or '/'}\n"
                f"  source: {mine!r:.300}\n  bundle: {theirs!r:.300}"
            )
    return problems


def first_difference(left: Any, right: Any, path: str = "") -> tuple[str, Any, Any]:
    """Where two equal-looking values first differ: (path, left part, right part)."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right), key=str):
            if left.get(key) != right.get(key):
                return first_difference(left.get(key), right.get(key), f"{path}/{key}")
    elif isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            if a != b:
                return first_difference(a, b, f"{path}/{index}")
    elif isinstance(left, str) and isinstance(right, str):
        for number, (a, b) in enumerate(zip(left.splitlines(), right.splitlines(), strict=False)):
            if a != b:
                return f"{path} line {number + 1}", a, b
    return path, left, right


def main(argv: list[str] | None = None) -> int:
    """Command line entry point.

    Args:
        argv: SOURCE_DIR BUNDLE_DIR.

    Returns:
        0 when the runs agree, 1 otherwise.
    """
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, bundle = (Path(arg).resolve() for arg in args)
    problems = compare(source, bundle)
    files = len(_files(source))
    if problems:
        print(f"source and bundle differ in {len(problems)} of {files} files:")
        for line in problems:
            print(f"- {line}")
        return 1
    print(f"source and bundle agree on all {files} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
