"""Back: the places the reader has been (view, tags, query, saved search) and the paper open there.

A place is recorded when the listing changes what it lists. Typing a query
is one step however many times the listing followed the keys: the place
before the typing began is what Back returns to. Pure Python, no Qt: the
window records and restores, this only remembers.
"""

from __future__ import annotations

from dataclasses import dataclass

# Enough to retrace an afternoon's browsing; older places are forgotten.
LIMIT = 100


@dataclass(frozen=True, slots=True)
class Place:
    """What the table lists: a view, tags, a query, and the saved search it came from."""

    view: str = "all"
    tags: tuple[str, ...] = ()
    query: str = ""
    saved_search: int | None = None


@dataclass(frozen=True, slots=True)
class Visit:
    """A place and the paper that was open there (None: none was)."""

    place: Place
    paper_id: int | None


class History:
    """A back stack of visits (see the module docstring)."""

    def __init__(self) -> None:
        self._back: list[Visit] = []
        self._place: Place | None = None
        self._paper: int | None = None
        self._typed = False

    @property
    def place(self) -> Place | None:
        return self._place

    def can_go_back(self) -> bool:
        return bool(self._back)

    def visit(self, place: Place, *, typed: bool = False) -> None:
        """The table now lists `place`; `typed`: it changed as the query was typed."""
        if place == self._place:
            return
        merge = typed and self._typed and self._place is not None
        if self._place is not None and not merge:
            self._back.append(Visit(self._place, self._paper))
            del self._back[:-LIMIT]
        self._place = place
        self._typed = typed

    def set_paper(self, paper_id: int | None) -> None:
        """The paper open at the current place (Back comes back to it)."""
        self._paper = paper_id

    def back(self) -> Visit | None:
        """Step back: the visit to restore, now the current place (None: nowhere to go)."""
        if not self._back:
            return None
        visit = self._back.pop()
        self._place, self._paper, self._typed = visit.place, visit.paper_id, False
        return visit
