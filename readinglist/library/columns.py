"""The columns of the library's `paper` table, derived from `readinglist.papers.Paper`.

`Paper` declares the table: each of its fields but `tags` is a column, and
its `Stored` metadata says who writes it. The lists here are computed from
those fields without importing sqlmodel, so that reads (`library.reader`,
which never pays for sqlmodel) and writes (`library.writes`, through the
table `library.tables` builds from the same fields) name the same columns.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, Field, fields
from datetime import date, datetime

from readinglist.papers import STORED, Paper, Stored

# The dedup key of a paper's title (`dumps.titles.title_key`, or that key
# with its arXiv id where another paper holds it). Only the importer uses it,
# so it is a column of the table but no field of Paper; it follows the id.
TITLE_KEY = "title_key"


def column_type(name: str) -> type:
    """The Python type a column's values take on a Paper, without None or Literal.

    `Status`, `YearSource` and `Triage` are texts; `author_names`, a tuple,
    is stored as JSON text.
    """
    hint = _HINTS[name]
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (hint,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is typing.Literal:
        return type(typing.get_args(hint)[0])
    return typing.get_origin(hint) or hint


def stored(name: str) -> Stored:
    """How the column of Paper's field `name` is stored."""
    return _FIELDS[name].metadata[STORED]


def column_default(name: str) -> object:
    """The value Paper's field `name` defaults to, None when it has none or it is stored as NULL."""
    default = _FIELDS[name].default
    if default is MISSING or column_type(name) is tuple:
        return None
    return default


def column_nullable(name: str) -> bool:
    """True if the column may hold NULL: its field takes None and it is not `required`.

    A JSON column holds NULL for an empty tuple (the names are unknown).
    """
    if column_type(name) is tuple:
        return True
    takes_none = type(None) in typing.get_args(_HINTS[name])
    return takes_none and not stored(name).required


_HINTS = typing.get_type_hints(Paper)
# Paper's fields that are columns, in Paper's order.
_FIELDS: dict[str, Field] = {f.name: f for f in fields(Paper) if STORED in f.metadata}

_FIELD_COLUMNS = tuple(_FIELDS)
PAPER_COLUMNS: tuple[str, ...] = (_FIELD_COLUMNS[0], TITLE_KEY, *_FIELD_COLUMNS[1:])

# The reader's part of a paper and its identity: what an import never writes.
READER_COLUMNS: frozenset[str] = frozenset(
    {TITLE_KEY, *(name for name in _FIELDS if stored(name).writer != "import")}
)

# Metadata an import may add to a paper already in the library: every other
# column, in table order, each named as in ParsedPaper.
METADATA_COLUMNS: tuple[str, ...] = tuple(c for c in PAPER_COLUMNS if c not in READER_COLUMNS)

# What undo of an edit to the reader's part puts back, besides the tags.
UNDO_COLUMNS: tuple[str, ...] = tuple(name for name in _FIELDS if stored(name).undo)

# Columns by the Python type of their values, for the conversions to and from SQL.
DATE_COLUMNS = tuple(c for c in _FIELD_COLUMNS if column_type(c) is date)
MOMENT_COLUMNS = tuple(c for c in _FIELD_COLUMNS if column_type(c) is datetime)
BOOL_COLUMNS = tuple(c for c in _FIELD_COLUMNS if column_type(c) is bool)
JSON_COLUMNS = tuple(c for c in _FIELD_COLUMNS if column_type(c) is tuple)
