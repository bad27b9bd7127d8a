"""The timing loops, in MLPerf LoadGen terms: single-stream, offline (batch sweep) and server.

Each loop excludes its warm-up, stops early and cleanly when `stop` is set (returning what it
measured, marked incomplete), and reports progress as a fraction in [0, 1]. The loops do as little
as possible between `session.run` calls so the harness measures the model, not itself.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from app.bench.session import run_error

Feeds = Mapping[str, npt.NDArray[np.generic]]
Progress = Callable[[float], None]
PROGRESS_EVERY_S = 0.25
DEFAULT_SWEEP = (1, 2, 4, 8, 16, 32, 64)
MAX_SERVER_QUERIES = 1_000_000  # one server run's schedule: 8 MB per array, whatever the rate asked


@dataclass(frozen=True)
class Budget:
    """Measured work per loop: stop at `iterations` runs or after `duration_s` seconds, whichever first."""

    warmup: int = 10
    iterations: int | None = None
    duration_s: float | None = 10.0

    def __post_init__(self) -> None:
        if self.iterations is None and self.duration_s is None:
            raise ValueError("a budget needs iterations or a duration")

    def fraction(self, done: int, elapsed: float) -> float:
        parts = []
        if self.iterations:
            parts.append(done / self.iterations)
        if self.duration_s:
            parts.append(elapsed / self.duration_s)
        return min(1.0, max(parts))


@dataclass
class Timed:
    """Latencies of one loop in ms, its measured wall time, and whether it ran to the end."""

    samples_ms: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0
    complete: bool = True


def _warm(session: Any, feeds: Feeds, count: int, stop: threading.Event, name: str) -> None:
    for _ in range(count):
        if stop.is_set():
            return
        try:
            session.run(None, feeds)
        except Exception as exc:
            raise run_error(exc, name) from exc


def timed_loop(session: Any, feeds: Feeds, budget: Budget, stop: threading.Event,
               progress: Progress | None = None, name: str = "the model") -> Timed:
    """Back-to-back runs of one input (single-stream; offline at one batch size)."""
    _warm(session, feeds, budget.warmup, stop, name)
    out = Timed()
    samples = out.samples_ms
    limit = budget.iterations or math.inf
    deadline_s = budget.duration_s or math.inf
    run, clock = session.run, time.perf_counter
    start = last_report = clock()
    now = start
    while len(samples) < limit and now - start < deadline_s:
        if stop.is_set():
            out.complete = False
            break
        began = clock()
        run(None, feeds)
        now = clock()
        samples.append((now - began) * 1000.0)
        if progress is not None and now - last_report > PROGRESS_EVERY_S:
            last_report = now
            progress(budget.fraction(len(samples), now - start))
    out.elapsed_s = now - start
    return out


@dataclass
class ServerTimed:
    """Server mode: latency from scheduled issue time to completion, and the model time alone."""

    qps_target: float
    workers: int
    latency_ms: list[float] = field(default_factory=list)
    service_ms: list[float] = field(default_factory=list)
    issued: int = 0
    elapsed_s: float = 0.0
    complete: bool = True

    @property
    def qps_achieved(self) -> float:
        return len(self.latency_ms) / self.elapsed_s if self.elapsed_s > 0 else 0.0


def poisson_schedule(qps: float, count: int, seed: int = 0) -> npt.NDArray[np.float64]:
    """Issue times (s from start) of `count` Poisson arrivals at rate qps: cumulative Exp(1/qps) gaps."""
    gaps = np.random.default_rng(seed).exponential(1.0 / qps, count)
    return np.cumsum(gaps) - gaps[0]


def server_run(session: Any, feeds: Feeds, qps: float, workers: int, budget: Budget, stop: threading.Event,
               progress: Progress | None = None, name: str = "the model", seed: int = 0) -> ServerTimed:
    """Poisson arrivals at `qps` served first-come first-served by `workers` threads sharing one session.

    A free worker takes the next request in issue order and waits for its scheduled time if it is in
    the future; latency = completion − scheduled issue time, so queueing (and a late issue) counts.
    """
    if not (math.isfinite(qps) and qps > 0) or workers < 1:
        raise ValueError("qps must be positive and workers at least 1")
    _warm(session, feeds, budget.warmup, stop, name)
    count = min(MAX_SERVER_QUERIES, budget.iterations or max(1, math.ceil(qps * (budget.duration_s or 0.0))))
    schedule = poisson_schedule(qps, count, seed)
    out = ServerTimed(qps_target=qps, workers=workers)
    latency = np.full(count, np.nan)
    service = np.full(count, np.nan)
    next_index = [0]
    take = threading.Lock()
    failure: list[BaseException] = []
    clock = time.perf_counter
    start = clock() + 0.005  # let every worker reach its first wait

    def worker() -> None:
        while not stop.is_set() and not failure:
            with take:
                index = next_index[0]
                next_index[0] += 1
            if index >= count:
                return
            issue = start + schedule[index]
            wait = issue - clock()
            while wait > 0:
                if stop.wait(min(wait, 0.05)):
                    return
                wait = issue - clock()
            began = clock()
            try:
                session.run(None, feeds)
            except Exception as exc:
                failure.append(exc)
                return
            done = clock()
            latency[index] = (done - issue) * 1000.0
            service[index] = (done - began) * 1000.0

    threads = [threading.Thread(target=worker, name=f"bench-worker-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    while alive := [t for t in threads if t.is_alive()]:
        alive[0].join(PROGRESS_EVERY_S)
        if progress is not None:
            progress(min(1.0, next_index[0] / count))
    if failure:
        raise run_error(failure[0] if isinstance(failure[0], Exception) else RuntimeError(str(failure[0])), name)
    finished = ~np.isnan(latency)
    out.complete = bool(finished.all())
    out.issued = min(next_index[0], count)
    out.latency_ms = [float(x) for x in latency[finished]]
    out.service_ms = [float(x) for x in service[finished]]
    done_times = schedule[finished] + latency[finished] / 1000.0
    out.elapsed_s = float(done_times.max()) if done_times.size else 0.0
    return out
