"""readinglist: a desktop reading-list manager for research papers."""

from readinglist.version import __version__

__all__ = ["__version__"]
