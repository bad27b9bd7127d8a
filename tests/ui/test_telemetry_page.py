"""The Telemetry page through Streamlit's AppTest: demo data, calibration, chargeback, no token leaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.telemetry.calibrate import PENDING_SCENARIO_KEY
from tests.ui.charts import figures
from tests.ui.conftest import shown

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "ui" / "views" / "telemetry.py")


def _run() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_demo_data_is_shown_and_labelled(monkeypatch):
    monkeypatch.delenv("CAPPLAN_TELEMETRY_CONFIG", raising=False)
    at = _run()
    text = " ".join(shown(m.value) for m in at.markdown) + " ".join(shown(c.value) for c in at.caption)
    assert "Demo data" in text and "2026-10-05 00:00 to 2026-10-19 00:00 UTC" in text
    assert len(figures(at)) >= 8
    assert "Azure Monitor: RequestLatency_P50 (average)" in text  # every chart names its metrics


def test_summary_is_one_table_per_resource_kind_with_human_labels(monkeypatch):
    monkeypatch.delenv("CAPPLAN_TELEMETRY_CONFIG", raising=False)
    at = _run()
    titles = [shown(m.value) for m in at.markdown if m.value.startswith("**")]
    assert titles[:4] == ["**Azure ML endpoints**", "**Azure ML deployments**", "**Azure OpenAI deployments**",
                          "**Consumers (APIM subscriptions)**"]
    endpoints, deployments, openai, consumers = (at.table[i].value.map(shown) for i in range(4))
    assert list(endpoints.columns) == ["Endpoint", "Requests", "Latency p50 (ms)", "Latency p95 (ms)",
                                       "Latency p99 (ms)", "Active connections mean", "Missing points"]
    assert "CPU utilization mean (%)" in deployments.columns and "Latency p95 (ms)" not in deployments.columns
    assert {"Prompt tokens", "429 share (%)", "PTU utilization p95 (%)"} <= set(openai.columns)
    assert "CPU utilization mean (%)" not in openai.columns
    assert len(endpoints) == len(deployments) == len(openai) == 2 and len(consumers) == 8
    for frame in (endpoints, deployments, openai, consumers):
        assert not any("_" in c for c in frame.columns), frame.columns  # no snake_case
    # Shares are shown in percent: the PTU deployment's 429 share, 2.5% in the demo estate.
    ptu = openai.set_index("Deployment").loc["rag-gpt4o-ptu"]
    assert ptu["429 share (%)"] == pytest.approx(2.5, abs=0.05)


def test_choosing_resources_filters_every_summary_table(monkeypatch):
    monkeypatch.delenv("CAPPLAN_TELEMETRY_CONFIG", raising=False)
    at = _run()
    at.multiselect(key="telemetry.resources").set_value(["contoso-openai-eastus/rag-gpt4o-ptu"]).run()
    assert not at.exception
    assert [shown(m.value) for m in at.markdown if m.value.startswith("**")][:2] == [
        "**Azure OpenAI deployments**", "**Consumers (APIM subscriptions)**"]
    assert [shown(v) for v in at.table[0].value["Deployment"]] == ["rag-gpt4o-ptu"]
    assert {shown(v) for v in at.table[1].value["Deployment"]} == {"rag-gpt4o-ptu"}


def test_calibrate_hands_a_scenario_to_the_studio():
    at = _run()
    at.selectbox(key="telemetry.calibrate_from").set_value("contoso-openai-eastus/chat-gpt4o")
    at.button[0].click().run()
    assert not at.exception
    scenario = at.session_state[PENDING_SCENARIO_KEY]
    assert scenario.workload.traffic.shape == "diurnal" and scenario.workload.caching.prompt_cache_hit_rate == 0.3
    assert "demo" in scenario.description and "2026-10-05" in scenario.description


def test_chargeback_offers_a_csv():
    at = _run()
    assert any("Chargeback" in s.value for s in at.subheader)
    assert at.get("download_button")


def test_bad_configuration_falls_back_to_demo_with_a_message(tmp_path, monkeypatch):
    bad = tmp_path / "telemetry.yaml"
    bad.write_text("groups: []\n")
    monkeypatch.setenv("CAPPLAN_TELEMETRY_CONFIG", str(bad))
    from app.settings import get_settings
    get_settings.cache_clear()
    try:
        at = _run()
    finally:
        monkeypatch.delenv("CAPPLAN_TELEMETRY_CONFIG")
        get_settings.cache_clear()
    assert any("telemetry.yaml:1: groups" in shown(e.value) for e in at.error)
