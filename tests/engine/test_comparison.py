import pytest

from app.engine.comparison import evaluate, recommend
from app.engine.kinds.aml_batch import AmlBatchSpec
from app.engine.kinds.aml_online import AmlOnlineSpec, Autoscale
from app.engine.kinds.aoai_batch import AoaiBatchSpec
from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
from app.engine.kinds.aoai_standard import AoaiStandardSpec
from app.engine.registry import option_kinds
from app.engine.scenario import Scenario
from app.engine.workload import Traffic, Workload

SPEC_WORKLOAD = Workload(requests_per_month=1_000_000, traffic=Traffic("business_hours", 3.0), prompt_tokens=1500,
                         completion_tokens=500, prompt_cache_hit_rate=0.7, result_cache_hit_rate=0.0,
                         service_time_ms=25, latency_slo_ms=2000, deadline_hours=24)
SPEC_OPTIONS = (
    AoaiStandardSpec(name="Global Standard", model="gpt-4o", deployment="global"),
    AoaiProvisionedSpec(name="PTU monthly + spillover", model="gpt-4o", deployment="global", ptu="auto",
                        billing="monthly", spillover=True),
    AoaiBatchSpec(name="Global Batch", model="gpt-4o", deployment="global"),
    AmlOnlineSpec(name="Online endpoint", sku="Standard_DS3_v2", autoscale=Autoscale(1, 10, 0.7), concurrency=4),
    AmlBatchSpec(name="Nightly batch endpoint", sku="Standard_DS3_v2", instances=4, jobs_per_month=30,
                 startup_minutes=5, low_priority=False, concurrency=4),
)


def test_spec_section_4_json_for_global_standard(spec_prices):
    result = evaluate(Scenario("RAG knowledge-base chatbot", SPEC_WORKLOAD, SPEC_OPTIONS), spec_prices).to_dict()
    assert result["scenario"] == "RAG knowledge-base chatbot"
    assert result["currency"] == "USD"
    assert result["hours_per_month"] == 730
    assert {"kind": "azure-openai", "region": "eastus", "as_of": "2026-11-01"} in result["prices"]
    assert result["options"][0] == {
        "name": "Global Standard", "kind": "aoai-standard", "monthly_cost": 7437.5,
        "cost_breakdown": {"input": 1125.0, "cached_input": 1312.5, "output": 5000.0},
        "cost_per_1k_requests": 7.4375, "capacity": {}, "latency_ms": None, "meets_slo": None,
        "meets_deadline": None, "warnings": [],
        # added keys (README, JSON section): no service sheet in this price book, so nothing is judged
        "ttft_ms": None, "latency_source": None, "constraints_failed": [],
    }


def test_breakdowns_sum_and_capacity_keys(spec_prices):
    result = evaluate(Scenario("x", SPEC_WORKLOAD, SPEC_OPTIONS), spec_prices)
    keys = {
        "aoai-standard": set(), "aoai-batch": set(),
        "aoai-provisioned": {"ptu", "ptu_required_at_peak", "utilization", "spillover_share", "throttled_share"},
        "aml-online": {"instances_min_used", "instances_peak", "instance_hours", "utilization_peak", "quota_vcpus"},
        "aml-batch": {"node_hours", "job_duration_hours", "quota_vcpus"},
    }
    for option in result.options:
        assert sum(option.cost_breakdown.values()) == pytest.approx(option.monthly_cost)
        assert set(option.capacity) == keys[option.kind]


def test_result_cache_reduces_model_requests(spec_prices):
    # r = 0.25: 750,000 requests reach the model; cost scales by 0.75 but per-1k divides by all 1M
    w = Workload(requests_per_month=1_000_000, prompt_tokens=1500, completion_tokens=500, prompt_cache_hit_rate=0.7,
                 result_cache_hit_rate=0.25)
    r = evaluate(Scenario("x", w, SPEC_OPTIONS[:1]), spec_prices).options[0]
    assert r.monthly_cost == pytest.approx(7437.5 * 0.75)
    assert r.cost_per_1k_requests == pytest.approx(7437.5 * 0.75 / 1000)


def test_batch_options_cannot_serve_an_slo_without_a_deadline(spec_prices):
    w = Workload(requests_per_month=1_000_000, prompt_tokens=1500, completion_tokens=500, service_time_ms=25,
                 latency_slo_ms=2000)
    result = evaluate(Scenario("x", w, (SPEC_OPTIONS[0], SPEC_OPTIONS[2], SPEC_OPTIONS[4])), spec_prices)
    batch_api, batch_endpoint = result.options[1], result.options[2]
    for option in (batch_api, batch_endpoint):
        assert option.meets_slo is False
        assert option.meets_deadline is None
        assert option.constraints_failed[0].constraint == "interactive use"
        assert "cannot answer interactive requests" in option.constraints_failed[0].message
    assert result.recommended == "Global Standard"  # the batch options are cheaper but fail the SLO


def test_batch_api_deadline_rule(spec_prices):
    for deadline, meets in ((24, True), (48, True), (8, False)):
        w = Workload(requests_per_month=1000, prompt_tokens=10, completion_tokens=10, deadline_hours=deadline)
        r = evaluate(Scenario("x", w, (SPEC_OPTIONS[2],)), spec_prices).options[0]
        assert r.meets_deadline is meets
        assert r.meets_slo is None


def test_recommend_cheapest_that_fails_nothing(spec_prices):
    result = evaluate(Scenario("x", SPEC_WORKLOAD, SPEC_OPTIONS), spec_prices)
    eligible = [o for o in result.options if o.meets_slo is not False and o.meets_deadline is not False]
    assert result.recommended == min(eligible, key=lambda o: o.monthly_cost).name


def test_recommend_none_when_every_option_fails():
    from app.engine.results import OptionResult

    def failing(name: str) -> OptionResult:
        return OptionResult(name, "aoai-batch", 1.0, {}, 1.0, {}, None, False, None, (), ())

    assert recommend([failing("a"), failing("b")]) is None


def test_every_kind_is_registered():
    assert list(option_kinds()) == ["aml-batch", "aml-online", "aoai-batch", "aoai-provisioned", "aoai-standard"]
