"""Every failure path through the real SDK clients over a scripted transport: a clear message, and
the rest of the data stays usable."""

from __future__ import annotations

import logging
from datetime import timedelta

import numpy as np
import pytest
from azure.identity import EnvironmentCredential

from app.telemetry.demo_world import START
from app.telemetry.failures import RetryPolicy, TelemetryError
from app.telemetry.pull import PullControls, pull
from app.telemetry.summary import summary_rows
from tests.telemetry.conftest import SECRET, TEST_DAYS, JwtCredential, ScriptedAzure, factory

END = START + timedelta(days=TEST_DAYS)

LATENCY = "metricnames=AzureOpenAITimeToResponse"
AML = "metricnames=RequestLatency_P50"


def run(world, config, script=None, transform=None, sleeps=None, attempts=3):
    adapter = ScriptedAzure(world, script, transform)
    controls = PullControls(sleep=(sleeps.append if sleeps is not None else lambda s: None),
                            retry=RetryPolicy(attempts=attempts, base_seconds=0.5, cap_seconds=4.0))
    data = pull(config, START, END, JwtCredential(), transport_factory=factory(adapter), controls=controls)
    return data, adapter


def test_no_credential_names_what_to_do(world, config, monkeypatch):
    for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH",
                 "AZURE_USERNAME", "AZURE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(TelemetryError) as err:
        pull(config, START, END, EnvironmentCredential(), transport_factory=factory(ScriptedAzure(world)))
    assert "No usable Azure credential" in str(err.value) and "az login" in str(err.value)


def test_authentication_refused_by_the_service_stops_the_pull(world, config):
    script = [(AML, [(401, {"error": {"code": "InvalidAuthenticationToken", "message": "token expired"}}, {})])]
    with pytest.raises(TelemetryError) as err:
        run(world, config, script)
    assert "authentication failed" in str(err.value) and "Monitoring Reader" in str(err.value)


def test_forbidden_keeps_the_other_queries(world, config):
    data, _ = run(world, config, [(AML, [(403, {"error": {"code": "AuthorizationFailed", "message": "no"}}, {})])])
    assert any("access denied (HTTP 403)" in i and "AuthorizationFailed: no" in i and "Monitoring Reader" in i
               for i in data.issues)
    assert not data.select(kind="aml-endpoint") and data.select(kind="openai")


def test_unknown_resource(world, config):
    data, _ = run(world, config, [(LATENCY, [(404, {"error": {"code": "ResourceNotFound", "message": "gone"}}, {})])])
    assert any("unknown resource" in i for i in data.issues)
    assert data.select(metric="ProcessedPromptTokens")


def test_429_honours_retry_after_then_succeeds(world, config):
    sleeps: list[float] = []
    data, adapter = run(world, config, [(AML, [(429, {"error": {"code": "TooManyRequests"}}, {"Retry-After": "2"})])],
                        sleeps=sleeps)
    assert sleeps == [2.0] and not data.issues
    assert sum(AML in (c.url or "") for c in adapter.calls) == 2
    assert data.select(kind="aml-endpoint", metric="RequestLatency_P50")


def test_429_without_retry_after_backs_off_with_jitter_and_a_cap_then_reports(world, config):
    sleeps: list[float] = []
    busy = (429, {"error": {"code": "TooManyRequests"}}, {})
    data, _ = run(world, config, [(AML, [busy] * 5)], sleeps=sleeps, attempts=4)
    assert len(sleeps) == 3 and all(0 <= s <= min(4.0, 0.5 * 2 ** i) for i, s in enumerate(sleeps))
    assert any("throttling" in i and "after 4 attempts" in i for i in data.issues)


def test_server_error_retried_then_reported(world, config):
    data, _ = run(world, config, [(LATENCY, [(503, {"error": {"code": "ServiceUnavailable"}}, {})] * 3)])
    assert any("service error (HTTP 503) after 3 attempts" in i for i in data.issues)


def test_timeout(world, config):
    data, _ = run(world, config, [(LATENCY, ["timeout"] * 3)])
    assert any("timed out after 3 attempts" in i for i in data.issues)
    assert data.select(metric="AzureOpenAIRequests")


def test_partial_logs_result_keeps_the_rows(world, config):
    def partial(url, body):
        if "tables" in body and body["tables"][0]["rows"] and body["tables"][0]["columns"][0]["name"] == "Consumer":
            body["tables"][0]["rows"] = body["tables"][0]["rows"][:3]
            body["error"] = {"code": "PartialError", "message": "query exceeded limits", "details": []}
        return body
    data, _ = run(world, config, transform=partial)
    assert any("partial result" in i for i in data.issues)
    assert len(data.logs["consumer_tokens"]) == 3


def test_empty_series_is_reported(world, config):
    def empty(url, body):
        if "RequestLatency_P50" in url:
            for item in body["values"]:
                for metric in item["value"]:
                    metric["timeseries"] = []
        return body
    data, _ = run(world, config, transform=empty)
    assert sum("returned no data" in i for i in data.issues) == 2
    row = next(r for r in summary_rows(data) if r["kind"] == "aml-deployment")
    assert row["instances_max"] is not None  # the rest stays usable


def test_null_points_are_gaps_not_zeros(world, config):
    def nulls(url, body):
        if "RequestLatency_P50" in url:
            for item in body["values"]:
                for metric in item["value"]:
                    for ts in metric["timeseries"]:
                        for point in ts["data"][:100]:
                            point.pop("average", None)
        return body
    data, _ = run(world, config, transform=nulls)
    series = data.select(kind="aml-endpoint", resource="ticket-classifier", metric="RequestsPerMinute")[0]
    assert np.isnan(series.values[:100]).all()
    row = next(r for r in summary_rows(data) if r["resource"] == "ticket-classifier" and r["kind"] == "aml-endpoint")
    assert row["missing_points"] >= 100 and row["requests"] > 0


def test_foundry_names_used_where_the_older_metrics_are_empty(world, config):
    def foundry(url, body):
        if "metricnames=AzureOpenAIRequests" in url or "metricnames=ProcessedPromptTokens" in url:
            for item in body["values"]:
                for metric in item["value"]:
                    metric["timeseries"] = []
        if "metricnames=ModelRequests" in url or "metricnames=InputTokens" in url:
            pass
        return body
    world_series = dict(world.series)
    for (rid, metric, dep, status), v in list(world_series.items()):
        new = {"AzureOpenAIRequests": "ModelRequests", "ProcessedPromptTokens": "InputTokens",
               "GeneratedTokens": "OutputTokens"}.get(metric)
        if new:
            world.series[(rid, new, dep, status)] = v
    try:
        data, adapter = run(world, config, transform=foundry)
    finally:
        world.series.clear()
        world.series.update(world_series)
    assert any("ModelRequests" in (c.url or "") for c in adapter.calls)
    fallback = data.select(metric="AzureOpenAIRequests")
    assert fallback and all(s.source_metric == "ModelRequests" for s in fallback)
    assert data.select(metric="ProcessedPromptTokens")[0].source_metric == "InputTokens"


def test_no_bearer_token_in_logs_exceptions_or_messages(world, config, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("azure").setLevel(logging.DEBUG)  # pull() must put it back to WARNING
    script = [(AML, [(403, {"error": {"code": "AuthorizationFailed", "message": "no"}}, {})]),
              (LATENCY, [(503, {}, {})] * 3)]
    data, adapter = run(world, config, script)
    assert adapter.calls[0].headers["Authorization"].endswith(SECRET)  # the token was really sent
    with pytest.raises(TelemetryError) as err:
        run(world, config, [(AML, [(401, {"error": {"code": "InvalidAuthenticationToken", "message": "bad"}}, {})])])
    text = caplog.text + "\n".join(data.issues) + str(err.value) + repr(err.value)
    assert SECRET not in text and "Bearer" not in text
