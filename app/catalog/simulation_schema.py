"""Typed schema of a scenario's optional `simulation` block (docs/simulation.md). Unknown keys are errors.

The block names the option to simulate, the time base, bursts, the service-time distribution, the
scaler (Azure Monitor autoscale rules, azureml-fe target utilization, or fixed instances) and up to
four variants that change a few settings. Turned into engine settings by simulation_loader.py.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.engine.simulation.settings import (
    DEFAULT_FE_TARGET_UTILIZATION,
    DEFAULT_MAX_QUEUE_WAIT_MS,
    DEFAULT_PROVISIONING_DELAY_S,
    STEP_SECONDS_ALLOWED,
    AutoscaleRule,
    FixedInstances,
    MonitorAutoscale,
    Scaler,
    TargetUtilization,
)
from app.engine.simulation.variants import Overrides

Count = Annotated[int, Field(ge=1, le=10_000)]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class BurstEntry(_Strict):
    day: int = Field(default=1, ge=1, le=31)  # day 1 is the Monday the run starts on
    at: HHMM = "09:00"
    minutes: int = Field(ge=1, le=44_640)
    multiplier: float = Field(ge=0, le=1000)

    @property
    def start_minute(self) -> int:
        hours, minutes = self.at.split(":")
        return (self.day - 1) * 1440 + int(hours) * 60 + int(minutes)


class ServiceEntry(_Strict):
    distribution: Literal["exponential", "deterministic", "gamma", "samples"] | None = None
    samples_ms: list[Annotated[float, Field(gt=0, le=3_600_000)]] | None = Field(default=None, min_length=2,
                                                                                max_length=100_000)

    @model_validator(mode="after")
    def _samples_when_needed(self) -> ServiceEntry:
        if (self.distribution == "samples") != (self.samples_ms is not None):
            raise ValueError("give samples_ms (a benchmark run's service times) exactly when distribution is 'samples'")
        return self


class RuleEntry(_Strict):
    metric: Literal["CpuUtilizationPercentage", "RequestsPerMinute", "RequestLatency"]
    operator: Literal["GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual", "Equals", "NotEquals"]
    threshold: float = Field(ge=0)
    direction: Literal["Increase", "Decrease"]
    action: Literal["ChangeCount", "PercentChangeCount", "ExactCount"] = "ChangeCount"
    value: float = Field(default=1, gt=0, le=10_000)
    time_aggregation: Literal["Average", "Minimum", "Maximum", "Total", "Last", "Count"] = "Average"
    time_window_minutes: int = Field(default=5, ge=1, le=720)
    cooldown_minutes: float = Field(default=5, ge=1, le=10_080)  # ARM: 1 minute to 1 week
    divide_per_instance: bool = False

    def to_engine(self) -> AutoscaleRule:
        return AutoscaleRule(metric=self.metric, operator=self.operator, threshold=self.threshold,
                             direction=self.direction, value=self.value, action=self.action,
                             time_aggregation=self.time_aggregation, time_window_minutes=self.time_window_minutes,
                             cooldown_minutes=self.cooldown_minutes, divide_per_instance=self.divide_per_instance)


class MonitorScalerEntry(_Strict):
    kind: Literal["azure-monitor"]
    min: Count
    max: Count
    default: Count | None = None  # default: min
    rules: list[RuleEntry] = Field(min_length=1, max_length=10)  # ARM allows at most 10 rules per profile
    metric_delay_minutes: int = Field(default=0, ge=0, le=60)

    @model_validator(mode="after")
    def _limits(self) -> MonitorScalerEntry:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        if self.default is not None and not self.min <= self.default <= self.max:
            raise ValueError(f"default ({self.default}) must lie between min ({self.min}) and max ({self.max})")
        return self

    def to_engine(self) -> MonitorAutoscale:
        return MonitorAutoscale(minimum=self.min, maximum=self.max, default=self.default or self.min,
                                rules=tuple(r.to_engine() for r in self.rules),
                                metric_delay_minutes=self.metric_delay_minutes)


class TargetUtilizationEntry(_Strict):
    kind: Literal["target-utilization"]
    min: Count = 1
    max: Count = 1
    target_utilization_percentage: float = Field(default=DEFAULT_FE_TARGET_UTILIZATION * 100, gt=0, le=100)
    polling_interval_s: float = Field(default=1, gt=0, le=3600)
    scale_down_factor: int = Field(default=20, ge=1, le=1000)

    @model_validator(mode="after")
    def _limits(self) -> TargetUtilizationEntry:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self

    def to_engine(self) -> TargetUtilization:
        return TargetUtilization(minimum=self.min, maximum=self.max,
                                 target_utilization=self.target_utilization_percentage / 100.0,
                                 polling_interval_s=self.polling_interval_s, scale_down_factor=self.scale_down_factor)


class FixedEntry(_Strict):
    kind: Literal["fixed"]
    instances: Count

    def to_engine(self) -> FixedInstances:
        return FixedInstances(self.instances)


ScalerEntry = Annotated[MonitorScalerEntry | TargetUtilizationEntry | FixedEntry, Field(discriminator="kind")]


class VariantEntry(_Strict):
    name: str = Field(min_length=1, max_length=60)
    min: Count | None = None
    max: Count | None = None
    default: Count | None = None
    cooldown_minutes: float | None = Field(default=None, ge=1, le=10_080)
    time_window_minutes: int | None = Field(default=None, ge=1, le=720)
    target_utilization_percentage: float | None = Field(default=None, gt=0, le=100)
    provisioning_delay_s: float | None = Field(default=None, ge=0, le=86_400)
    max_queue_wait_ms: float | None = Field(default=None, gt=0, le=3_600_000)
    concurrency: int | None = Field(default=None, ge=1, le=1024)
    instances: Count | None = None
    ptu: int | None = Field(default=None, ge=1, le=100_000)
    spillover: bool | None = None
    scaler: ScalerEntry | None = None

    def to_overrides(self) -> Overrides:
        scaler: Scaler | None = self.scaler.to_engine() if self.scaler is not None else None
        target = self.target_utilization_percentage
        return Overrides(minimum=self.min, maximum=self.max, default=self.default, cooldown_minutes=self.cooldown_minutes,
                         time_window_minutes=self.time_window_minutes,
                         target_utilization=None if target is None else target / 100.0,
                         provisioning_delay_s=self.provisioning_delay_s, max_queue_wait_ms=self.max_queue_wait_ms,
                         concurrency=self.concurrency, instances=self.instances, ptu=self.ptu,
                         spillover=self.spillover, scaler=scaler)


class ReplayEntry(_Strict):
    recording: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # "demo" or a name
    endpoint: str = Field(min_length=1, max_length=200)  # the online endpoint's name in the recording
    deployment: str | None = Field(default=None, min_length=1, max_length=200)  # default: the endpoint's first
    latency: Literal["p50", "p95", "p99"] = "p95"  # which RequestLatency_P* to compare


class SimulationEntry(_Strict):
    option: str | None = Field(default=None, min_length=1, max_length=80)
    days: float = Field(default=7, gt=0, le=31)
    step_seconds: int = 10
    seed: int = Field(default=1, ge=0, le=2**32 - 1)
    noise: Literal["poisson", "none"] = "poisson"
    bursts: list[BurstEntry] = Field(default_factory=list, max_length=50)
    service: ServiceEntry = ServiceEntry()
    max_queue_wait_ms: float = Field(default=DEFAULT_MAX_QUEUE_WAIT_MS, gt=0, le=3_600_000)
    provisioning_delay_s: float = Field(default=DEFAULT_PROVISIONING_DELAY_S, ge=0, le=86_400)
    scaler: ScalerEntry | None = None
    variants: list[VariantEntry] = Field(default_factory=list, max_length=4)
    replay: ReplayEntry | None = None

    @field_validator("step_seconds")
    @classmethod
    def _step_divides_a_minute(cls, value: int) -> int:
        if value not in STEP_SECONDS_ALLOWED:
            raise ValueError(f"must divide 60 evenly: one of {list(STEP_SECONDS_ALLOWED)}, got {value}")
        return value

    @field_validator("variants")
    @classmethod
    def _unique_names(cls, value: list[VariantEntry]) -> list[VariantEntry]:
        names = [v.name for v in value]
        if len(set(names)) != len(names):
            raise ValueError(f"variant names must be unique, got {names}")
        return value
