"""The library's tables, declared with sqlmodel.

The schema version lives in SQLite's `user_version`; `readinglist.library.schema`
creates and upgrades the file. Bulk writes go through SQLAlchemy Core on
these tables (`table_of(Model)`), reads through `readinglist.library.reader`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    inspect,
    text,
)
from sqlmodel import Field, SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy Core table of a `table=True` model, for Core reads and writes.

    SQLAlchemy sets `Model.__table__`, but sqlmodel's types do not declare it;
    the model's mapper holds the same table, typed.
    """
    table = inspect(model).local_table
    # Each model here maps one plain table (no inheritance, no mapped select).
    assert isinstance(table, Table), f"{model.__name__} does not map a table"
    return table


class PaperRow(SQLModel, table=True):
    """A paper: what the dumps said of it, and what the reader made of it."""

    __tablename__ = "paper"
    # Two papers never share an arXiv id; most papers of text dumps have none.
    __table_args__ = (
        Index(
            "ux_paper_arxiv_id", "arxiv_id", unique=True, sqlite_where=text("arxiv_id IS NOT NULL")
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    title_key: str = Field(sa_column=Column(String, nullable=False, unique=True))
    title: str
    abstract: str
    authors: int | None = None
    organisation: str | None = None
    published: date | None = Field(default=None, index=True)
    published_text: str | None = None
    year_inferred: bool = False
    upvotes: int | None = Field(default=None, index=True)
    status: str = Field(default="unread", index=True)
    read_at: datetime | None = None
    note: str = ""
    note_updated_at: datetime | None = None
    added_at: datetime = Field(index=True)
    # Schema version 3: what the site's own pages carry (see ParsedPaper).
    # New columns are appended: an upgraded file has them in the same order.
    arxiv_id: str | None = None
    author_names: str | None = None  # JSON text of a list of names; None when unknown
    comments: int | None = None
    submitter: str | None = None
    github_url: str | None = None
    github_stars: int | None = None
    summary: str | None = None
    year_source: str | None = None  # "text" | "page" | "file"
    # A server default, so that ALTER TABLE can add the column to a filled table.
    incomplete: bool = Field(default=False, sa_column_kwargs={"server_default": text("0")})
    # Schema version 4: the Inbox's triage, and how long the paper was open.
    triage: str | None = None  # "later" | "dismissed"; None: not dealt with yet
    triaged_at: datetime | None = None
    opened_seconds: float = Field(default=0.0, sa_column_kwargs={"server_default": text("0")})


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
