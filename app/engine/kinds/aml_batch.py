"""`aml-batch`: an Azure ML batch endpoint that runs jobs on a compute cluster."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.engine.batch_endpoint import job_duration_hours, node_hours
from app.engine.constraints import batch_judgement, cost_per_1k_requests
from app.engine.errors import ModelInputError
from app.engine.option_fields import (
    AML_BATCH_URL,
    AML_LOW_PRIORITY_URL,
    EditorField,
    concurrency_field,
    sku_field,
)
from app.engine.price_checks import PriceIssue, compute_sku_issues
from app.engine.price_lines import PriceLine, compute_lines
from app.engine.prices import PriceBook
from app.engine.registry import EvaluationContext, OptionKind, register
from app.engine.results import OptionResult
from app.engine.vocabulary import CAPACITY_FIELDS, COST_COMPONENTS
from app.engine.workload import Workload


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
    meets_slo, meets_deadline, warnings = batch_judgement(w, duration, "A batch endpoint")
    if spec.low_priority:
        warnings.append("low-priority nodes can be preempted: preempted mini-batches are requeued, and a job "
                        "is cancelled if the whole cluster is preempted")
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=compute, cost_breakdown={"compute": compute},
        cost_per_1k_requests=cost_per_1k_requests(compute, w.requests_per_month),
        capacity={"node_hours": hours, "job_duration_hours": duration, "quota_vcpus": spec.instances * sku.vcpus},
        latency_ms=None, meets_slo=meets_slo, meets_deadline=meets_deadline, warnings=tuple(warnings),
        price_sheets=("azure-ml-compute",),
    )


def price_issues(spec: AmlBatchSpec, prices: PriceBook, workload: Workload) -> Iterator[PriceIssue]:
    return compute_sku_issues(prices, spec.sku, spec.low_priority)


def price_lines(spec: AmlBatchSpec, prices: PriceBook) -> list[PriceLine]:
    return compute_lines(prices, spec.sku, spec.low_priority)


KIND = register(OptionKind(
    kind="aml-batch", title="Azure ML batch endpoint (jobs on a cluster)", evaluate=evaluate,
    price_issues=price_issues, price_lines=price_lines,
    capacity_fields=tuple(CAPACITY_FIELDS[key] for key in ("node_hours", "job_duration_hours", "quota_vcpus")),
    cost_components=(COST_COMPONENTS["compute"],),
    template={"sku": "Standard_DS3_v2", "instances": 2, "jobs_per_month": 30, "startup_minutes": 5.0,
              "concurrency": 1},
    editor_fields=(
        sku_field("Node prices per hour from the Azure ML compute sheet; nodes exist only while a job runs."),
        EditorField("instances", "Nodes per job", "integer", minimum=1, maximum=10_000, step=1, default=1),
        EditorField("jobs_per_month", "Jobs per month", "integer", minimum=1, maximum=100_000, step=1, default=30),
        EditorField("startup_minutes", "Cluster start-up per job (min)", "number", minimum=0.0, maximum=1440.0,
                    step=1.0, default=5.0,
                    help=f"Node allocation and image pull before the job's first request. Source: {AML_BATCH_URL}"),
        EditorField("low_priority", "Low-priority nodes", "toggle", default=False,
                    help="Cheaper nodes that can be preempted: preempted mini-batches are requeued, and a job is "
                         f"cancelled if the whole cluster is preempted. Source: {AML_LOW_PRIORITY_URL}"),
        concurrency_field("Concurrent requests per node"),
    ),
    uses_service_time=True, uses_compute_sku=True, batch=True,
))
