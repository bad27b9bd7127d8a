"""The Telemetry page through Streamlit's AppTest: demo data, calibration, chargeback, no token leaks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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
    endpoints, deployments, openai, consumers = (_as_read(at.table[i].value) for i in range(4))
    # many figures per resource: figures down the side, one column per resource (as the CLI prints them)
    assert list(endpoints.index) == ["Requests", "Latency p50 (ms)", "Latency p95 (ms)", "Latency p99 (ms)",
                                     "Active connections mean", "Missing points"]
    assert list(endpoints.columns) == ["image-tagger", "ticket-classifier"]
    assert "CPU utilization mean (%)" in deployments.index and "Latency p95 (ms)" not in deployments.index
    assert list(deployments.columns) == ["image-tagger/t4", "ticket-classifier/blue"]
    assert {"Prompt tokens", "429 share (%)", "PTU utilization p95 (%)", "Time to first token p50 (ms)",
            "Output tokens per second"} <= set(openai.index)
    assert "CPU utilization mean (%)" not in openai.index
    assert len(consumers) == 8 and list(consumers.columns)[:2] == ["Consumer", "Deployment"]
    for labels in (endpoints.index, deployments.index, openai.index, consumers.columns):
        assert not any("_" in c for c in labels), labels  # no snake_case
    # Shares are shown in percent: the PTU deployment's 429 share, 2.5% in the demo estate.
    assert openai.loc["429 share (%)", "contoso-openai-eastus/rag-gpt4o-ptu"] == "2.5"
    assert deployments.loc["GPU utilization mean (%)", "ticket-classifier/blue"] == "—"


def test_choosing_resources_filters_every_summary_table(monkeypatch):
    monkeypatch.delenv("CAPPLAN_TELEMETRY_CONFIG", raising=False)
    at = _run()
    at.multiselect(key="telemetry.resources").set_value(["contoso-openai-eastus/rag-gpt4o-ptu"]).run()
    assert not at.exception
    assert [shown(m.value) for m in at.markdown if m.value.startswith("**")][:2] == [
        "**Azure OpenAI deployments**", "**Consumers (APIM subscriptions)**"]
    assert [shown(c) for c in at.table[0].value.columns] == ["contoso-openai-eastus/rag-gpt4o-ptu"]
    assert {shown(v) for v in at.table[1].value["Deployment"]} == {"rag-gpt4o-ptu"}


def test_calibrate_hands_a_scenario_to_the_studio():
    at = _run()
    at.selectbox(key="telemetry.calibrate_from").set_value("contoso-openai-eastus/chat-gpt4o")
    at.button[0].click().run()
    assert not at.exception
    scenario = at.session_state[PENDING_SCENARIO_KEY]
    assert scenario.workload.traffic.shape == "diurnal" and scenario.workload.caching.prompt_cache_hit_rate == 0.3
    assert "demo" in scenario.description and "2026-10-05" in scenario.description
    # every Azure OpenAI option carries the observed latency (the demo: about 520 ms, 91 tokens/s)
    latencies = {(o.latency.ttft_ms, o.latency.tokens_per_second) for o in scenario.options}
    assert len(latencies) == 1 and 480 < next(iter(latencies))[0] < 560


def test_calibrating_the_cpu_endpoint_hands_over_a_scenario_that_reproduces_it():
    at = _run()
    at.selectbox(key="telemetry.calibrate_from").set_value("ticket-classifier")
    at.button[0].click().run()
    assert not at.exception  # (outside st.navigation the switch to the Studio cannot happen; the handover can)
    assert not any("calibration" in e.value for e in at.error)
    scenario = at.session_state[PENDING_SCENARIO_KEY]
    option = scenario.options[0]
    assert (option.autoscale.min, option.autoscale.max, option.concurrency) == (2, 8, 1)
    assert 25 < scenario.workload.service_time_ms < 32 and "checked: fewest instances in an hour" in scenario.description


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


def test_chargeback_table_has_labelled_columns_and_a_total_that_is_the_bill():
    from app.catalog.loader import load_price_book
    from app.telemetry.costing import chargeback
    from app.telemetry.sources import replay_demo

    at = _run()
    raw = at.table[-1].value
    assert isinstance(raw.index, pd.RangeIndex), "escaping the cells must keep the index st.table hides"
    table = _as_read(raw)
    assert list(table.columns)[:3] == ["Consumer", "Deployment", "Requests"]
    assert "rag-gpt4o-ptu (50 PTU)" in set(table["Deployment"])
    assert "Effective cost (USD)" in table.columns and "PTU capacity share (%)" in table.columns
    assert table["Consumer"].iloc[-1] == "Total"
    effective = chargeback(replay_demo(), load_price_book()).totals[1]
    assert any(f"Total effective cost {effective:,.2f} USD" in shown(c.value) for c in at.caption)


def shown_all(elements) -> str:
    """The text of messages as a reader sees it (the page escapes Azure's words for Markdown)."""
    return " ".join(str(shown(e.value)) for e in elements)


def _as_read(frame):
    """A table as a reader sees it: cells, index and column labels without the page's Markdown escapes."""
    out = frame.map(shown)
    out.index = out.index.map(shown)
    out.columns = out.columns.map(shown)
    return out


def _configured_with(recording: str, tmp_path, monkeypatch) -> AppTest:
    import yaml

    from app.settings import get_settings
    from app.telemetry.sources import replay
    from app.ui.views.telemetry import DATA_KEY
    from tests.telemetry.conftest import REAL_RECORDINGS

    assert REAL_RECORDINGS.is_dir(), "the published Azure bodies live in ../shared/realdata beside the clone"
    data = replay(REAL_RECORDINGS / recording)
    path = tmp_path / "telemetry.yaml"
    path.write_text(yaml.safe_dump(data.config.model_dump(mode="json", exclude_none=True)))
    monkeypatch.setenv("CAPPLAN_TELEMETRY_CONFIG", str(path))
    get_settings.cache_clear()
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state[DATA_KEY] = data  # as after "Pull from Azure Monitor"
    at.run()
    get_settings.cache_clear()
    assert not at.exception, at.exception
    return at


def test_a_failed_log_analytics_query_is_shown_in_azures_words_not_as_missing_configuration(tmp_path, monkeypatch):
    """azure-sdk-assets' logs_non_200 body (SEM0100) answered to both Log Analytics queries (t7)."""
    at = _configured_with("t7_logs_400_table_not_found", tmp_path, monkeypatch)
    errors = shown_all(at.error)
    assert "No chargeback for this data" in errors and "The per-consumer query failed" in errors
    assert "AppInsights" in errors and "ApiManagementGatewayLlmLog" in errors and "diagnostic setting" in errors
    assert "configure log" not in errors and "add log_analytics" not in errors
    warnings = shown_all(at.warning)
    assert "SEM0100" in warnings  # the pull's own issues, in Azure's words
    assert not at.get("download_button")


def test_a_per_metric_error_is_shown_on_the_page(tmp_path, monkeypatch):
    """GetMetricError.json in the batch envelope (t2): InvalidSamplingType on PTU utilization."""
    at = _configured_with("t2_metric_error_code", tmp_path, monkeypatch)
    warnings = shown_all(at.warning)
    assert "InvalidSamplingType" in warnings and "AzureOpenAIProvisionedManagedUtilizationV2" in warnings
    assert "no traffic" not in warnings
