"""How options are judged against the workload's constraints, stated or not.

Stated constraints:
- latency_slo_ms judges online options: meets_slo = p95 end-to-end latency at the busiest hour ≤ SLO.
- ttft_slo_ms judges time to first token: p95 at the busiest hour ≤ target (streamed Azure OpenAI
  responses; an Azure ML endpoint answers in one piece, so its first byte comes with the whole response).
- deadline_hours judges batch options: meets_deadline = job duration ≤ deadline (the Batch API
  meets it when the deadline is at least its 24 h target).
- data_residency: see residency.py.

Feasibility, whether stated or not (an option that fails one is never recommended):
- Batch options (the Batch API, batch endpoints) cannot answer interactive requests: they are
  eligible only when the workload states how long results may wait (deadline_hours).
- An online option whose utilization reaches 1 in any hour is unstable: its queue grows without bound.
- Provisioned throughput without spillover must not throttle (HTTP 429); Standard must fit its
  tokens-per-minute quota, and the Batch API its enqueued-token quota (quotas.py).
- A batch endpoint's jobs must fit in the month: jobs_per_month · job duration ≤ hours in the month.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.engine import vocabulary as words
from app.engine.results import ConstraintFailure, LatencyPercentiles
from app.engine.workload import Workload

BATCH_API_TARGET_HOURS = 24.0


@dataclass
class Verdict:
    """What the constraints say about one option."""

    meets_slo: bool | None = None
    meets_deadline: bool | None = None
    failures: list[ConstraintFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def latency_stated(workload: Workload) -> bool:
    return workload.latency_slo_ms is not None or workload.ttft_slo_ms is not None


def online_meets_slo(workload: Workload, p95_ms: float | None) -> bool | None:
    """None when no latency SLO is stated; False when unstable (no latency)."""
    if workload.latency_slo_ms is None:
        return None
    return p95_ms is not None and p95_ms <= workload.latency_slo_ms


def latency_verdict(workload: Workload, latency: LatencyPercentiles | None, ttft: LatencyPercentiles | None,
                    unstable: bool = False) -> Verdict:
    """meets_slo and the failures for an online option. `ttft` None with a latency means the
    response is not streamed (its first byte comes with the whole response). Without a latency,
    the verdict is False when the option is unstable and None (not judged) otherwise."""
    verdict = Verdict()
    if not latency_stated(workload):
        return verdict
    if latency is None:
        verdict.meets_slo = False if unstable else None
        return verdict
    met = True
    slo = workload.latency_slo_ms
    if slo is not None and latency.p95 > slo:
        met = False
        verdict.failures.append(ConstraintFailure(
            words.CONSTRAINT_LATENCY_SLO, f"p95 end-to-end latency {latency.p95:,.0f} ms at the busiest hour is above the "
            f"{slo:,g} ms SLO"))
    target = workload.ttft_slo_ms
    first = ttft.p95 if ttft is not None else latency.p95
    if target is not None and first > target:
        met = False
        what = "time to first token" if ttft is not None else "time to first byte (the whole response, not streamed)"
        verdict.failures.append(ConstraintFailure(
            words.CONSTRAINT_TTFT, f"p95 {what} {first:,.0f} ms at the busiest hour is above the {target:,g} ms target"))
    verdict.meets_slo = met
    return verdict


def unstable_failure(utilization: float, hour: int, instances: int, concurrency: int) -> ConstraintFailure:
    return ConstraintFailure(
        words.CONSTRAINT_STABILITY, f"unstable: at hour {hour} (day {hour // 24 + 1}, {hour % 24:02d}:00) utilization is "
        f"{utilization:.0%} with {instances} instance(s) × {concurrency}; requests queue without bound. "
        "Raise instances, autoscale max or concurrency")


def batch_verdict(workload: Workload, duration_hours: float, label: str) -> Verdict:
    """meets_slo, meets_deadline and failures for a batch option whose results take `duration_hours`."""
    verdict = Verdict()
    deadline = workload.deadline_hours
    if deadline is None:
        verdict.failures.append(ConstraintFailure(
            words.CONSTRAINT_INTERACTIVE, f"{label} returns results in up to {duration_hours:,.1f} h and cannot answer "
            "interactive requests; it is eligible only when the workload states how long results may wait "
            "(deadline_hours)"))
        if workload.latency_slo_ms is not None or workload.ttft_slo_ms is not None:
            verdict.meets_slo = False
        return verdict
    verdict.meets_deadline = duration_hours <= deadline
    if not verdict.meets_deadline:
        verdict.failures.append(ConstraintFailure(
            words.CONSTRAINT_DEADLINE, f"results take {duration_hours:,.1f} h, past the {deadline:,g} h deadline"))
    return verdict


def jobs_fit_failure(jobs_per_month: int, duration_hours: float, hours_per_month: int) -> ConstraintFailure | None:
    """jobs · duration > hours in the month: each job runs into the next one."""
    needed = jobs_per_month * duration_hours
    if needed <= hours_per_month:
        return None
    return ConstraintFailure(
        words.CONSTRAINT_JOB_SCHEDULE, f"{jobs_per_month} jobs of {duration_hours:,.1f} h each need {needed:,.0f} h, more than "
        f"the {hours_per_month} h in a month: a job is still running when the next one starts. Add nodes or "
        "concurrency per job")


def cost_per_1k_requests(monthly_cost: float, requests_per_month: float) -> float:
    """Monthly cost per 1,000 requests of the workload (all N, including result-cache hits)."""
    return monthly_cost / requests_per_month * 1000.0 if requests_per_month > 0 else 0.0
