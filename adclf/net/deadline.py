"""A download's whole time budget: one watchdog closes the socket when it runs out, which bounds
DNS, connect, slow-drip headers and body together rather than each read."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from adclf.errors import FetchError


class Deadline:
    """Whole-download time budget; on expiry shuts the current socket to unblock any read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        # `expired` too: a read cut short by the watchdog can look like a clean end of body
        if left <= 0 or self.expired:
            self.expired = True
            raise FetchError(f"the download took longer than {self.seconds:g} s")
        return left

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired and sock is not None:
                _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shutdown(self._sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
