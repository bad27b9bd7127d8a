"""The scenario YAML's `simulation` block: validated like the rest, with file, line and field."""

from __future__ import annotations

import pytest

from app.catalog.loader import load_price_book
from app.catalog.simulation_loader import plan_from_text, run_plan
from app.engine.prices import PriceBook
from app.engine.simulation.settings import FixedInstances, MonitorAutoscale, OnlineSystem, PtuSystem
from app.errors import InputError

BASE = """\
name: Sim test
workload:
  requests_per_month: 1000000
  traffic: {shape: business_hours, peak_to_average: 3.0}
  tokens: {prompt: 1000, completion: 200}
  service_time_ms: 50
  latency_slo_ms: 500
options:
  - {name: Online, kind: aml-online, sku: Standard_DS3_v2, autoscale: {min: 1, max: 5, target_utilization: 0.7}}
  - {name: PTU, kind: aoai-provisioned, model: gpt-4o, ptu: 15, spillover: true}
  - {name: Standard, kind: aoai-standard, model: gpt-4o}
"""


@pytest.fixture(scope="module")
def prices() -> PriceBook:
    return load_price_book()


def _error(text: str, prices: PriceBook) -> str:
    with pytest.raises(InputError) as info:
        plan_from_text(BASE + text, "sim.yaml", prices)
    return str(info.value)


def test_without_a_block_the_first_simulable_option_runs_with_the_doc_rules(prices: PriceBook) -> None:
    plan = plan_from_text(BASE, "sim.yaml", prices)
    assert plan.option_name == "Online" and plan.settings.days == 7 and plan.settings.step_s == 10
    system = plan.base
    assert isinstance(system, OnlineSystem) and isinstance(system.scaler, MonitorAutoscale)
    out, scale_in = system.scaler.rules
    assert (out.threshold, out.value, out.cooldown_minutes, scale_in.threshold) == (70.0, 2, 5, 30.0)
    assert system.instance_hourly_cost == prices.instance_hourly("Standard_DS3_v2")


def test_ptu_option_with_variants(prices: PriceBook) -> None:
    plan = plan_from_text(BASE + """\
simulation:
  option: PTU
  days: 1
  variants:
    - {name: 15 PTU with spillover}
    - {name: 15 PTU throttled, spillover: false}
    - {name: 30 PTU, ptu: 30}
""", "sim.yaml", prices)
    systems = [v.system for v in plan.variants]
    assert all(isinstance(s, PtuSystem) for s in systems)
    assert [(s.ptu, s.spillover) for s in systems] == [(15, True), (15, False), (30, True)]  # type: ignore[union-attr]
    # 1000·(1 − 0) + 3·200 = 1,600 weighted tokens per request (gpt-4o output weight 3).
    assert systems[0].weighted_tokens_per_request == 1600  # type: ignore[union-attr]
    comparison = run_plan(plan)
    assert [r.name for r in comparison.results] == ["15 PTU with spillover", "15 PTU throttled", "30 PTU"]
    spill, throttled, bigger = (r.totals for r in comparison.results)
    assert throttled.throttled == spill.spilled  # same traffic, same bucket: what spills in one is 429 in the other
    assert bigger.spilled <= spill.spilled


def test_errors_name_the_line_and_field(prices: PriceBook) -> None:
    message = _error("simulation:\n  step_seconds: 7\n", prices)
    assert "sim.yaml:13: simulation.step_seconds: must divide 60 evenly" in message
    message = _error("simulation:\n  scaler: {kind: azure-monitor, min: 1, max: 3, rules: [{metric: Cpu, operator: GreaterThan, "
                     "threshold: 70, direction: Increase}]}\n", prices)
    assert "sim.yaml:13: simulation.scaler.rules[0].metric: expected one of" in message
    message = _error("simulation:\n  option: Standard\n", prices)
    assert "sim.yaml:13: simulation.option: option 'Standard' is aoai-standard" in message
    message = _error("simulation:\n  option: Nope\n", prices)
    assert "no option named 'Nope'; simulable options: Online, PTU" in message
    message = _error("simulation:\n  variants:\n    - {name: a, ptu: 30}\n", prices)
    assert "sim.yaml:14: simulation.variants[0].ptu: does not apply to a aml-online option" in message
    message = _error("simulation:\n  option: PTU\n  variants:\n    - {name: a, ptu: 17}\n", prices)
    assert "simulation.variants[0].ptu: 17 PTU is not deployable for gpt-4o global: at least 15, in steps of 5" in message
    message = _error("simulation:\n  cooldown: 5\n", prices)
    assert "sim.yaml:13: simulation.cooldown: unknown key" in message
    message = _error("simulation:\n  replay: {recording: demo, endpoint: x}\n", prices)
    assert "simulation.replay: replaying a telemetry recording needs the telemetry module" in message
    message = _error("simulation:\n  variants:\n    - {name: a, min: 9}\n", prices)
    assert "simulation.variants[0]: minimum 9 exceeds maximum 5" in message
    message = _error("simulation:\n  bursts: [{at: '25:00', minutes: 10, multiplier: 2}]\n", prices)
    assert "simulation.bursts[0].at" in message


def test_fixed_instances_and_target_utilization_scalers(prices: PriceBook) -> None:
    plan = plan_from_text(BASE + "simulation:\n  scaler: {kind: fixed, instances: 4}\n  days: 0.5\n", "sim.yaml", prices)
    assert plan.base.scaler == FixedInstances(4)  # type: ignore[union-attr]
    plan = plan_from_text(BASE + "simulation:\n  days: 0.5\n  scaler: {kind: target-utilization, min: 1, max: 4, "
                          "target_utilization_percentage: 60}\n", "sim.yaml", prices)
    result = run_plan(plan).results[0]
    assert result.totals.peak_instances <= 4 and result.minutes == 720
