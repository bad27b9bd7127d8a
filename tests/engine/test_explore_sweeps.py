"""Sweeps for the Explore page: break-even, prompt cache, PTU count, instances, sensitivity.

Hand-computed figures use pricing/ (gpt-4o global: input 2.50, cached 1.25, output 10.00 per 1M;
PTU monthly 260 each, minimum 15, increment 5, 2,500 input TPM per PTU; DS3_v2 0.229 per hour).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.catalog.loader import load_price_book, load_scenario
from app.engine.comparison import evaluate
from app.engine.errors import ModelInputError
from app.engine.explore import break_even, cache_sweep, log_grid
from app.engine.kinds.aml_online import AmlOnlineSpec, Autoscale
from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
from app.engine.kinds.aoai_standard import AoaiStandardSpec
from app.engine.scenario import Scenario
from app.engine.sensitivity import sensitivity
from app.engine.sizing_sweeps import instance_sweep, ptu_sweep
from app.engine.workload import Traffic, Workload


@pytest.fixture(scope="module")
def prices():
    return load_price_book()


def _standard_vs_ptu() -> Scenario:
    workload = Workload(requests_per_month=1_000_000, prompt_tokens=1000, completion_tokens=0)
    return Scenario(name="flat", workload=workload, options=(
        AoaiStandardSpec(name="Standard", model="gpt-4o"),
        AoaiProvisionedSpec(name="PTU", model="gpt-4o", ptu=15, billing="monthly"),
    ))


def test_log_grid_ends_and_spacing():
    grid = log_grid(1e4, 1e9, 6)
    assert grid[0] == pytest.approx(1e4) and grid[-1] == pytest.approx(1e9)
    assert grid[1] == pytest.approx(1e5)
    with pytest.raises(ModelInputError):
        log_grid(0, 10, 5)


def test_break_even_volume_by_hand(prices):
    # Standard: N · 1000 tokens · 2.50 / 1M = 0.0025 N per month. PTU: 15 · 260 = 3,900 per month.
    # Equal at N = 3,900 / 0.0025 = 1,560,000 requests/month (PTU demand there: 1.56M/730/60 rpm ·
    # 1000 / 2500 = 14.2 PTU, within the 15 deployed).
    sweep = break_even(_standard_vs_ptu(), prices)
    assert len(sweep.x) == 41 and sweep.x[0] == pytest.approx(1e4) and sweep.x[-1] == pytest.approx(1e9)
    standard = sweep.option("Standard")
    assert standard.monthly_cost[0] == pytest.approx(1e4 * 0.0025)
    assert sweep.option("PTU").monthly_cost[0] == pytest.approx(3900.0)
    first = sweep.crossovers[0]
    assert (first.below, first.above) == ("Standard", "PTU")
    assert first.x == pytest.approx(1_560_000, rel=1e-3)
    assert first.monthly_cost == pytest.approx(3900.0, rel=1e-3)
    # Above 15 PTU of demand the fixed PTU throttles (fails a constraint), so the recommendation
    # returns to Standard where rpm · 1000 / 2500 = 15: rpm = 37.5, N = 37.5 · 60 · 730 = 1,642,500.
    second = sweep.crossovers[1]
    assert (second.below, second.above) == ("PTU", "Standard")
    assert second.x == pytest.approx(1_642_500, rel=1e-3)
    assert sweep.current_x == 1_000_000


def test_break_even_marks_no_crossover_when_one_option_is_always_cheapest(prices):
    scenario = replace(_standard_vs_ptu(), options=(AoaiStandardSpec(name="Standard", model="gpt-4o"),))
    assert break_even(scenario, prices).crossovers == ()


def test_cache_sweep_by_hand(prices):
    # 1M requests · 2000 prompt tokens: at hit rate h the Standard cost is 2e9·((1−h)·2.50 + h·1.25)/1e6.
    scenario = _standard_vs_ptu()
    scenario = replace(scenario, workload=replace(scenario.workload, prompt_tokens=2000))
    sweep = cache_sweep(scenario, prices)
    assert sweep.x[0] == 0.0 and sweep.x[-1] == pytest.approx(0.95) and len(sweep.x) == 20
    costs = sweep.option("Standard").monthly_cost
    assert costs[0] == pytest.approx(5000.0)
    assert costs[10] == pytest.approx(2000 * (0.5 * 2.5 + 0.5 * 1.25))  # 3,750
    assert sweep.option("PTU").monthly_cost[10] == pytest.approx(3900.0)


def test_cache_sweep_is_flat_for_prompts_under_1024_tokens(prices):
    # 1000-token prompts are never cached (Learn: prompt caching starts at 1,024 tokens): every point
    # bills 1e9 · 2.50 / 1e6 = 2,500 on Standard, whatever the stated hit rate.
    sweep = cache_sweep(_standard_vs_ptu(), prices)
    assert sweep.option("Standard").monthly_cost == pytest.approx((2500.0,) * 20)
    noted = evaluate(replace(_standard_vs_ptu(), workload=replace(_standard_vs_ptu().workload,
                                                                  prompt_cache_hit_rate=0.5)), prices)
    assert noted.option("Standard").monthly_cost == pytest.approx(2500.0)
    assert "below the 1,024-token minimum" in noted.notes[0]


def test_ptu_sweep_marks_the_engines_optimum(prices):
    library = load_scenario("rag-knowledge-base", prices)
    sweep = ptu_sweep(library.scenario, prices, "PTU monthly + spillover")
    totals = {p.ptu: p.monthly_cost for p in sweep.points}
    assert min(totals.values()) == pytest.approx(sweep.optimum.monthly_cost)
    expected = evaluate(library.scenario, prices).option("PTU monthly + spillover")
    assert sweep.optimum.ptu == expected.capacity["ptu"]
    assert sweep.optimum.monthly_cost == pytest.approx(expected.monthly_cost)
    assert all(p.ptu % 5 == 0 and p.ptu >= 15 for p in sweep.points)
    assert sweep.points[0].ptu == 15
    # More PTU never spills more.
    shares = [p.spillover_share for p in sweep.points]
    assert shares == sorted(shares, reverse=True)
    standard = evaluate(library.scenario, prices).option("Global Standard").monthly_cost
    assert sweep.standard_only_cost == pytest.approx(standard)


def test_ptu_sweep_rejects_a_compute_option(prices):
    library = load_scenario("onnx-cpu-vs-gpu", prices)
    with pytest.raises(ModelInputError, match="not an Azure OpenAI"):
        ptu_sweep(library.scenario, prices, library.scenario.options[0].name)


def test_instance_sweep_by_hand(prices):
    # Flat 3,600 requests/hour = 1 request/s, 1 s each, concurrency 1 on DS3_v2 (0.229/h, 730 h):
    # 1 instance is unstable (utilization 100%); 2 instances cost 2 · 0.229 · 730 = 334.34.
    workload = Workload(requests_per_month=3600 * 730, service_time_ms=1000, latency_slo_ms=4000)
    scenario = Scenario(name="q", workload=workload, options=(
        AmlOnlineSpec(name="online", sku="Standard_DS3_v2", autoscale=Autoscale(1, 4, 0.7)),))
    sweep = instance_sweep(scenario, prices, "online")
    first = sweep.points[0]
    assert first.instances == 1 and first.p95_ms is None and first.utilization_peak == pytest.approx(1.0)
    two = next(p for p in sweep.points if p.instances == 2)
    assert two.monthly_cost == pytest.approx(2 * 0.229 * 730)
    assert two.utilization_peak == pytest.approx(0.5)
    assert sweep.points[-1].instances >= 8  # twice the autoscale max
    p95 = [p.p95_ms for p in sweep.points if p.p95_ms is not None]
    assert p95 == sorted(p95, reverse=True)  # more instances never raise latency
    assert sweep.fewest_meeting_slo is not None
    met = next(p for p in sweep.points if p.instances == sweep.fewest_meeting_slo)
    assert met.p95_ms <= 4000
    before = [p for p in sweep.points if p.instances < sweep.fewest_meeting_slo]
    assert all(p.p95_ms is None or p.p95_ms > 4000 for p in before)


def test_sensitivity_by_hand(prices):
    # Standard cost = N · P · 2.50 / 1M: linear in N and P, so ±20% moves it ±20% exactly;
    # completion tokens are 0 (no bar width); the cache hit rate is 0 (stays 0).
    scenario = replace(_standard_vs_ptu(), options=(AoaiStandardSpec(name="Standard", model="gpt-4o"),))
    result = sensitivity(scenario, prices, "Standard")
    assert result.base_cost == pytest.approx(2500.0)
    bars = {b.input_name: b for b in result.bars}
    assert bars["requests_per_month"].cost_at_low == pytest.approx(2000.0)
    assert bars["requests_per_month"].cost_at_high == pytest.approx(3000.0)
    assert bars["prompt_tokens"].swing == pytest.approx(1000.0)
    assert bars["completion_tokens"].swing == 0.0
    assert "peak_to_average" not in bars  # flat traffic has no peak to vary
    assert "service_time_ms" not in bars  # unset
    assert [b.swing for b in result.bars] == sorted((b.swing for b in result.bars), reverse=True)


def test_sensitivity_keeps_shares_in_range(prices):
    workload = Workload(requests_per_month=1e6, traffic=Traffic("business_hours", 3.0), prompt_tokens=1000,
                        completion_tokens=100, prompt_cache_hit_rate=0.9)
    scenario = Scenario(name="s", workload=workload, options=(AoaiStandardSpec(name="Standard", model="gpt-4o"),))
    bars = {b.input_name: b for b in sensitivity(scenario, prices, "Standard").bars}
    assert bars["prompt_cache_hit_rate"].high_value == 1.0
    assert bars["peak_to_average"].low_value == pytest.approx(2.4)


def test_savings_against_alternatives_by_hand(prices):
    # RAG scenario (SPEC §2.2 figures): Global Standard 7,437.50 fails the EU data-zone requirement, so
    # Data Zone Standard (10% dearer, 8,181.25) is recommended: against Global Standard it "saves"
    # 7,437.50 − 8,181.25 = −743.75 (share −743.75 / 7,437.50 = −0.1).
    from app.engine.explore import savings_against_alternatives

    evaluation = evaluate(load_scenario("rag-knowledge-base", prices).scenario, prices)
    assert evaluation.recommended == "Data Zone Standard"
    savings = {s.option: s for s in savings_against_alternatives(evaluation)}
    assert "Data Zone Standard" not in savings
    assert savings["Global Standard"].monthly_saving == pytest.approx(-743.75)
    assert savings["Global Standard"].share == pytest.approx(-0.1)


def test_break_even_says_where_no_option_is_feasible(prices):
    # RAG: only Data Zone Standard passes residency and latency; its tier-1 quota of 300,000 TPM holds
    # N / 730 · 3 / 60 · 2,000 tokens ≤ 300,000, i.e. N ≤ 2,190,000. The first grid point above is
    # 10^(4 + 19 · 5 / 40) = 10^6.375 = 2,371,374.
    sweep = break_even(load_scenario("rag-knowledge-base", prices).scenario, prices)
    assert not sweep.crossovers
    assert sweep.notes == ("From about 2,371,374 requests/month, no option is feasible: each fails a constraint "
                           "(see the Studio at that volume)",)
