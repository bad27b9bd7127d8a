"""Invariants of the models, checked over generated workloads (hypothesis)."""

from dataclasses import replace

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.engine.comparison import evaluate
from app.engine.kinds.aml_batch import AmlBatchSpec
from app.engine.kinds.aml_online import AmlOnlineSpec, Autoscale
from app.engine.kinds.aoai_batch import AoaiBatchSpec
from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
from app.engine.kinds.aoai_standard import AoaiStandardSpec
from app.engine.queueing import response_time_percentiles
from app.engine.scenario import Scenario
from app.engine.workload import Traffic, Workload
from tests.conftest import spec_price_book

PRICES = spec_price_book()
OPTIONS = (
    AoaiStandardSpec(name="std", model="gpt-4o", deployment="data-zone"),
    AoaiBatchSpec(name="batch", model="gpt-4o"),
    AoaiProvisionedSpec(name="ptu", model="gpt-4o", billing="yearly"),
    AoaiProvisionedSpec(name="ptu-spill", model="gpt-4o", spillover=True, billing="hourly"),
    AoaiProvisionedSpec(name="ptu-fixed", model="gpt-4o", ptu=50),
    AmlOnlineSpec(name="online", sku="Standard_DS3_v2", autoscale=Autoscale(1, 30, 0.7), concurrency=2),
    AmlBatchSpec(name="nightly", sku="Standard_DS3_v2", instances=2, concurrency=2),
)

workloads = st.builds(
    Workload,
    requests_per_month=st.floats(1e3, 1e8),
    traffic=st.one_of(st.just(Traffic("flat")), st.builds(Traffic, st.just("business_hours"), st.floats(1, 3.2)),
                      st.builds(Traffic, st.just("diurnal"), st.floats(1, 3))),
    prompt_tokens=st.floats(0, 8000),
    completion_tokens=st.floats(0, 2000),
    prompt_cache_hit_rate=st.floats(0, 1),
    result_cache_hit_rate=st.floats(0, 0.99),
    service_time_ms=st.floats(1, 200),
    service_time_cv=st.floats(0, 2),
    latency_slo_ms=st.one_of(st.none(), st.floats(10, 5000)),
    deadline_hours=st.one_of(st.none(), st.floats(1, 48)),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@example(Workload(requests_per_month=1000.0, prompt_tokens=1.1e-308, completion_tokens=0.0, service_time_ms=1.0))
@given(workloads)
def test_costs_are_non_negative_and_breakdowns_add_up(workload):
    for option in evaluate(Scenario("p", workload, OPTIONS), PRICES).options:
        assert option.monthly_cost >= 0  # also False for NaN
        assert all(v >= 0 for v in option.cost_breakdown.values())
        assert abs(sum(option.cost_breakdown.values()) - option.monthly_cost) <= 1e-9 * max(1.0, option.monthly_cost)


@SETTINGS
@given(workloads, st.floats(1.01, 10))
def test_cost_is_monotone_in_volume(workload, factor):
    bigger = replace(workload, requests_per_month=workload.requests_per_month * factor)
    small = evaluate(Scenario("p", workload, OPTIONS), PRICES).options
    large = evaluate(Scenario("p", bigger, OPTIONS), PRICES).options
    for a, b in zip(small, large, strict=True):
        if a.name == "ptu-fixed":
            continue  # a fixed PTU count costs the same at any volume (throttling grows instead)
        assert b.monthly_cost >= a.monthly_cost * (1 - 1e-9), a.name


@SETTINGS
@given(workloads, st.floats(1.01, 10))
def test_token_cost_per_1k_requests_is_independent_of_volume(workload, factor):
    token_options = (OPTIONS[0], OPTIONS[1])
    bigger = replace(workload, requests_per_month=workload.requests_per_month * factor)
    for a, b in zip(evaluate(Scenario("p", workload, token_options), PRICES).options,
                    evaluate(Scenario("p", bigger, token_options), PRICES).options, strict=True):
        assert abs(a.cost_per_1k_requests - b.cost_per_1k_requests) <= 1e-9 * max(1.0, a.cost_per_1k_requests)


@settings(max_examples=80, deadline=None)
@given(st.floats(0.05, 50), st.floats(0.005, 0.5), st.floats(0, 2), st.integers(1, 40))
def test_more_servers_never_raise_latency(rate, service, cv, servers):
    fewer = response_time_percentiles(rate, service, cv, servers)
    more = response_time_percentiles(rate, service, cv, servers + 1)
    if fewer is None:
        return  # unstable with fewer servers: any latency is an improvement
    assert more is not None
    for a, b in zip(fewer, more, strict=True):
        # 1e-3: the response-time CDF is inverted on a 2,048-point grid whose span depends on the
        # wait tail, so two server counts can differ by grid error (seen: 0.06% for a C_s = 2 service).
        assert b <= a * (1 + 1e-3)


@SETTINGS
@given(workloads, st.integers(1, 20), st.integers(1, 5))
def test_more_instances_never_raise_latency_of_an_endpoint(workload, instances, extra):
    base = AmlOnlineSpec(name="a", sku="Standard_DS3_v2", instances=instances, concurrency=2)
    bigger = replace(base, name="b", instances=instances + extra)
    a, b = evaluate(Scenario("p", workload, (base, bigger)), PRICES).options
    if a.latency_ms is None:
        return
    assert b.latency_ms is not None
    assert b.latency_ms.p95 <= a.latency_ms.p95 * (1 + 1e-3)  # grid tolerance, as above


# --- recommended is always feasible (issue 13) -----------------------------------------------------------

def _bundled():
    from app.catalog.loader import load_price_book
    from tests.conftest import ROOT

    return load_price_book(ROOT / "pricing")


BUNDLED = _bundled()
FEASIBILITY_OPTIONS = (
    AoaiStandardSpec(name="global std", model="gpt-4.1-mini"),
    AoaiStandardSpec(name="dz std tier 1", model="gpt-4o", deployment="data-zone"),
    AoaiStandardSpec(name="regional std", model="gpt-4.1-mini", deployment="regional", tpm_quota=500_000),
    AoaiBatchSpec(name="batch", model="gpt-4o"),
    AoaiProvisionedSpec(name="ptu", model="gpt-4.1", deployment="data-zone", billing="yearly"),
    AoaiProvisionedSpec(name="ptu-spill", model="gpt-4o", spillover=True, ptu_quota=100),
    AoaiProvisionedSpec(name="ptu-fixed", model="gpt-4o-mini", ptu=15),
    AmlOnlineSpec(name="online fixed", sku="Standard_DS3_v2", instances=2, concurrency=2),
    AmlOnlineSpec(name="online", sku="Standard_DS3_v2", autoscale=Autoscale(1, 8, 0.7), concurrency=2),
    AmlBatchSpec(name="nightly", sku="Standard_DS3_v2", instances=1, jobs_per_month=30),
)
REACH = {"regional": 0, "data-zone": 1, "global": 2}
ALLOWED = {"none": 2, "data-zone": 1, "region": 0}

feasibility_workloads = st.builds(
    Workload,
    requests_per_month=st.floats(1e3, 3e8),
    traffic=st.one_of(st.just(Traffic("flat")), st.builds(Traffic, st.just("business_hours"), st.floats(1, 3.2))),
    prompt_tokens=st.floats(0, 6000),
    completion_tokens=st.floats(0, 1500),
    prompt_cache_hit_rate=st.floats(0, 0.95),
    result_cache_hit_rate=st.floats(0, 0.9),
    service_time_ms=st.floats(1, 2000),
    service_time_cv=st.floats(0, 2),
    latency_slo_ms=st.one_of(st.none(), st.floats(50, 60_000)),
    deadline_hours=st.one_of(st.none(), st.floats(1, 200)),
    ttft_slo_ms=st.one_of(st.none(), st.floats(100, 10_000)),
    data_residency=st.sampled_from(["none", "data-zone", "region"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feasibility_workloads)
def test_recommended_never_fails_a_constraint(workload):
    result = evaluate(Scenario("p", workload, FEASIBILITY_OPTIONS), BUNDLED)
    if result.recommended is None:
        assert all(o.fails_a_constraint for o in result.options)
        return
    best = result.option(result.recommended)
    spec = next(s for s in FEASIBILITY_OPTIONS if s.name == best.name)
    assert not best.fails_a_constraint and not best.constraints_failed
    assert best.meets_slo is not False and best.meets_deadline is not False
    # the rules, checked again from the figures, independently of the verdicts
    assert best.monthly_cost == min(o.monthly_cost for o in result.options if not o.fails_a_constraint)
    if best.kind in ("aoai-batch", "aml-batch"):
        assert workload.deadline_hours is not None
    if best.kind == "aml-online":
        assert best.capacity["utilization_peak"] < 1
    if best.kind == "aml-batch":
        assert 30 * best.capacity["job_duration_hours"] <= 730
    if best.kind == "aoai-provisioned":
        assert best.capacity["throttled_share"] == 0
    if best.kind == "aoai-standard" and "quota_tokens_per_minute" in best.capacity:
        assert best.capacity["tokens_per_minute_peak"] <= best.capacity["quota_tokens_per_minute"]
    if hasattr(spec, "deployment"):
        assert REACH[spec.deployment] <= ALLOWED[workload.data_residency]
    if workload.latency_slo_ms is not None and best.latency_ms is not None:
        assert best.latency_ms.p95 <= workload.latency_slo_ms
    if workload.ttft_slo_ms is not None and best.ttft_ms is not None:
        assert best.ttft_ms.p95 <= workload.ttft_slo_ms
