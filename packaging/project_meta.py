"""What the packages say about the project, read from pyproject.toml's [project] table.

The .deb's control file, copyright and changelog, the AppStream metainfo and
the man page all name the project's maintainer and URLs. They read them from
here, so pyproject.toml is the one place they are written.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = REPO / "pyproject.toml"


def load(path: Path = PYPROJECT) -> dict:
    """The [project] table of a pyproject.toml.

    Args:
        path: The pyproject.toml to read.

    Returns:
        The table as a dict.
    """
    with path.open("rb") as fh:
        return tomllib.load(fh)["project"]


def maintainer(project: dict) -> str:
    """The first maintainer (else author) with both a name and an address, as "Name <address>".

    Args:
        project: The [project] table.

    Returns:
        e.g. "readinglist developers <readinglist@users.noreply.github.com>".

    Raises:
        ValueError: If no maintainer or author has both: Debian's Maintainer field needs both.
    """
    for person in [*project.get("maintainers", []), *project.get("authors", [])]:
        if person.get("name") and person.get("email"):
            return f"{person['name']} <{person['email']}>"
    raise ValueError("pyproject.toml has no maintainer or author with both a name and an email")


def synopsis(project: dict) -> str:
    """The project's description as a one-line synopsis: no leading article, lower-case start.

    Debian's synopsis and a man page's NAME line are read as "readinglist - ...",
    so "A desktop reading-list manager" becomes "desktop reading-list manager".

    Args:
        project: The [project] table.

    Returns:
        The synopsis.
    """
    text = " ".join(project["description"].split())
    words = text.split(" ", 1)
    if len(words) == 2 and words[0].lower() in {"a", "an", "the"}:
        text = words[1]
    # Lower-case the first letter unless the first word is an acronym or a name in capitals.
    first = text.split(" ", 1)[0]
    if not first[1:2].isupper():
        text = text[:1].lower() + text[1:]
    return text


def url(project: dict, *keys: str) -> str:
    """The first of [project.urls]' entries named by `keys` (case-insensitive), without a "/" tail.

    Args:
        project: The [project] table.
        *keys: Entry names in order of preference, e.g. "Repository", "Homepage".

    Returns:
        The URL.

    Raises:
        KeyError: If none of them is there.
    """
    urls = {name.lower(): value for name, value in project.get("urls", {}).items()}
    for key in keys:
        if urls.get(key.lower()):
            return urls[key.lower()].rstrip("/")
    raise KeyError(f"pyproject.toml's [project.urls] has none of {', '.join(keys)}")
