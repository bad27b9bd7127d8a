"""Every request is served, queued or dropped; none is lost (online). Admitted or rejected (PTU)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.simulation.online import run_online
from app.engine.simulation.ptu import run_ptu
from app.engine.simulation.settings import (
    AutoscaleRule,
    FixedInstances,
    MonitorAutoscale,
    OnlineSystem,
    PtuSystem,
    ServiceTimes,
    TargetUtilization,
)

RULES = (AutoscaleRule("CpuUtilizationPercentage", "GreaterThan", 70, "Increase", 2),
         AutoscaleRule("CpuUtilizationPercentage", "LessThan", 30, "Decrease", 1))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 400.0), step=st.sampled_from([1, 10, 30, 60]),
       wait_ms=st.floats(1.0, 5000.0), service_ms=st.floats(5.0, 3000.0), concurrency=st.integers(1, 8),
       which=st.sampled_from(["monitor", "fe", "fixed"]))
def test_online_conservation(seed: int, scale: float, step: int, wait_ms: float, service_ms: float,
                             concurrency: int, which: str) -> None:
    rng = np.random.default_rng(seed)
    minutes = 30
    arrivals = rng.poisson(scale * rng.random(minutes * 60 // step)).astype(float)
    scaler = {"monitor": MonitorAutoscale(1, 6, 2, RULES), "fe": TargetUtilization(1, 6, 0.7),
              "fixed": FixedInstances(3)}[which]
    system = OnlineSystem(scaler=scaler, concurrency=concurrency, service=ServiceTimes(service_ms),
                          instance_hourly_cost=1.0, max_queue_wait_ms=wait_ms, provisioning_delay_s=60.0)
    trace = run_online(arrivals, step, system)
    assert np.all(trace.served >= 0) and np.all(trace.dropped >= 0) and np.all(trace.backlog >= 0)
    total_in = trace.arrivals.sum()
    total_out = trace.served.sum() + trace.dropped.sum() + trace.backlog[-1]
    assert abs(total_in - total_out) <= 1e-6 * max(1.0, total_in)
    # Per step: what came in plus what waited = what started + what was dropped + what still waits.
    before = np.concatenate([[0.0], trace.backlog[:-1]])
    np.testing.assert_allclose(trace.arrivals + before, trace.served + trace.dropped + trace.backlog, atol=1e-6)
    # Nobody starts service beyond the ready slots, nobody waits beyond the wait limit.
    slots = trace.ready * concurrency
    assert np.all(trace.served <= slots * step / (service_ms / 1000.0) + 1e-6)
    assert np.all(trace.backlog <= slots * (wait_ms / service_ms) + 1e-6)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 500.0), step=st.sampled_from([1, 10, 60]),
       ptu=st.integers(1, 50), unit=st.floats(0.0, 5000.0))
def test_ptu_conservation(seed: int, scale: float, step: int, ptu: int, unit: float) -> None:
    rng = np.random.default_rng(seed)
    arrivals = rng.poisson(scale, 20 * 60 // step).astype(float)
    system = PtuSystem(ptu=ptu, input_tpm_per_ptu=2500.0, weighted_tokens_per_request=unit, ptu_hourly_cost=1.0,
                       spillover=False, spill_cost_per_request=0.0)
    trace = run_ptu(arrivals, step, system)
    np.testing.assert_allclose(trace.admitted + trace.rejected, trace.arrivals, atol=1e-9)
    assert np.all(trace.admitted >= -1e-12) and np.all(trace.rejected >= -1e-9)
    assert np.all(trace.bucket_level <= ptu * 2500.0 + 1e-6)


def test_quiet_minute_fast_path_equals_the_step_by_step_recursion() -> None:
    # A fixed pool (fast path wherever possible) and an azureml-fe scaler pinned to the same count
    # (polls every step, so many minutes go step by step) must give the same queue.
    rng = np.random.default_rng(3)
    arrivals = rng.poisson(np.repeat(rng.uniform(0, 40, 60), 6)).astype(float)
    base = dict(concurrency=2, service=ServiceTimes(2000.0), instance_hourly_cost=1.0, max_queue_wait_ms=2000.0)
    fixed = run_online(arrivals, 10, OnlineSystem(scaler=FixedInstances(3), **base))  # type: ignore[arg-type]
    pinned = run_online(arrivals, 10, OnlineSystem(scaler=TargetUtilization(3, 3, 0.7), **base))  # type: ignore[arg-type]
    np.testing.assert_allclose(fixed.served, pinned.served)
    np.testing.assert_allclose(fixed.backlog, pinned.backlog)
    np.testing.assert_allclose(fixed.dropped, pinned.dropped)
    np.testing.assert_allclose(fixed.backlog_wait_s, pinned.backlog_wait_s)
    assert fixed.dropped.sum() > 0 and fixed.backlog.max() > 0  # the case exercises the queue


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), instances=st.integers(1, 6), extra=st.integers(1, 4))
def test_more_instances_never_drop_more_or_wait_longer(seed: int, instances: int, extra: int) -> None:
    rng = np.random.default_rng(seed)
    arrivals = rng.poisson(np.repeat(rng.uniform(0, 60, 40), 6)).astype(float)
    base = dict(concurrency=1, service=ServiceTimes(1000.0), instance_hourly_cost=1.0, max_queue_wait_ms=3000.0)
    few = run_online(arrivals, 10, OnlineSystem(scaler=FixedInstances(instances), **base))  # type: ignore[arg-type]
    more = run_online(arrivals, 10, OnlineSystem(scaler=FixedInstances(instances + extra), **base))  # type: ignore[arg-type]
    assert more.dropped.sum() <= few.dropped.sum() + 1e-9
    assert np.all(more.backlog_wait_s <= few.backlog_wait_s + 1e-9)
