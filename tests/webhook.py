"""A real HTTP server on 127.0.0.1 standing in for a chat webhook: it keeps each JSON POST."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Hook:
    def __init__(self, url: str) -> None:
        self.url = url
        self.received: list[tuple[str, dict[str, Any]]] = []  # (path, body)


@contextmanager
def webhook_server(path: str = "/hooks/T0K3N-rahasia") -> Iterator[Hook]:
    """Serves until the block ends; ``Hook.url`` is the full URL, secret path included."""
    received: list[tuple[str, dict[str, Any]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ok = self.path == path and self.headers.get("Content-Type") == "application/json"
            if ok:
                received.append((self.path, json.loads(body)))
            self.send_response(200 if ok else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook = Hook(f"http://127.0.0.1:{server.server_address[1]}{path}")
    hook.received = received
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
