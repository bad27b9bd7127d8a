"""Benchmark-lab and Telemetry charts are specs: plotly draws them (validated strictly) and so can the PDF."""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime, timedelta

import plotly.graph_objects as go
import pytest
from matplotlib.figure import Figure

from app.charts import benchmark, telemetry
from app.charts.matplotlib_render import to_matplotlib
from app.charts.plotly_render import to_plotly_dict
from app.charts.spec import Chart
from app.telemetry.sources import replay_demo
from app.telemetry.views import chart_traces

SAMPLES = [12.0, 10.0, 11.0, 30.0, 10.5]
SWEEP = [{"batch_size": 1, "throughput_per_s": 80.0}, {"batch_size": 8, "throughput_per_s": 310.0},
         {"batch_size": 32, "throughput_per_s": 290.0}]
SERVER = [{"qps_target": 20.0, "summary": {"p50": 11.0, "p95": 15.0}},
          {"qps_target": 5.0, "summary": {"p50": 10.0, "p95": 12.0}},
          {"qps_target": 40.0}]  # unfinished point: no summary
PREDICTED = [{"qps": 5.0, "predicted_p50_ms": 10.2, "predicted_p95_ms": 12.5},
             {"qps": 20.0, "predicted_p50_ms": 11.5, "predicted_p95_ms": None}]
OPS = [{"op": f"Op{i}", "share": s} for i, s in enumerate([0.4, 0.2, 0.1] + [0.02] * 15)]


def _both(chart: Chart) -> dict:
    figure = to_plotly_dict(chart)
    go.Figure(figure)  # plotly's strict validation: raises on any invalid property
    rendered = to_matplotlib(chart, width=480, height=260)
    assert isinstance(rendered.figure, Figure) and rendered.figure.axes
    rendered.figure.savefig(io.BytesIO(), format="png")  # draws every artist (dates, bins) for real
    return figure


def test_latency_distribution_has_a_histogram_and_the_cdf_on_a_second_axis():
    chart = benchmark.latency_distribution(SAMPLES, "Single-stream latency")
    histogram, cdf = chart.series
    assert histogram.kind == "histogram" and histogram.x == tuple(SAMPLES)
    assert cdf.axis == "y2" and cdf.x == (10.0, 10.5, 11.0, 12.0, 30.0) and cdf.y == (0.2, 0.4, 0.6, 0.8, 1.0)
    figure = _both(chart)
    bars = figure["data"][0]  # binned here: the browser's plotly.js basic bundle has no histogram trace
    assert bars["type"] == "bar" and figure["data"][1]["yaxis"] == "y2"
    assert sum(bars["y"]) == len(SAMPLES)  # every sample in one bin, the largest in the last
    assert bars["x"][0] - bars["width"] / 2 == min(SAMPLES)
    assert abs(bars["x"][-1] + bars["width"] / 2 - max(SAMPLES)) < 1e-9
    assert figure["layout"]["yaxis2"]["tickformat"] == ".0%"
    assert benchmark.latency_distribution([], "empty").is_empty


def test_throughput_by_batch_stars_the_best_batch_with_one_tick_per_batch():
    chart = benchmark.throughput_by_batch(SWEEP, 8)
    assert chart.series[0].x == ("1", "8", "32") and chart.markers[0].x == "8" and chart.markers[0].y == 310.0
    figure = _both(chart)
    assert figure["layout"]["xaxis"]["type"] == "category"


def test_latency_by_qps_orders_points_and_draws_model_and_slo():
    chart = benchmark.latency_by_qps(SERVER, 20.0, PREDICTED)
    measured_p95 = chart.series[0]
    assert measured_p95.x == (5.0, 20.0) and measured_p95.y == (12.0, 15.0)  # sorted, unfinished point left out
    assert [s.dash for s in chart.series] == [False, False, True, True]
    assert chart.series[2].y == (12.5, None)  # an unstable prediction is a gap
    assert chart.lines[0].value == 20.0 and "SLO" in chart.lines[0].label
    figure = _both(chart)
    assert figure["layout"]["shapes"][0]["y0"] == 20.0
    assert benchmark.latency_by_qps([], None).is_empty


def test_operator_breakdown_lists_the_top_twelve_largest_first():
    chart = benchmark.operator_breakdown(OPS)
    assert chart.orientation == "h" and chart.series[0].y[:3] == ("Op0", "Op1", "Op2")
    assert len(chart.series[0].y) == benchmark.TOP_OPERATORS
    figure = _both(chart)
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"  # first listed on top


def test_time_series_keeps_gaps_and_uses_a_date_axis():
    start = datetime(2026, 10, 5, tzinfo=UTC)
    times = [start + timedelta(minutes=5 * i) for i in range(4)]
    chart = telemetry.time_series("t", "Latency", "Latency (ms)", "ms",
                                  [telemetry.Trace("ep", times, [1.0, math.nan, 3.0, 4.0])], "Azure Monitor: X")
    assert chart.series[0].y == (1.0, None, 3.0, 4.0) and not chart.series[0].markers
    assert chart.x.format == "time" and chart.y.format == "ms" and chart.caption == "Azure Monitor: X"
    figure = _both(chart)
    assert figure["layout"]["xaxis"]["type"] == "date" and figure["data"][0]["mode"] == "lines"
    assert figure["data"][0]["connectgaps"] is False
    share = telemetry.time_series("s", "Share", "Share", "share", [telemetry.Trace("d", times, [0.1] * 4)])
    assert share.y.format == "percent"


@pytest.fixture(scope="module")
def demo():
    return replay_demo()


def test_every_telemetry_chart_of_the_demo_renders_in_both(demo):
    labels = {s.label for s in demo.series}
    found = chart_traces(demo, labels)
    assert [c.chart_id for c in found][:2] == ["aml_latency", "openai_time_to_response"]
    assert "openai_cached_share" in [c.chart_id for c in found]
    for c in found:
        chart = telemetry.time_series(c.chart_id, c.title, c.y_title, c.unit,
                                      [telemetry.Trace(*t) for t in c.traces], c.source)
        assert chart.series and "UTC" in chart.caption
        _both(chart)
