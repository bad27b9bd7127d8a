"""Recordings of Azure Monitor exchanges: a folder with `index.json` and one file per response body.

Each response body is kept exactly as received (`NNNN.json`, or `NNNN.json.gz` for the committed
demo recording). The index lists every request (method, normalised URL, SHA-256 of the request
body) with the status and the few response headers that matter (content type, Retry-After). No
request header is ever stored, so no bearer token can reach a recording.

A recording is input like any file a user hands over: the index is at most 64 MiB and must have
the expected shape (a body_file is a bare file name in the folder), and a body is read only while
it stays within MAX_BODY_BYTES, compressed and decompressed (a 0.6 MB gzip of 600 MiB is refused
after 128 MiB, not inflated). Azure Monitor answers far below that: a Log Analytics query returns
at most ~100 MiB, a metrics batch a few MB.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from app.errors import InputError, InputIssue

FORMAT = "capplan-telemetry-recording"
VERSION = 1
INDEX = "index.json"
KEPT_HEADERS = ("content-type", "retry-after", "retry-after-ms", "x-ms-retry-after-ms")
MAX_BODY_BYTES = 128 * 1024 * 1024
MAX_INDEX_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024


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
        """The recorded body, at most MAX_BODY_BYTES (a larger one is an InputError naming its file)."""
        if exchange.body_file is None:
            return b""
        path = self.folder / exchange.body_file
        try:
            if path.stat().st_size > MAX_BODY_BYTES:
                raise _too_large(self.folder, exchange.body_file)
            raw = path.read_bytes()
            if path.suffix != ".gz":
                return raw
            return _gunzip_limited(raw, self.folder, exchange.body_file)
        except OSError as exc:
            raise _bad(self.folder, f"body file {exchange.body_file} cannot be read ({exc.strerror})") from None


def _too_large(folder: Path, name: str) -> InputError:
    return _bad(folder, f"body file {name} holds more than {MAX_BODY_BYTES // (1024 * 1024)} MiB; Azure Monitor "
                        "answers are far smaller, so this is not a recording capplan wrote")


def _gunzip_limited(raw: bytes, folder: Path, name: str) -> bytes:
    """gzip.decompress that stops at MAX_BODY_BYTES instead of inflating a bomb."""
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    out, size, data = [], 0, raw
    try:
        while data:
            piece = inflater.decompress(data, _CHUNK)
            size += len(piece)
            if size > MAX_BODY_BYTES:
                raise _too_large(folder, name)
            out.append(piece)
            data = inflater.unconsumed_tail
            if not data and inflater.eof and inflater.unused_data:
                data, inflater = inflater.unused_data, zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # members
    except zlib.error as exc:
        raise _bad(folder, f"body file {name} is not valid gzip ({exc})") from None
    return b"".join(out)


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
        if index.stat().st_size > MAX_INDEX_BYTES:
            raise _bad(folder, f"{INDEX} is larger than {MAX_INDEX_BYTES // (1024 * 1024)} MiB; not a recording "
                               "capplan wrote")
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(folder, f"{INDEX} cannot be read: {exc}") from None
    except RecursionError:
        raise _bad(folder, f"{INDEX} is nested too deeply; not a recording capplan wrote") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(folder, f"{INDEX} is not a capplan telemetry recording")
    if data.get("version") != VERSION:
        raise _bad(folder, f"recording format version {data.get('version')!r} is not supported (expected {VERSION})")
    try:
        meta = RecordingMeta(**data["meta"])
        exchanges = [Exchange(**e) for e in data["exchanges"]]
    except (KeyError, TypeError) as exc:
        raise _bad(folder, f"{INDEX} is incomplete: {exc}") from None
    problem = _shape_problem(meta, exchanges)
    if problem:
        raise _bad(folder, f"{INDEX}: {problem}")
    root = folder.resolve()
    for ex in exchanges:
        if ex.body_file is not None:
            body = (folder / ex.body_file).resolve()
            if body.parent != root:
                raise _bad(folder, f"{INDEX} names a body outside the recording folder: {ex.body_file!r}")
            if not body.is_file():
                raise _bad(folder, f"body file {ex.body_file} is missing")
    return Recording(folder=folder, meta=meta, exchanges=exchanges)


def _shape_problem(meta: RecordingMeta, exchanges: list[Exchange]) -> str | None:
    """What in a parsed index has the wrong type (JSON allows anything where we expect text)."""
    for name in ("source", "recorded_at", "start", "end", "note"):
        if not isinstance(getattr(meta, name), str):
            return f"meta.{name} is {type(getattr(meta, name)).__name__}, expected text"
    if not isinstance(meta.config, dict):
        return f"meta.config is {type(meta.config).__name__}, expected a mapping"
    for i, ex in enumerate(exchanges):
        for name in ("method", "url", "body_sha256"):
            if not isinstance(getattr(ex, name), str):
                return f"exchanges[{i}].{name} is {type(getattr(ex, name)).__name__}, expected text"
        if isinstance(ex.status, bool) or not isinstance(ex.status, int):
            return f"exchanges[{i}].status is {type(ex.status).__name__}, expected a whole number"
        if not isinstance(ex.headers, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                       for k, v in ex.headers.items()):
            return f"exchanges[{i}].headers must map header names to text"
        if ex.body_file is not None and not (isinstance(ex.body_file, str) and ex.body_file
                                             and "/" not in ex.body_file and "\\" not in ex.body_file):
            return f"exchanges[{i}].body_file is {ex.body_file!r}, expected a file name in the recording folder or null"
        if ex.error not in (None, "timeout", "connection"):
            return f"exchanges[{i}].error is {ex.error!r}, expected \"timeout\", \"connection\" or null"
    return None


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
