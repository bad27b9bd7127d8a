"""The results store: atomic writes, interrupted runs, list/delete/export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from app.bench.lock import BenchLock
from app.bench.store import ResultStore, export_csv, export_json, new_run_id
from app.errors import CapplanError


def _record(run_id: str, status: str = "complete") -> dict:
    summary = {"count": 3, "mean": 2.0, "stdev": 1.0, "cv": 0.5, "min": 1.0, "max": 3.0, "p50": 2.0, "p90": 2.8,
               "p95": 2.9, "p99": 2.98, "p999": 2.998}
    return {"run_id": run_id, "status": status, "mode": "single", "created_at": "2026-11-21T10:00:00+00:00",
            "model": {"name": "magika"}, "runtime": {"knobs": {"intra_op_threads": 1}},
            "machine": {"cpu_model": "AMD EPYC", "load_average_at_start": [1.5, 1.0, 0.5]},
            "results": {"single_stream": {"batch_size": 1, "throughput_per_s": 500.0, "summary": summary,
                                          "samples_ms": [1.0, 2.0, 3.0]}}}


def test_save_is_atomic_and_round_trips(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    run_id = new_run_id("MiniLM int8!")
    assert "minilm-int8" in run_id
    store.save(_record(run_id))
    assert [p.name for p in tmp_path.iterdir()] == [f"{run_id}.json"]  # no temporary file left
    assert store.load(run_id)["results"]["single_stream"]["samples_ms"] == [1.0, 2.0, 3.0]
    assert store.load(run_id)["schema"] == 1


def test_running_record_without_its_process_is_incomplete(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    run_id = new_run_id("magika")
    store.save(_record(run_id, status="running"))
    assert store.load(run_id)["status"] == "incomplete"
    assert "interrupted" in store.load(run_id)["note"]
    assert store.load(run_id, running_id=run_id)["status"] == "running"
    assert store.list()[0].status == "incomplete"


def test_list_delete_and_bad_ids(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    first, second = "20261121T100000Z-magika-aaaaaa", "20261121T110000Z-magika-bbbbbb"
    store.save(_record(first))
    store.save(_record(second))
    (tmp_path / "20261121T120000Z-magika-cccccc.json").write_text("{broken", encoding="utf-8")
    runs = store.list()
    assert [r.run_id for r in runs] == ["20261121T120000Z-magika-cccccc", second, first]
    assert runs[0].status == "unreadable"
    assert runs[1].headline == "single-stream p50 2.00 ms, p95 2.90 ms"
    store.delete(first)
    assert first not in store.run_ids()
    with pytest.raises(CapplanError, match="not a run id"):
        store.load("../../etc/passwd")
    with pytest.raises(CapplanError, match="no benchmark run"):
        store.delete(first)


def test_export_csv_and_json(tmp_path: Path) -> None:
    records = [_record("20261121T100000Z-magika-aaaaaa")]
    rows = list(csv.DictReader(io.StringIO(export_csv(records))))
    assert rows[0]["part"] == "single_stream" and rows[0]["p95_ms"] == "2.9" and rows[0]["load_average_1m"] == "1.5"
    assert json.loads(export_json(records))[0]["results"]["single_stream"]["samples_ms"] == [1.0, 2.0, 3.0]


def lock_pid() -> int:
    import os

    return os.getpid()


def test_lock_reports_its_holder_and_frees_on_release(tmp_path: Path) -> None:
    lock = BenchLock(tmp_path / "running.lock")
    assert lock.holder() is None
    with lock:
        lock.acquire({"what": "x", "who": "y", "started_at": "z"})
        assert BenchLock(lock.path).holder()["who"] == "y"
        lock.update(run_id="20261121T100000Z-magika-aaaaaa")
        assert BenchLock(lock.path).holder() == {"what": "x", "who": "y", "started_at": "z", "pid": lock_pid(),
                                                 "run_id": "20261121T100000Z-magika-aaaaaa"}
    assert lock.holder() is None
