"""Commands that read papers: `list`, `search`, `show`, `similar`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from readinglist.cli.output import (
    paper_line,
    papers_json,
    print_json,
    terminal_fragment,
)
from readinglist.cli.session import EXIT_OK, open_collection
from readinglist.cli.show_text import show_json, show_lines

if TYPE_CHECKING:
    from readinglist.collection import Collection
    from readinglist.index.index import SearchResult
    from readinglist.papers import Paper


def cmd_list(args: argparse.Namespace) -> int:
    """Papers filtered by status and tags, sorted; `total` counts them before --limit."""
    from readinglist.library.reader import PaperFilter

    collection = open_collection(args)
    try:
        ids = collection.list_ids(
            PaperFilter(status=args.status, tags=tuple(args.tag)),
            sort=args.sort,
            descending=args.desc,
        )
        papers = collection.get_many(ids[: args.limit])
    finally:
        collection.close()
    if args.json:
        print_json({"total": len(ids), "papers": papers_json(papers)})
    else:
        for paper in papers:
            print(paper_line(paper))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    """Ranked matches of a query; an empty query finds the whole library."""
    # Opening a collection reads with sqlite3 and Whoosh only (sqlmodel waits
    # for a first write), so this stays quick on a large library.
    collection = open_collection(args)
    try:
        result, papers = run_query(collection, args.query, args.limit)
    finally:
        collection.close()
    print_search(args, args.query, result, papers)
    return EXIT_OK


def run_query(
    collection: Collection, query: str, limit: int
) -> tuple[SearchResult, dict[int, Paper]]:
    """(what a query finds, the papers of its hits by id); QueryError if not understood."""
    from readinglist.index.query import clean_query

    if clean_query(query).strip():
        result = collection.search(query, limit=limit)
    else:
        result = _whole_library(collection, limit)
    papers = {p.id: p for p in collection.get_many([hit.id for hit in result.hits])}
    return result, papers


def _whole_library(collection: Collection, limit: int) -> SearchResult:
    """What an empty query finds: every paper, in `list`'s order (as the window shows it)."""
    from readinglist.index.index import Hit, SearchResult

    ids = collection.list_ids(sort="added")
    return SearchResult(
        hits=[Hit(id=paper_id, score=0.0, highlights={}) for paper_id in ids[:limit]],
        total=len(ids),
        suggestion=None,
    )


def print_search(
    args: argparse.Namespace,
    query: str,
    result: SearchResult,
    papers: dict[int, Paper],
    extra: dict | None = None,
) -> None:
    """Print a search's result: as JSON with --json (plus `extra` keys), else as text."""
    if args.json:
        print_json({**(extra or {}), **search_json(query, result, papers)})
        return
    if result.suggestion:
        print(f"Did you mean: {result.suggestion}")
    print(f"{result.total} match{'es' if result.total != 1 else ''}")
    for hit in result.hits:
        paper = papers.get(hit.id)
        if paper is None:
            continue
        print(paper_line(paper))
        fragment = hit.highlights.get("abstract") or hit.highlights.get("note")
        if fragment:
            print("      " + terminal_fragment(fragment))


def search_json(query: str, result: SearchResult, papers: dict[int, Paper]) -> dict:
    """`{"query", "total", "suggestion", "hits"}`: each hit a paper plus score and highlights."""
    from readinglist.index.query import clean_query

    hits = []
    for hit in result.hits:
        if hit.id in papers:
            entry = papers[hit.id].to_json()
            entry["score"] = round(hit.score, 4)
            entry["highlights"] = hit.highlights
            hits.append(entry)
    return {
        "query": clean_query(query),
        "total": result.total,
        "suggestion": result.suggestion,
        "hits": hits,
    }


def cmd_show(args: argparse.Namespace) -> int:
    """One paper in full, with the files it was seen in and its upvote history."""
    collection = open_collection(args)
    try:
        paper = collection.get(args.id)
        sources = collection.reader.sources(args.id)
        history = collection.upvote_history(args.id)
    finally:
        collection.close()
    if args.json:
        print_json(show_json(paper, sources, history))
    else:
        for line in show_lines(paper, sources):
            print(line)
    return EXIT_OK


def cmd_similar(args: argparse.Namespace) -> int:
    """Papers that share the key terms of one paper, most similar first."""
    collection = open_collection(args)
    try:
        similar = collection.similar(args.id, limit=args.limit)
    finally:
        collection.close()
    if args.json:
        entries = [{**p.to_json(), "score": round(score, 4)} for p, score in similar]
        print_json({"id": args.id, "papers": entries})
    else:
        for paper, _score in similar:
            print(paper_line(paper))
    return EXIT_OK
