"""The Azure OpenAI latency model: hand arithmetic, and the curated figures against their sources."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from app.engine.aoai_latency import (
    LatencyBasis,
    LatencyOverride,
    above_usage_tier,
    basis_for,
    response_latency,
    under_load,
)
from app.engine.comparison import evaluate
from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
from app.engine.kinds.aoai_standard import AoaiStandardSpec
from app.engine.scenario import Scenario
from app.engine.workload import Traffic, Workload

Z95 = NormalDist().inv_cdf(0.95)  # 1.6449
Z99 = NormalDist().inv_cdf(0.99)  # 2.3263
STANDARD = LatencyBasis(ttft_ms=770, tokens_per_second=115, ttft_sigma=0.5, speed_sigma=0.25)


def test_percentiles_by_hand():
    # p50: 770 + 500 / 115 s = 770 + 4,347.83 = 5,117.83 ms
    # p95: T = 770 · e^(0.5 · 1.6449) = 1,752.53; V = 115 · e^(−0.25 · 1.6449) = 76.227 tokens/s;
    #      500 / 76.227 s = 6,559.34 ms; R = 8,311.87 ms
    latency = response_latency([(1.0, STANDARD)], 500)
    assert latency.end_to_end.p50 == pytest.approx(5117.83, abs=0.01)
    assert latency.ttft.p50 == pytest.approx(770.0)
    assert latency.ttft.p95 == pytest.approx(770 * math.exp(0.5 * Z95), rel=1e-9)
    assert latency.ttft.p95 == pytest.approx(1752.5, abs=0.1)
    assert latency.end_to_end.p95 == pytest.approx(8311.87, abs=0.01)
    assert latency.end_to_end.p99 == pytest.approx(770 * math.exp(0.5 * Z99) + 500_000 / (115 * math.exp(-0.25 * Z99)))


def test_no_completion_tokens_is_the_time_to_first_token():
    latency = response_latency([(1.0, STANDARD)], 0)
    assert latency.end_to_end == latency.ttft


def test_floor_caps_the_slow_tail():
    # PTU target 25 tokens/s: at p99 the unfloored speed would be 115 · e^(−0.15 · 2.326) = 81.0, above
    # the floor; with a 100 tokens/s median and σ_V = 1 the p99 speed 100 · e^(−2.326) = 9.8 is floored to 25.
    wide = LatencyBasis(ttft_ms=1000, tokens_per_second=100, ttft_sigma=0.0, speed_sigma=1.0,
                        floor_tokens_per_second=25)
    latency = response_latency([(1.0, wide)], 500)
    assert latency.end_to_end.p99 == pytest.approx(1000 + 500 / 25 * 1000)  # 21,000 ms
    assert latency.end_to_end.p50 == pytest.approx(1000 + 500 / 100 * 1000)  # 6,000 ms


def test_under_load_by_hand():
    # knee 0.7, u = 0.85: ramp (0.85 − 0.7) / 0.3 = 0.5; V50 = 115 − (115 − 25) · 0.5 = 70 tokens/s;
    # T50 = 770 · 115 / 70 = 1,265 ms. At u = 1 the median speed is the target, 25 tokens/s.
    ptu = LatencyBasis(770, 115, 0.3, 0.15, floor_tokens_per_second=25)
    assert under_load(ptu, 0.5, 0.7) == ptu
    half = under_load(ptu, 0.85, 0.7)
    assert half.tokens_per_second == pytest.approx(70.0)
    assert half.ttft_ms == pytest.approx(1265.0)
    full = under_load(ptu, 1.0, 0.7)
    assert full.tokens_per_second == pytest.approx(25.0)
    assert response_latency([(1.0, full)], 500).end_to_end.p95 == pytest.approx(
        770 * 115 / 25 * math.exp(0.3 * Z95) + 20_000)


def test_above_usage_tier_doubles_every_percentile():
    # Learn: above the usage tier latency "may be more than two times higher": T·2 and V/2 double R exactly.
    within = response_latency([(1.0, STANDARD)], 300)
    above = response_latency([(1.0, above_usage_tier(STANDARD, 2.0))], 300)
    for a, b in ((within.end_to_end, above.end_to_end), (within.ttft, above.ttft)):
        assert (b.p50, b.p95, b.p99) == pytest.approx((2 * a.p50, 2 * a.p95, 2 * a.p99))


def test_mixture_percentile_sits_where_the_mixed_cdf_reaches_q():
    fast = LatencyBasis(500, 200, 0.3, 0.1)
    slow = LatencyBasis(2000, 40, 0.3, 0.1)
    mixed = response_latency([(0.8, fast), (0.2, slow)], 400)
    # the p50 is among the fast requests; the p95 among the slow ones
    assert mixed.end_to_end.p50 < response_latency([(1.0, slow)], 400).end_to_end.p50
    assert mixed.end_to_end.p95 > response_latency([(1.0, fast)], 400).end_to_end.p99
    # at the mixture's p95, 80% · F_fast + 20% · F_slow = 0.95 (F_fast ≈ 1, so F_slow ≈ 0.75)
    r = mixed.end_to_end.p95
    cdf = 0.8 * NormalDist().cdf(_z_at(fast, r, 400)) + 0.2 * NormalDist().cdf(_z_at(slow, r, 400))
    assert cdf == pytest.approx(0.95, abs=1e-4)


def _z_at(basis: LatencyBasis, value: float, completion: float) -> float:
    lo, hi = -12.0, 12.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if basis.at(mid, completion)[0] < value:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def test_one_part_and_two_identical_parts_agree():
    # one part is exact; a mixture is read off a grid of 1,601 scores (z from −8 to 8): within 1e-4
    one = response_latency([(1.0, STANDARD)], 250)
    two = response_latency([(0.3, STANDARD), (0.7, STANDARD)], 250)
    assert (two.end_to_end.p95, two.ttft.p99) == pytest.approx((one.end_to_end.p95, one.ttft.p99), rel=1e-4)


# --- the curated sheet against its sources -------------------------------------------------------------

def test_sheet_medians_are_the_published_measurements(bundled_prices):
    facts = bundled_prices.service
    assert facts is not None
    published = {  # Artificial Analysis provider pages, Microsoft Azure endpoint: (TTFT s, tokens/s)
        "gpt-4o": (0.77, 115), "gpt-4.1-mini": (1.14, 107.9), "gpt-5": (1.70, 155), "o3": (37.70, 82.6),
    }
    for model, (ttft_s, speed) in published.items():
        median = facts.model_latency(model).median
        assert median is not None
        assert (median.ttft_ms, median.tokens_per_second) == pytest.approx((ttft_s * 1000, speed))
        assert "artificialanalysis.ai" in median.provenance.source


def test_sheet_targets_are_learns_latency_targets(bundled_prices):
    facts = bundled_prices.service
    # Learn, provisioned throughput onboarding: "99% > N Tokens Per Second"
    ptu = {"gpt-4o": 25, "gpt-4o-mini": 33, "gpt-4.1": 80, "gpt-4.1-mini": 90, "gpt-4.1-nano": 100, "o3": 80,
           "o4-mini": 90, "gpt-5": 50, "gpt-5-mini": 80, "gpt-5.1": 50, "gpt-5.2": 50, "gpt-5.4": 50, "gpt-5.5": 100}
    # Learn, priority processing: "99% > N TPS"
    priority = {"gpt-4.1": 80, "gpt-5.1": 50, "gpt-5.2": 50, "gpt-5.4": 50, "gpt-5.4-mini": 100, "gpt-5.5": 50,
                "gpt-5.6-sol": 80, "gpt-5.6-terra": 70}
    for model, target in ptu.items():
        found = facts.model_latency(model).provisioned_target
        assert found is not None and found.tokens_per_second == target, model
        assert "Learn" in found.provenance.source
    for model, target in priority.items():
        found = facts.model_latency(model).priority_target
        assert found is not None and found.tokens_per_second == target, model


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-5", "o3"])
def test_provisioned_p99_speed_never_falls_below_the_target(bundled_prices, model):
    # "99% > N tokens per second": at any utilization the 99th-percentile request is at least that fast.
    facts = bundled_prices.service
    target = facts.model_latency(model).provisioned_target.tokens_per_second
    basis = basis_for(facts, model, "global", "provisioned")
    for utilization in (0.0, 0.5, 0.8, 0.95, 1.0):
        loaded = under_load(basis, utilization, facts.provisioned_knee_utilization)
        ttft99 = loaded.at(Z99, 0)[1]
        e2e99 = loaded.at(Z99, 1000)[0]
        speed99 = 1000 * 1000 / (e2e99 - ttft99)
        assert speed99 >= target * (1 - 1e-9)


def test_standard_p50_reproduces_the_benchmarks_end_to_end_time(bundled_prices):
    # Artificial Analysis' "end-to-end response time" for 500 tokens is TTFT + 500 / output speed:
    # gpt-4.1-mini on Azure: 1.14 s + 500 / 107.9 s = 5.774 s.
    basis = basis_for(bundled_prices.service, "gpt-4.1-mini", "global", "standard")
    assert response_latency([(1.0, basis)], 500).end_to_end.p50 == pytest.approx(1140 + 500 / 107.9 * 1000)


def test_override_replaces_the_medians_but_keeps_the_target(bundled_prices):
    basis = basis_for(bundled_prices.service, "gpt-4o", "global", "provisioned", LatencyOverride(400, 60))
    assert (basis.ttft_ms, basis.tokens_per_second, basis.floor_tokens_per_second) == (400, 60, 25)
    assert basis.sources[0] == "medians from the option's latency override"


def test_models_without_figures(bundled_prices):
    # No public latency figure: embeddings (no tokens out), and o4-mini / gpt-5-nano (no measurement found).
    facts = bundled_prices.service
    missing = sorted(m for m in bundled_prices.openai.models if facts.model_latency(m).median is None)
    assert missing == ["gpt-5-nano", "o4-mini", "text-embedding-3-large", "text-embedding-3-small"]


def test_rag_standard_vs_ptu_at_the_busiest_hour(bundled_prices):
    # Standard: 5,117.83 / 8,311.87 ms p50/p95 (test_percentiles_by_hand). PTU with spillover at the cost
    # optimum: 15 PTU run at 100% at the busiest hour, so PTU requests generate at the 25 tokens/s target
    # and 72% of that hour's requests spill over to Standard.
    w = Workload(requests_per_month=1_000_000, traffic=Traffic("business_hours", 3.0), prompt_tokens=1500,
                 completion_tokens=500, prompt_cache_hit_rate=0.7, latency_slo_ms=10_000, ttft_slo_ms=2000)
    options = (AoaiStandardSpec("Standard", "gpt-4o", "data-zone"),
               AoaiProvisionedSpec("PTU", "gpt-4o", "data-zone", billing="monthly", spillover=True),
               AoaiProvisionedSpec("PTU peak", "gpt-4o", "data-zone", billing="monthly"))
    result = evaluate(Scenario("rag", w, options), bundled_prices)
    standard, spill, peak = result.options
    assert standard.latency_ms.p95 == pytest.approx(8311.87, abs=0.01)
    assert standard.meets_slo is True
    assert spill.capacity["ptu"] == 15
    assert spill.meets_slo is False
    assert {f.constraint for f in spill.constraints_failed} == {"latency SLO", "time to first token"}
    # 55 PTU for a peak demand of 68.49 rpm · 1,950 / 2,500 = 53.42 PTU: u = 0.971, ramp 0.904,
    # V50 = 115 − 90 · 0.904 = 33.6 tokens/s, T50 = 770 · 115 / 33.6 = 2,634 ms
    demand_peak = 1_000_000 / 730 * 3 / 60 * (1500 * 0.3 + 3 * 500) / 2500
    u = demand_peak / 55
    speed = 115 - 90 * (u - 0.7) / 0.3
    assert peak.capacity["ptu"] == 55
    assert peak.latency_ms.p50 == pytest.approx(770 * 115 / speed + 500 / speed * 1000, rel=1e-6)


def test_a_month_above_the_usage_tier_doubles_standard_latency(bundled_prices):
    # gpt-4o's usage tier is 12 B tokens a month; 10M requests × 2,000 tokens = 20 B: above it.
    # p50 = 2 · (770 + 500 / 115 s) = 10,235.7 ms (the same workload at 1M requests: 5,117.8 ms).
    above = Workload(requests_per_month=10_000_000, prompt_tokens=1500, completion_tokens=500, latency_slo_ms=60_000)
    within = Workload(**{**above.__dict__, "requests_per_month": 1_000_000})
    spec = (AoaiStandardSpec("std", "gpt-4o", "data-zone", tpm_quota=10**9),)
    hot = evaluate(Scenario("t", above, spec), bundled_prices).options[0]
    calm = evaluate(Scenario("t", within, spec), bundled_prices).options[0]
    assert calm.latency_ms.p50 == pytest.approx(770 + 500 / 115 * 1000)
    assert hot.latency_ms.p50 == pytest.approx(2 * (770 + 500 / 115 * 1000))
    assert any("usage tier" in w and "doubles" in w for w in hot.warnings)
