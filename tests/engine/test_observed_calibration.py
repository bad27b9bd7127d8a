"""Calibration from telemetry and chargeback shares: every formula with its arithmetic written out."""

import math

import numpy as np
import pytest

from app.engine.aoai_observed_latency import (
    AoaiLatencyOverride,
    observed_latency,
    tbt_from_ttlt,
    tokens_per_second_from_tbt,
    weighted_percentile,
)
from app.engine.chargeback import (
    UNALLOCATED,
    ConsumerUsage,
    capacity_weighted_tokens,
    provisioned_lines,
    ptu_window_cost,
    total_cost,
)
from app.engine.online_calibration import (
    fit_target_utilization,
    gamma_from_quantiles,
    reconciling_concurrency,
    relative_gap,
    service_demand_s,
    service_time_from_latency,
)
from app.engine.prices import PtuRate

NAN = float("nan")
LN2, LN20 = math.log(2.0), math.log(20.0)


# --- Azure ML online: service time, service demand, concurrency, autoscale target ---------------------

def test_gamma_from_quantiles_recovers_an_exponential_service_time():
    # exponential with mean 100 ms: median 100·ln 2 = 69.31 ms, 95th percentile 100·ln 20 = 299.57 ms
    mean, cv = gamma_from_quantiles(100 * LN2, 100 * LN20)
    assert mean == pytest.approx(100.0, rel=1e-6) and cv == pytest.approx(1.0, rel=1e-6)
    # without a p95 the exponential is assumed: mean = p50 / ln 2
    assert gamma_from_quantiles(69.3147, None) == pytest.approx((100.0, 1.0), rel=1e-5)
    # a tighter tail means a smaller CV, and the mean stays near the median
    mean, cv = gamma_from_quantiles(100.0, 150.0)
    assert 0.2 < cv < 0.3 and 100.0 < mean < 102.5


def test_service_time_uses_the_quietest_quarter():
    rpm = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, NAN])
    p50 = np.array([100 * LN2, 100 * LN2, 90.0, 95.0, 100.0, 110.0, 130.0, 150.0, 10.0])
    p95 = np.array([100 * LN20, 100 * LN20, 300.0, 320.0, 350.0, 400.0, 450.0, 500.0, 40.0])
    # loads observed: 10..80; 25th percentile 27.5 -> the intervals at 10 and 20 rpm -> exponential, mean 100 ms
    low = service_time_from_latency(p50, p95, rpm)
    assert low is not None and low.intervals == 2
    assert low.service_time_ms == pytest.approx(100.0, rel=1e-6) and low.service_time_cv == pytest.approx(1.0, rel=1e-6)
    assert service_time_from_latency(np.array([NAN]), np.array([NAN]), np.array([5.0])) is None


def test_service_demand_is_busy_instance_time_over_requests():
    # 60 s intervals: 50% of 2 instances + 75% of 4 instances = (1 + 3) instance-minutes busy = 240 s,
    # over 600 + 1,800 requests -> 0.1 s of an instance per request; the interval with a gap is skipped
    demand = service_demand_s(np.array([50.0, 75.0, NAN]), np.array([2.0, 4.0, 3.0]), np.array([600.0, 1800.0, 99.0]),
                              60.0)
    assert demand == pytest.approx(0.1)
    assert service_demand_s(np.array([NAN]), np.array([2.0]), np.array([10.0]), 60.0) is None


def test_concurrency_reconciles_latency_and_utilization():
    assert reconciling_concurrency(0.4, 0.1) == (4, pytest.approx(1.0))  # 400 ms requests, 100 ms of instance each
    assert reconciling_concurrency(0.13, 0.1) == (1, pytest.approx(1.3))  # round(1.3) = 1: 30% apart
    assert reconciling_concurrency(0.4, 0.1, configured=2) == (2, pytest.approx(2.0))
    assert reconciling_concurrency(0.02, 0.1) == (1, pytest.approx(0.2))  # never below 1


def test_target_utilization_reproduces_the_observed_instances():
    # λ·S/c = 1, 2, 3 busy servers; observed 2, 3, 5 instances between 2 and 8.
    # ceil(2/t) = 3 needs t >= 0.667; ceil(3/t) = 5 needs 0.6 <= t < 0.75 -> t in 0.67..0.74 on the grid,
    # every interval reproduced; the middle of that run of eight is 0.71
    target, share = fit_target_utilization(np.array([10.0, 20.0, 30.0]), np.array([2.0, 3.0, 5.0]), 0.1, 1, 2, 8)
    assert target == 0.71 and share == 1.0


def test_relative_gap():
    assert relative_gap(6.0, 6.33) == pytest.approx(0.33 / 6.33)
    assert relative_gap(0.0, 0.0) == 0.0 and relative_gap(1.0, 0.0) == math.inf


# --- Azure OpenAI: time to first token and tokens per second -----------------------------------------

def test_weighted_percentile_is_the_inverse_of_the_weighted_cdf():
    values, weights = np.array([300.0, 100.0, 200.0, NAN]), np.array([2.0, 1.0, 1.0, 5.0])
    # sorted 100 (1/4), 200 (2/4), 300 (4/4): p25 = 100, p50 = 200, p95 = 300
    assert [weighted_percentile(values, weights, q) for q in (25, 50, 95)] == [100.0, 200.0, 300.0]
    assert weighted_percentile(np.array([NAN]), np.array([1.0]), 50) is None


def test_tokens_per_second_from_time_between_tokens_and_from_time_to_last_byte():
    # token-weighted mean gap (10·300 + 20·100) / 400 = 12.5 ms -> 80 tokens/s
    assert tokens_per_second_from_tbt(np.array([10.0, 20.0]), np.array([300.0, 100.0])) == pytest.approx(80.0)
    # 10 requests, 1,010 tokens: 101 per request, the last arriving 1,000 ms after the first -> 10 ms per gap
    tbt = tbt_from_ttlt(np.array([1500.0, 900.0]), np.array([500.0, 800.0]), np.array([1010.0, 10.0]),
                        np.array([10.0, 10.0]))
    assert tbt[0] == pytest.approx(10.0) and np.isnan(tbt[1])  # one token per request: no gap to measure


def test_observed_latency_and_its_override():
    ttft = np.array([400.0, 600.0, 800.0])
    requests = np.array([10.0, 30.0, 10.0])
    # request shares 0.2, 0.6, 0.2 -> cumulative 0.2, 0.8, 1.0: p50 600 ms, p95 800 ms
    # TBT (10·1,000 + 12·3,000) / 4,000 = 11.5 ms -> 86.96 tokens/s
    seen = observed_latency(ttft, requests, np.array([10.0, 12.0, NAN]), np.zeros(0), np.array([1000.0, 3000.0, 500.0]))
    assert (seen.ttft_p50_ms, seen.ttft_p95_ms) == (600.0, 800.0)
    assert seen.tokens_per_second == pytest.approx(1000 / 11.5) and seen.tokens_per_second_from == "time between tokens"
    assert seen.override == AoaiLatencyOverride(600.0, pytest.approx(86.9565, rel=1e-4))
    assert seen.override.as_dict() == {"ttft_ms": 600.0, "tokens_per_second": 87.0}
    # no TBT series: from time to last byte; nothing at all: no override
    derived = observed_latency(np.array([500.0]), np.array([10.0]), np.zeros(0), np.array([1500.0]), np.array([1010.0]))
    assert derived.tokens_per_second == pytest.approx(100.0) and derived.tokens_per_second_from == "time to last byte"
    empty = observed_latency(np.full(2, NAN), np.ones(2), np.zeros(0), np.zeros(0), np.zeros(0))
    assert empty.override is None and empty.intervals == 0


# --- chargeback: PTU window cost and shares ------------------------------------------------------------

RATE = PtuRate(hourly=1.0, monthly=260.0, yearly=2652.0)


def test_ptu_window_cost_amortizes_the_reservation():
    # 14 days = 336 h of 50 PTU: monthly 50·260·336/730 = 5,983.56; yearly 50·(2,652/12)·336/730 = 5,086.03;
    # hourly 50·1·336 = 16,800, which is also the list cost of every billing
    assert ptu_window_cost(50, RATE, "monthly", 336) == pytest.approx((5983.5616, 16800.0))
    assert ptu_window_cost(50, RATE, "yearly", 336) == pytest.approx((5086.0274, 16800.0))
    assert ptu_window_cost(50, RATE, "hourly", 336) == pytest.approx((16800.0, 16800.0))


def test_ptu_cost_is_shared_by_capacity_weighted_tokens():
    a = ConsumerUsage("a", "ptu", 10, prompt_tokens=1000, completion_tokens=100, cached_tokens=400)
    b = ConsumerUsage("b", "ptu", 10, prompt_tokens=500, completion_tokens=200, cached_tokens=0)
    # weights with w = 3: a (1000 − 400) + 3·100 = 900; b 500 + 3·200 = 1,100; shares 0.45 and 0.55
    assert capacity_weighted_tokens(a, 3.0) == 900.0 and capacity_weighted_tokens(b, 3.0) == 1100.0
    lines = provisioned_lines([a, b], "ptu", 50, RATE, "monthly", 3.0, 336)
    assert [line.ptu_share for line in lines] == pytest.approx([0.45, 0.55])
    assert [line.effective_cost for line in lines] == pytest.approx([0.45 * 5983.5616, 0.55 * 5983.5616])
    assert total_cost(lines) == pytest.approx((16800.0, 5983.5616))


def test_an_unused_ptu_deployment_is_unallocated_not_free():
    lines = provisioned_lines([], "ptu", 50, RATE, "monthly", 3.0, 336)
    assert len(lines) == 1 and lines[0].usage.consumer == UNALLOCATED
    assert lines[0].effective_cost == pytest.approx(5983.5616) and lines[0].ptu_share == 1.0
