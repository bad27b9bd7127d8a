"""Benchmarks for the dashboard: progress to poll, a Stop that always works, one at a time.

The dashboard serves many sessions from one process. A run started from one session runs in a
child process (`app.bench.child`), watched by a daemon thread of the server; every session can
poll its progress, and Stop ends the run within a second even when the model's run never returns.
The file lock in `app.bench.lock` (held by the child) also keeps a CLI run and a dashboard run apart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bench.child import ChildRun
from app.bench.lock import BenchLock, BenchmarkBusy
from app.bench.runner import RunRequest
from app.errors import CapplanError


@dataclass
class JobStatus:
    request: RunRequest
    started: float = field(default_factory=time.time)
    fraction: float = 0.0
    message: str = "starting"
    state: str = "running"  # running | complete | incomplete | failed
    run_id: str | None = None
    error: str | None = None


class BenchJob:
    def __init__(self, request: RunRequest, data_dir: Path):
        self.status = JobStatus(request)
        self.stop_event = threading.Event()
        self.data_dir = data_dir
        self.thread = threading.Thread(target=self._main, name="capplan-benchmark", daemon=True)

    def _report(self, fraction: float, message: str) -> None:
        self.status.fraction = max(0.0, min(1.0, fraction))
        self.status.message = message

    def _main(self) -> None:
        try:
            child = ChildRun(self.status.request, self.data_dir, self._report)
            record: dict[str, Any] = child.wait(self.stop_event)
            self.status.run_id = record["run_id"]
            self.status.state = record["status"]
        except CapplanError as exc:
            self.status.state, self.status.error = "failed", str(exc)
        except Exception as exc:  # the page shows a short message; the server stays up
            self.status.state = "failed"
            self.status.error = f"the benchmark stopped on an unexpected error ({type(exc).__name__}: {exc})"

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def stop(self) -> None:
        self.stop_event.set()


_GUARD = threading.Lock()
_CURRENT: BenchJob | None = None


def start_job(request: RunRequest, data_dir: Path) -> BenchJob:
    """Start a run in the background; BenchmarkBusy when a run (here or in a CLI) holds the machine."""
    global _CURRENT
    request.check()
    with _GUARD:
        holder = BenchLock(data_dir / "bench" / "running.lock").holder()
        if holder is not None:
            raise BenchmarkBusy(holder)
        if _CURRENT is not None and _CURRENT.running:
            raise BenchmarkBusy({"what": "a benchmark", "who": _CURRENT.status.request.who})
        job = BenchJob(request, data_dir)
        job.thread.start()
        _CURRENT = job
        return job


def current_job() -> BenchJob | None:
    """The dashboard's latest job (running or finished), shared by all sessions of this server."""
    return _CURRENT
