"""A site served on 127.0.0.1 from a thread: the part the replica and the saved site share."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LocalServer:
    """Start, stop and ``with`` for a site whose requests ``handler`` answers."""

    _server: ThreadingHTTPServer | None = None
    base_url: str = ""

    def serve(self, handler: type[BaseHTTPRequestHandler], *, host: str = "127.0.0.1", port: int = 0,
              name: str = "site") -> str:
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name=name, daemon=True).start()
        self.base_url = f"http://{host}:{self._server.server_address[1]}"
        return self.base_url

    def start(self) -> str:
        raise NotImplementedError

    def shutdown(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        if not self.base_url:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
