"""Azure ML batch endpoints: job duration, node-hours and cost.

Source: Microsoft Learn, "Batch endpoints" (compute exists only while a job runs) and "Use
low-priority VMs in batch deployments" (a reduced price), learn.microsoft.com/azure/machine-learning/
concept-endpoints-batch and how-to-use-low-priority-batch.

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
