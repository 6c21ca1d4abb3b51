"""The error hierarchy.

A `ReadingListError` is something the user can act on: its message is written
for them and is shown as it is, never with a traceback. Anything else that
escapes is a bug: logged with its traceback and shown briefly.
"""


class ReadingListError(Exception):
    """An error whose message is meant for the user."""


class DumpError(ReadingListError):
    """A file could not be read as a page dump (no papers, binary, undecodable...)."""


class QueryError(ReadingListError):
    """A search query could not be understood."""


class LibraryError(ReadingListError):
    """The library folder or its database cannot be used."""


class NotFoundError(ReadingListError):
    """A paper id that is not in the library."""


class ExportError(ReadingListError):
    """An export could not be carried out (bad folder, unwritable file...)."""
