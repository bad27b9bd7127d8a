"""How options are judged against the workload's stated constraints.

- latency_slo_ms judges online options: meets_slo = p95 at the busiest hour ≤ SLO.
- deadline_hours judges batch options: meets_deadline = job duration ≤ deadline (the Batch API
  meets it when the deadline is at least its 24 h target).
- Batch options cannot answer interactive requests: with a latency SLO and no deadline they fail
  meets_slo, with a warning that says so.
"""

from __future__ import annotations

from app.engine.workload import Workload

BATCH_API_TARGET_HOURS = 24.0


def online_meets_slo(workload: Workload, p95_ms: float | None) -> bool | None:
    """None when no SLO is stated; False when unstable (no latency)."""
    if workload.latency_slo_ms is None:
        return None
    return p95_ms is not None and p95_ms <= workload.latency_slo_ms


def batch_judgement(workload: Workload, duration_hours: float, label: str) -> tuple[bool | None, bool | None, list[str]]:
    """(meets_slo, meets_deadline, warnings) for a batch option whose results take `duration_hours`."""
    warnings: list[str] = []
    meets_deadline = None if workload.deadline_hours is None else duration_hours <= workload.deadline_hours
    meets_slo: bool | None = None
    if workload.latency_slo_ms is not None and workload.deadline_hours is None:
        meets_slo = False
        warnings.append(f"{label} cannot answer interactive requests: the workload states a "
                        f"{workload.latency_slo_ms:g} ms latency SLO and no deadline_hours")
    if meets_deadline is False:
        warnings.append(f"results take {duration_hours:.1f} h, past the {workload.deadline_hours:g} h deadline")
    return meets_slo, meets_deadline, warnings


def cost_per_1k_requests(monthly_cost: float, requests_per_month: float) -> float:
    """Monthly cost per 1,000 requests of the workload (all N, including result-cache hits)."""
    return monthly_cost / requests_per_month * 1000.0 if requests_per_month > 0 else 0.0
