"""Telemetry's "Calibrate scenario" and the Benchmark lab's "Use in scenario" open in the Studio."""

from __future__ import annotations

from app.catalog.loader import load_price_book, load_scenario
from app.ui.handovers import BENCHMARK_KEY, apply_benchmark
from tests.ui.conftest import open_app, option_rows, texts

BENCH = {"service_time_ms": 12.5, "service_time_cv": 0.4, "run_id": "20261121-140000-minilm-int8",
         "sku": "Standard_DS3_v2", "concurrency": 2, "local_service_time_ms": 12.5, "threads_per_request": 2,
         "relative_core_speed": 1.0, "model": "minilm-int8", "machine": "AMD EPYC"}


def test_calibrate_opens_the_calibrated_scenario_in_the_studio():
    at = open_app(page="views/telemetry.py")
    assert not at.exception
    at.selectbox(key="telemetry.calibrate_from").set_value("contoso-openai-eastus/chat-gpt4o")
    at.button[0].click().run()
    assert not at.exception
    assert "Opened the scenario calibrated from telemetry" in texts(at)
    assert at.table, "the Studio's option table is shown"
    assert "demo" in at.caption[0].value  # the description names the source


def test_benchmark_service_time_reaches_the_studio_options():
    at = open_app(scenario="nightly-document-classification")
    before = option_rows(at)
    at.session_state[BENCHMARK_KEY] = dict(BENCH)
    at.run()
    assert not at.exception
    assert "benchmark run 20261121-140000-minilm-int8" in texts(at)
    after = option_rows(at)
    assert after != before  # the Azure ML options were re-costed with 12.5 ms instead of 40 ms


def test_apply_benchmark_sets_workload_concurrency_and_provenance():
    prices = load_price_book()
    from app.catalog.scenario_yaml import scenario_data

    data = scenario_data(load_scenario("nightly-document-classification", prices).file)
    result = apply_benchmark(data, dict(BENCH))
    assert result["workload"]["service_time_ms"] == 12.5 and result["workload"]["service_time_cv"] == 0.4
    on_sku = [o for o in result["options"] if o.get("sku") == "Standard_DS3_v2"]
    assert on_sku and all(o["concurrency"] == 2 for o in on_sku)
    assert result["description"].splitlines()[-1].startswith("Service time from benchmark run 20261121-140000")
    # applying twice keeps one note
    again = apply_benchmark(result, dict(BENCH))
    assert again["description"].count("Service time from benchmark run") == 1


def test_apply_benchmark_adds_an_online_endpoint_when_there_is_none():
    data = {"name": "t", "workload": {"requests_per_month": 1000.0},
            "options": [{"kind": "aoai-standard", "name": "Std", "model": "gpt-4o"}]}
    result = apply_benchmark(data, dict(BENCH))
    assert result["options"][-1] == {"kind": "aml-online", "name": "Standard_DS3_v2 online endpoint",
                                     "sku": "Standard_DS3_v2", "concurrency": 2,
                                     "autoscale": {"min": 3, "max": 10, "target_utilization": 0.7}}
