"""Calibration checked against the telemetry it came from: the demo recording, crafted disagreements,
and a published body that cannot support it. The observed figures are computed here from the raw
series, independently of the calibration's own check."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from click.testing import CliRunner

from app.catalog.loader import evaluate_loaded, load_price_book, parse_scenario_text
from app.catalog.scenario_yaml import scenario_to_yaml
from app.cli.main import cli
from app.telemetry.calibrate import calibrate
from app.telemetry.calibrate_online import CalibrationRefused
from app.telemetry.demo_world import START
from app.telemetry.pull import pull
from app.telemetry.sources import DEMO_DIR, replay, replay_demo
from tests.telemetry.conftest import REAL_RECORDINGS, TEST_DAYS, JwtCredential, ScriptedAzure, factory

TOLERANCE = 0.15


@pytest.fixture(scope="module")
def demo():
    return replay_demo()


@pytest.fixture(scope="module")
def prices():
    return load_price_book()


def evaluated(result, prices):
    loaded = parse_scenario_text(scenario_to_yaml(result.scenario), "calibrated", prices)
    return evaluate_loaded(loaded, prices).options[0]


def hourly(series) -> pd.Series:
    return pd.Series(series.values, index=pd.to_datetime(series.times, unit="s", utc=True))


def observed_per_hour(data, endpoint: str, deployment: str, utilization_metric: str) -> tuple[float, float, float]:
    """(fewest, most) hourly-mean instances and the peak hourly utilization (instance-weighted), 0-1."""
    instances = hourly(data.select(kind="aml-deployment", resource=endpoint, deployment=deployment,
                                   metric="DeploymentCapacity", aggregation="average")[0])
    utilization = hourly(data.select(kind="aml-deployment", resource=endpoint, deployment=deployment,
                                     metric=utilization_metric, aggregation="average")[0]) / 100.0
    per_hour = instances.resample("1h").mean()
    ok = instances.notna() & utilization.notna()
    busy = (utilization * instances)[ok].resample("1h").sum() / instances[ok].resample("1h").sum()
    return float(per_hour.min()), float(per_hour.max()), float(busy.max())


def within(model: float, observed: float) -> bool:
    return abs(model - observed) <= TOLERANCE * observed


def test_the_calibrated_ticket_classifier_reproduces_the_demo_telemetry(demo, prices):
    """The demo's ticket-classifier runs 2-8 instances (6.3 per hour at most) at up to ~60% CPU per hour."""
    result = calibrate(demo, "ticket-classifier", None, prices)
    option = result.scenario.options[0]
    assert option.autoscale is not None and (option.autoscale.min, option.autoscale.max) == (2, 8)
    capacity = evaluated(result, prices).capacity
    fewest, most, peak_utilization = observed_per_hour(demo, "ticket-classifier", "blue", "CpuUtilizationPercentage")
    assert within(capacity["instances_min_used"], fewest), (capacity, fewest)
    assert within(capacity["instances_peak"], most), (capacity, most)
    assert within(capacity["utilization_peak"], peak_utilization), (capacity, peak_utilization)
    # the defect this replaces: one instance at 12.5% peak utilization
    assert capacity["instances_peak"] >= 5 and capacity["utilization_peak"] > 0.5
    # the method is stated, in the scenario and in the report
    assert "utilization × instances × interval / requests" in result.scenario.description
    assert "most instances in an hour" in result.report() and "concurrency 1 (derived" in result.report()


def test_the_gpu_endpoint_calibrates_to_its_fixed_instances_on_the_gpu(demo, prices):
    result = calibrate(demo, "image-tagger", None, prices)
    option = result.scenario.options[0]
    assert option.instances == 2 and option.autoscale is None
    assert any("of GPU per request" in line for line in result.method)
    capacity = evaluated(result, prices).capacity
    _, _, peak_utilization = observed_per_hour(demo, "image-tagger", "t4", "GpuUtilizationPercentage")
    assert within(capacity["utilization_peak"], peak_utilization)


def _pulled(world, config, transform):
    end = START + timedelta(days=TEST_DAYS)
    return pull(config, START, end, JwtCredential(), transport_factory=factory(ScriptedAzure(world, transform=transform)))


def _scale(metric: str, change):
    def transform(url, body):
        if "metricnames=CpuUtilizationPercentage" in url:
            for item in body["values"]:
                for m in item["value"]:
                    if m["name"]["value"] == metric and "ticket-classifier" in item["resourceid"]:
                        for ts in m["timeseries"]:
                            for point in ts["data"]:
                                for key in ("average", "minimum", "maximum"):
                                    if key in point:
                                        point[key] = change(point[key], point["timeStamp"])
        return body
    return transform


def test_refused_when_utilization_says_more_work_than_latency(world, config, prices):
    """CPU three times busier than the requests explain (another process on the instances)."""
    data = _pulled(world, config, _scale("CpuUtilizationPercentage", lambda v, t: min(100.0, 3 * v)))
    with pytest.raises(CalibrationRefused) as refused:
        calibrate(data, "ticket-classifier", None, prices)
    text = str(refused.value)
    assert "latency and utilization disagree" in text and "ms of an instance's CPU busy" in text
    assert "concurrency (max_concurrent_requests_per_instance)" in text  # what to do


def test_refused_when_the_instances_do_not_follow_the_load(world, config, prices):
    """Instances on a schedule (8 from 06:00 to 22:00 UTC, else 2) whatever the traffic, with the CPU
    spread over them as the utilization law says: latency and utilization agree, the scaling does not."""
    def on_a_schedule(url, body):
        if "metricnames=CpuUtilizationPercentage" not in url:
            return body
        for item in body["values"]:
            if "ticket-classifier" not in item["resourceid"]:
                continue
            metrics = {m["name"]["value"]: m["timeseries"][0]["data"] for m in item["value"] if m["timeseries"]}
            for capacity, cpu in zip(metrics["DeploymentCapacity"], metrics["CpuUtilizationPercentage"], strict=True):
                if "average" not in capacity:
                    continue
                planned = 8.0 if 6 <= int(capacity["timeStamp"][11:13]) < 22 else 2.0
                for key in ("average", "minimum", "maximum"):
                    if key in cpu:
                        cpu[key] = min(100.0, cpu[key] * capacity["average"] / planned)
                    capacity[key] = planned
        return body
    data = _pulled(world, config, on_a_schedule)
    with pytest.raises(CalibrationRefused) as refused:
        calibrate(data, "ticket-classifier", None, prices)
    text = str(refused.value)
    assert "does not reproduce the telemetry it came from" in text and "apart" in text
    assert "Choose a window of steady operation" in text


def test_refused_without_deployment_metrics_on_a_published_body(realdata, prices):
    """MetricBatchExample.json adapted to an endpoint (t10): requests and p50 only, with null points."""
    data = replay(REAL_RECORDINGS / "t10_batch_example_aml_nulls_calibrate")
    with pytest.raises(CalibrationRefused, match="no DeploymentCapacity for its deployments"):
        calibrate(data, "TestStorage2", None, prices)
    result = CliRunner().invoke(cli, ["telemetry", "calibrate", "--replay",
                                      str(REAL_RECORDINGS / "t10_batch_example_aml_nulls_calibrate"),
                                      "--resource", "TestStorage2"])
    assert result.exit_code == 2 and "a calibrated capacity would be a guess" in result.stderr


def test_azure_openai_calibration_reports_ttft_and_tokens_per_second(demo, prices):
    result = calibrate(demo, "contoso-openai-eastus", "chat-gpt4o", prices)
    seen = result.latency
    assert seen is not None and seen.tokens_per_second_from == "time between tokens"
    # the demo estate: about 520 ms to the first token, 11 ms between tokens (about 91 tokens/s)
    assert 480 < seen.ttft_p50_ms < 560 and seen.ttft_p95_ms > seen.ttft_p50_ms
    assert seen.tokens_per_second == pytest.approx(1000 / 11.0, rel=0.03)
    assert seen.override is not None and set(seen.override.as_dict()) == {"ttft_ms", "tokens_per_second"}
    assert "time to first token p50" in result.scenario.description and "output tokens/s" in result.report()


def test_calibrate_cli_prints_the_method_and_the_check(prices):
    result = CliRunner().invoke(cli, ["telemetry", "calibrate", "--replay", str(DEMO_DIR),
                                      "--resource", "ticket-classifier"])
    assert result.exit_code == 0, result.stderr
    assert "Check (the calibrated option evaluated by the engine" in result.stderr
    assert "kind: aml-online" in result.stdout and "target_utilization" in result.stdout
    assert "×" in result.stdout  # the YAML keeps the method's text readable (no \\xD7 escapes)
