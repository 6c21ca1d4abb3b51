"""The library's tables, declared with sqlmodel.

`PaperRow` is built from the fields of `readinglist.papers.Paper` (their
types, and the `Stored` metadata saying who writes each), so that a paper's
columns are declared once; the other tables are declared here. The schema
version lives in SQLite's `user_version`; `readinglist.library.schema`
creates and upgrades the file. Bulk writes go through SQLAlchemy Core on
these tables (`table_of(Model)`), reads through `readinglist.library.reader`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.types import TypeEngine
from sqlmodel import AutoString, Field, SQLModel
from sqlmodel.main import SQLModelMetaclass

from readinglist.library import columns


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy Core table of a `table=True` model, for Core reads and writes.

    SQLAlchemy sets `Model.__table__`, but sqlmodel's types do not declare it;
    the model's mapper holds the same table, typed.
    """
    table = inspect(model).local_table
    # Each model here maps one plain table (no inheritance, no mapped select).
    assert isinstance(table, Table), f"{model.__name__} does not map a table"
    return table


def _paper_column(name: str) -> Column:
    """The column of `paper` that holds the field `name` of Paper."""
    kind = _SQL_TYPES[columns.column_type(name)]
    if name == "id":
        return Column(name, kind, primary_key=True)
    how = columns.stored(name)
    options: dict = {"nullable": columns.column_nullable(name), "index": how.indexed or None}
    if how.server_default is not None:
        options["server_default"] = text(how.server_default)
    default = columns.column_default(name)
    if default is not None:
        options["default"] = default  # what an insert that leaves the column out writes
    return Column(name, kind, **options)


# SQL types by the Python type of a Paper field; texts are VARCHAR, as sqlmodel makes them.
_SQL_TYPES: dict[type, type[TypeEngine]] = {
    int: Integer,
    str: AutoString,
    bool: Boolean,
    float: Float,
    date: Date,
    datetime: DateTime,
    tuple: AutoString,  # JSON text of a list
}


def _paper_row() -> type[SQLModel]:
    """The `paper` table, declared from Paper's fields (`readinglist.papers.Stored`)."""
    namespace: dict = {
        "__tablename__": "paper",
        "__doc__": "A paper: what the dumps said of it, and what the reader made of it.",
        # Two papers never share an arXiv id; most papers of text dumps have none.
        "__table_args__": (
            Index(
                "ux_paper_arxiv_id",
                "arxiv_id",
                unique=True,
                sqlite_where=text("arxiv_id IS NOT NULL"),
            ),
        ),
        "__annotations__": {},
    }
    for name in columns.PAPER_COLUMNS:
        if name == columns.TITLE_KEY:
            column = Column(name, AutoString, nullable=False, unique=True)
        else:
            column = _paper_column(name)
        namespace["__annotations__"][name] = int | None if name == "id" else object
        namespace[name] = Field(default=None, sa_column=column)
    # The class statement's own call, for a body built from Paper's fields.
    row = SQLModelMetaclass("PaperRow", (SQLModel,), namespace, table=True)
    return cast("type[SQLModel]", row)


PaperRow = _paper_row()


class TagRow(SQLModel, table=True):
    """A tag; its name is unique without regard to case."""

    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(collation="NOCASE"), nullable=False, unique=True))


class PaperTagRow(SQLModel, table=True):
    """Which paper carries which tag."""

    __tablename__ = "paper_tag"

    paper_id: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    tag_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class ImportFileRow(SQLModel, table=True):
    """One file as it was imported: the provenance of the papers found in it."""

    __tablename__ = "import_file"

    id: int | None = Field(default=None, primary_key=True)
    path: str
    name: str
    size: int
    sha256: str = Field(index=True)
    modified_at: datetime
    imported_at: datetime
    batch: int = Field(index=True)  # files imported together share a batch number
    # Schema version 3: the date the page states of itself, and its input form.
    page_date: date | None = None
    form: str | None = None


class PaperSourceRow(SQLModel, table=True):
    """A paper seen in an imported file, and what the import did with it."""

    __tablename__ = "paper_source"
    __table_args__ = (UniqueConstraint("paper_id", "import_file_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("paper.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    import_file_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("import_file.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    position: int
    outcome: str  # "added" | "merged" | "unchanged"


class UpvoteSeenRow(SQLModel, table=True):
    """An upvote count seen for a paper in an imported file (schema version 3).

    `seen_at` is the page's own date where it states one, else the file's
    modification time. A sighting already recorded is not recorded again, so
    importing a file twice adds nothing.
    """

    __tablename__ = "upvote_seen"
    __table_args__ = (UniqueConstraint("paper_id", "seen_at", "upvotes"),)

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique constraint's index starts with it.
    paper_id: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), nullable=False)
    )
    upvotes: int
    seen_at: datetime
    # The file may be gone from the provenance while the count stays history.
    import_file_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("import_file.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    source: str  # the file's name, as the history shows it


class SavedSearchRow(SQLModel, table=True):
    """A query saved under a name (schema version 2)."""

    __tablename__ = "saved_search"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(collation="NOCASE"), nullable=False, unique=True))
    query: str


class MetaRow(SQLModel, table=True):
    """Key/value facts about the library, such as its change generation."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str
