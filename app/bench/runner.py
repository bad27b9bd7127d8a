"""One benchmark run from request to stored record: lock, model, session, loops, provenance.

Modes (MLPerf LoadGen terms):
- single:  single-stream, batch 1 by default; p50/p90/p95/p99/p99.9, mean, stdev.
- offline: throughput over a batch-size sweep (1..64), best batch marked.
- server:  Poisson arrivals at --qps over N workers; latency from the scheduled issue time.
- search:  binary search for the highest QPS whose p95 stays within --slo-ms.
- check:   the model check: single-stream service time → the engine's M/G/c prediction at
           30/50/70/90% load, against server-mode measurements at the same loads.
`duration_s` / `iterations` bound each measured loop (each batch size, each server run).
Bad input fails before anything is stored; a stopped run is stored and marked incomplete.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from app.bench import harness, machine
from app.bench.lock import BenchLock
from app.bench.minilm_wheel import sha256_of
from app.bench.models import DEFAULT_SEQ_LEN, BenchModel, resolve_model
from app.bench.session import Knobs, create_session, run_error
from app.bench.store import ResultStore, new_run_id
from app.engine.benchmark import (
    MODEL_CHECK_LOADS,
    arrival_rate_for_load,
    percent_error,
    predict_at_loads,
    predict_at_rate,
    summarize_latency,
    throughput_per_second,
)
from app.errors import CapplanError

Mode = Literal["single", "offline", "server", "search", "check"]
MODES: dict[str, str] = {
    "single": "single-stream: one request at a time (latency floor)",
    "offline": "offline: throughput over a batch-size sweep",
    "server": "server: Poisson arrivals at a target QPS over N workers",
    "search": "server search: highest QPS whose p95 meets a bound",
    "check": "model check: queueing model vs measured latency at 30/50/70/90% load",
}
Report = Callable[[float, str], None]
PROFILE_RUNS = 20
# Bounds of every knob a page or a command line can set (docs/benchmark-lab.md "Bounds"): generous for a
# real measurement, small enough that no request can exhaust the server.
MAX_QPS = 10_000.0
MAX_DURATION_S = 3_600.0
MAX_ITERATIONS = 1_000_000
MAX_WARMUP = 10_000
MAX_WORKERS = 64
MAX_BATCH = 1_024
MAX_SLO_MS = 3_600_000.0
MAX_DIMENSION = 1 << 20  # a symbolic dimension's size; the feeds' total size has its own bound


@dataclass(frozen=True)
class RunRequest:
    model: str = "minilm-int8"
    mode: Mode = "single"
    knobs: Knobs = field(default_factory=Knobs)
    batch_size: int = 1
    seq_len: int = DEFAULT_SEQ_LEN
    warmup: int = 10
    iterations: int | None = None
    duration_s: float | None = 10.0
    qps: float | None = None
    workers: int = 1
    slo_ms: float | None = None
    search_steps: int = 6
    batch_sizes: tuple[int, ...] = harness.DEFAULT_SWEEP
    loads: tuple[float, ...] = MODEL_CHECK_LOADS
    profile: bool = False
    file: Path | None = None
    dims: tuple[tuple[str, int], ...] = ()
    who: str = "the CLI"

    def check(self) -> None:
        if self.mode not in MODES:
            raise CapplanError(f"unknown mode '{self.mode}': choose one of {', '.join(MODES)}")
        if self.mode == "server" and self.qps is None:
            raise CapplanError("server mode needs a target rate: --qps (requests per second, > 0)")
        if self.mode == "search" and self.slo_ms is None:
            raise CapplanError("search mode needs a latency bound: --slo-ms (p95 target in milliseconds)")
        self._check_bounds()
        if self.workers < 1 or self.batch_size < 1 or self.warmup < 0:
            raise CapplanError("workers and batch size must be at least 1, warm-up at least 0")
        if self.iterations is None and not self.duration_s:
            raise CapplanError("give a duration (seconds) or a number of iterations")
        if any(not 0 < load < 1 for load in self.loads):
            raise CapplanError("model-check loads must lie strictly between 0 and 1")
        if any(b < 1 for b in self.batch_sizes):
            raise CapplanError("batch sizes must be at least 1")

    def _check_bounds(self) -> None:
        """Finite, realistic knobs: NaN, infinity or a huge rate never reach the timing loops."""
        def within(value: float | None, low: float, high: float, what: str) -> None:
            if value is not None and not (math.isfinite(value) and low <= value <= high):
                raise CapplanError(f"{what} must be a number from {low:g} to {high:,.10g}, got {value!r}")

        within(self.qps, 0.001, MAX_QPS, "the target QPS (--qps)")
        within(self.slo_ms, 0.001, MAX_SLO_MS, "the p95 bound (--slo-ms, milliseconds)")
        within(self.duration_s, 0.0, MAX_DURATION_S, "the seconds per measured loop (--duration)")
        within(self.iterations, 1, MAX_ITERATIONS, "the queries per loop (--iterations)")
        within(self.warmup, 0, MAX_WARMUP, "the warm-up runs (--warmup)")
        within(self.workers, 1, MAX_WORKERS, "the workers (--workers)")
        within(self.batch_size, 1, MAX_BATCH, "the batch size (--batch)")
        within(self.search_steps, 1, 20, "the search steps (--search-steps)")
        for batch in self.batch_sizes:
            within(batch, 1, MAX_BATCH, "each offline batch size (--batches)")
        for name, size in self.dims:
            within(size, 1, MAX_DIMENSION, f"the size of dimension {name!r} (--dim)")
        queries = (self.qps or 0.0) * (self.duration_s or 0.0)
        if self.mode == "server" and self.iterations is None and queries > MAX_ITERATIONS:
            raise CapplanError(f"{self.qps:g} QPS for {self.duration_s:g} s is {queries:,.0f} queries; one server "
                               f"run issues at most {MAX_ITERATIONS:,} (lower --qps or --duration, or give --iterations)")

    def settings(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("knobs")
        out["file"] = None if self.file is None else self.file.name
        out["dims"] = dict(self.dims)
        return out


class _Phases:
    """Maps each phase's own progress onto the run's overall fraction."""

    def __init__(self, report: Report, count: int):
        self.report, self.count, self.index = report, max(1, count), 0
        self.label = ""

    def start(self, label: str) -> harness.Progress:
        self.label = label
        base = self.index / self.count
        self.index += 1
        self.report(base, label)
        return lambda fraction: self.report(base + fraction / self.count, self.label)


def _budget(request: RunRequest) -> harness.Budget:
    return harness.Budget(warmup=request.warmup, iterations=request.iterations, duration_s=request.duration_s)


def _samples(values: list[float]) -> list[float]:
    return [round(v, 4) for v in values]


def _stream_result(timed: harness.Timed, batch: int) -> dict[str, Any]:
    return {"batch_size": batch, "complete": timed.complete, "elapsed_s": round(timed.elapsed_s, 4),
            "throughput_per_s": throughput_per_second(batch * len(timed.samples_ms), timed.elapsed_s),
            "summary": summarize_latency(timed.samples_ms).to_dict(), "samples_ms": _samples(timed.samples_ms)}


def _server_result(run: harness.ServerTimed, part: str) -> dict[str, Any]:
    out: dict[str, Any] = {"part": part, "qps_target": run.qps_target, "qps_achieved": run.qps_achieved,
                           "workers": run.workers, "issued": run.issued, "complete": run.complete,
                           "elapsed_s": round(run.elapsed_s, 4), "summary": None}
    if run.latency_ms:
        out["summary"] = summarize_latency(run.latency_ms).to_dict()
        out["service_summary"] = summarize_latency(run.service_ms).to_dict()
        out["samples_ms"] = _samples(run.latency_ms)
        out["service_samples_ms"] = _samples(run.service_ms)
    return out


def _phase_count(request: RunRequest) -> int:
    base = {"single": 1, "offline": len(request.batch_sizes), "server": 1, "search": 1 + request.search_steps,
            "check": 1 + len(request.loads)}[request.mode]
    return base + (1 if request.profile else 0)


class Run:
    """A prepared run: model resolved, session created, inputs checked. `execute` measures and stores."""

    def __init__(self, request: RunRequest, data_dir: Path, report: Report | None = None,
                 on_started: Callable[[str], None] | None = None):
        request.check()
        self.request = request
        self.data_dir = data_dir
        self.report: Report = report or (lambda fraction, message: None)
        self.on_started = on_started or (lambda run_id: None)  # the run's record exists from then on
        self.store = ResultStore(data_dir / "bench" / "runs")
        self.lock = BenchLock(data_dir / "bench" / "running.lock")
        self.run_id = ""

    def _prepare(self) -> tuple[BenchModel, Any, dict[str, Any]]:
        request = self.request
        self.report(0.0, f"preparing {request.model if request.file is None else request.file.name}")
        model = resolve_model(request.model, self.data_dir, request.seq_len, request.file, dict(request.dims),
                              progress=lambda message: self.report(0.0, message))
        session = create_session(model.path, request.knobs)
        if request.mode == "offline":
            for batch in request.batch_sizes:
                model.make_feeds(batch)  # a batch size the model cannot take fails now, not mid-sweep
        feeds = model.make_feeds(request.batch_size)
        try:
            session.run(None, feeds)  # a trial run: bad inputs fail here, before anything is stored
        except Exception as exc:
            raise run_error(exc, model.name) from exc
        import onnx

        proto = onnx.load(str(model.path), load_external_data=False)
        info = {"name": model.name, "description": model.description, "file": model.path.name,
                "sha256": sha256_of(model.path), "size_bytes": model.path.stat().st_size,
                "opsets": {o.domain or "ai.onnx": int(o.version) for o in proto.opset_import},
                "input_shapes": {k: list(v.shape) for k, v in feeds.items()}, "inputs": model.input_note}
        return model, session, info

    def execute(self, stop: threading.Event | None = None) -> dict[str, Any]:
        """Take the machine, run, store; returns the stored record. Raises BenchmarkBusy when taken."""
        stop = stop or threading.Event()
        request = self.request
        label = request.model if request.file is None else f"file:{request.file.name}"
        self.lock.acquire({"what": f"{label} {request.mode} benchmark", "who": request.who,
                           "started_at": machine.utc_now(), "reason": "runs compete for the same cores"})
        try:
            model, session, model_info = self._prepare()
            self.run_id = new_run_id(model.name)
            self.lock.update(run_id=self.run_id)
            record: dict[str, Any] = {
                "run_id": self.run_id, "status": "running", "mode": request.mode, "created_at": machine.utc_now(),
                "model": model_info, "runtime": {"knobs": request.knobs.to_dict()}, "machine": machine.machine_info(),
                "settings": request.settings(), "results": {}}
            self.store.save(record)
            self.on_started(self.run_id)
            ticks = machine.cpu_ticks()
            try:
                self._measure(model, session, record["results"], stop)
            except KeyboardInterrupt:
                record.update(status="incomplete", note="interrupted (Ctrl-C)", finished_at=machine.utc_now())
                self.store.save(record)
                raise
            except BaseException:
                self.store.delete(self.run_id)  # an error mid-run: no half-written result
                raise
            record["machine"]["load_average_at_end"] = machine.load_average()
            record["machine"]["cpu_busy_share_during_run"] = machine.busy_share(ticks, machine.cpu_ticks())
            record["finished_at"] = machine.utc_now()
            record["status"] = "incomplete" if stop.is_set() or not _all_complete(record["results"]) else "complete"
            if record["status"] == "incomplete":
                record["note"] = "stopped before the end: figures cover what was measured"
            self.store.save(record)
            self.report(1.0, f"{record['status']}: {self.run_id}")
            return record
        finally:
            self.lock.release()

    def _measure(self, model: BenchModel, session: Any, results: dict[str, Any], stop: threading.Event) -> None:
        request, budget = self.request, _budget(self.request)
        phases = _Phases(self.report, _phase_count(request))
        feeds = model.make_feeds(request.batch_size)
        if request.mode == "single":
            timed = harness.timed_loop(session, feeds, budget, stop, phases.start("single-stream"), model.name)
            if timed.samples_ms:
                results["single_stream"] = _stream_result(timed, request.batch_size)
        elif request.mode == "offline":
            sweep = []
            for batch in request.batch_sizes:
                if stop.is_set():
                    break
                timed = harness.timed_loop(session, model.make_feeds(batch), budget, stop,
                                           phases.start(f"offline batch {batch}"), model.name)
                if timed.samples_ms:
                    sweep.append(_stream_result(timed, batch))
            best = max(sweep, key=lambda r: r["throughput_per_s"])["batch_size"] if sweep else None
            results["offline"] = {"sweep": sweep, "best_batch": best}
        elif request.mode == "server":
            if request.qps is None:
                raise CapplanError("server mode needs a target rate: --qps (requests per second, > 0)")
            run = harness.server_run(session, feeds, request.qps, request.workers, budget, stop,
                                     phases.start(f"server {request.qps:g} QPS"), model.name)
            results["server"] = [_server_result(run, "server")]
        elif request.mode == "search":
            self._search(model, session, feeds, results, stop, phases)
        else:
            self._model_check(model, session, feeds, results, stop, phases)
        if request.profile and not stop.is_set():
            from app.bench.profile import profile_model

            phases.start("per-operator profile")
            results["profile"] = profile_model(model.path, request.knobs, feeds, PROFILE_RUNS,
                                               self.data_dir / "bench" / "scratch", stop)

    def _single_stream_for(self, model: BenchModel, session: Any, feeds: Any, stop: threading.Event,
                           progress: harness.Progress, results: dict[str, Any]) -> tuple[float, float] | None:
        timed = harness.timed_loop(session, feeds, _budget(self.request), stop, progress, model.name)
        if not timed.samples_ms:
            return None
        results["single_stream"] = _stream_result(timed, self.request.batch_size)
        summary = results["single_stream"]["summary"]
        return float(summary["mean"]), float(summary["cv"])

    def _search(self, model: BenchModel, session: Any, feeds: Any, results: dict[str, Any],
                stop: threading.Event, phases: _Phases) -> None:
        request = self.request
        if request.slo_ms is None:
            raise CapplanError("search mode needs a latency bound: --slo-ms (p95 target in milliseconds)")
        service = self._single_stream_for(model, session, feeds, stop, phases.start("calibrating service time"), results)
        trials: list[dict[str, Any]] = []
        results["server"] = trials
        results["search"] = {"slo_ms": request.slo_ms, "percentile": "p95", "max_qps": None}
        if service is None:
            return
        low, high = 0.0, min(MAX_QPS, 1.1 * arrival_rate_for_load(1.0, service[0] / 1000.0, request.workers))
        for step in range(request.search_steps):
            if stop.is_set():
                return
            qps = (low + high) / 2.0
            run = harness.server_run(session, feeds, qps, request.workers, _budget(request), stop,
                                     phases.start(f"search step {step + 1}: {qps:.1f} QPS"), model.name, seed=step)
            trial = _server_result(run, "search")
            passed = bool(trial["summary"]) and run.complete and trial["summary"]["p95"] <= request.slo_ms
            trial["meets_slo"] = passed
            trials.append(trial)
            if passed:
                low = qps
                results["search"]["max_qps"] = qps
            else:
                high = qps

    def _model_check(self, model: BenchModel, session: Any, feeds: Any, results: dict[str, Any],
                     stop: threading.Event, phases: _Phases) -> None:
        request = self.request
        service = self._single_stream_for(model, session, feeds, stop, phases.start("single-stream service time"),
                                          results)
        if service is None:
            return
        mean_ms, cv = service
        predictions = predict_at_loads(mean_ms, cv, request.workers, request.loads)
        runs: list[dict[str, Any]] = []
        results["server"] = runs
        rows = []
        for step, prediction in enumerate(predictions):
            row: dict[str, Any] = {"load": prediction.load, "qps": prediction.arrival_rate,
                                   "predicted_p50_ms": prediction.p50_ms, "predicted_p95_ms": prediction.p95_ms,
                                   "measured_p50_ms": None, "measured_p95_ms": None,
                                   "error_p50_pct": None, "error_p95_pct": None}
            rows.append(row)
            if stop.is_set():
                continue
            run = harness.server_run(session, feeds, prediction.arrival_rate, request.workers, _budget(request), stop,
                                     phases.start(f"server at {prediction.load:.0%} load"), model.name, seed=step)
            measured = _server_result(run, f"load {prediction.load:.0%}")
            runs.append(measured)
            if measured["summary"] and run.complete:
                s = measured["summary"]
                row.update(measured_p50_ms=s["p50"], measured_p95_ms=s["p95"],
                           error_p50_pct=percent_error(prediction.p50_ms, s["p50"]),
                           error_p95_pct=percent_error(prediction.p95_ms, s["p95"]),
                           measured_service_mean_ms=measured["service_summary"]["mean"])
                # the same model fed with the service time measured during this run (drift check)
                at_measured = predict_at_rate(run.qps_achieved, measured["service_summary"]["mean"],
                                              measured["service_summary"]["cv"], request.workers)
                row["predicted_p95_ms_at_measured_service"] = None if at_measured is None else at_measured[1]
                row["error_p95_pct_at_measured_service"] = (None if at_measured is None
                                                            else percent_error(at_measured[1], s["p95"]))
        results["model_check"] = {"service_time_ms": mean_ms, "service_cv": cv, "servers": request.workers,
                                  "model": "M/G/c: Erlang C + Allen-Cunneen (app.engine.queueing)", "rows": rows}


def _all_complete(results: dict[str, Any]) -> bool:
    parts: list[Any] = [results.get("single_stream"), *list(results.get("offline", {}).get("sweep", []))]
    parts += list(results.get("server", []))
    return all(p.get("complete", True) for p in parts if p)
