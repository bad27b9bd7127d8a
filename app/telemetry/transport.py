"""azure-core transports that record live exchanges or serve a recording back to the real SDK.

Both are a genuine `RequestsTransport` over a `requests.Session` with an adapter mounted, so the
whole azure-core pipeline (bearer-token policy, the SDK's request building, error mapping and
deserialisation) runs unchanged: live and recorded data take the same parsing path.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict, deque
from typing import Any

import requests
import urllib3
from azure.core.pipeline.transport import RequestsTransport
from requests.adapters import BaseAdapter, HTTPAdapter

from app.telemetry.recording import Exchange, Recording, RecordingWriter, request_key


def _response(request: requests.PreparedRequest, status: int, body: bytes, headers: dict[str, str]) -> requests.Response:
    raw = urllib3.HTTPResponse(body=io.BytesIO(body), status=status, preload_content=False,
                               headers={"Content-Type": "application/json; charset=utf-8",
                                        "Content-Length": str(len(body)), **headers})
    return HTTPAdapter().build_response(request, raw)


class ReplayAdapter(BaseAdapter):
    """Answers each request with the recorded response for the same method, URL and body.

    Repeated identical requests (a retry after a 429) get the recorded responses in order; the
    last one is served again after that. A request the recording does not hold gets a 404 whose
    error code is NotInRecording.
    """

    def __init__(self, recording: Recording):
        super().__init__()
        self.recording = recording
        self.queues: dict[tuple[str, str, str], deque[Exchange]] = defaultdict(deque)
        for exchange in recording.exchanges:
            self.queues[exchange.key].append(exchange)
        self.served = 0

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        key = request_key(request.method or "GET", request.url or "", request.body)
        queue = self.queues.get(key)
        if not queue:
            body = json.dumps({"error": {"code": "NotInRecording", "message":
                               "the recording holds no response for this request; pull again with --record"}}).encode()
            return _response(request, 404, body, {})
        exchange = queue.popleft() if len(queue) > 1 else queue[0]
        self.served += 1
        if exchange.error == "timeout":
            raise requests.exceptions.ReadTimeout("the recorded request timed out", request=request)
        if exchange.error == "connection":
            raise requests.exceptions.ConnectionError("the recorded request could not connect", request=request)
        return _response(request, exchange.status, self.recording.body(exchange), exchange.headers)

    def close(self) -> None:
        pass


class RecordingAdapter(BaseAdapter):
    """Sends through `inner` (real HTTP by default) and keeps every response body exactly as received."""

    def __init__(self, writer: RecordingWriter, inner: BaseAdapter | None = None):
        super().__init__()
        self.writer = writer
        self.inner = inner or HTTPAdapter()

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        method, url, body = request.method or "GET", request.url or "", request.body
        try:
            response = self.inner.send(request, stream=False, timeout=timeout, verify=verify, cert=cert, proxies=proxies)
        except requests.exceptions.Timeout:
            self.writer.add(method, url, body, 0, {}, b"", error="timeout")
            raise
        except requests.exceptions.ConnectionError:
            self.writer.add(method, url, body, 0, {}, b"", error="connection")
            raise
        content = response.content  # as received (requests has already undone any gzip transfer encoding)
        self.writer.add(method, url, body, response.status_code, dict(response.headers), content)
        return _response(request, response.status_code, content, {k: v for k, v in response.headers.items()
                                                                     if k.lower() not in {"content-length",
                                                                                          "content-encoding",
                                                                                          "transfer-encoding"}})

    def close(self) -> None:
        self.inner.close()


def _transport(adapter: BaseAdapter) -> RequestsTransport:
    session = requests.Session()
    session.trust_env = False
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return RequestsTransport(session=session, session_owner=False)


def replay_transport(recording: Recording) -> RequestsTransport:
    return _transport(ReplayAdapter(recording))


def recording_transport(writer: RecordingWriter, inner: BaseAdapter | None = None) -> RequestsTransport:
    return _transport(RecordingAdapter(writer, inner))
