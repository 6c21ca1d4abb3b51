"""The error hierarchy.

A `ReadingListError` is something the user can act on: its message is written
for them and is shown as it is, never with a traceback. Anything else that
escapes is a bug: logged with its traceback and shown briefly.
"""


class ReadingListError(Exception):
    """An error whose message is meant for the user."""


class DumpError(ReadingListError):
    """A file could not be read as a page dump (no papers, binary, undecodable...).

    `result` is what the reader made of the file when it found no paper but
    skipped blocks (a `readinglist.dumps.ParseResult`), so that the user can
    be shown what was left out and take it anyway; None otherwise.
    """

    def __init__(self, message: str, result: object = None) -> None:
        super().__init__(message)
        self.result = result


class QueryError(ReadingListError):
    """A search query could not be understood."""


class LibraryError(ReadingListError):
    """The library folder or its database cannot be used."""


class NotFoundError(ReadingListError):
    """A paper id that is not in the library."""


class ExportError(ReadingListError):
    """An export could not be carried out (bad folder, unwritable file...)."""
