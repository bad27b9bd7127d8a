"""Speed of the time-series simulation (make bench): 10-second steps, one variant per round.

Target (issue 6): 30 days at 10-second steps (259,200 steps) with queueing in at most 1 s per
variant (median); 1, 10 and 30 days show that the time grows linearly. Traffic is the
monday-morning-autoscale library scenario (a business-hours step every weekday morning, a burst,
and a slow autoscale rule, so the queue builds and drops requests every Monday morning).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.catalog.loader import load_price_book
from app.catalog.simulation_loader import load_simulation, with_settings
from app.engine.simulation.run import simulate, synthetic_traffic
from app.engine.simulation.settings import OnlineSystem, TargetUtilization
from app.engine.simulation.variants import Overrides, apply_overrides

STEP_S = 10


def _plan(days: float) -> Any:
    plan = load_simulation("monday-morning-autoscale", load_price_book())
    return with_settings(plan, days=days, step_s=STEP_S)


@pytest.mark.parametrize("days", [1, 10, 30])
def test_azure_monitor_autoscale_with_queue(benchmark: Any, days: int) -> None:
    plan = _plan(days)
    arrivals, _ = synthetic_traffic(plan.requests_per_hour, plan.settings)
    variant = plan.variants[0]
    simulate(variant, arrivals[: 360 * 24], with_settings(plan, days=1).settings)  # warm the latency tables
    result = benchmark.pedantic(simulate, args=(variant, arrivals, plan.settings), rounds=5, iterations=1)
    assert len(arrivals) == days * 8640
    assert result.totals.dropped > 0  # the queue overflows on Monday mornings


@pytest.mark.parametrize("days", [1, 10, 30])
def test_azureml_fe_target_utilization_with_queue(benchmark: Any, days: int) -> None:
    plan = _plan(days)
    arrivals, _ = synthetic_traffic(plan.requests_per_hour, plan.settings)
    base = plan.variants[0]
    assert isinstance(base.system, OnlineSystem)
    system = apply_overrides(base.system, Overrides(scaler=TargetUtilization(2, 30, 0.7, polling_interval_s=1.0),
                                                    provisioning_delay_s=60.0))
    variant = type(base)("azureml-fe", system)
    simulate(variant, arrivals[: 360 * 24], with_settings(plan, days=1).settings)
    result = benchmark.pedantic(simulate, args=(variant, arrivals, plan.settings), rounds=5, iterations=1)
    assert result.totals.requests > 0


def test_traffic_30_days(benchmark: Any) -> None:
    plan = _plan(30)
    arrivals, _ = benchmark.pedantic(synthetic_traffic, args=(plan.requests_per_hour, plan.settings), rounds=5,
                                     iterations=1)
    assert len(arrivals) == 259_200
