"""A hostile price mirror on loopback and hostile sheets in the data folder: page size, page deadline,
redirects, a kill -9 during `prices refresh --out`, and an alias bomb in the version list."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.prices.client import MAX_PAGE_BYTES, PriceApiError, RetailPricesClient, RetryPolicy
from app.prices.output import list_versions
from tests.security.cli_run import capplan
from tests.security.conftest import ROOT, capped

sys.path.insert(0, str(ROOT / "tests" / "prices"))
import itertools

from replay_server import ReplayServer

RECORDING = ROOT / "tests" / "prices" / "recordings" / "eastus.json"


@contextmanager
def serve(behaviour: Any) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server whose GET is `behaviour(handler)`; yields its URL and the paths asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            with suppress(BrokenPipeError, ConnectionResetError):
                behaviour(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/retail/prices", asked
    finally:
        server.shutdown()
        server.server_close()


def huge_page(declared: bool):  # type: ignore[no-untyped-def]
    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declared:
            handler.send_header("Content-Length", str(100 * 1024 * 1024))
        handler.end_headers()
        block = b'{"Items": [' + b" " * (1024 * 1024 - 11)
        for _ in range(100):  # 100 MiB of a page that never closes its list
            handler.wfile.write(block)
    return behaviour


def slow_page(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    for _ in range(600):  # a byte every 0.2 s: each read succeeds, the page never ends
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)


def items_of(endpoint: str, policy: RetryPolicy | None = None) -> str:
    try:
        list(RetailPricesClient(endpoint, policy=policy or RetryPolicy(max_retries=0)).items("serviceName eq 'x'"))
    except PriceApiError as exc:
        return str(exc)
    return "no error"


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_100_mib_page_is_refused_within_the_cap(sandbox, declared):
    with serve(huge_page(declared)) as (url, _asked):
        message = capped(items_of, url, memory_mb=150, timeout_s=60)
    assert f"a page of the API is {'at most' if declared else 'far smaller'}" in message, message
    assert f"{MAX_PAGE_BYTES:,}" in message


def test_a_page_that_never_ends_meets_the_deadline(sandbox):
    with serve(slow_page) as (url, _asked):
        began = time.monotonic()
        message = capped(items_of, url, RetryPolicy(max_retries=0, read_timeout=1.0, page_deadline=2.0),
                         memory_mb=100, timeout_s=30)
        took = time.monotonic() - began
    assert "did not arrive within 2 s" in message, message
    assert took < 10


def test_a_redirect_to_another_host_is_not_followed(sandbox):
    with serve(lambda h: h.send_response(200)) as (elsewhere, asked_elsewhere):
        def redirect(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(302)
            handler.send_header("Location", elsewhere + "?stolen=1")
            handler.end_headers()

        with serve(redirect) as (url, _asked):
            message = capped(items_of, url, memory_mb=100, timeout_s=30)
    assert "redirects to another host" in message and "follows no redirect elsewhere" in message, message
    assert asked_elsewhere == []


def _refresh_into(out: Path, endpoint: str) -> int:
    return capplan("prices", "refresh", "--endpoint", endpoint, "--out", str(out), "--as-of", "2026-12-01").exit_code


def test_kill_9_during_refresh_out_leaves_the_folder_whole(sandbox):
    """Kill -9 while the new folder is staged: the sheets in --out are all old or all new, no temporary
    file is inside it, and the next refresh removes what the killed one left beside it."""
    import multiprocessing

    out = sandbox.data / "pricing-live"
    shutil.copytree(ROOT / "pricing", out)
    (out / "README.txt").write_text("kept across refreshes\n")
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    killed_while_staged = 0
    with ReplayServer.from_file(RECORDING) as replay:
        for _attempt in range(6):
            child = multiprocessing.get_context("fork").Process(target=_refresh_into, args=(out, replay.url))
            child.start()
            staged: list[Path] = []
            while child.is_alive() and not staged:
                staged = list(out.parent.glob(f".{out.name}.staging-*"))
            if staged:
                os.kill(child.pid, signal.SIGKILL)
                killed_while_staged += 1
            child.join()
            names = sorted(p.name for p in out.iterdir())
            assert not any(n.startswith(".") or "tmp" in n for n in names), names
            current = {p.name: p.read_bytes() for p in out.iterdir()}
            if current != old:  # the exchange happened: every sheet is the new one
                assert set(current) == {*old, "price-diff.txt", "price-diff.json"}
                assert current["README.txt"] == old["README.txt"]
                assert b"as_of: 2026-12-01" in current["azure-openai.yaml"]
                assert b"as_of: 2026-12-01" in current["azure-ml.yaml"]
            if killed_while_staged >= 2:
                break
        assert killed_while_staged >= 1, "never caught the refresh while it staged"
        assert list(out.parent.glob(f".{out.name}.*")), "a kill -9 leaves its staging folder beside --out"
        assert capped(_refresh_into, out, replay.url, memory_mb=400, timeout_s=120) == 0
    assert list(out.parent.glob(f".{out.name}.*")) == []  # the next refresh swept it
    assert b"as_of: 2026-12-01" in (out / "azure-openai.yaml").read_bytes()


LETTERS = "abcdefghi"
ALIAS_BOMB = "kind: azure-openai\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in itertools.pairwise(LETTERS)
) + "as_of: *i\n"


def test_an_alias_bomb_in_a_sheet_version_is_not_expanded(sandbox):
    """300 bytes of YAML aliases: the version list read it with yaml.safe_load and str() made 312 MB of it."""
    assert len(ALIAS_BOMB) < 400
    version = sandbox.data / "pricing" / "2026-12-01"
    version.mkdir(parents=True)
    (version / "azure-openai.yaml").write_text(ALIAS_BOMB)
    found = capped(lambda: [(v.as_of, v.sheets) for v in list_versions([sandbox.data / "pricing"])],
                   memory_mb=100, timeout_s=30)
    assert found == [("?", ("azure-openai.yaml",))]
