"""An organisation's name from its byline, as every form of the site shows it."""

from __future__ import annotations


def organisation_name(line: str) -> str:
    """The organisation's name from its byline.

    The site shows an organisation as its handle and then its name:
    "ReactiveAI Reactive AI". When the handle is the name squashed (or a
    prefix of it, or the other way round), keep the name; otherwise keep the
    line as it is, so that nothing is lost.
    """
    line = line.lstrip("•").strip()
    handle, _, name = line.partition(" ")
    name = name.strip()
    squashed_handle, squashed_name = _squash(handle), _squash(name)
    if (
        squashed_handle
        and squashed_name
        and (squashed_name.startswith(squashed_handle) or squashed_handle.startswith(squashed_name))
    ):
        return name
    return line


def _squash(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())
