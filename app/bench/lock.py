"""One benchmark at a time per server: runs compete for the same cores.

An advisory `flock` on `<data_dir>/bench/running.lock`, held for the whole run by the CLI process or
the dashboard's benchmark thread. The file says who holds it and why, so others can show it. The
kernel drops the lock when its holder dies, so a crashed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path
from typing import IO, Any

from app.errors import CapplanError

ACQUIRE_PATIENCE_S = 0.25  # far longer than a probe holds its shared lock, far shorter than any run


class BenchmarkBusy(CapplanError):
    """Another benchmark holds the machine."""

    def __init__(self, holder: dict[str, Any]):
        self.holder = holder
        super().__init__(f"a benchmark is already running on this server ({describe_holder(holder)}); "
                         "runs compete for the same cores, so wait for it to finish or stop it")


def describe_holder(holder: dict[str, Any]) -> str:
    what = holder.get("what", "a benchmark")
    who = holder.get("who", "another process")
    since = holder.get("started_at", "?")
    return f"{what}, started {since} by {who}"


class BenchLock:
    def __init__(self, path: Path):
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self, info: dict[str, Any]) -> None:
        """Take the machine, or raise BenchmarkBusy naming the holder.

        `holder()` probes with a shared lock for a few microseconds; an exclusive request that meets
        such a probe is retried for up to ACQUIRE_PATIENCE_S, so pages polling the lock never make a
        starting run report "busy". Only a run holding the lock does.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the run
        give_up = time.monotonic() + ACQUIRE_PATIENCE_S
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < give_up:
                    time.sleep(0.005)
                    continue
                holder = self.holder()
                if holder is None:  # released meanwhile: try again
                    give_up = time.monotonic() + ACQUIRE_PATIENCE_S
                    continue
                handle.close()
                raise BenchmarkBusy(holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({**info, "pid": os.getpid()}))
        handle.flush()
        self._handle = handle

    def update(self, **fields: Any) -> None:
        """Add fields (e.g. the run id once known) to what others see about the holder."""
        if self._handle is None:
            return
        self._handle.seek(0)
        info = json.loads(self._handle.read() or "{}")
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(json.dumps({**info, **fields}))
        self._handle.flush()

    def release(self) -> None:
        if self._handle is None:
            return
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.flush()
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        self._handle.close()
        self._handle = None

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lock (with what and why), or None when the machine is free."""
        if not self.path.exists():
            return None
        with open(self.path, encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                text = handle.read()
                try:
                    info = json.loads(text) if text else {}
                except json.JSONDecodeError:
                    info = {}
                return info if isinstance(info, dict) else {}
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            return None

    def __enter__(self) -> BenchLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
