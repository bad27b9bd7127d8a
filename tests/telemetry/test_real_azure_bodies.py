"""What Azure really sends, through the real SDK clients over the project's recording transport.

Two sources, both read in place from ../shared/realdata/ (never copied):
- recordings/: the published bodies in the project's recording format, replayed by `replay()` (the
  real MetricsClient and LogsQueryClient over the replay transport), as `capplan telemetry ... --replay`;
- azure-monitor/: the published bodies byte for byte, answered to a live-style pull of the demo
  configuration through the recording transport (RecordingAdapter), then replayed from what it recorded.
Every failure must reach the user in Azure's words with what to do, never as "no traffic".
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.catalog.loader import load_price_book
from app.cli.main import cli
from app.telemetry.config import TelemetryConfig
from app.telemetry.costing import ChargebackUnavailable, chargeback
from app.telemetry.demo_world import START, demo_config
from app.telemetry.pull import pull
from app.telemetry.recording import RecordingMeta, RecordingWriter
from app.telemetry.sources import replay
from app.telemetry.summary import summary_rows
from app.telemetry.transport import recording_transport
from tests.telemetry.conftest import (
    REAL_BODIES,
    REAL_RECORDINGS,
    TEST_DAYS,
    JwtCredential,
    ScriptedAzure,
    ServeRealBodies,
    factory,
)

END = START + timedelta(days=TEST_DAYS)
TRAFFIC = "no traffic"


def recorded(name: str):
    return replay(REAL_RECORDINGS / name)


def issue_with(data, *parts: str) -> str:
    found = [i for i in data.issues if all(p in i for p in parts)]
    assert found, f"no issue with {parts} in:\n" + "\n".join(data.issues)
    return found[0]


def pull_through_recording(world, config, routes, tmp_path: Path):
    """A pull whose matching requests get the published bodies, recorded; then the recording replayed."""
    folder = tmp_path / "rec"
    writer = RecordingWriter(folder)
    adapter = ServeRealBodies(world, routes)
    live = pull(config, START, END, JwtCredential(), transport_factory=lambda: recording_transport(writer, adapter))
    writer.finish(RecordingMeta("live", "2026-11-28T00:00:00+00:00", START.isoformat(), END.isoformat(),
                                config.model_dump(mode="json", exclude_none=True)))
    assert adapter.served, "no request reached a published body"
    return live, replay(folder)


# --- metrics:getBatch -------------------------------------------------------------------------------

def test_a_metric_marked_with_an_error_in_a_200_is_reported_in_azures_words(realdata):
    """GetMetricError.json (2023-10-01 spec example) in the batch envelope: errorCode InvalidSamplingType."""
    data = recorded("t2_metric_error_code")
    message = issue_with(data, "contoso-ptu", "could not return AzureOpenAIProvisionedManagedUtilizationV2")
    assert "InvalidSamplingType: Sampling type is not found. Metric:CosmosDBCustomer" in message
    assert "aggregation capplan asked for (Average, Maximum)" in message  # what to do
    assert not data.select(metric="AzureOpenAIProvisionedManagedUtilizationV2")
    # the two metrics the answer leaves out are named; the Success metric is used
    issue_with(data, "leaves out AzureOpenAITTLTInMS, AzureOpenAIContextTokensCacheMatchRate", "asked for, not returned")
    assert data.select(metric="AzureOpenAITimeToResponse")[0].values.tolist() == [0.0]
    assert not any(TRAFFIC in i for i in data.issues)


def test_every_metric_failing_is_never_read_as_no_traffic(world, config, realdata):
    """Every metric of the latency query carries GetMetricError.json's errorCode and errorMessage."""
    failed = json.loads((REAL_BODIES / "GetMetricError.2023-10-01.response200.json").read_text())["value"][0]

    def all_fail(url, body):
        if "metricnames=AzureOpenAITimeToResponse" in url:
            for item in body["values"]:
                for metric in item["value"]:
                    metric.update(timeseries=[], errorCode=failed["errorCode"], errorMessage=failed["errorMessage"])
        return body
    data = pull(config, START, END, JwtCredential(), transport_factory=factory(ScriptedAzure(world, transform=all_fail)))
    errors = [i for i in data.issues if "could not return" in i]
    assert len(errors) == 4 and all("InvalidSamplingType" in i for i in errors)
    assert not any(TRAFFIC in i for i in data.issues)


def test_a_200_body_without_the_values_list_is_named_not_read_as_no_data(world, config, realdata, tmp_path):
    """zenn-tokentransaction (a real ARM response) replayed as the getBatch answer (t5), and the raw
    GetMetricError.json served byte for byte to the token query."""
    data = recorded("t5_arm_envelope_to_getbatch")
    message = issue_with(data, "Azure OpenAI tokens for momo-aoai (eastus)", "no `values` list")
    assert "single-resource ARM metrics response" in message and "Nothing from this query is used" in message
    routes = [("metricnames=ProcessedPromptTokens", 200, REAL_BODIES / "GetMetricError.2023-10-01.response200.json")]
    live, replayed = pull_through_recording(world, config, routes, tmp_path)
    for result in (live, replayed):
        assert "its keys: cost, interval, namespace, resourceregion, timespan, value" in issue_with(result, "no `values`")
        assert not result.select(metric="ProcessedPromptTokens") and result.select(metric="AzureOpenAIRequests")
        assert not any(TRAFFIC in i for i in result.issues)


def test_metrics_asked_for_and_not_returned_are_named(realdata):
    """zenn TokenTransaction (t4), MetricBatchExample2 (t9: three resources answered in reverse order),
    MetricBatchExample (t10, t1)."""
    tokens = recorded("t4_zenn_aoai_tokens_p1d")
    issue_with(tokens, "Azure OpenAI account momo-aoai", "leaves out GeneratedTokens")
    assert tokens.select(metric="ProcessedPromptTokens", deployment="gpt-4o-momo")[0].values[16] == 1183.0
    three = recorded("t9_batch_example2_aml_three_endpoints")
    for name in ("redis2", "redis3", "redis5"):
        issue_with(three, f"Azure ML endpoint {name}", "leaves out RequestLatency_P50", "RequestsPerMinute")
    # matched by resourceid, not by position: redis5 was asked last and answered first
    p95 = {s.resource: s.values[0] for s in three.select(metric="RequestLatency_P95")}
    assert p95 == {"redis2": 6723.489583333333, "redis3": 7135.0625, "redis5": 35513.760416666664}
    issue_with(recorded("t10_batch_example_aml_nulls_calibrate"), "TestStorage2", "leaves out RequestLatency_P90")
    issue_with(recorded("t1_batch_example_openai_latency"), "TestStorage1", "leaves out AzureOpenAITTLTInMS")


def test_resources_not_asked_for_are_ignored_and_named(world, config, realdata, tmp_path):
    """MetricBatchExample.json byte for byte (storage accounts) as the answer about the AML endpoints."""
    routes = [("metricnames=RequestLatency_P50", 200, REAL_BODIES / "MetricBatchExample.2024-02-01.response200.json")]
    live, replayed = pull_through_recording(world, config, routes, tmp_path)
    for result in (live, replayed):
        issue_with(result, "not asked for", "TestStorage1")
        issue_with(result, "Azure ML endpoint ticket-classifier", "holds no entry for this resource")
        assert not result.select(kind="aml-endpoint")


def test_a_metrics_400_gives_azures_words_and_the_window_advice(realdata):
    """MetricBatchExample's default (400) response: the 93-day retention."""
    message = issue_with(recorded("t3_batch_error_400"), "Azure OpenAI tokens for contoso-openai", "HTTP 400")
    assert "BadRequest: Query endTime: 06/06/2021 00:00:00 is out of the Max metrics retention period" in message
    assert "choose a window within the last 93 days" in message


# --- Log Analytics ------------------------------------------------------------------------------------

def test_a_log_analytics_400_names_the_missing_table_and_the_diagnostic_setting(realdata):
    """azure-sdk-assets' logs_non_200 recording (SEM0100) answered to both queries (t7)."""
    data = recorded("t7_logs_400_table_not_found")
    for name, query in (("cached_tokens", "cached-token query"), ("consumer_tokens", "per-consumer query")):
        message = issue_with(data, f"Log Analytics {query}", "no table or column named 'AppInsights'")
        assert ("SEM0100: 'where' operator: Failed to resolve table or column expression named 'AppInsights'"
                in message and "BadArgumentError: The request had some invalid properties" in message)
        assert "ApiManagementGatewayLlmLog" in message and "GatewayLlmLogs" in message
        assert "diagnostic setting" in message and "Resource specific" in message
        assert data.log_status[name] == "failed" and data.log_failures[name] == message


def test_a_custom_query_gets_advice_about_its_own_tables(world, realdata, tmp_path):
    """sdk-recording.logs_non_200 byte for byte, for a configuration with its own KQL."""
    raw = demo_config()
    raw["log_analytics"] = {"workspace_id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",  # type: ignore[index]
                            "consumer_tokens_query": "AppInsights | where Name == 'x'"}
    config = TelemetryConfig.model_validate(raw)
    routes = [("AppInsights", 400, REAL_BODIES / "sdk-recording.logs_non_200.response400.json")]
    live, replayed = pull_through_recording(world, config, routes, tmp_path)
    for result in (live, replayed):
        message = issue_with(result, "Log Analytics per-consumer query", "'AppInsights'")
        assert "Check the table and column names of your query" in message and "GatewayLlmLogs" not in message
        assert result.log_status == {"cached_tokens": "ok", "consumer_tokens": "failed"}


def test_a_partial_log_analytics_result_keeps_azures_inner_error(realdata):
    """azure-sdk-assets' logs_partial_success recording (t6): E_OVERFLOW under details[].innererror."""
    data = recorded("t6_logs_partial_error")
    message = issue_with(data, "Log Analytics cached-token query", "partial result")
    assert "PartialError: There were some errors when processing your query" in message
    assert "Percentiles aggregator has encountered an overflow exception" in message and "E_OVERFLOW" in message
    assert "shorten the window" in message
    assert data.log_status["cached_tokens"] == "partial"


def test_a_table_without_the_expected_columns_is_named(realdata):
    """la-post-example.json (the Usage table) as the answer to the cached-token query (t8)."""
    data = recorded("t8_logs_usage_table")
    issue_with(data, "Log Analytics cached-token query", "lacks the column(s) Deployment, Requests")
    assert data.log_status["cached_tokens"] == "incomplete"


# --- chargeback on those failures -------------------------------------------------------------------

def test_chargeback_cli_exits_non_zero_with_azures_words_when_the_consumer_query_fails(realdata):
    result = CliRunner().invoke(cli, ["telemetry", "chargeback", "--replay",
                                      str(REAL_RECORDINGS / "t7_logs_400_table_not_found")])
    assert result.exit_code == 2 and result.stdout == ""
    assert "The per-consumer query failed" in result.stderr and "SEM0100" in result.stderr
    assert "ApiManagementGatewayLlmLog" in result.stderr and "diagnostic setting" in result.stderr
    assert "configure log_analytics" not in result.stderr


def test_chargeback_cli_without_log_analytics_says_to_add_it(realdata):
    result = CliRunner().invoke(cli, ["telemetry", "chargeback", "--replay",
                                      str(REAL_RECORDINGS / "t1_batch_example_openai_latency")])
    assert result.exit_code == 2 and "add log_analytics (workspace_id, preset)" in result.stderr


@pytest.mark.parametrize(("body", "status", "expected"), [
    ("sdk-recording.logs_partial_success.response200.json", 200, "only in part"),
    ("la-post-example.v1.response200.json", 200, "lacks the column(s) Consumer, Deployment"),
    ("sdk-recording.logs_non_200.response400.json", 400, "no table or column named 'AppInsights'"),
])
def test_chargeback_refuses_a_failed_partial_or_malformed_consumer_answer(world, config, realdata, tmp_path,
                                                                          body, status, expected):
    """Each published Log Analytics body answered to the per-consumer query of the demo configuration."""
    routes = [("ApiManagementGatewayLogs", status, REAL_BODIES / body)]
    live, replayed = pull_through_recording(world, config, routes, tmp_path)
    for result in (live, replayed):
        with pytest.raises(ChargebackUnavailable) as refused:
            chargeback(result, load_price_book())
        assert expected in str(refused.value)
        assert result.logs["cached_tokens"].shape[0] > 0  # the other query's rows and the metrics stay usable
        assert {r["kind"] for r in summary_rows(result)} == {"aml-endpoint", "aml-deployment", "openai"}
