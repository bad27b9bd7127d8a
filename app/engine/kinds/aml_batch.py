"""`aml-batch`: an Azure ML batch endpoint that runs jobs on a compute cluster."""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.batch_endpoint import job_duration_hours, node_hours
from app.engine.constraints import batch_verdict, cost_per_1k_requests, jobs_fit_failure
from app.engine.errors import ModelInputError
from app.engine.registry import EvaluationContext, OptionKind, register
from app.engine.results import OptionResult


@dataclass(frozen=True)
class AmlBatchSpec:
    name: str
    sku: str
    instances: int = 1
    jobs_per_month: int = 30
    startup_minutes: float = 5.0
    low_priority: bool = False
    concurrency: int = 1
    kind: str = "aml-batch"


def evaluate(spec: AmlBatchSpec, ctx: EvaluationContext) -> OptionResult:
    w = ctx.workload
    if w.service_time_ms is None:
        raise ModelInputError(f"option '{spec.name}' ({spec.kind}) needs workload.service_time_ms")
    sku = ctx.prices.sku(spec.sku)
    hourly = ctx.prices.instance_hourly(spec.sku, spec.low_priority)
    requests_per_job = w.model_requests_per_month / spec.jobs_per_month
    duration = job_duration_hours(requests_per_job, w.service_time_ms / 1000.0, spec.instances, spec.concurrency,
                                  spec.startup_minutes)
    hours = node_hours(spec.jobs_per_month, spec.instances, duration)
    compute = hours * hourly
    verdict = batch_verdict(w, duration, "A batch endpoint")
    warnings = verdict.warnings
    fit = jobs_fit_failure(spec.jobs_per_month, duration, ctx.hours)
    failures = verdict.failures + ([fit] if fit is not None else [])
    if spec.low_priority:
        warnings.append("low-priority nodes can be preempted: preempted mini-batches are requeued, and a job "
                        "is cancelled if the whole cluster is preempted")
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=compute, cost_breakdown={"compute": compute},
        cost_per_1k_requests=cost_per_1k_requests(compute, w.requests_per_month),
        capacity={"node_hours": hours, "job_duration_hours": duration, "quota_vcpus": spec.instances * sku.vcpus},
        latency_ms=None, meets_slo=verdict.meets_slo, meets_deadline=verdict.meets_deadline,
        warnings=tuple(warnings), price_sheets=("azure-ml-compute",), constraints_failed=tuple(failures),
    )


KIND = register(OptionKind(kind="aml-batch", title="Azure ML batch endpoint (jobs on a cluster)",
                           spec_type=AmlBatchSpec, price_sheets=("azure-ml-compute",), evaluate=evaluate, batch=True))
