"""One window per library: a second launch hands its files to the first.

The first instance listens on a local socket whose name carries a hash of
the library folder, so two libraries can be open at once but one library
never has two writers. A second `readinglist FILE…` connects, sends the file
paths as one JSON line, waits for "ok" and exits.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

# Sending a few paths to a live process on this machine takes milliseconds;
# this only bounds the wait when the other instance is hung.
_TIMEOUT_MS = 3000
_MAX_MESSAGE = 1024 * 1024


def server_name(library_dir: Path) -> str:
    """The socket name for a library: per user, per library folder."""
    folder = os.path.normcase(str(Path(library_dir).expanduser().resolve()))
    digest = hashlib.sha256(folder.encode("utf-8")).hexdigest()[:16]
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    user_digest = hashlib.sha256(user.encode("utf-8")).hexdigest()[:8]
    return f"readinglist-{user_digest}-{digest}"


def hand_over(
    name: str, files: list[str], *, import_dialog: bool = False, timeout_ms: int = _TIMEOUT_MS
) -> bool:
    """Give `files` to the instance listening on `name`; False if none is running.

    Paths are made absolute here: the running instance has another working folder.
    `import_dialog` asks it to open its Import dialog (the desktop file's action).
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    message = {"files": [str(Path(f).absolute()) for f in files], "import_dialog": import_dialog}
    socket.write(QByteArray(json.dumps(message).encode("utf-8") + b"\n"))
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    acknowledged = socket.waitForReadyRead(timeout_ms) and bytes(
        socket.readAll().data()
    ).startswith(b"ok")
    if not acknowledged:
        # Connected but silent: it is running (hung or busy). Starting a
        # second writer on the same library would be worse than waiting.
        log.warning("the running readinglist did not acknowledge the hand-over")
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches; emits the files each one hands over."""

    filesReceived = Signal(list)
    importDialogRequested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket left by a crashed instance is removed first."""
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        log.warning("cannot listen on %s: %s", self.name, self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > _MAX_MESSAGE:
            self._drop(socket)
            return
        self._buffers[socket] = data
        if b"\n" not in data:
            return
        line = data.split(b"\n", 1)[0]
        try:
            message = json.loads(line.decode("utf-8"))
            files = [str(f) for f in message["files"]]
            wants_dialog = bool(message.get("import_dialog", False))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignored a malformed hand-over message")
            files, wants_dialog = None, False
        socket.write(QByteArray(b"ok\n" if files is not None else b"error\n"))
        socket.flush()
        self._buffers[socket] = b""
        if files is not None:
            self.filesReceived.emit(files)
        if wants_dialog:
            self.importDialogRequested.emit()

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
