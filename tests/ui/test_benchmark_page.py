"""The Benchmark page through streamlit's AppTest: run in the background, results, busy state, hand-over."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.bench.jobs import current_job
from app.bench.lock import BenchLock
from app.settings import get_settings
from tests.ui.charts import figures
from tests.ui.conftest import shown

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "ui" / "views" / "benchmark.py")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAPPLAN_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _by_label(widgets, label: str):  # type: ignore[no-untyped-def]
    return next(w for w in widgets if w.label == label)


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60).run()


def test_empty_lab_invites_a_first_run(data_dir: Path) -> None:
    at = _page()
    assert not at.exception and not at.error
    assert any("No runs yet" in i.value for i in at.info)


def test_run_from_the_page_then_use_in_scenario(data_dir: Path) -> None:
    at = _page()
    _by_label(at.selectbox, "Model").set_value("magika")
    _by_label(at.number_input, "Queries per loop (0 = by duration)").set_value(20)
    _by_label(at.number_input, "Warm-up runs").set_value(1)
    _by_label(at.button, "Start").click()
    at.run()
    job = current_job()
    assert job is not None
    job.thread.join(60)
    assert job.status.state == "complete", job.status.error
    at.run()
    assert not at.exception
    assert any("magika" in m.value and "complete" in m.value for m in at.markdown)
    assert figures(at), "the latency histogram/CDF is drawn"
    _by_label(at.button, "Use in scenario").click()
    at.run()
    handover = at.session_state["capplan.benchmark_service_time"]
    assert handover["run_id"] == job.status.run_id and handover["sku"] == "Standard_DS3_v2"
    assert handover["service_time_ms"] > 0 and handover["service_time_cv"] >= 0 and handover["concurrency"] == 4


def test_busy_machine_is_shown_with_the_reason(data_dir: Path) -> None:
    lock = BenchLock(data_dir / "bench" / "running.lock")
    lock.acquire({"what": "minilm-int8 server benchmark", "who": "the CLI", "started_at": "2026-11-21T10:00:00+00:00"})
    try:
        at = _page()
        assert any("Busy: minilm-int8 server benchmark" in shown(w.value) and "same cores" in shown(w.value) for w in at.warning)
        _by_label(at.button, "Start").click()
        at.run()
        assert any("already running" in shown(e.value) for e in at.error)
    finally:
        lock.release()
