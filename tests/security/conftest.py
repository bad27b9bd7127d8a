"""Hostile-input tests: every case runs in a forked child under a memory cap and a timeout.

`capped(fn, ...)` forks the test process (the real code is already imported, so a case costs
milliseconds, not an interpreter start), caps the child's address space at its current size plus
`memory_mb` (resource.setrlimit RLIMIT_AS), runs `fn` there and returns what it returned, or the
error it raised as ("error", type name, message). A case that allocates past the cap fails with
MemoryError instead of taking the machine; one that runs past `timeout_s` is killed and fails.

`sandbox` gives each case its own HOME, working folder and CAPPLAN_DATA_DIR, and checks after the
case that nothing was written anywhere but the data folder (and the inputs the test wrote).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
# The names a visitor of a shared link could give an option or a scenario (issue 19).
MARKDOWN_NAME = "![b](http://127.0.0.1:1/x.png) [phish](http://127.0.0.1:1/p)"
LINK_NAME = "<a href='http://127.0.0.1:1/p'>click</a>"
HUGE_NAME = "<span style='font-size:200px'>huge</span>"
WATCHED_FOLDERS = ("app", "pricing", "scenarios", "tests/golden")


def vm_size_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def peak_rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(fn: Callable[..., Any], args: tuple[Any, ...], memory_mb: int, conn: Any) -> None:
    try:
        base = vm_size_bytes()
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = base + memory_mb * MIB
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        result: Any = ("ok", fn(*args))
    except BaseException as exc:  # report every failure to the parent, MemoryError included
        result = ("error", type(exc).__name__, f"{exc}\n{traceback.format_exc()[-3000:]}")
    try:
        conn.send(result)
    except Exception as exc:  # an unpicklable result
        conn.send(("error", type(exc).__name__, str(exc)))
    conn.close()
    os._exit(0)


def capped(fn: Callable[..., Any], *args: Any, memory_mb: int = 300, timeout_s: float = 60.0) -> Any:
    """Run fn(*args) in a forked child capped at `memory_mb` MiB more address space; its result.

    Raises AssertionError when the child exceeds the time, dies, or raises: the error's type and
    message are in the assertion, so a case that blows the cap reads "MemoryError".
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(fn, args, memory_mb, send), daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(timeout_s):
            raise AssertionError(f"the case ran past its {timeout_s:g} s timeout")
        try:
            result = receive.recv()
        except EOFError:
            raise AssertionError(f"the case's process died (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.join(2)
        if process.is_alive():
            process.kill()
            process.join()
    if result[0] == "error":
        raise AssertionError(f"the case raised {result[1]} under a {memory_mb} MiB cap: {result[2]}")
    return result[1]


@dataclass
class Sandbox:
    root: Path
    home: Path
    cwd: Path
    data: Path
    inputs: Path

    def written_outside(self) -> list[str]:
        """Files and folders that appeared anywhere in the sandbox but the data and input folders."""
        allowed = (self.data, self.inputs)
        found = []
        for path in self.root.rglob("*"):
            if any(path == a or a in path.parents for a in allowed):
                continue
            if path in (self.home, self.cwd):
                continue
            found.append(str(path.relative_to(self.root)))
        return sorted(found)


def _snapshot() -> dict[str, tuple[int, int]]:
    state = {}
    for folder in WATCHED_FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                state[str(path.relative_to(ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return state


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """HOME, working folder and data folder of one case; afterwards nothing else may have changed."""
    box = Sandbox(tmp_path, tmp_path / "home", tmp_path / "cwd", tmp_path / "data", tmp_path / "inputs")
    for folder in (box.home, box.cwd, box.data, box.inputs):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(box.home))
    monkeypatch.setenv("CAPPLAN_DATA_DIR", str(box.data))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("CAPPLAN_PRICING_DIR", raising=False)
    monkeypatch.delenv("CAPPLAN_SCENARIOS_DIR", raising=False)
    monkeypatch.delenv("CAPPLAN_TELEMETRY_CONFIG", raising=False)
    monkeypatch.chdir(box.cwd)
    get_settings.cache_clear()
    before = _snapshot()
    yield box
    get_settings.cache_clear()
    assert box.written_outside() == [], "written outside the data folder"
    assert _snapshot() == before, "the project's own files changed"
