"""Every harness mode on small real runs (magika and MiniLM int8), stopping, and the lock."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from app.bench import harness
from app.bench.lock import BenchLock, BenchmarkBusy
from app.bench.models import resolve_model
from app.bench.runner import Run, RunRequest
from app.bench.session import Knobs, create_session
from app.bench.store import ResultStore

SHORT = {"warmup": 2, "duration_s": None}


@pytest.fixture(scope="module")
def magika_session() -> tuple[object, dict]:
    model = resolve_model("magika", Path("/nonexistent-data-dir-not-used"))
    return create_session(model.path, Knobs()), model.make_feeds(1)


def test_poisson_schedule_has_the_requested_rate() -> None:
    times = harness.poisson_schedule(200.0, 20_000, seed=1)
    gaps = np.diff(times)
    assert times[0] == 0.0 and np.all(gaps > 0)
    assert gaps.mean() == pytest.approx(1 / 200.0, rel=0.03)
    assert gaps.std() / gaps.mean() == pytest.approx(1.0, abs=0.05)  # exponential gaps: CV 1


def test_timed_loop_counts_iterations_and_excludes_warmup(magika_session: tuple) -> None:
    session, feeds = magika_session
    timed = harness.timed_loop(session, feeds, harness.Budget(warmup=3, iterations=15, duration_s=None),
                               threading.Event())
    assert len(timed.samples_ms) == 15 and timed.complete
    assert timed.elapsed_s * 1000 >= sum(timed.samples_ms) * 0.99


def test_stop_ends_a_loop_early_and_marks_it_incomplete(magika_session: tuple) -> None:
    session, feeds = magika_session
    stop = threading.Event()
    calls = []

    def progress(fraction: float) -> None:
        calls.append(fraction)
        stop.set()

    timed = harness.timed_loop(session, feeds, harness.Budget(warmup=0, duration_s=30.0), stop, progress)
    assert not timed.complete and calls and timed.elapsed_s < 10


def test_server_latency_runs_from_the_scheduled_issue_time(magika_session: tuple) -> None:
    session, feeds = magika_session
    run = harness.server_run(session, feeds, qps=20.0, workers=2, budget=harness.Budget(warmup=1, iterations=30,
                             duration_s=None), stop=threading.Event())
    assert run.complete and len(run.latency_ms) == 30
    latency, service = np.array(run.latency_ms), np.array(run.service_ms)
    assert np.all(latency >= service - 1e-6)  # waiting (and late issue) is part of latency
    assert 5 < run.qps_achieved < 80


def test_overload_shows_up_as_queueing(magika_session: tuple) -> None:
    session, feeds = magika_session
    # far above one worker's capacity: requests queue, so the latency tail grows beyond service time
    run = harness.server_run(session, feeds, qps=5000.0, workers=1,
                             budget=harness.Budget(warmup=1, iterations=40, duration_s=None), stop=threading.Event())
    assert np.median(run.latency_ms) > 3 * np.median(run.service_ms)


def test_single_offline_server_search_modes_store_results(tmp_path: Path) -> None:
    data = tmp_path / "data"
    single = Run(RunRequest(model="magika", mode="single", iterations=20, **SHORT), data).execute()
    summary = single["results"]["single_stream"]["summary"]
    assert summary["count"] == 20 and summary["p50"] <= summary["p95"] <= summary["p99"] <= summary["max"]
    assert len(single["results"]["single_stream"]["samples_ms"]) == 20

    offline = Run(RunRequest(model="magika", mode="offline", iterations=4, batch_sizes=(1, 4), **SHORT), data).execute()
    sweep = offline["results"]["offline"]["sweep"]
    assert [r["batch_size"] for r in sweep] == [1, 4]
    assert offline["results"]["offline"]["best_batch"] in (1, 4)

    server = Run(RunRequest(model="magika", mode="server", qps=10.0, iterations=15, **SHORT), data).execute()
    assert server["results"]["server"][0]["summary"]["count"] == 15

    search = Run(RunRequest(model="magika", mode="search", slo_ms=10_000.0, iterations=15, search_steps=2, **SHORT),
                 data).execute()
    trials = search["results"]["server"]
    assert len(trials) == 2 and all(t["meets_slo"] for t in trials)  # a bound no run can miss
    assert search["results"]["search"]["max_qps"] == trials[-1]["qps_target"]
    assert trials[1]["qps_target"] > trials[0]["qps_target"]  # the search moves up after a pass

    runs = ResultStore(data / "bench" / "runs").list()
    assert {r.mode for r in runs} == {"single", "offline", "server", "search"}
    assert all(r.status == "complete" for r in runs)


def test_provenance_is_recorded(tmp_path: Path) -> None:
    record = Run(RunRequest(model="magika", mode="single", iterations=5, knobs=Knobs(intra_op_threads=2), **SHORT),
                 tmp_path).execute()
    m = record["machine"]
    assert m["cores"] >= 1 and m["cpu_model"] and m["onnxruntime"] and m["execution_provider"] == "CPUExecutionProvider"
    assert len(m["load_average_at_start"]) == 3 and "load_average_at_end" in m
    assert record["model"]["sha256"] and record["model"]["opsets"]["ai.onnx"] == 15
    assert record["model"]["input_shapes"] == {"bytes": [1, 2048]}
    assert record["runtime"]["knobs"]["intra_op_threads"] == 2
    assert record["settings"]["warmup"] == 2 and record["created_at"] and record["finished_at"]


def test_a_stopped_run_is_kept_and_marked_incomplete(tmp_path: Path) -> None:
    stop = threading.Event()
    stop_after_progress = lambda fraction, message: stop.set() if fraction > 0 else None  # noqa: E731
    record = Run(RunRequest(model="magika", mode="single", duration_s=60.0, warmup=1), tmp_path,
                 stop_after_progress).execute(stop)
    assert record["status"] == "incomplete"
    stored = ResultStore(tmp_path / "bench" / "runs").load(record["run_id"])
    assert stored["status"] == "incomplete" and stored["results"]["single_stream"]["summary"]["count"] >= 1


def test_one_benchmark_per_server(tmp_path: Path) -> None:
    lock = BenchLock(tmp_path / "bench" / "running.lock")
    lock.acquire({"what": "minilm-int8 server benchmark", "who": "a dashboard session", "started_at": "now"})
    try:
        assert BenchLock(lock.path).holder()["what"] == "minilm-int8 server benchmark"
        with pytest.raises(BenchmarkBusy, match="minilm-int8 server benchmark, started now by a dashboard session"):
            Run(RunRequest(model="magika", iterations=3, **SHORT), tmp_path).execute()
    finally:
        lock.release()
    assert BenchLock(lock.path).holder() is None
    assert Run(RunRequest(model="magika", iterations=3, **SHORT), tmp_path).execute()["status"] == "complete"


def test_minilm_int8_model_check_end_to_end(built_data_dir: Path) -> None:
    """CI's short benchmark of the real model: single-stream, then server at two loads, model check stored."""
    record = Run(RunRequest(model="minilm-int8", mode="check", seq_len=32, iterations=25, loads=(0.3, 0.5),
                            warmup=3, duration_s=None), built_data_dir).execute()
    assert record["status"] == "complete"
    check = record["results"]["model_check"]
    assert [r["load"] for r in check["rows"]] == [0.3, 0.5]
    for row in check["rows"]:
        assert row["measured_p95_ms"] > 0 and row["predicted_p95_ms"] > 0
        assert row["error_p95_pct"] == pytest.approx(
            (row["predicted_p95_ms"] - row["measured_p95_ms"]) / row["measured_p95_ms"] * 100)
    assert record["model"]["input_shapes"]["input_ids"] == [1, 32]
