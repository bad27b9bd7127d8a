"""The Telemetry page through Streamlit's AppTest: demo data, calibration, chargeback, no token leaks."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.telemetry.calibrate import PENDING_SCENARIO_KEY

from pathlib import Path

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "ui" / "pages" / "telemetry.py")


def _run() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_demo_data_is_shown_and_labelled(monkeypatch):
    monkeypatch.delenv("CAPPLAN_TELEMETRY_CONFIG", raising=False)
    at = _run()
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Demo data" in text and "2026-10-05 00:00 to 2026-10-19 00:00 UTC" in text
    assert len(at.get("plotly_chart")) >= 8
    assert len(at.dataframe[0].value) == 6  # six summary rows


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
    assert any("telemetry.yaml:1: groups" in e.value for e in at.error)
