"""Recordings of Azure Monitor exchanges: a folder with `index.json` and one file per response body.

Each response body is kept exactly as received (`NNNN.json`, or `NNNN.json.gz` for the committed
demo recording). The index lists every request (method, normalised URL, SHA-256 of the request
body) with the status and the few response headers that matter (content type, Retry-After). No
request header is ever stored, so no bearer token can reach a recording.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from app.errors import InputError, InputIssue

FORMAT = "capplan-telemetry-recording"
VERSION = 1
INDEX = "index.json"
KEPT_HEADERS = ("content-type", "retry-after", "retry-after-ms", "x-ms-retry-after-ms")
MAX_BODY_BYTES = 512 * 1024 * 1024


def normalise_url(url: str) -> str:
    """Scheme, lower-case host, path, and the query parameters sorted, so the key is stable."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, query, ""))


def request_key(method: str, url: str, body: bytes | str | None) -> tuple[str, str, str]:
    data = body.encode() if isinstance(body, str) else (body or b"")
    return method.upper(), normalise_url(url), hashlib.sha256(data).hexdigest()


@dataclass
class Exchange:
    method: str
    url: str
    body_sha256: str
    status: int
    headers: dict[str, str]
    body_file: str | None
    error: str | None = None  # "timeout" or "connection": the transport raises instead of answering

    @property
    def key(self) -> tuple[str, str, str]:
        return self.method, self.url, self.body_sha256

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "url": self.url, "body_sha256": self.body_sha256,
                               "status": self.status, "headers": self.headers, "body_file": self.body_file}
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class RecordingMeta:
    """What the recording was pulled with: everything needed to replay the same requests."""

    source: str  # "live" or "demo"
    recorded_at: str
    start: str
    end: str
    config: dict[str, Any]
    note: str = ""


@dataclass
class Recording:
    folder: Path
    meta: RecordingMeta
    exchanges: list[Exchange] = field(default_factory=list)

    def body(self, exchange: Exchange) -> bytes:
        if exchange.body_file is None:
            return b""
        path = self.folder / exchange.body_file
        raw = path.read_bytes()
        return gzip.decompress(raw) if path.suffix == ".gz" else raw


def _bad(folder: Path, message: str) -> InputError:
    return InputError(InputIssue(str(folder), None, "", message))


def load_recording(folder: Path) -> Recording:
    """Read a recording folder's index; bodies are read lazily when served."""
    index = folder / INDEX
    if not folder.is_dir():
        raise _bad(folder, "recording folder not found (give the folder written by `capplan telemetry pull --record`)")
    if not index.is_file():
        raise _bad(folder, f"not a recording: {INDEX} is missing")
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(folder, f"{INDEX} cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(folder, f"{INDEX} is not a capplan telemetry recording")
    if data.get("version") != VERSION:
        raise _bad(folder, f"recording format version {data.get('version')!r} is not supported (expected {VERSION})")
    try:
        meta = RecordingMeta(**data["meta"])
        exchanges = [Exchange(**e) for e in data["exchanges"]]
    except (KeyError, TypeError) as exc:
        raise _bad(folder, f"{INDEX} is incomplete: {exc}") from None
    root = folder.resolve()
    for ex in exchanges:
        if ex.body_file is not None:
            body = (folder / ex.body_file).resolve()
            if body.parent != root:
                raise _bad(folder, f"{INDEX} names a body outside the recording folder: {ex.body_file!r}")
            if not body.is_file():
                raise _bad(folder, f"body file {ex.body_file} is missing")
    return Recording(folder=folder, meta=meta, exchanges=exchanges)


class RecordingWriter:
    """Collects exchanges while a pull runs, then writes the index."""

    def __init__(self, folder: Path, compress: bool = False):
        self.folder = folder
        self.compress = compress
        self.exchanges: list[Exchange] = []
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            raise InputError(InputIssue(str(folder), None, "", "the recording folder is not empty; choose a new folder"))

    def add(self, method: str, url: str, request_body: bytes | str | None, status: int,
            headers: dict[str, str], body: bytes, error: str | None = None) -> None:
        number = len(self.exchanges) + 1
        name = None
        if error is None:
            name = f"{number:04d}.json" + (".gz" if self.compress else "")
            data = gzip.compress(body, compresslevel=9, mtime=0) if self.compress else body
            (self.folder / name).write_bytes(data)
        kept = {k.lower(): v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
        m, u, sha = request_key(method, url, request_body)
        self.exchanges.append(Exchange(m, u, sha, status, kept, name, error))

    def finish(self, meta: RecordingMeta) -> Path:
        index = {"format": FORMAT, "version": VERSION, "meta": meta.__dict__,
                 "exchanges": [e.to_json() for e in self.exchanges]}
        path = self.folder / INDEX
        path.write_text(json.dumps(index, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return path
