"""The library: a folder holding the SQLite file (the source of truth).

Writes go through SQLAlchemy Core on the sqlmodel tables, one transaction per
operation, each bumping the change generation that the search index follows.
Reads are delegated to `LibraryReader` (plain sqlite3, see reader.py).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Insert, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError, StatementError

from readinglist.errors import (
    LibraryError,
    NotALibraryError,
    NotFoundError,
    ReadingListError,
    library_problem,
)
from readinglist.library.columns import JSON_COLUMNS, METADATA_COLUMNS, MOMENT_COLUMNS, UNDO_COLUMNS
from readinglist.library.reader import SCHEMA_VERSION, LibraryReader, inspect_library_file
from readinglist.library.records import (
    DeletedPapers,
    FileChanges,
    FileWrite,
    SourceFile,
)
from readinglist.library.schema import create_engine, create_library_file, prepare
from readinglist.library.tables import (
    ImportFileRow,
    PaperRow,
    PaperSourceRow,
    PaperTagRow,
    SavedSearchRow,
    TagRow,
    UpvoteSeenRow,
    table_of,
)
from readinglist.papers import STATUSES, TRIAGES, Paper, ParsedPaper, Status, Triage
from readinglist.paths import DATABASE_NAME, INDEX_DIR_NAME

PAPER = table_of(PaperRow)
TAG = table_of(TagRow)
PAPER_TAG = table_of(PaperTagRow)
IMPORT_FILE = table_of(ImportFileRow)
PAPER_SOURCE = table_of(PaperSourceRow)
SAVED_SEARCH = table_of(SavedSearchRow)
UPVOTE_SEEN = table_of(UpvoteSeenRow)

# The years a corrected date may have: arXiv began in 1991; papers older
# than this readinglist's users are not on the site.
MIN_YEAR, MAX_YEAR = 1900, 2100

# Rows per INSERT of an import (an executemany of this many parameter sets).
_INSERT_CHUNK = 5000


def utcnow() -> datetime:
    """Now, in UTC (the database stores aware times)."""
    return datetime.now(UTC)


class Library:
    """An open library folder. Thread-safe: each thread uses its own connection."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(
                f"Cannot create the library folder {self.folder}: {exc.strerror}"
            ) from exc
        if not self.folder.is_dir():
            raise LibraryError(f"The library path {self.folder} is not a folder.")
        self.db_path = self.folder / DATABASE_NAME
        # The generations this object's writes stepped to (see changed_elsewhere).
        self._own_generations: set[int] = set()
        self._own_lock = threading.Lock()
        self.found_version = self._open_file()
        self.reader = LibraryReader(self.db_path)

    def _open_file(self) -> int:
        """Create, upgrade or refuse the library file; returns its version (0: created).

        What is at the library's place is looked at, read-only, before
        anything is written: a file that is not a readinglist library (empty,
        another program's database, not SQLite) is refused untouched.
        """
        found = inspect_library_file(self.db_path)
        if found.refusal is not None:
            refused = LibraryError if found.state == "newer" else NotALibraryError
            raise refused(found.refusal)
        try:
            created = found.state == "missing" and create_library_file(self.db_path)
        except (OSError, SQLAlchemyError) as exc:
            raise library_problem(_driver_error(exc), self.db_path) from exc
        self.engine = create_engine(str(self.db_path))
        if created or (found.state == "library" and found.version == SCHEMA_VERSION):
            return found.version
        try:
            # Another process created it meanwhile, or it is an older version.
            return prepare(self.engine)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise library_problem(_driver_error(exc), self.db_path) from exc
        except ReadingListError:
            self.engine.dispose()
            raise

    @property
    def index_dir(self) -> Path:
        return self.folder / INDEX_DIR_NAME

    def close(self) -> None:
        self.reader.close()
        self.engine.dispose()

    # -- import ------------------------------------------------------------

    def next_batch(self) -> int:
        """A new import batch number: files imported together share one."""
        try:
            with self.engine.connect() as conn:
                current = conn.execute(
                    select(IMPORT_FILE.c.batch).order_by(IMPORT_FILE.c.batch.desc()).limit(1)
                ).scalar()
        except SQLAlchemyError as exc:
            raise library_problem(_driver_error(exc), self.db_path) from exc
        return (current or 0) + 1

    def write_import(
        self,
        source: SourceFile,
        batch: int,
        changes: FileChanges | Callable[[], FileChanges],
    ) -> FileWrite:
        """Write one file's import in one transaction.

        Args:
            source: the file, for provenance (and the date of its upvote counts).
            batch: the import batch (see next_batch).
            changes: what the file adds and updates (see importer.split_for_write),
                or a function deciding it, called once the library is locked for
                writing: another process's import of the same papers cannot then
                come between the decision and the write.
        """
        transaction = self._write(bump=False)
        with transaction as conn:
            if callable(changes):
                changes = changes()
            # Only papers added or merged change what the index holds.
            changes_papers = bool(changes.new or changes.updates)
            if not changes_papers and self.reader.has_import_file(source.sha256):
                # This very content was imported before and adds nothing now:
                # recording it again would only grow the provenance tables.
                return FileWrite(unchanged=[paper_id for _, paper_id in changes.unchanged])
            if changes_papers:
                transaction.bump(conn)
            file_id = _inserted_id(
                conn,
                insert(IMPORT_FILE).values(
                    path=source.path,
                    name=source.name,
                    size=source.size,
                    sha256=source.sha256,
                    modified_at=source.modified_at,
                    imported_at=utcnow(),
                    batch=batch,
                    page_date=source.page_date,
                    form=source.form,
                ),
            )
            return self._write_papers(conn, source, file_id, changes)

    def _write_papers(
        self, conn: Connection, source: SourceFile, file_id: int, changes: FileChanges
    ) -> FileWrite:
        """The papers, provenance and upvote sightings of one imported file."""
        result = FileWrite()
        sources: list[dict] = []
        seen = dict(changes.upvotes_seen)
        now = utcnow()
        for start in range(0, len(changes.new), _INSERT_CHUNK):
            # executemany, then one look-up of the new ids: a 100k-paper file
            # imports in seconds instead of a minute of single inserts; in
            # chunks, so that the rows' parameters are never all in memory.
            chunk = changes.new[start : start + _INSERT_CHUNK]
            conn.execute(
                insert(PAPER),
                [{"title_key": key, "added_at": now, **_paper_values(p)} for _, key, p in chunk],
            )
            ids = self._ids_by_key(conn, [key for _, key, _ in chunk])
            for position, key, paper in chunk:
                result.added.append(ids[key])
                sources.append(_source(ids[key], file_id, position, "added"))
                if paper.upvotes is not None:
                    seen[ids[key]] = paper.upvotes
        for position, paper_id, values in changes.updates:
            conn.execute(
                update(PAPER).where(PAPER.c.id == paper_id).values(**_column_values(values))
            )
            result.merged.append(paper_id)
            sources.append(_source(paper_id, file_id, position, "merged"))
        for position, paper_id in changes.unchanged:
            result.unchanged.append(paper_id)
            sources.append(_source(paper_id, file_id, position, "unchanged"))
        for start in range(0, len(sources), _INSERT_CHUNK):
            conn.execute(insert(PAPER_SOURCE), sources[start : start + _INSERT_CHUNK])
        if seen:
            # A sighting recorded before (the same file again) is left as it was.
            conn.execute(
                insert(UPVOTE_SEEN).prefix_with("OR IGNORE"),
                [
                    {
                        "paper_id": paper_id,
                        "upvotes": upvotes,
                        "seen_at": source.seen_at,
                        "import_file_id": file_id,
                        "source": source.name,
                    }
                    for paper_id, upvotes in seen.items()
                ],
            )
        return result

    # -- the reader's part -------------------------------------------------

    def set_status(self, ids: Sequence[int], status: Status) -> list[int]:
        """Mark papers read or unread; returns the ids whose status changed."""
        if status not in STATUSES:
            raise ReadingListError(f"Unknown status {status!r}: use read or unread.")
        read_at = utcnow() if status == "read" else None
        papers = self._require(ids)
        changed = [p.id for p in papers if p.status != status]
        if not changed:
            return []
        with self._write() as conn:
            conn.execute(
                update(PAPER).where(PAPER.c.id.in_(changed)).values(status=status, read_at=read_at)
            )
        return changed

    def set_note(self, paper_id: int, text: str) -> bool:
        """Replace a paper's note; returns False when it was already that text."""
        paper = self.reader.get(paper_id)
        if paper.note == text:
            return False
        with self._write() as conn:
            conn.execute(
                update(PAPER)
                .where(PAPER.c.id == paper_id)
                .values(note=text, note_updated_at=utcnow())
            )
        return True

    def add_tags(self, ids: Sequence[int], names: Sequence[str]) -> list[int]:
        """Add tags to papers; returns the ids that gained a tag."""
        names = clean_tags(names)
        self._require(ids)
        if not names or not ids:
            return []
        with self._write() as conn:
            tag_ids = self._tag_ids(conn, names)
            existing = set(
                conn.execute(
                    select(PAPER_TAG.c.paper_id, PAPER_TAG.c.tag_id).where(
                        PAPER_TAG.c.paper_id.in_(ids), PAPER_TAG.c.tag_id.in_(tag_ids)
                    )
                ).all()
            )
            rows = [
                {"paper_id": p, "tag_id": t}
                for p in dict.fromkeys(ids)
                for t in tag_ids
                if (p, t) not in existing
            ]
            if rows:
                conn.execute(insert(PAPER_TAG), rows)
        return sorted({r["paper_id"] for r in rows})

    def remove_tags(self, ids: Sequence[int], names: Sequence[str]) -> list[int]:
        """Remove tags from papers; returns the ids that lost a tag."""
        names = clean_tags(names)
        self._require(ids)
        if not names or not ids:
            return []
        with self._write() as conn:
            tag_ids = select(TAG.c.id).where(TAG.c.name.in_(names))
            changed = sorted(
                r[0]
                for r in conn.execute(
                    select(PAPER_TAG.c.paper_id)
                    .where(PAPER_TAG.c.paper_id.in_(ids), PAPER_TAG.c.tag_id.in_(tag_ids))
                    .distinct()
                )
            )
            conn.execute(
                delete(PAPER_TAG).where(
                    PAPER_TAG.c.paper_id.in_(ids), PAPER_TAG.c.tag_id.in_(tag_ids)
                )
            )
            _drop_unused_tags(conn)
        return changed

    def set_tags(self, paper_id: int, names: Sequence[str]) -> bool:
        """Give a paper exactly these tags; returns False when nothing changed."""
        names = clean_tags(names)
        current = self.reader.get(paper_id).tags
        if [n.casefold() for n in current] == sorted(n.casefold() for n in names):
            return False
        with self._write() as conn:
            conn.execute(delete(PAPER_TAG).where(PAPER_TAG.c.paper_id == paper_id))
            tag_ids = self._tag_ids(conn, names)
            if tag_ids:
                conn.execute(
                    insert(PAPER_TAG), [{"paper_id": paper_id, "tag_id": t} for t in tag_ids]
                )
            _drop_unused_tags(conn)
        return True

    def set_triage(self, ids: Sequence[int], triage: Triage | None) -> list[int]:
        """Put papers aside for later, dismiss them, or (None) back in the Inbox.

        Returns the ids whose triage changed.
        """
        if triage is not None and triage not in TRIAGES:
            raise ReadingListError(f"Unknown triage {triage!r}: use later or dismissed.")
        papers = self._require(ids)
        changed = [p.id for p in papers if p.triage != triage]
        if not changed:
            return []
        at = utcnow() if triage is not None else None
        with self._write() as conn:
            conn.execute(
                update(PAPER).where(PAPER.c.id.in_(changed)).values(triage=triage, triaged_at=at)
            )
        return changed

    def add_opened_time(self, paper_id: int, seconds: float) -> None:
        """Count time the paper was open in the window (a signal of interest).

        It changes no generation: the index and the window's listing do not
        depend on it.
        """
        if seconds <= 0:
            return
        self.reader.get(paper_id)
        with self._write(bump=False) as conn:
            conn.execute(
                update(PAPER)
                .where(PAPER.c.id == paper_id)
                .values(opened_seconds=PAPER.c.opened_seconds + float(seconds))
            )

    def set_year(self, paper_id: int, year: int) -> bool:
        """Correct the year of a paper's date; returns False when it already had it.

        The correction is the user's (`year_source` "user"), so no import
        overwrites it. A paper without a date gets the 1st of January.
        """
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ReadingListError(f"{year} is not a year readinglist can use.")
        paper = self.reader.get(paper_id)
        published = _with_year(paper.published, year)
        if paper.published == published and paper.year_source == "user":
            return False
        with self._write() as conn:
            conn.execute(
                update(PAPER)
                .where(PAPER.c.id == paper_id)
                .values(
                    published=published,
                    published_text=paper.published_text or published.isoformat(),
                    year_inferred=False,
                    year_source="user",
                )
            )
        return True

    def states(self, ids: Sequence[int]) -> list[Paper]:
        """These papers as they are now, for `restore_states` to put back on undo."""
        return self.reader.get_many(ids)

    def restore_states(self, states: Sequence[Paper]) -> list[int]:
        """Put back the reader's part of papers (`columns.UNDO_COLUMNS`, tags) as they were."""
        if not states:
            return []
        with self._write() as conn:
            for state in states:
                conn.execute(
                    update(PAPER)
                    .where(PAPER.c.id == state.id)
                    .values(**_column_values({c: getattr(state, c) for c in UNDO_COLUMNS}))
                )
                conn.execute(delete(PAPER_TAG).where(PAPER_TAG.c.paper_id == state.id))
                tag_ids = self._tag_ids(conn, list(state.tags))
                if tag_ids:
                    conn.execute(
                        insert(PAPER_TAG), [{"paper_id": state.id, "tag_id": t} for t in tag_ids]
                    )
            _drop_unused_tags(conn)
        return [s.id for s in states]

    # -- delete and restore ------------------------------------------------

    def delete(self, ids: Sequence[int]) -> DeletedPapers:
        """Delete papers; the returned record brings them back with `restore`."""
        self._require(ids)
        with self._write() as conn:
            papers = tuple(
                dict(r._mapping) for r in conn.execute(select(PAPER).where(PAPER.c.id.in_(ids)))
            )
            tags = tuple(
                (r[0], r[1])
                for r in conn.execute(
                    select(PAPER_TAG.c.paper_id, TAG.c.name)
                    .join(TAG, TAG.c.id == PAPER_TAG.c.tag_id)
                    .where(PAPER_TAG.c.paper_id.in_(ids))
                )
            )
            sources = tuple(
                dict(r._mapping)
                for r in conn.execute(select(PAPER_SOURCE).where(PAPER_SOURCE.c.paper_id.in_(ids)))
            )
            upvotes_seen = tuple(
                dict(r._mapping)
                for r in conn.execute(select(UPVOTE_SEEN).where(UPVOTE_SEEN.c.paper_id.in_(ids)))
            )
            conn.execute(delete(PAPER).where(PAPER.c.id.in_(ids)))
            _drop_unused_tags(conn)
        return DeletedPapers(papers=papers, tags=tags, sources=sources, upvotes_seen=upvotes_seen)

    def restore(self, deleted: DeletedPapers) -> list[int]:
        """Bring deleted papers back with their ids, tags, notes and provenance."""
        if not deleted.papers:
            return []
        with self._write() as conn:
            try:
                conn.execute(insert(PAPER), list(deleted.papers))
            except IntegrityError as exc:
                raise LibraryError(
                    "Cannot restore: a paper with the same title or arXiv id was imported "
                    "since it was deleted."
                ) from exc
            by_paper: dict[int, list[str]] = {}
            for paper_id, name in deleted.tags:
                by_paper.setdefault(paper_id, []).append(name)
            for paper_id, names in by_paper.items():
                tag_ids = self._tag_ids(conn, names)
                conn.execute(
                    insert(PAPER_TAG), [{"paper_id": paper_id, "tag_id": t} for t in tag_ids]
                )
            known_files = {r[0] for r in conn.execute(select(IMPORT_FILE.c.id))}
            sources = [s for s in deleted.sources if s["import_file_id"] in known_files]
            if sources:
                conn.execute(insert(PAPER_SOURCE), sources)
            upvotes_seen = [
                row if row["import_file_id"] in known_files else {**row, "import_file_id": None}
                for row in deleted.upvotes_seen
            ]
            if upvotes_seen:
                conn.execute(insert(UPVOTE_SEEN), upvotes_seen)
        return deleted.ids

    # -- saved searches ----------------------------------------------------

    def save_search(self, name: str, query: str) -> int:
        """Save (or overwrite) a query under a name; returns its id."""
        name = _clean_name(name)
        with self._write(bump=False) as conn:
            existing = conn.execute(
                select(SAVED_SEARCH.c.id).where(SAVED_SEARCH.c.name == name)
            ).scalar()
            if existing is not None:
                conn.execute(
                    update(SAVED_SEARCH).where(SAVED_SEARCH.c.id == existing).values(query=query)
                )
                return existing
            return _inserted_id(conn, insert(SAVED_SEARCH).values(name=name, query=query))

    def rename_saved_search(self, search_id: int, name: str) -> None:
        name = _clean_name(name)
        with self._write(bump=False) as conn:
            clash = conn.execute(
                select(SAVED_SEARCH.c.id).where(
                    SAVED_SEARCH.c.name == name, SAVED_SEARCH.c.id != search_id
                )
            ).scalar()
            if clash is not None:
                raise ReadingListError(f'A saved search named "{name}" exists already.')
            conn.execute(
                update(SAVED_SEARCH).where(SAVED_SEARCH.c.id == search_id).values(name=name)
            )

    def delete_saved_search(self, search_id: int) -> None:
        with self._write(bump=False) as conn:
            conn.execute(delete(SAVED_SEARCH).where(SAVED_SEARCH.c.id == search_id))

    # -- helpers -------------------------------------------------------------

    def changed_elsewhere(self, seen: int, now: int) -> bool:
        """True if another process (or another Library) wrote between generations `seen` and `now`.

        Every write steps the generation by one, so a step this object did not
        make is somebody else's. A generation that went back (the file was
        replaced) is a change too.
        """
        with self._own_lock:
            own = self._own_generations
            elsewhere = now < seen or any(g not in own for g in range(seen + 1, now + 1))
            self._own_generations = {g for g in own if g > now}
        return elsewhere

    def _write(self, *, bump: bool = True) -> _WriteTransaction:
        return _WriteTransaction(self, bump)

    def _own_steps(self, generations: Sequence[int], *, taken: bool) -> None:
        with self._own_lock:
            if taken:
                self._own_generations.update(generations)
            else:
                self._own_generations.difference_update(generations)

    def _require(self, ids: Sequence[int]) -> list[Paper]:
        """The papers with these ids; NotFoundError naming any that are not there."""
        papers = self.reader.get_many(list(ids))
        missing = set(ids) - {p.id for p in papers}
        if missing:
            listed = ", ".join(str(i) for i in sorted(missing))
            raise NotFoundError(f"No paper with id {listed} in the library.")
        return papers

    @staticmethod
    def _ids_by_key(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            rows = conn.execute(
                select(PAPER.c.title_key, PAPER.c.id).where(PAPER.c.title_key.in_(chunk))
            )
            ids.update({key: paper_id for key, paper_id in rows})
        return ids

    @staticmethod
    def _tag_ids(conn: Connection, names: Sequence[str]) -> list[int]:
        ids: list[int] = []
        for name in dict.fromkeys(names):
            found = conn.execute(select(TAG.c.id).where(TAG.c.name == name)).scalar()
            if found is None:
                found = _inserted_id(conn, insert(TAG).values(name=name))
            ids.append(found)
        return ids


class _WriteTransaction:
    """One write transaction; bumps the generation so the index knows to follow."""

    def __init__(self, library: Library, bump: bool) -> None:
        self._library = library
        self._bump = bump
        self._context: AbstractContextManager[Connection] | None = None
        self._bumped: list[int] = []

    def bump(self, conn: Connection) -> None:
        """Step the generation in this transaction, and remember the step as the library's own.

        Remembered before the commit, so that a look at the generation right
        after it never takes the step for another process's.
        """
        generation = _bump_generation(conn)
        self._bumped.append(generation)
        self._library._own_steps([generation], taken=True)

    def __enter__(self) -> Connection:
        try:
            context = self._context = self._library.engine.begin()
            conn = context.__enter__()
        except SQLAlchemyError as exc:
            raise self._problem(exc) from exc
        if self._bump:
            try:
                self.bump(conn)
            except SQLAlchemyError as exc:
                context.__exit__(type(exc), exc, exc.__traceback__)  # rolls back
                raise self._problem(exc) from exc
        return conn

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # `with` calls __exit__ only after __enter__ returned, which set the context.
        assert self._context is not None, "__exit__ without __enter__"
        if kind is not None:
            self._library._own_steps(self._bumped, taken=False)  # rolled back
        try:
            self._context.__exit__(kind, value, traceback)
        except SQLAlchemyError as exc:
            self._library._own_steps(self._bumped, taken=False)  # the commit failed
            raise self._problem(exc) from exc
        if isinstance(value, SQLAlchemyError):
            raise self._problem(value) from value

    def _problem(self, exc: SQLAlchemyError) -> LibraryError:
        """The driver's error in words ("the disk is full", "the file is damaged")."""
        return library_problem(_driver_error(exc), self._library.db_path)


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's own error (sqlite3's) inside an SQLAlchemy error, else the error itself.

    Only a statement's error wraps one; others (a closed result, a bad
    argument) are SQLAlchemy's own.
    """
    if isinstance(exc, StatementError) and exc.orig is not None:
        return exc.orig
    return exc


def clean_tags(names: Sequence[str]) -> list[str]:
    """Tag names stripped, without empties, duplicates folded without regard to case."""
    seen: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split()).strip(",")
        if cleaned:
            seen.setdefault(cleaned.casefold(), cleaned)
    return list(seen.values())


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ReadingListError("A saved search needs a name.")
    return cleaned


def _bump_generation(conn: Connection) -> int:
    """Move the change generation on (the index follows it, see Collection._follow); the new one."""
    conn.exec_driver_sql(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"
    )
    return int(conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'generation'").scalar_one())


def _drop_unused_tags(conn: Connection) -> None:
    conn.exec_driver_sql("DELETE FROM tag WHERE id NOT IN (SELECT DISTINCT tag_id FROM paper_tag)")


def _with_year(published: date | None, year: int) -> date:
    """The date in another year; 29 February becomes the 28th where it must."""
    if published is None:
        return date(year, 1, 1)
    try:
        return published.replace(year=year)
    except ValueError:
        return published.replace(year=year, day=28)


def _inserted_id(conn: Connection, statement: Insert) -> int:
    """Run an INSERT of one row; the row's id."""
    key = conn.execute(statement).inserted_primary_key
    assert key is not None, "an INSERT of one row gives its primary key"
    return key[0]


def _paper_values(paper: ParsedPaper) -> dict:
    """A parsed paper as a row of the paper table (all but the keys and the reader's part)."""
    return _column_values(
        {"title": paper.title, **{name: getattr(paper, name) for name in METADATA_COLUMNS}}
    )


def _column_values(values: dict) -> dict:
    """Values of Paper's (or ParsedPaper's) fields, as the paper table stores them.

    A tuple is JSON text of a list, NULL when empty (the names are unknown);
    a moment is in UTC, which SQLite stores without its zone.
    """
    stored = dict(values)
    for name in JSON_COLUMNS:
        if name in stored:
            items = stored[name]
            stored[name] = json.dumps(list(items), ensure_ascii=False) if items else None
    for name in MOMENT_COLUMNS:
        if stored.get(name) is not None:
            stored[name] = stored[name].astimezone(UTC)
    return stored


def _source(paper_id: int, file_id: int, position: int, outcome: str) -> dict:
    return {
        "paper_id": paper_id,
        "import_file_id": file_id,
        "position": position,
        "outcome": outcome,
    }


__all__ = [
    "DeletedPapers",
    "FileWrite",
    "Library",
    "NotFoundError",
    "SourceFile",
    "clean_tags",
]
