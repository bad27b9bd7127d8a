"""The replay check on the embedded demo recording, through the real telemetry replay path."""

from __future__ import annotations

import pytest

from app.catalog.loader import load_price_book
from app.catalog.simulation_loader import load_simulation, run_plan
from app.engine.simulation.replay import replay_fit
from app.telemetry.simulation_replay import replay_provider


@pytest.mark.slow
def test_demo_recording_replay_reproduces_recorded_capacity() -> None:
    plan = load_simulation("replay-demo-ticket-classifier", load_price_book(), replay_provider)
    assert plan.replay is not None and plan.replay.source.startswith("demo recording: ticket-classifier/blue")
    assert len(plan.replay.requests_per_minute) == 14 * 1440
    result = run_plan(plan).results[0]
    fit = replay_fit(result, plan.replay)
    # The demo sets instances = clamp(ceil(RPM / 45), 2, 8) per 5-minute point; the Azure Monitor rules of
    # the scenario reach the same count one evaluation (one minute) later.
    assert fit.capacity_exact_share is not None and fit.capacity_exact_share > 0.95
    assert fit.capacity_mean_abs_error is not None and fit.capacity_mean_abs_error < 0.1
    assert fit.latency_median_abs_pct_error is not None and fit.latency_median_abs_pct_error < 0.3
