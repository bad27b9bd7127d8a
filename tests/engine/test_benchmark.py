"""Benchmark arithmetic in the engine, with the numbers worked out by hand."""

from __future__ import annotations

import itertools
import math

import pytest

from app.engine.benchmark import (
    arrival_rate_for_load,
    empirical_cdf,
    percent_error,
    predict_at_loads,
    predict_at_rate,
    sku_concurrency,
    sku_service_time_ms,
    summarize_latency,
    throughput_per_second,
)


def test_latency_summary_of_four_samples() -> None:
    s = summarize_latency([1.0, 2.0, 3.0, 4.0])
    assert s.mean == 2.5
    # sample stdev: sqrt(((1.5² + 0.5²)·2) / 3) = sqrt(5/3)
    assert s.stdev == pytest.approx(math.sqrt(5.0 / 3.0))
    assert s.cv == pytest.approx(math.sqrt(5.0 / 3.0) / 2.5)
    # linear interpolation at position q·(n − 1): p50 at 1.5 → 2.5; p90 at 2.7 → 3.7; p95 at 2.85 → 3.85
    assert (s.p50, s.p90, s.p95) == pytest.approx((2.5, 3.7, 3.85))
    assert (s.minimum, s.maximum, s.count) == (1.0, 4.0, 4)


def test_summary_needs_samples() -> None:
    with pytest.raises(ValueError):
        summarize_latency([])


def test_throughput() -> None:
    assert throughput_per_second(32 * 10, 2.0) == 160.0  # 10 batches of 32 in 2 s


def test_scaling_rule_to_a_sku() -> None:
    assert sku_service_time_ms(10.0) == 10.0  # same core speed: unchanged
    assert sku_service_time_ms(10.0, relative_core_speed=1.25) == pytest.approx(8.0)  # 10 / 1.25
    assert sku_service_time_ms(10.0, relative_core_speed=0.5, local_core_speed=1.5) == pytest.approx(30.0)  # 10·1.5/0.5
    assert sku_concurrency(4, 1) == 4
    assert sku_concurrency(4, 3) == 1  # 4 // 3
    assert sku_concurrency(2, 4) == 1  # never below one request
    with pytest.raises(ValueError):
        sku_service_time_ms(10.0, relative_core_speed=0.0)


def test_arrival_rate_for_load() -> None:
    assert arrival_rate_for_load(0.5, 0.010, 2) == pytest.approx(100.0)  # 0.5·2 / 0.01 s


def test_prediction_for_mm1_is_exponential_response_time() -> None:
    # M/M/1, S = 10 ms, ρ = 0.5: R ~ Exp(μ − λ) with μ − λ = 100 − 50 = 50/s
    # p50 = ln 2 / 50 s = 13.863 ms; p95 = ln 20 / 50 s = 59.915 ms
    (row,) = predict_at_loads(10.0, 1.0, 1, loads=(0.5,))
    assert row.arrival_rate == pytest.approx(50.0)
    assert row.p50_ms == pytest.approx(1000 * math.log(2) / 50, rel=0.01)
    assert row.p95_ms == pytest.approx(1000 * math.log(20) / 50, rel=0.01)


def test_predictions_grow_with_load() -> None:
    rows = predict_at_loads(8.0, 0.2, 2)
    assert [r.load for r in rows] == [0.3, 0.5, 0.7, 0.9]
    assert all(a.p95_ms < b.p95_ms for a, b in itertools.pairwise(rows))
    assert rows[0].p50_ms >= 8.0 * 0.8  # never far below one service time


def test_percent_error() -> None:
    assert percent_error(120.0, 100.0) == pytest.approx(20.0)
    assert percent_error(80.0, 100.0) == pytest.approx(-20.0)
    with pytest.raises(ValueError):
        percent_error(1.0, 0.0)


def test_prediction_at_a_measured_rate() -> None:
    # M/M/1 at λ = 50/s, S = 10 ms: p95 = ln 20 / 50 s = 59.915 ms; at λ = 100/s the queue is unstable
    p50, p95 = predict_at_rate(50.0, 10.0, 1.0, 1)
    assert p95 == pytest.approx(1000 * math.log(20) / 50, rel=0.01)
    assert p50 == pytest.approx(1000 * math.log(2) / 50, rel=0.01)
    assert predict_at_rate(100.0, 10.0, 1.0, 1) is None


def test_empirical_cdf_of_four_samples() -> None:
    # sorted 1, 2, 3, 8 → F = 1/4, 2/4, 3/4, 4/4
    x, f = empirical_cdf([3.0, 1.0, 8.0, 2.0])
    assert x == (1.0, 2.0, 3.0, 8.0)
    assert f == (0.25, 0.5, 0.75, 1.0)
