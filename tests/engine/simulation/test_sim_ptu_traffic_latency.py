"""PTU leaky bucket, traffic series and per-minute latency, with the arithmetic written out."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.engine.queueing import response_time_percentiles
from app.engine.simulation.latency import LEVELS, P95, minute_latency_levels, share_within
from app.engine.simulation.ptu import run_ptu
from app.engine.simulation.results import summarize_ptu
from app.engine.simulation.settings import Burst, PtuSystem, RunSettings, ServiceTimes
from app.engine.simulation.traffic import expected_arrivals, replayed_arrivals, synthetic_arrivals

# 1 PTU × 1,000 TPM, 100 weighted tokens per request: 10 requests a minute fill the bucket.
PTU = PtuSystem(ptu=1, input_tpm_per_ptu=1000.0, weighted_tokens_per_request=100.0, ptu_hourly_cost=6.0,
                spillover=False, spill_cost_per_request=0.01)


def test_leaky_bucket_per_minute() -> None:
    trace = run_ptu(np.array([5.0, 20.0, 5.0]), 60, PTU)
    # m0: empty bucket, room 10 → admit 5 (level 500). m1: leak 1000 → 0, admit 10 of 20 (10 → 429), level 1000.
    # m2: leak → 0, admit 5.
    assert trace.admitted.tolist() == [5.0, 10.0, 5.0]
    assert trace.rejected.tolist() == [0.0, 10.0, 0.0]


def test_leaky_bucket_absorbs_part_of_a_burst_within_the_minute() -> None:
    arrivals = replayed_arrivals(np.array([5.0, 20.0, 5.0]), 30)  # 2.5 per 30 s, then 10, 10, then 2.5
    trace = run_ptu(arrivals, 30, PTU)
    # leak 500 per 30 s. k0: +250. k1: 0+250. k2: 0 → admit 10 → 1000. k3: 500 → room 5 → admit 5, reject 5 → 1000.
    # k4: 500 → admit 2.5 → 750. k5: 250 → admit 2.5 → 500.
    assert trace.admitted.tolist() == [2.5, 2.5, 10.0, 5.0, 2.5, 2.5]
    assert trace.rejected.sum() == 5.0


def test_spillover_bills_standard_and_throttling_fails_minutes() -> None:
    throttled = summarize_ptu("t", run_ptu(np.array([5.0, 20.0, 5.0]), 60, PTU), PTU, RunSettings())
    assert throttled.totals.throttled == 10 and throttled.totals.spilled == 0
    assert throttled.totals.slo_violating_minutes == 1  # 10 of 20 = 50% > 5%
    assert throttled.totals.cost == pytest.approx(3 * 6.0 / 60)  # 3 minutes of a 6/h deployment
    spill = PtuSystem(**{**PTU.__dict__, "spillover": True})
    spilled = summarize_ptu("s", run_ptu(np.array([5.0, 20.0, 5.0]), 60, spill), spill, RunSettings())
    assert spilled.totals.spilled == 10 and spilled.totals.throttled == 0
    assert spilled.totals.slo_violating_minutes == 0
    assert spilled.totals.cost == pytest.approx(0.3 + 10 * 0.01)
    assert spilled.totals.goodput == 30


def test_synthetic_traffic_follows_the_hourly_rate_and_bursts() -> None:
    hourly = np.array([600.0, 1200.0])  # 10/min, then 20/min; the run wraps around after 2 hours
    mean = expected_arrivals(hourly, days=3 / 24, step_s=10, bursts=(Burst(start_minute=30, minutes=10, multiplier=3.0),))
    per_minute = mean.reshape(-1, 6).sum(axis=1)
    assert per_minute[:30].tolist() == [10.0] * 30
    assert per_minute[30:40] == pytest.approx([30.0] * 10)  # burst ×3
    assert per_minute[60:120] == pytest.approx([20.0] * 60)
    assert per_minute[120:180] == pytest.approx([10.0] * 60)  # wraps to hour 0
    a = synthetic_arrivals(hourly, 3 / 24, 10, seed=5)
    b = synthetic_arrivals(hourly, 3 / 24, 10, seed=5)
    assert np.array_equal(a, b) and np.all(a == np.round(a))
    expected = 600 + 1200 + 600  # three hours, no bursts
    assert abs(a.sum() - expected) < 5 * math.sqrt(expected)


def test_deterministic_service_latency_worked_by_hand() -> None:
    # One slot, S = 1 s, λ = 0.5/s: ρ = 0.5, P_W = C(1, 0.5) = 0.5, m = (1 + 0)/2 · 1/(1 − 0.5) = 1 s.
    # p95 = S + m·ln(P_W / 0.05) = 1 + ln 10 = 3.3026 s.
    levels = minute_latency_levels(np.zeros(1), np.ones(1), 1, np.array([0.5]), np.array([1]),
                                   ServiceTimes(1000.0, "deterministic"), max_wait_s=100.0)
    assert levels[0, P95] == pytest.approx(1.0 + math.log(10.0), rel=0.01)
    # The wait limit caps it: at most 0.5 s of wait + 1 s of service.
    capped = minute_latency_levels(np.zeros(1), np.ones(1), 1, np.array([0.5]), np.array([1]),
                                   ServiceTimes(1000.0, "deterministic"), max_wait_s=0.5)
    assert capped[0, P95] == pytest.approx(1.5, rel=0.01)


@pytest.mark.parametrize(("rate", "slots", "cv"), [(3.0, 4, 1.0), (30.0, 40, 1.0), (0.5, 1, 1.0), (70.0, 80, 1.0),
                                                   (3.0, 4, 0.5), (30.0, 40, 0.5), (0.5, 1, 2.0)])
def test_latency_matches_the_planning_engines_queue_model(rate: float, slots: int, cv: float) -> None:
    service = ServiceTimes(1000.0) if cv == 1.0 else ServiceTimes(1000.0, "gamma", cv=cv)
    levels = minute_latency_levels(np.zeros(1), np.ones(1), 1, np.array([rate]), np.array([slots]), service,
                                   max_wait_s=1e6)
    p50, p95, p99 = response_time_percentiles(rate, 1.0, cv, slots)
    assert levels[0, LEVELS.index(0.5)] == pytest.approx(p50, rel=0.03)
    assert levels[0, P95] == pytest.approx(p95, rel=0.03)
    assert levels[0, LEVELS.index(0.99)] == pytest.approx(p99, rel=0.03)


def test_backlog_wait_adds_to_latency_and_share_within() -> None:
    # A steady 2 s backlog wait on top of deterministic 1 s service with no queueing: every request 3 s.
    levels = minute_latency_levels(np.full(6, 2.0), np.ones(6), 6, np.array([0.0]), np.array([10]),
                                   ServiceTimes(1000.0, "deterministic"), max_wait_s=100.0)
    assert levels[0] == pytest.approx([3.0] * len(LEVELS), rel=1e-3)
    assert share_within(levels, 2.9)[0] < 0.06
    assert share_within(levels, 3.1)[0] == 1.0
