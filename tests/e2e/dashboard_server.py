"""Start the real dashboard (Streamlit) on a free loopback port, and Debian's Chromium for Playwright.

Used by the e2e tests and by benchmarks/bench_dashboard.py. Never `playwright install`: the browser
is /usr/bin/chromium (`make browser` installs it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "app" / "ui" / "main.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STARTUP_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def dashboard(env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `streamlit run app/ui/main.py` until the block ends; yields its base URL."""
    with streamlit_server(MAIN, env) as (base, _process):
        yield base


@contextmanager
def streamlit_server(script: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run `streamlit run <script>` until the block ends; yields its base URL and the server process."""
    port = free_port()
    args = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false", "--server.enableStaticServing", "true"]
    process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}: {process.stderr.read()[-2000:]}")
            try:
                if requests.get(f"{base}/_stcore/health", timeout=1).text == "ok":
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the dashboard did not answer /_stcore/health in time")
            time.sleep(0.1)  # polling a server that is starting, not waiting for a page to render
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
