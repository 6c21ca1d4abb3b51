"""Window state and remembered folders, in an INI file in the user config dir.

QSettings in IniFormat at an explicit path (not the platform's registry or
plist) keeps the file in the platformdirs config dir next to nothing else,
readable by a person, and lets tests point it at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from readinglist import paths

SETTINGS_NAME = "readinglist.ini"


def settings_path() -> Path:
    """Where the settings file lives: the platformdirs user config dir."""
    return paths.config_dir() / SETTINGS_NAME


class Settings:
    """Typed access to the few things the window remembers."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else settings_path()
        # QSettings creates the folder when it syncs; nothing is written until then.
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._qs.sync()

    def bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._qs.setValue(key, value)

    def text(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return value if isinstance(value, str) else default

    def set_text(self, key: str, value: str) -> None:
        self._qs.setValue(key, value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._qs.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def set_flag(self, key: str, value: bool) -> None:
        self._qs.setValue(key, bool(value))

    def folder(self, key: str) -> str:
        """A remembered folder, or "" when it is unset or no longer exists."""
        folder = self.text(f"folders/{key}")
        return folder if folder and Path(folder).is_dir() else ""

    def set_folder(self, key: str, folder: str | Path) -> None:
        self.set_text(f"folders/{key}", str(folder))
