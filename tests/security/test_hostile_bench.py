"""The benchmark lab against hostile requests and models: bounded inputs, a Stop that always works,
stored records of the wrong shape, and a lock probe that never reports "busy" by itself."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from app.bench.jobs import start_job
from app.bench.lock import BenchLock, BenchmarkBusy
from app.bench.runner import RunRequest
from app.bench.store import new_run_id
from tests.bench.tiny_models import write_scale_model
from tests.security.cli_run import capplan
from tests.security.conftest import capped


def write_endless_model(path: Path) -> Path:
    """One run never ends: a Loop of 2^62 iterations (each adds 1), ONNX Runtime cannot be interrupted."""
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]), helper.make_node("Add", ["acc_in", "one"], ["acc_out"])],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []), helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []), helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [1])],
        initializer=[numpy_helper.from_array(np.array([1.0], dtype=np.float32), "one")])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["trips", "cond", "x"], ["y"], body=body)], "endless",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
        initializer=[numpy_helper.from_array(np.array(2**62, dtype=np.int64), "trips"),
                     numpy_helper.from_array(np.array(True), "cond")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save_model(model, str(path))
    return path


@pytest.mark.parametrize(("args", "expected"), [
    (["--dim", "seq=300000000"], "the size of dimension 'seq' (--dim) must be a number from 1 to 1,048,576, got 300000000"),
    (["--dim", "seq=1000000", "--batch", "1024"], "the lab feeds at most 268 MB per run"),
    (["--dim", "seq=8", "--mode", "server", "--qps", "nan"], "the target QPS (--qps) must be a number from 0.001 to 10,000, got nan"),
    (["--dim", "seq=8", "--mode", "server", "--qps", "inf"], "the target QPS (--qps) must be a number from 0.001 to 10,000, got inf"),
    (["--dim", "seq=8", "--mode", "server", "--qps", "1e9"], "the target QPS (--qps) must be a number from 0.001 to 10,000, got 1000000000.0"),
    (["--dim", "seq=8", "--mode", "server", "--qps", "5000", "--duration", "600"], "one server run issues at most 1,000,000"),
    (["--dim", "seq=8", "--duration", "nan"], "the seconds per measured loop (--duration) must be a number"),
])
def test_hostile_benchmark_requests_are_refused_before_anything_runs(sandbox, args, expected):
    model = write_scale_model(sandbox.inputs / "scale.onnx", dims=("batch", "seq"))
    out = capped(capplan, "bench", "run", "--file", str(model), *args, memory_mb=400, timeout_s=120)
    assert out.exit_code == 2 and out.internal == "", out.stdout + out.stderr
    assert expected in out.stderr, out.stderr
    assert list((sandbox.data / "bench").rglob("*.json")) == []  # nothing stored


def test_stop_ends_a_model_whose_run_never_ends_within_a_second(sandbox, monkeypatch):
    """The dashboard's Stop: the child process is ended, the lock is free, the page gets a message."""
    model = write_endless_model(sandbox.inputs / "endless.onnx")
    monkeypatch.setenv("CAPPLAN_BENCH_MEMORY_GB", "1.5")

    def scenario() -> dict[str, object]:
        request = RunRequest(model="file", file=model, iterations=5, warmup=0, who="a hostile session")
        job = start_job(request, sandbox.data)
        lock = BenchLock(sandbox.data / "bench" / "running.lock")
        deadline = time.monotonic() + 90
        while lock.holder() is None or "preparing" not in job.status.message:
            assert job.running, job.status.error
            assert time.monotonic() < deadline, "the benchmark never started"
            time.sleep(0.05)
        time.sleep(1.0)  # the trial run is under way and will never return
        pressed = time.monotonic()
        job.stop()
        job.thread.join(5)
        took = time.monotonic() - pressed
        return {"took": took, "running": job.running, "state": job.status.state, "error": job.status.error,
                "holder": lock.holder()}

    result = capped(scenario, memory_mb=300, timeout_s=150)
    assert not result["running"] and result["took"] < 1.0, result
    assert result["holder"] is None  # the lock went with the process
    assert result["state"] == "failed" and "stopped before its first measurement" in str(result["error"])


def test_a_stored_record_of_the_wrong_shape_is_listed_as_unreadable(sandbox):
    runs = sandbox.data / "bench" / "runs"
    runs.mkdir(parents=True)
    bad = new_run_id("magika")
    (runs / f"{bad}.json").write_text(json.dumps({"run_id": bad, "status": "complete", "model": ["x"],
                                                  "results": {"single_stream": {"summary": "fast"}}}))
    listed = capped(capplan, "bench", "list", timeout_s=60)
    assert listed.exit_code == 0 and listed.internal == "", listed.stdout + listed.stderr
    assert bad in listed.stdout and "unreadable" in listed.stdout and "delete it" in listed.stdout
    shown = capped(capplan, "bench", "show", bad, timeout_s=60)
    assert shown.exit_code == 2 and shown.internal == ""
    assert f"the stored run {bad} is not a benchmark record this version can show" in shown.stderr


def test_probing_the_lock_never_makes_a_starting_run_busy(sandbox):
    """Pages poll `holder()` every second; a run that starts meanwhile must not see "busy"."""
    def scenario() -> int:
        lock_path = sandbox.data / "bench" / "running.lock"
        stop = threading.Event()

        def probe() -> None:
            while not stop.is_set():
                BenchLock(lock_path).holder()

        probes = [threading.Thread(target=probe, daemon=True) for _ in range(3)]
        for thread in probes:
            thread.start()
        busy = 0
        try:
            for _ in range(300):
                lock = BenchLock(lock_path)
                try:
                    lock.acquire({"what": "a run"})
                except BenchmarkBusy:
                    busy += 1
                    continue
                lock.release()
        finally:
            stop.set()
        return busy

    assert capped(scenario, memory_mb=100, timeout_s=60) == 0
