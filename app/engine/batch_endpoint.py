"""Azure ML batch endpoints: job duration, node-hours and cost.

Source: SPEC section 3 "Batch endpoint"; pricing-capacity.md 6.4 (compute exists only while a job
runs; low-priority VMs at a reduced price).

Per job, requests = N_m / jobs_per_month spread over instances × concurrency parallel workers:

    duration_h  = requests · S / (instances · concurrency) / 3600 + startup_minutes / 60
    node_hours  = jobs_per_month · instances · duration_h
    cost        = node_hours · hourly  (or low_priority_hourly)
"""

from __future__ import annotations


def job_duration_hours(requests_per_job: float, service_time_s: float, instances: int, concurrency: int,
                       startup_minutes: float) -> float:
    return requests_per_job * service_time_s / (instances * concurrency) / 3600.0 + startup_minutes / 60.0


def node_hours(jobs_per_month: int, instances: int, duration_hours: float) -> float:
    return jobs_per_month * instances * duration_hours
