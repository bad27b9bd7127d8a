"""Feasibility as a constraint: quotas, data residency, stability, batch eligibility, jobs that fit,
the prompt-cache minimum, and the five cases of issue 13. Hand arithmetic in the comments."""

from __future__ import annotations

import pytest

from app.engine.comparison import evaluate, no_recommendation_reasons
from app.engine.kinds.aml_batch import AmlBatchSpec
from app.engine.kinds.aml_online import AmlOnlineSpec
from app.engine.kinds.aoai_batch import AoaiBatchSpec
from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
from app.engine.kinds.aoai_standard import AoaiStandardSpec
from app.engine.residency import residency_failure
from app.engine.scenario import Scenario
from app.engine.workload import Traffic, Workload

RAG = Workload(requests_per_month=1_000_000, traffic=Traffic("business_hours", 3.0), prompt_tokens=1500,
               completion_tokens=500, prompt_cache_hit_rate=0.7)


def _one(prices, workload, spec):
    return evaluate(Scenario("t", workload, (spec,)), prices).options[0]


# --- quotas --------------------------------------------------------------------------------------------

def test_standard_quota_by_hand(bundled_prices):
    # busiest hour: 1,000,000 / 730 · 3 = 4,109.6 requests/h = 68.49 requests/min; × 2,000 tokens = 136,986 TPM.
    # gpt-4o Data Zone Standard, quota tier 1: 300,000 TPM and 300 requests per 10 s (1,800 RPM): fits.
    r = _one(bundled_prices, RAG, AoaiStandardSpec("dz", "gpt-4o", "data-zone"))
    assert r.capacity["tokens_per_minute_peak"] == pytest.approx(1_000_000 / 730 * 3 / 60 * 2000)
    assert r.capacity["quota_tokens_per_minute"] == 300_000
    assert not r.constraints_failed
    # a granted quota of 100,000 TPM is too small: HTTP 429, with the numbers in the message
    small = _one(bundled_prices, RAG, AoaiStandardSpec("dz", "gpt-4o", "data-zone", tpm_quota=100_000))
    assert [f.constraint for f in small.constraints_failed] == ["quota"]
    message = small.constraints_failed[0].message
    assert "HTTP 429" in message and "68.5 requests/min × 2,000 tokens = 136,986 tokens/min" in message
    assert "100,000 TPM" in message


def test_standard_quota_tier_and_rpm(bundled_prices):
    # gpt-4.1 Global Standard tier 1: 1,000,000 TPM, 1,000 RPM. 30M requests flat over 730 h:
    # 41,096 requests/h = 684.9 RPM × 1,100 tokens = 753,425 TPM: fits at tier 1.
    w = Workload(requests_per_month=30_000_000, prompt_tokens=1000, completion_tokens=100)
    assert not _one(bundled_prices, w, AoaiStandardSpec("g", "gpt-4.1")).constraints_failed
    # 60M requests: 1,369.9 RPM > 1,000 RPM (and 1,506,849 TPM > 1,000,000): fails at tier 1, fits at tier 2
    # (3,000,000 TPM, 3,000 RPM).
    big = Workload(requests_per_month=60_000_000, prompt_tokens=1000, completion_tokens=100)
    assert _one(bundled_prices, big, AoaiStandardSpec("g", "gpt-4.1")).constraints_failed[0].constraint == "quota"
    assert not _one(bundled_prices, big, AoaiStandardSpec("g", "gpt-4.1", quota_tier=2)).constraints_failed
    # Only the request rate over: 2,000-token... 1,400 RPM of 10-token requests = 15,342 TPM, far under the TPM
    # quota, but over 1,000 RPM.
    chatty = Workload(requests_per_month=61_320_000, prompt_tokens=5, completion_tokens=5)
    failed = _one(bundled_prices, chatty, AoaiStandardSpec("g", "gpt-4.1")).constraints_failed
    assert failed and "1,400 requests/min" in failed[0].message


def test_granted_quota_keeps_the_tiers_request_ratio(bundled_prices):
    # gpt-4o Data Zone: 1,800 RPM per 300,000 TPM (0.006). A granted 1,000,000 TPM allows 6,000 RPM.
    # 200 tokens per request at 8,000 RPM is 1.6M TPM (over) ; at 5,000 RPM 1.0M TPM, 5,000 RPM: fits.
    fits = Workload(requests_per_month=5000 * 60 * 730, prompt_tokens=150, completion_tokens=50)
    assert not _one(bundled_prices, fits, AoaiStandardSpec("dz", "gpt-4o", "data-zone", tpm_quota=1_000_000)
                    ).constraints_failed
    too_many = Workload(requests_per_month=7000 * 60 * 730, prompt_tokens=70, completion_tokens=0)
    failed = _one(bundled_prices, too_many, AoaiStandardSpec("dz", "gpt-4o", "data-zone", tpm_quota=1_000_000))
    assert failed.constraints_failed and "7,000 requests/min" in failed.constraints_failed[0].message


def test_quota_not_in_learns_table_is_a_warning(bundled_prices):
    r = _one(bundled_prices, RAG, AoaiStandardSpec("g", "gpt-4o", "global"))
    assert not r.constraints_failed
    assert any(w.startswith("quota not checked") for w in r.warnings)


def test_batch_enqueued_tokens_by_hand(bundled_prices):
    # 7,300,000 requests flat over 730 h = 10,000 per hour; 1,000 prompt tokens: the busiest 24 h enqueue
    # 24 · 10,000 · 1,000 = 240,000,000 tokens > 200,000,000 (gpt-4o Global Batch default): fails.
    w = Workload(requests_per_month=7_300_000, prompt_tokens=1000, completion_tokens=10, deadline_hours=24)
    r = _one(bundled_prices, w, AoaiBatchSpec("b", "gpt-4o"))
    assert r.capacity["enqueued_tokens_peak"] == pytest.approx(240_000_000)
    assert [f.constraint for f in r.constraints_failed] == ["quota"]
    assert "token_limit_exceeded" in r.constraints_failed[0].message
    assert "5,000,000,000" in r.constraints_failed[0].message  # the Enterprise figure, for the customer
    ok = _one(bundled_prices, w, AoaiBatchSpec("b", "gpt-4o", enqueued_token_quota=5_000_000_000))
    assert not ok.constraints_failed and ok.meets_deadline is True


def test_ptu_quota(bundled_prices):
    # RAG sized to peak: 55 PTU; a regional quota of 50 PTU cannot hold it.
    r = _one(bundled_prices, RAG, AoaiProvisionedSpec("p", "gpt-4o", ptu_quota=50))
    assert r.capacity["ptu"] == 55
    assert [f.constraint for f in r.constraints_failed] == ["quota"]
    assert "needs 55 PTU" in r.constraints_failed[0].message and "50 PTU" in r.constraints_failed[0].message
    assert not _one(bundled_prices, RAG, AoaiProvisionedSpec("p", "gpt-4o", ptu_quota=55)).constraints_failed


# --- data residency ------------------------------------------------------------------------------------

@pytest.mark.parametrize("requirement,level,fails", [
    ("none", "global", False), ("none", "data-zone", False), ("none", "regional", False),
    ("data-zone", "global", True), ("data-zone", "data-zone", False), ("data-zone", "regional", False),
    ("region", "global", True), ("region", "data-zone", True), ("region", "regional", False),
])
def test_residency_matrix(requirement, level, fails):
    assert (residency_failure(requirement, level, "x") is not None) is fails


def test_residency_fails_options_of_every_aoai_kind(bundled_prices):
    w = Workload(requests_per_month=100_000, prompt_tokens=100, completion_tokens=10, deadline_hours=24,
                 data_residency="region")
    options = (AoaiStandardSpec("g", "gpt-4.1-mini"), AoaiStandardSpec("dz", "gpt-4.1-mini", "data-zone"),
               AoaiStandardSpec("r", "gpt-4.1-mini", "regional"), AoaiBatchSpec("b", "gpt-4.1-mini", "data-zone"),
               AoaiProvisionedSpec("p", "gpt-4.1-mini", "data-zone"))
    result = evaluate(Scenario("t", w, options), bundled_prices)
    residency = {r.name: any(f.constraint == "data residency" for f in r.constraints_failed) for r in result.options}
    assert residency == {"g": True, "dz": True, "r": False, "b": True, "p": True}
    assert result.recommended == "r"


# --- the five cases of issue 13 ------------------------------------------------------------------------

def test_case_1_overloaded_online_endpoint_is_never_recommended(bundled_prices):
    # 12 requests/s × 100 ms on 1 instance × 1: utilization 120% in every hour; no SLO stated.
    w = Workload(requests_per_month=12 * 3600 * 730, prompt_tokens=100, completion_tokens=10, service_time_ms=100)
    cheap = AmlOnlineSpec("one instance", "Standard_DS3_v2", instances=1)
    result = evaluate(Scenario("t", w, (cheap, AoaiStandardSpec("std", "gpt-4.1-nano"))), bundled_prices)
    online = result.option("one instance")
    assert online.monthly_cost < result.option("std").monthly_cost  # it is the cheapest...
    assert online.meets_slo is None  # ...no SLO stated...
    assert [f.constraint for f in online.constraints_failed] == ["stability"]  # ...but it cannot carry the load
    assert "utilization is 120%" in online.constraints_failed[0].message
    assert result.recommended == "std"


def test_case_2_batch_needs_a_deadline(bundled_prices):
    # No SLO, no deadline: the Batch API is half price but cannot answer a chatbot.
    w = Workload(requests_per_month=1_000_000, prompt_tokens=1000, completion_tokens=300)
    result = evaluate(Scenario("t", w, (AoaiStandardSpec("std", "gpt-4o"), AoaiBatchSpec("batch", "gpt-4o"))),
                      bundled_prices)
    batch = result.option("batch")
    assert batch.meets_slo is None and batch.meets_deadline is None
    assert [f.constraint for f in batch.constraints_failed] == ["interactive use"]
    assert result.recommended == "std"
    waits = evaluate(Scenario("t", Workload(**{**w.__dict__, "deadline_hours": 24}),
                              (AoaiStandardSpec("std", "gpt-4o"), AoaiBatchSpec("batch", "gpt-4o"))), bundled_prices)
    assert waits.recommended == "batch"


def test_case_3_batch_jobs_that_do_not_fit_in_the_month(bundled_prices):
    # 30 jobs of 100,000 requests at 16,668 ms on 1 node: 100,000 · 16.668 s / 3,600 = 463.0 h + 5 min
    # = 463.08 h per job; 30 · 463.08 = 13,892 h of jobs in a 730 h month; 13,892 node-hours.
    w = Workload(requests_per_month=3_000_000, service_time_ms=16_668, deadline_hours=1000)
    r = _one(bundled_prices, w, AmlBatchSpec("nightly", "Standard_DS3_v2", instances=1, jobs_per_month=30))
    assert r.capacity["job_duration_hours"] == pytest.approx(463.0 + 5 / 60)
    assert r.capacity["node_hours"] == pytest.approx(30 * (463.0 + 5 / 60))
    assert r.meets_deadline is True
    assert [f.constraint for f in r.constraints_failed] == ["job schedule"]
    assert "30 jobs of 463.1 h each need 13,892 h, more than the 730 h in a month" in r.constraints_failed[0].message


def test_case_4_short_prompts_are_not_cached(bundled_prices):
    # 500-token prompts, 70% stated hit rate: Azure caches only prompts of 1,024 tokens or more, so
    # input = 1M · 500 · 2.50 / 1M = 1,250 and cached input = 0 (not 1M · 500 · 0.7 · 1.25 / 1M = 437.50).
    w = Workload(requests_per_month=1_000_000, prompt_tokens=500, completion_tokens=0, prompt_cache_hit_rate=0.7)
    result = evaluate(Scenario("t", w, (AoaiStandardSpec("std", "gpt-4o"),)), bundled_prices)
    assert result.options[0].cost_breakdown == {"input": pytest.approx(1250.0), "cached_input": 0.0, "output": 0.0}
    assert "1,024-token minimum" in result.notes[0] and "70%" in result.notes[0]
    # at 1,024 tokens the stated rate applies: cached = 1M · 1,024 · 0.7 · 1.25 / 1M = 896
    at_minimum = evaluate(Scenario("t", Workload(**{**w.__dict__, "prompt_tokens": 1024}),
                                   (AoaiStandardSpec("std", "gpt-4o"),)), bundled_prices)
    assert at_minimum.options[0].cost_breakdown["cached_input"] == pytest.approx(896.0)
    assert at_minimum.notes == ()


def test_case_5_rag_latency_verdicts_are_filled(bundled_prices):
    from app.catalog.loader import load_scenario

    loaded = load_scenario("rag-knowledge-base", bundled_prices)
    result = evaluate(loaded.scenario, bundled_prices)
    for option in result.options:
        if option.kind in ("aoai-standard", "aoai-provisioned"):
            assert option.latency_ms is not None and option.ttft_ms is not None
            assert option.meets_slo is not None
    assert result.option("Data Zone Standard").meets_slo is True
    assert result.option("Data Zone PTU monthly + spillover").meets_slo is False
    assert result.recommended == "Data Zone Standard"


def test_no_recommendation_says_why(bundled_prices):
    w = Workload(requests_per_month=1_000_000, prompt_tokens=1000, completion_tokens=300, latency_slo_ms=500,
                 data_residency="data-zone")
    result = evaluate(Scenario("t", w, (AoaiStandardSpec("g", "gpt-4o"), AoaiBatchSpec("b", "gpt-4o"))),
                      bundled_prices)
    assert result.recommended is None
    assert no_recommendation_reasons(result) == [
        "g: fails latency SLO, data residency",
        "b: fails interactive use, data residency",
    ]
