import math

import numpy as np
import pytest

from app.engine.comparison import evaluate
from app.engine.kinds.aml_batch import AmlBatchSpec
from app.engine.kinds.aml_online import AmlOnlineSpec, Autoscale
from app.engine.online_endpoint import autoscaled_instances, quota_vcpus
from app.engine.scenario import Scenario
from app.engine.workload import Traffic, Workload

HOURS = 730


def flat(rate_per_s: float, service_ms: float, **kw) -> Workload:
    return Workload(requests_per_month=rate_per_s * 3600 * HOURS, traffic=Traffic("flat"),
                    service_time_ms=service_ms, **kw)


def test_autoscale_instances_by_hand():
    # lambda*S = 10/s * 0.1 s = 1 erlang; at target 0.7 and 1 slot: ceil(1/0.7) = ceil(1.43) = 2
    # 30/s -> ceil(3/0.7) = 5; 0.5/s -> ceil(0.071) = 1 -> clamped up to min 2; 100/s -> 15 -> max 10
    n = autoscaled_instances(np.array([10.0, 30.0, 0.5, 100.0]), 0.1, 1, 0.7, 2, 10)
    assert n.tolist() == [2, 5, 2, 10]
    # exactly at the target needs no extra instance: 7/s * 0.1 = 0.7 erlang -> 1
    assert autoscaled_instances(np.array([7.0]), 0.1, 1, 0.7, 1, 5).tolist() == [1]


def test_quota_by_hand():
    assert quota_vcpus(10, 4, 0.2, False) == 48  # ceil(1.2 * 10) * 4 (the reference's example)
    assert quota_vcpus(3, 4, 0.2, False) == 16   # ceil(3.6) = 4 -> 16
    assert quota_vcpus(3, 24, 0.2, True) == 72   # A100 v4: no reserve


def test_online_mm1_matches_the_exact_formula(spec_prices):
    # One instance, one slot, lambda = 5/s, S = 100 ms (exponential): M/M/1 with rho = 0.5.
    # Response time is exponential with rate mu - lambda = 5/s:
    #   p50 = ln 2 / 5 = 138.63 ms, p95 = ln 20 / 5 = 599.15 ms, p99 = ln 100 / 5 = 921.03 ms
    w = flat(5, 100, latency_slo_ms=500)
    spec = AmlOnlineSpec(name="one", sku="Standard_DS3_v2", instances=1)
    r = evaluate(Scenario("t", w, (spec,)), spec_prices).options[0]
    assert r.latency_ms.p50 == pytest.approx(1000 * math.log(2) / 5, rel=1e-3)
    assert r.latency_ms.p95 == pytest.approx(1000 * math.log(20) / 5, rel=1e-3)
    assert r.latency_ms.p99 == pytest.approx(1000 * math.log(100) / 5, rel=1e-3)
    assert r.meets_slo is False  # 599 ms > 500 ms
    assert r.monthly_cost == pytest.approx(730 * 0.229)  # 167.17
    assert r.capacity == {"instances_min_used": 1, "instances_peak": 1, "instance_hours": 730,
                          "utilization_peak": pytest.approx(0.5), "quota_vcpus": 8}  # ceil(1.2) * 4
    assert any("no high availability" in w for w in r.warnings)


def test_online_autoscale_cost_by_hand(spec_prices):
    # 10/s * 0.1 s over 1 slot at 70% -> 2 instances every hour: 1,460 instance-hours * 0.229 = 334.34
    w = flat(10, 100)
    spec = AmlOnlineSpec(name="auto", sku="Standard_DS3_v2", autoscale=Autoscale(1, 10, 0.7))
    r = evaluate(Scenario("t", w, (spec,)), spec_prices).options[0]
    assert r.capacity["instance_hours"] == 1460
    assert r.monthly_cost == pytest.approx(1460 * 0.229)
    assert r.capacity["quota_vcpus"] == 48  # autoscale max 10: ceil(12) * 4
    assert r.capacity["utilization_peak"] == pytest.approx(0.5)


def test_online_unstable_has_no_latency_and_fails_the_slo(spec_prices):
    # 20/s * 0.1 s = 2 erlangs on 1 slot: utilization 200%
    w = flat(20, 100, latency_slo_ms=1000)
    spec = AmlOnlineSpec(name="small", sku="Standard_DS3_v2", instances=1)
    r = evaluate(Scenario("t", w, (spec,)), spec_prices).options[0]
    assert r.latency_ms is None
    assert r.meets_slo is False
    assert r.constraints_failed[0].constraint == "stability"
    assert r.constraints_failed[0].message.startswith("unstable: at hour 0 (day 1, 00:00) utilization is 200%")


def test_batch_endpoint_by_hand(spec_prices):
    # 3,000,000 requests / 30 jobs = 100,000 per job; 100,000 * 0.040 s / (4 nodes * 4) = 250 s
    # duration = 250/3600 + 5/60 = 0.152778 h; node-hours = 30 * 4 * 0.152778 = 18.3333
    w = Workload(requests_per_month=3_000_000, service_time_ms=40, deadline_hours=8)
    dedicated = AmlBatchSpec(name="d", sku="Standard_DS3_v2", instances=4, concurrency=4)
    low = AmlBatchSpec(name="lp", sku="Standard_DS3_v2", instances=4, concurrency=4, low_priority=True)
    d, lp = evaluate(Scenario("t", w, (dedicated, low)), spec_prices).options
    assert d.capacity["job_duration_hours"] == pytest.approx(250 / 3600 + 5 / 60)
    assert d.capacity["node_hours"] == pytest.approx(18.3333, rel=1e-5)
    assert d.monthly_cost == pytest.approx(18.33333 * 0.229, rel=1e-5)  # 4.1983
    assert lp.monthly_cost == pytest.approx(18.33333 * 0.046, rel=1e-5)  # 0.8433
    assert d.capacity["quota_vcpus"] == 16
    assert d.meets_deadline is True


def test_batch_endpoint_misses_a_short_deadline(spec_prices):
    # 100,000 * 0.040 / 1 = 4000 s = 1.111 h + 5 min = 1.194 h > 1 h
    w = Workload(requests_per_month=3_000_000, service_time_ms=40, deadline_hours=1)
    r = evaluate(Scenario("t", w, (AmlBatchSpec(name="b", sku="Standard_DS3_v2"),)), spec_prices).options[0]
    assert r.capacity["job_duration_hours"] == pytest.approx(4000 / 3600 + 5 / 60)
    assert r.meets_deadline is False
