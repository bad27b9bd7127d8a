"""`aml-online`: an Azure ML managed online endpoint, fixed instances or hourly autoscale."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.engine.constraints import cost_per_1k_requests, latency_verdict, unstable_failure
from app.engine.errors import ModelInputError
from app.engine.online_endpoint import (
    HIGH_AVAILABILITY_INSTANCES,
    autoscaled_instances,
    busiest_hour_latency,
    quota_vcpus,
)
from app.engine.registry import EvaluationContext, OptionKind, register
from app.engine.results import LatencyPercentiles, OptionResult


@dataclass(frozen=True)
class Autoscale:
    min: int
    max: int
    target_utilization: float = 0.7


@dataclass(frozen=True)
class AmlOnlineSpec:
    name: str
    sku: str
    instances: int | None = None
    autoscale: Autoscale | None = None
    concurrency: int = 1
    kind: str = "aml-online"


def evaluate(spec: AmlOnlineSpec, ctx: EvaluationContext) -> OptionResult:
    w = ctx.workload
    if w.service_time_ms is None:
        raise ModelInputError(f"option '{spec.name}' ({spec.kind}) needs workload.service_time_ms")
    sku = ctx.prices.sku(spec.sku)
    hourly = ctx.prices.instance_hourly(spec.sku)
    service_s = w.service_time_ms / 1000.0
    arrivals = ctx.demand.requests_per_second
    if spec.autoscale is not None:
        a = spec.autoscale
        instances = autoscaled_instances(arrivals, service_s, spec.concurrency, a.target_utilization, a.min, a.max)
        configured_max = a.max
    elif spec.instances is not None:
        instances = np.full(ctx.hours, spec.instances, dtype=np.int64)
        configured_max = spec.instances
    else:
        raise ModelInputError(f"option '{spec.name}' needs either instances or autoscale")

    busiest = busiest_hour_latency(arrivals, instances, spec.concurrency, service_s, w.service_time_cv)
    utilization = arrivals * service_s / (instances * spec.concurrency)
    instance_hours = int(instances.sum())
    compute = instance_hours * hourly
    warnings: list[str] = []
    failures = []
    latency = None
    if busiest.latency_s is None:
        failures.append(unstable_failure(busiest.utilization, busiest.hour, busiest.instances, spec.concurrency))
    else:
        p50, p95, p99 = (x * 1000.0 for x in busiest.latency_s)
        latency = LatencyPercentiles(p50, p95, p99)
    if spec.autoscale is not None and float(utilization.max()) > spec.autoscale.target_utilization + 1e-9:
        pinned = int((instances == spec.autoscale.max).sum())
        warnings.append(f"autoscale max {spec.autoscale.max} is reached in {pinned} hours and utilization then "
                        f"rises to {float(utilization.max()):.0%}, above the {spec.autoscale.target_utilization:.0%} target")
    fewest = int(instances.min())
    if fewest < HIGH_AVAILABILITY_INSTANCES:
        warnings.append(f"{fewest} instance(s) in the quietest hours: below 3 there is no high availability "
                        "(Microsoft recommends at least 3 in production)")
    verdict = latency_verdict(w, latency, None, unstable=latency is None)
    failures += verdict.failures
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=compute, cost_breakdown={"compute": compute},
        cost_per_1k_requests=cost_per_1k_requests(compute, w.requests_per_month),
        capacity={
            "instances_min_used": fewest,
            "instances_peak": int(instances.max()),
            "instance_hours": instance_hours,
            "utilization_peak": float(utilization.max()),
            "quota_vcpus": quota_vcpus(configured_max, sku.vcpus, ctx.prices.quota_reserve, sku.skip_quota_reserve),
        },
        latency_ms=latency, meets_slo=verdict.meets_slo, meets_deadline=None, warnings=tuple(warnings),
        price_sheets=("azure-ml-compute",),
        series={"instances": instances.astype(np.float64), "utilization": utilization},
        constraints_failed=tuple(failures),
    )


KIND = register(OptionKind(kind="aml-online", title="Azure ML managed online endpoint",
                           spec_type=AmlOnlineSpec, price_sheets=("azure-ml-compute",), evaluate=evaluate))
