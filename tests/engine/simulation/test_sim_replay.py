"""Replay through plain arrays: a recording made by the simulator itself is reproduced exactly."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.errors import ModelInputError
from app.engine.simulation.replay import ReplaySeries, replay_fit
from app.engine.simulation.run import simulate
from app.engine.simulation.settings import (
    AutoscaleRule,
    MonitorAutoscale,
    OnlineSystem,
    RunSettings,
    ServiceTimes,
    Variant,
)

RULES = (AutoscaleRule("RequestsPerMinute", "GreaterThan", 45, "Increase", 1, time_window_minutes=1,
                       cooldown_minutes=1, divide_per_instance=True),
         AutoscaleRule("RequestsPerMinute", "LessThan", 45, "Decrease", 1, time_window_minutes=1,
                       cooldown_minutes=1, divide_per_instance=True))
SYSTEM = OnlineSystem(MonitorAutoscale(2, 8, 2, RULES), 1, ServiceTimes(28.0), 1.0, provisioning_delay_s=0)


def _synthetic_recording() -> ReplaySeries:
    minutes = 3 * 1440
    t = np.arange(minutes)
    rpm = np.round(90 * (0.3 + np.exp(-0.5 * (((t / 60) % 24 - 14) / 3.2) ** 2)) * 1.5)
    truth = simulate(Variant("truth", SYSTEM), rpm, RunSettings(days=3, step_s=60, latency_slo_ms=200))
    return ReplaySeries(source="synthetic", start="2026-10-05T00:00:00+00:00", requests_per_minute=rpm,
                        deployment_capacity=truth.series["instances"].copy(),
                        latency_ms=truth.series["latency_p95_ms"].copy())


def test_replaying_a_recording_made_by_the_same_rules_fits_exactly() -> None:
    recording = _synthetic_recording()
    settings = RunSettings(days=recording.days, step_s=10, latency_slo_ms=200)
    result = simulate(Variant("replay", SYSTEM), recording.arrivals(10), settings)
    fit = replay_fit(result, recording)
    assert fit.capacity_minutes == 3 * 1440
    assert fit.capacity_exact_share == 1.0 and fit.capacity_max_abs_error == 0.0
    assert fit.latency_median_abs_pct_error is not None and fit.latency_median_abs_pct_error < 0.02
    # The rule set is the ceiling rule n = ceil(rpm / 45) clamped to [2, 8], one minute late.
    expected = np.clip(np.ceil(recording.requests_per_minute / 45 - 1e-9), 2, 8)
    lagged = np.concatenate([[2], expected[:-1]])
    assert np.mean(result.series["instances"] == lagged) > 0.97


def test_different_settings_fit_worse() -> None:
    recording = _synthetic_recording()
    slow = OnlineSystem(MonitorAutoscale(2, 8, 2, tuple(r.__class__(**{**r.__dict__, "cooldown_minutes": 180})
                                                        for r in RULES)), 1, ServiceTimes(28.0), 1.0)
    result = simulate(Variant("slow", slow), recording.arrivals(60), RunSettings(days=3, step_s=60))
    fit = replay_fit(result, recording)
    assert fit.capacity_exact_share is not None and fit.capacity_exact_share < 0.95
    assert fit.capacity_mean_abs_error is not None and fit.capacity_mean_abs_error > 0.05


def test_replay_series_must_cover_the_same_minutes() -> None:
    with pytest.raises(ModelInputError, match="must cover the same minutes"):
        ReplaySeries("x", "2026-10-05T00:00:00Z", np.ones(10), deployment_capacity=np.ones(9))
    with pytest.raises(ModelInputError, match="non-negative"):
        ReplaySeries("x", "2026-10-05T00:00:00Z", np.array([1.0, -1.0])).arrivals(60)
