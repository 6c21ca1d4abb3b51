"""Where files live: the library folder, settings and logs.

Nothing is created at import time; callers create what they use.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "readinglist"
LIBRARY_ENV = "READINGLIST_LIBRARY"
DATABASE_NAME = "library.sqlite3"
INDEX_DIR_NAME = "index"


def default_library_dir() -> Path:
    """The platform's user data dir for readinglist."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def resolve_library_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: `--library DIR`, else $READINGLIST_LIBRARY, else the default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(LIBRARY_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_library_dir()


def config_dir() -> Path:
    """The user config dir (window state, remembered folders)."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """The user log dir (details of unexpected errors)."""
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)
