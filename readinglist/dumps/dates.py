"""Dates as listing pages write them: `Jan 29`, `Jul 16, 2023`, `Jul 16 2023`.

A date without a year is the latest such day not after the page snapshot: a
listing shows the year only for papers of earlier years.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

# Month, day, and an optional year after a comma or a space. The year is
# 19xx or 20xx so that `Oct 3 2` (a day and an upvote count) is never a year.
DATE_PATTERN = r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:(?:,\s*|\s+)((?:19|20)\d\d))?"
_DATE = re.compile(DATE_PATTERN)


def is_month(name: str) -> bool:
    """Whether `name` is a month as listings write it ("Jan", "january", "Sept")."""
    return name.lower() in _MONTHS


def parse_date(text: str, *, snapshot: datetime) -> tuple[date, bool] | None:
    """Read a listing's date.

    Args:
        text: the date alone, e.g. "Jan 29", "Jul 16, 2023" or "Jul 16 2023".
        snapshot: when the page was saved; a date without a year resolves to
            the latest such day not after it.

    Returns:
        (the date, whether its year was inferred), or None if `text` is not a date.
    """
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    month_name, day_text, year_text = match.groups()
    return resolve_date(month_name, day_text, year_text, snapshot=snapshot)


def resolve_date(
    month_name: str, day_text: str, year_text: str | None, *, snapshot: datetime
) -> tuple[date, bool] | None:
    """Turn the groups of DATE_PATTERN into a date; None if there is no such day."""
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    day = int(day_text)
    if year_text is not None:
        try:
            return date(int(year_text), month, day), False
        except ValueError:
            return None
    inferred = _latest_not_after(month, day, snapshot.date())
    return None if inferred is None else (inferred, True)


def _latest_not_after(month: int, day: int, limit: date) -> date | None:
    # Feb 29 may need to look back up to eight years (1900 and 2100 are not leap years).
    for year in range(limit.year, limit.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None
