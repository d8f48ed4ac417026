"""Local HTTP servers (the stand-in Slack, the tests' app server) that stop at once.

`socketserver`'s `serve_forever()` notices `shutdown()` only when its select() times out,
every `poll_interval` (0.5 s): each stop waited up to half a second, and the tests start and
stop two servers per test. Here the loop also waits on a socket pair that `shutdown()` writes
to, so the loop wakes and ends at once, and nothing polls while the server is idle.
"""

from __future__ import annotations

import selectors
import socket
import socketserver
import threading
from typing import Any


class PromptShutdownMixin(socketserver.TCPServer):
    """Put first in a server's bases: `serve_forever()` ends as soon as `shutdown()` asks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._stop_requested = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()  # not serving yet: shutdown() has nothing to wait for
        super().__init__(*args, **kwargs)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until `shutdown()`; `poll_interval` is only there for the base's signature."""
        self._stopped.clear()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_reader, selectors.EVENT_READ)
                while not self._stop_requested.is_set():
                    ready = {key.fileobj for key, _ in selector.select()}
                    if self._stop_requested.is_set():
                        break
                    if self in ready:  # a connection waits: accepting it cannot block
                        self.handle_request()
                    self.service_actions()
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop `serve_forever()` and wait until it has returned, which it does at once.

        Safe to call twice, or before the loop has started (it then ends as it starts); a
        stopped server does not serve again.
        """
        self._stop_requested.set()
        if not self._stopped.is_set():
            self._wake_writer.send(b"\0")
            self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()
