"""Search without opening the whole library: the fast path of `readinglist search`.

Opening a `Collection` imports sqlmodel (~0.6 s). When the index is in step
with the library, a search needs only the index and plain sqlite3 reads; only
a stale or missing index falls back to the full open, which rebuilds it.
"""

from __future__ import annotations

from pathlib import Path

from readinglist.papers import Paper
from readinglist.paths import DATABASE_NAME, INDEX_DIR_NAME
from readinglist.reader import SCHEMA_VERSION, LibraryReader
from readinglist.search import SearchIndex, SearchResult


def search_library(
    folder: Path, query: str, *, limit: int | None
) -> tuple[SearchResult, dict[int, Paper]]:
    """Search the library in `folder`; returns the result and its papers by id."""
    db_path = folder / DATABASE_NAME
    if db_path.exists():
        reader = LibraryReader(db_path)
        index = SearchIndex(folder / INDEX_DIR_NAME)
        try:
            if reader.schema_version() == SCHEMA_VERSION and index.is_current(reader.generation()):
                result = index.search(query, limit=limit)
                papers = reader.get_many([hit.id for hit in result.hits])
                return result, {p.id: p for p in papers}
        finally:
            index.close()
            reader.close()
    from readinglist.collection import Collection

    collection = Collection.open(folder)
    try:
        result = collection.search(query, limit=limit)
        papers = collection.get_many([hit.id for hit in result.hits])
        return result, {p.id: p for p in papers}
    finally:
        collection.close()
