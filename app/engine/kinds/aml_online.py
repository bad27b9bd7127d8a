"""`aml-online`: an Azure ML managed online endpoint, fixed instances or hourly autoscale."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from app.engine.constraints import cost_per_1k_requests, online_meets_slo
from app.engine.errors import ModelInputError
from app.engine.online_endpoint import (
    HIGH_AVAILABILITY_INSTANCES,
    autoscaled_instances,
    busiest_hour_latency,
    quota_vcpus,
)
from app.engine.option_fields import (
    AML_AUTOSCALE_URL,
    AML_SKU_LIST_URL,
    EditorField,
    concurrency_field,
    sku_field,
)
from app.engine.price_checks import PriceIssue, compute_sku_issues
from app.engine.price_lines import PriceLine, compute_lines, quota_reserve_line
from app.engine.prices import PriceBook
from app.engine.registry import EvaluationContext, InstanceSizing, OptionKind, register
from app.engine.results import LatencyPercentiles, OptionResult
from app.engine.simulation.settings import FixedInstances, Scaler, System
from app.engine.simulation.support import SimulationInputs, SimulationSupport
from app.engine.simulation.systems import how_to_rules, online_system, service_times
from app.engine.vocabulary import CAPACITY_FIELDS, COST_COMPONENTS
from app.engine.workload import Workload

DEFAULT_TARGET_UTILIZATION = 0.7
NEW_AUTOSCALE = {"min": HIGH_AVAILABILITY_INSTANCES, "max": 10, "target_utilization": DEFAULT_TARGET_UTILIZATION}


@dataclass(frozen=True)
class Autoscale:
    min: int
    max: int
    target_utilization: float = DEFAULT_TARGET_UTILIZATION


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
    latency = None
    if busiest.latency_s is None:
        hour = busiest.hour
        warnings.append(f"unstable: at hour {hour} (day {hour // 24 + 1}, {hour % 24:02d}:00) utilization is "
                        f"{busiest.utilization:.0%} with {busiest.instances} instance(s) × {spec.concurrency}; "
                        "requests queue without bound. Raise instances, autoscale max or concurrency")
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
    meets_slo = online_meets_slo(w, latency.p95 if latency else None)
    if meets_slo is False and latency is not None:
        warnings.append(f"p95 {latency.p95:,.0f} ms at the busiest hour misses the {w.latency_slo_ms:g} ms SLO")
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
        latency_ms=latency, meets_slo=meets_slo, meets_deadline=None, warnings=tuple(warnings),
        price_sheets=("azure-ml-compute",),
        series={"instances": instances.astype(np.float64), "utilization": utilization},
    )


def price_issues(spec: AmlOnlineSpec, prices: PriceBook, workload: Workload) -> Iterator[PriceIssue]:
    return compute_sku_issues(prices, spec.sku)


def price_lines(spec: AmlOnlineSpec, prices: PriceBook) -> list[PriceLine]:
    return [*compute_lines(prices, spec.sku), quota_reserve_line(prices, spec.sku)]


def implied_scaler(spec: AmlOnlineSpec) -> Scaler:
    """The scaler the option implies when the simulation block names none: the Azure ML how-to's
    Azure Monitor rules around its autoscale target, or its fixed instance count."""
    if spec.autoscale is not None:
        a = spec.autoscale
        return how_to_rules(a.min, a.max, a.target_utilization)
    if spec.instances is None:
        raise ModelInputError(f"option '{spec.name}' needs either instances or autoscale")
    return FixedInstances(spec.instances)


def simulated_system(spec: AmlOnlineSpec, inputs: SimulationInputs) -> System:
    service = service_times(inputs.workload, inputs.service_distribution, inputs.service_samples_ms)
    return online_system(inputs.scaler or implied_scaler(spec), spec.concurrency, spec.sku, inputs.prices, service,
                         inputs.max_queue_wait_ms, inputs.provisioning_delay_s)


def instance_sizing(spec: AmlOnlineSpec) -> InstanceSizing:
    configured = spec.autoscale.max if spec.autoscale is not None else (spec.instances or 1)
    return InstanceSizing(sku=spec.sku, concurrency=spec.concurrency, configured_max=configured,
                          with_instances=lambda count: replace(spec, instances=count, autoscale=None))


KIND = register(OptionKind(
    kind="aml-online", title="Azure ML managed online endpoint", evaluate=evaluate,
    price_issues=price_issues, price_lines=price_lines,
    capacity_fields=(*(CAPACITY_FIELDS[key] for key in
                       ("instances_min_used", "instances_peak", "instance_hours", "utilization_peak")),
                     replace(CAPACITY_FIELDS["quota_vcpus"], note="at max, with reserve")),
    cost_components=(COST_COMPONENTS["compute"],),
    template={"sku": "Standard_DS3_v2", "autoscale": NEW_AUTOSCALE, "concurrency": 1},
    editor_fields=(
        sku_field("Instance prices per hour from the Azure ML compute sheet."),
        EditorField("scale", "Autoscale", "scale", minimum=1, maximum=100, default=NEW_AUTOSCALE,
                    help="Autoscale: per hour the fewest instances that keep utilization at the target, within "
                         "[min, max]; otherwise a fixed count. Microsoft recommends at least 3 instances in "
                         f"production. Sources: {AML_AUTOSCALE_URL}, {AML_SKU_LIST_URL}"),
        concurrency_field("Concurrent requests per instance"),
    ),
    uses_service_time=True, uses_compute_sku=True,
    simulation=SimulationSupport(system="online", build=simulated_system),
    instance_sizing=instance_sizing,
))
