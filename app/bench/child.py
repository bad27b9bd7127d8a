"""Benchmarks run in a child process, so Stop ends them within a second whatever the model does.

ONNX Runtime runs a model in C++: a model whose single run never ends (or takes an hour) cannot be
interrupted from Python, and a thread running it would hold the benchmark lock and a core until
the server restarts. So the dashboard and the CLI run every benchmark as `python -m
app.bench.child`, a process of its own:

- the parent sends the RunRequest (pickled, on the child's stdin) and then, on Stop, the line
  "stop"; the child sets its stop event, which the timing loops check between runs, and stores
  what it measured, marked incomplete;
- when the child has not finished STOP_GRACE_SECONDS after that (a run that does not return), the
  parent kills it, marks the stored record incomplete with a note saying so, and the kernel
  releases the benchmark lock the child held;
- the child's address space is capped (MEMORY_LIMIT_BYTES, or CAPPLAN_BENCH_MEMORY_GB): a model
  or input that wants more fails with a message instead of taking the server's memory;
- the child reports progress as JSON lines on stdout; it runs in a session of its own (Ctrl-C in a
  terminal reaches the parent, which stops the child) and stops when its stdin closes (the parent
  died).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from app.bench.lock import BenchmarkBusy
from app.bench.runner import Run, RunRequest
from app.bench.store import ResultStore
from app.errors import CapplanError

STOP_GRACE_SECONDS = 0.5  # the child's own clean stop, before it is killed (Stop ends a run within a second)
DEFAULT_MEMORY_GB = 8.0  # address space of the child; the lab takes models up to 1 GB (×3 to load)
STDERR_TAIL = 2000
Report = Callable[[float, str], None]


def memory_limit_bytes() -> int:
    """The child's address-space cap: CAPPLAN_BENCH_MEMORY_GB (default 8 GB)."""
    text = os.environ.get("CAPPLAN_BENCH_MEMORY_GB", "")
    try:
        gigabytes = float(text) if text.strip() else DEFAULT_MEMORY_GB
    except ValueError:
        gigabytes = DEFAULT_MEMORY_GB
    return int(max(1.0, gigabytes) * 1024**3)


class ChildRun:
    """One benchmark in a child process: progress to poll, a stop that always works."""

    def __init__(self, request: RunRequest, data_dir: Path, report: Report | None = None):
        request.check()  # bad input fails here, before a process starts
        self.request = request
        self.data_dir = data_dir
        self.report: Report = report or (lambda fraction, message: None)
        self.run_id: str | None = None
        self.killed = False
        self._stderr: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.bench.child"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True, cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "ORT_DISABLE_TELEMETRY": "1", "PYTHONUNBUFFERED": "1"})
        assert self.process.stdin is not None and self.process.stdout is not None and self.process.stderr is not None
        payload = pickle.dumps((request, data_dir, memory_limit_bytes()))
        self.process.stdin.write(len(payload).to_bytes(8, "big") + payload)
        self.process.stdin.flush()
        self._messages: list[dict[str, Any]] = []
        self._lines = threading.Condition()
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            try:
                message = json.loads(raw)
            except ValueError:
                continue  # a library printed to stdout
            if isinstance(message, dict):
                with self._lines:
                    self._messages.append(message)
                    self._lines.notify_all()
        with self._lines:
            self._messages.append({"eof": True})
            self._lines.notify_all()

    def _drain(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self._stderr.append(raw.decode("utf-8", errors="replace"))
            del self._stderr[:-20]

    def stop(self) -> None:
        """Ask the child to stop (it keeps what it measured); `wait` kills it after the grace."""
        with contextlib.suppress(OSError, ValueError):
            assert self.process.stdin is not None
            self.process.stdin.write(b"stop\n")
            self.process.stdin.flush()

    def wait(self, stop: threading.Event) -> dict[str, Any]:
        """Relay progress until the child ends; returns the stored record. Stop is honoured within
        STOP_GRACE_SECONDS plus one poll, whatever the model is doing."""
        stop_sent_at: float | None = None
        done: dict[str, Any] | None = None
        while done is None:
            if stop.is_set() and stop_sent_at is None:
                self.stop()
                stop_sent_at = time.monotonic()
            if stop_sent_at is not None and time.monotonic() - stop_sent_at > STOP_GRACE_SECONDS:
                self._kill()
                break
            with self._lines:
                if not self._messages:
                    self._lines.wait(0.05)
                messages, self._messages = self._messages, []
            for message in messages:
                if "progress" in message:
                    fraction, text = message["progress"]
                    self.report(float(fraction), str(text))
                elif "run_id" in message:
                    self.run_id = str(message["run_id"])
                elif "done" in message or "error" in message or "eof" in message:
                    done = message
                    break
        self._reap()
        if done is not None and "done" in done:
            return ResultStore(self.data_dir / "bench" / "runs").load(str(done["done"]))
        if done is not None and "error" in done:
            if done.get("busy") is not None:
                raise BenchmarkBusy(done["busy"])
            raise CapplanError(str(done["error"]))
        return self._after_kill(stopped=stop.is_set())

    def _kill(self) -> None:
        self.killed = True
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    def _reap(self) -> None:
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()

    def _after_kill(self, stopped: bool) -> dict[str, Any]:
        """The child ended without a result: killed on Stop, or it died (memory cap, crash)."""
        store = ResultStore(self.data_dir / "bench" / "runs")
        if self.run_id is not None:
            record = store.load(self.run_id)
            record["status"] = "incomplete"
            record["finished_at"] = record.get("finished_at") or _utc_now()
            record["note"] = ("stopped: the model's run did not return within "
                              f"{STOP_GRACE_SECONDS:g} s of Stop, so the benchmark process was ended; figures "
                              "cover what was measured" if stopped and self.killed else
                              f"the benchmark process ended unexpectedly ({self._why()}); figures cover what "
                              "was measured")
            store.save(record)
            if stopped:
                return record
        if stopped:
            raise CapplanError("the benchmark was stopped before its first measurement; nothing was stored")
        raise CapplanError(f"the benchmark process ended unexpectedly ({self._why()}). A model that needs more "
                           f"than {memory_limit_bytes() / 1024**3:g} GB of memory is stopped by the lab's cap "
                           "(CAPPLAN_BENCH_MEMORY_GB)")

    def _why(self) -> str:
        code = self.process.returncode
        tail = "".join(self._stderr).strip().splitlines()
        last = tail[-1][:STDERR_TAIL] if tail else ""
        reason = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return reason + (f": {last}" if last else "")


def _utc_now() -> str:
    from app.bench.machine import utc_now

    return utc_now()


def run_in_child(request: RunRequest, data_dir: Path, report: Report | None = None,
                 stop: threading.Event | None = None) -> dict[str, Any]:
    """Run a benchmark in a child process and return its stored record (see the module docstring)."""
    return ChildRun(request, data_dir, report).wait(stop or threading.Event())


# --- the child ------------------------------------------------------------------------------------

def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, allow_nan=False, default=str) + "\n")
    sys.stdout.flush()


def _watch_stdin(stop: threading.Event) -> None:
    """Set `stop` on the parent's "stop" line, or when the parent goes away (stdin closes)."""
    for line in sys.stdin.buffer:
        if line.strip() == b"stop":
            break
    stop.set()


def _main() -> int:
    size = int.from_bytes(sys.stdin.buffer.read(8), "big")
    request, data_dir, memory = pickle.loads(sys.stdin.buffer.read(size))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    stop = threading.Event()
    threading.Thread(target=_watch_stdin, args=(stop,), daemon=True).start()
    last = [0.0]

    def report(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.1 or fraction >= 1.0:
            last[0] = now
            _send({"progress": [round(fraction, 4), message]})

    run = Run(request, data_dir, report, on_started=lambda run_id: _send({"run_id": run_id}))
    try:
        record = run.execute(stop)
    except BenchmarkBusy as exc:
        _send({"error": str(exc), "busy": exc.holder})
        return 0
    except CapplanError as exc:
        _send({"error": str(exc)})
        return 0
    except MemoryError:
        _send({"error": f"the model needs more than the lab's memory cap of {memory / 1024**3:g} GB "
                        "(CAPPLAN_BENCH_MEMORY_GB); use smaller inputs or a smaller model"})
        return 0
    except Exception as exc:  # reported to the page; the server stays up
        text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
        if "bad_alloc" in text or "allocat" in text.lower():
            _send({"error": f"the model could not allocate its memory within the lab's cap of "
                            f"{memory / 1024**3:g} GB (CAPPLAN_BENCH_MEMORY_GB): {text}"})
        else:
            _send({"error": f"the benchmark stopped on an unexpected error ({type(exc).__name__}: {text})"})
        return 0
    _send({"done": record["run_id"]})
    return 0


if __name__ == "__main__":
    sys.exit(_main())
