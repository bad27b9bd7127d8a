"""A real HTTP server on 127.0.0.1 that replays recorded Retail Prices API pages.

Requests are matched on their `$filter` and `$skip`; several responses recorded for one request are
served in order (the last one repeats), which is how a 429 followed by the page is replayed.

Also usable by hand, for an offline demo of `capplan prices refresh`:

    python tests/prices/replay_server.py tests/prices/recordings/eastus.json --port 8765
    capplan prices refresh --endpoint http://127.0.0.1:8765/api/retail/prices
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

API_PATH = "/api/retail/prices"


class ReplayServer:
    def __init__(self, responses: list[dict[str, Any]], host: str = "127.0.0.1", port: int = 0):
        self.queue: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for response in responses:
            self.queue[(response["filter"], int(response.get("skip") or 0))].append(response)
        self.requests: list[tuple[float, str, int]] = []  # (monotonic time, $filter, $skip)
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((host, port), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @classmethod
    def from_file(cls, path: Path, **kwargs: Any) -> ReplayServer:
        return cls(json.loads(path.read_text(encoding="utf-8"))["responses"], **kwargs)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{API_PATH}"

    def replace(self, odata_filter: str, skip: int, response: dict[str, Any]) -> None:
        """Serve `response` (status, headers, body or text) instead of the recorded page."""
        self.queue[(odata_filter, skip)] = [{"filter": odata_filter, "skip": skip, **response}]

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _next(self, key: tuple[str, int]) -> dict[str, Any] | None:
        with self._lock:
            self.requests.append((time.monotonic(), *key))
            found = self.queue.get(key)
            if not found:
                return None
            return found.pop(0) if len(found) > 1 else found[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = parse_qs(parts.query, keep_blank_values=True)
                key = (params.get("$filter", [""])[0], int(params.get("$skip", ["0"])[0] or 0))
                response = server._next(key) if parts.path == API_PATH else None
                if response is None:
                    response = {"status": 400, "body": {"Error": {"Code": "Invalid OData parameters",
                                                                  "Message": "No recorded page for this query"}}}
                text = response["text"] if "text" in response else json.dumps(response["body"])
                payload = text.encode("utf-8")
                self.send_response(int(response["status"]))
                self.send_header("Content-Type", response.get("content_type", "application/json; charset=utf-8"))
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (response.get("headers") or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Replay recorded Retail Prices API pages on 127.0.0.1")
    parser.add_argument("recording", type=Path)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    with ReplayServer.from_file(args.recording, port=args.port) as replay:
        print(f"serving {args.recording} at {replay.url} (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            replay.thread.join()
