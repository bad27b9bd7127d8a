"""Typed settings of a time-series simulation (frozen dataclasses; the catalog fills them from YAML).

Units are in the names: `_s` seconds, `_ms` milliseconds, `_minutes` minutes. Defaults follow
Azure's documented defaults (Microsoft Learn, "Autoscale an online endpoint" and "How azureml-fe
routes requests"; docs/sources.md):

- Azure Monitor autoscale: cooldown 5 min (`az monitor autoscale rule create`), time grain 1 min,
  capacity minimum / maximum / default.
- azureml-fe (Kubernetes online endpoints): target utilization 70%, polling interval 1 s,
  scale-down about 20× slower than scale-up, max_queue_wait_ms 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Metric = Literal["CpuUtilizationPercentage", "RequestsPerMinute", "RequestLatency"]
Operator = Literal["GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual", "Equals", "NotEquals"]
TimeAggregation = Literal["Average", "Minimum", "Maximum", "Total", "Last", "Count"]
Direction = Literal["Increase", "Decrease"]
ActionType = Literal["ChangeCount", "PercentChangeCount", "ExactCount"]
ServiceDistribution = Literal["exponential", "deterministic", "gamma", "samples"]
Noise = Literal["poisson", "none"]

STEP_SECONDS_ALLOWED = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)
DEFAULT_MAX_QUEUE_WAIT_MS = 500.0  # azureml-fe request_settings.max_queue_wait_ms
DEFAULT_PROVISIONING_DELAY_S = 300.0  # a new instance serves this long after it is requested
DEFAULT_FE_TARGET_UTILIZATION = 0.70  # azureml-fe target_utilization_percentage 70


@dataclass(frozen=True)
class Burst:
    """Traffic multiplied by `multiplier` for `minutes` from `start_minute` (minute 0 = Monday 00:00)."""

    start_minute: int
    minutes: int
    multiplier: float


@dataclass(frozen=True)
class ServiceTimes:
    """Time one request occupies one slot: exponential, deterministic, gamma with coefficient of
    variation `cv` (as app/engine/queueing.py), or a benchmark run's `samples_ms`."""

    mean_ms: float
    distribution: ServiceDistribution = "exponential"
    samples_ms: tuple[float, ...] = ()
    cv: float = 1.0  # gamma only


@dataclass(frozen=True)
class AutoscaleRule:
    """One Azure Monitor autoscale rule (ARM `ScaleRule`: metricTrigger + scaleAction)."""

    metric: Metric
    operator: Operator
    threshold: float
    direction: Direction
    value: float = 1.0  # instances (ChangeCount, ExactCount) or percent (PercentChangeCount)
    action: ActionType = "ChangeCount"
    time_aggregation: TimeAggregation = "Average"
    time_window_minutes: int = 5
    cooldown_minutes: float = 5.0
    divide_per_instance: bool = False  # RequestsPerMinute per instance (ARM metricTrigger.dividePerInstance)


@dataclass(frozen=True)
class MonitorAutoscale:
    """Azure Monitor autoscale setting for a managed online deployment (one profile)."""

    minimum: int
    maximum: int
    default: int
    rules: tuple[AutoscaleRule, ...]
    metric_delay_minutes: int = 0  # minutes before a 1-minute metric point is visible to autoscale
    kind: str = "azure-monitor"


@dataclass(frozen=True)
class TargetUtilization:
    """azureml-fe target-utilization autoscale (Kubernetes online endpoints)."""

    minimum: int = 1
    maximum: int = 1
    target_utilization: float = DEFAULT_FE_TARGET_UTILIZATION
    polling_interval_s: float = 1.0
    scale_down_factor: int = 20
    kind: str = "target-utilization"


@dataclass(frozen=True)
class FixedInstances:
    instances: int
    kind: str = "fixed"


Scaler = MonitorAutoscale | TargetUtilization | FixedInstances


@dataclass(frozen=True)
class OnlineSystem:
    """An online endpoint deployment: instances × concurrency slots in front of one FCFS queue."""

    scaler: Scaler
    concurrency: int
    service: ServiceTimes
    instance_hourly_cost: float
    max_queue_wait_ms: float = DEFAULT_MAX_QUEUE_WAIT_MS
    provisioning_delay_s: float = DEFAULT_PROVISIONING_DELAY_S
    kind: str = "online"


@dataclass(frozen=True)
class PtuSystem:
    """A provisioned (PTU) deployment with a per-minute leaky bucket, spillover or throttling."""

    ptu: int
    input_tpm_per_ptu: float
    weighted_tokens_per_request: float  # P·(1 − h) + w·C: cached tokens deducted
    ptu_hourly_cost: float  # cost of the whole deployment per hour (all PTUs)
    spillover: bool
    spill_cost_per_request: float  # Standard token cost of one spilled request
    kind: str = "ptu"


System = OnlineSystem | PtuSystem


@dataclass(frozen=True)
class RunSettings:
    """The time base and the judgement of a run."""

    days: float = 7.0
    step_s: int = 10
    seed: int = 1
    noise: Noise = "poisson"
    bursts: tuple[Burst, ...] = ()
    latency_slo_ms: float | None = None
    failure_budget: float = 0.05  # a minute violates the SLO when more than this share fails (p95 ⇒ 5%)


@dataclass(frozen=True)
class Variant:
    """One named system to simulate over the shared traffic."""

    name: str
    system: System
    notes: tuple[str, ...] = field(default=())
