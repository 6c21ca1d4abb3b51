"""YAML front matter: written with PyYAML, read back with PyYAML.

Every string value is emitted double-quoted, whatever it holds. PyYAML would
leave some strings plain that a YAML 1.2 reader (Obsidian, most JavaScript
tools) takes for a number, such as "0o17"; quoting everything means a title
is a string for every reader, and the escapes of the double-quoted style keep
newlines, '---' and control characters inside the scalar.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import yaml

FENCE = "---"

# libyaml (shipped in PyYAML's wheels) is about five times faster, which an
# export of thousands of papers feels; the pure-Python classes behave alike.
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Quoted(str):
    """A string value to be emitted in the double-quoted style."""


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """SafeDumper with quoted string values and ISO 8601 date-times."""


def _represent_quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    # PyYAML writes "2025-04-20 10:00:00"; the "T" form is what note apps
    # (Obsidian's date-time property) recognise, and it reads back the same.
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(_Quoted, _represent_quoted)
_Dumper.add_representer(datetime, _represent_datetime)


def render_front_matter(fields: dict) -> str:
    r"""Render a front matter block.

    Args:
        fields: Keys (plain strings chosen by the app) mapped to None, bool,
            int, float, str, date, datetime, or lists and dicts of those.

    Returns:
        "---\n<yaml>---\n". `yaml.safe_load` of the middle part gives back
        `fields` exactly; no value can end the block early or add keys.

    Raises:
        ValueError: If the block would not read back as `fields` (a bug, or a
            value type this module does not handle).
    """
    body = yaml.dump(
        _quote_strings(fields),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,  # one line per value: no folding to reason about
    )
    # Belt and braces: the block must read back as exactly what was given,
    # and no line of it may be a fence a reader would stop at.
    lines = body.splitlines()
    if FENCE in lines or "..." in lines or yaml.load(body, Loader=_Loader) != fields:
        raise ValueError("front matter does not round-trip")
    return f"{FENCE}\n{body}{FENCE}\n"


def split_front_matter(text: str) -> tuple[dict | None, str]:
    """Split a Markdown text into its front matter and the rest.

    Args:
        text: A whole Markdown file; a leading BOM and CRLF line ends are
            accepted.

    Returns:
        (fields, body): the front matter as a dict and the text after its
        closing fence. (None, text) when the text has no front matter, or
        when it is not valid YAML or not a mapping.
    """
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != FENCE:
        return None, text
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") in (FENCE, "..."):
            try:
                fields = yaml.load("".join(lines[1:index]), Loader=_Loader)
            except yaml.YAMLError:
                return None, text
            if fields is None:
                fields = {}
            if not isinstance(fields, dict):
                return None, text
            return fields, "".join(lines[index + 1 :])
    return None, text


def _quote_strings(value: Any) -> Any:
    if isinstance(value, str):
        return _Quoted(value)
    if isinstance(value, dict):
        return {key: _quote_strings(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_quote_strings(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, date)):
        return value
    raise ValueError(f"cannot write {type(value).__name__} in front matter")
