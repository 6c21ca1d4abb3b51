"""The version, defined once in pyproject.toml and read from the installed metadata."""

from importlib.metadata import PackageNotFoundError, version


def _read_version() -> str:
    try:
        return version("readinglist")
    except PackageNotFoundError:
        # A PyInstaller bundle carries the metadata only if the spec copies it;
        # the spec does, so this fallback is for a bare source checkout.
        return "0+unknown"


__version__ = _read_version()
