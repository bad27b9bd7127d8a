"""Typed schema of scenario files (docs/scenarios.md). Unknown keys are errors.

Options are validated by the schema of their `kind` (option_schemas.py): one class per kind,
registered with `@option_schema`, that turns into the engine's spec dataclass of the same kind
(app/engine/kinds/). Adding a kind adds one class here (or in a module imported here) and one
module there.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.catalog.option_schemas import OptionEntry, OptionEntryField, Word, option_schema
from app.catalog.simulation_schema import SimulationEntry
from app.engine.aoai_latency import LatencyOverride
from app.engine.kinds.aml_batch import AmlBatchSpec
from app.engine.kinds.aml_online import DEFAULT_TARGET_UTILIZATION, AmlOnlineSpec, Autoscale
from app.engine.kinds.aoai_batch import AoaiBatchSpec
from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
from app.engine.kinds.aoai_standard import AoaiStandardSpec
from app.engine.levels import BatchLevel, DeploymentLevel
from app.engine.prices import PtuBilling
from app.engine.scenario import DEFAULT_HOURS_PER_MONTH, Scenario
from app.engine.workload import DataResidency, Traffic, Workload
from app.safe_text import no_control_characters, no_control_characters_but_lines

# Realistic bounds of every input (docs/scenarios.md "Bounds"): far beyond any real plan, small enough
# that no evaluation, sweep or chart can cost the server more than its documented memory and time.
MIN_REQUESTS_PER_MONTH = 1.0
MAX_REQUESTS_PER_MONTH = 1e12  # ~385,000 requests/s around the clock, past any subscription's quota
MAX_PROMPT_TOKENS = 2_000_000  # twice the largest context window (about 1M tokens)
MAX_COMPLETION_TOKENS = 200_000  # above the largest output limit (128k tokens)
MAX_SERVICE_TIME_MS = 3_600_000  # an hour per request
MAX_LATENCY_SLO_MS = 86_400_000  # a day
MAX_DEADLINE_HOURS = 744  # a month
MAX_OPTIONS = 20  # a readable table and chart; the Explore sweeps cost grows with it

Share = Annotated[float, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class TrafficEntry(_Strict):
    shape: Literal["flat", "business_hours", "diurnal"] = "flat"
    peak_to_average: float = Field(default=1.0, ge=1, le=100)


class TokensEntry(_Strict):
    prompt: float = Field(default=0, ge=0, le=MAX_PROMPT_TOKENS)
    completion: float = Field(default=0, ge=0, le=MAX_COMPLETION_TOKENS)


class CachingEntry(_Strict):
    prompt_cache_hit_rate: Share = 0.0
    result_cache_hit_rate: Share = 0.0


class WorkloadEntry(_Strict):
    requests_per_month: float = Field(ge=MIN_REQUESTS_PER_MONTH, le=MAX_REQUESTS_PER_MONTH)
    traffic: TrafficEntry = TrafficEntry()
    tokens: TokensEntry = TokensEntry()
    caching: CachingEntry = CachingEntry()
    service_time_ms: float | None = Field(default=None, gt=0, le=MAX_SERVICE_TIME_MS)
    service_time_cv: float = Field(default=1.0, ge=0, le=10)
    latency_slo_ms: float | None = Field(default=None, gt=0, le=MAX_LATENCY_SLO_MS)
    ttft_slo_ms: float | None = Field(default=None, gt=0, le=MAX_LATENCY_SLO_MS)
    deadline_hours: float | None = Field(default=None, gt=0, le=MAX_DEADLINE_HOURS)
    data_residency: DataResidency = "none"

    def to_engine(self) -> Workload:
        return Workload(
            requests_per_month=self.requests_per_month,
            traffic=Traffic(self.traffic.shape, self.traffic.peak_to_average),
            prompt_tokens=self.tokens.prompt,
            completion_tokens=self.tokens.completion,
            prompt_cache_hit_rate=self.caching.prompt_cache_hit_rate,
            result_cache_hit_rate=self.caching.result_cache_hit_rate,
            service_time_ms=self.service_time_ms,
            service_time_cv=self.service_time_cv,
            latency_slo_ms=self.latency_slo_ms,
            deadline_hours=self.deadline_hours,
            ttft_slo_ms=self.ttft_slo_ms,
            data_residency=self.data_residency,
        )


class LatencyEntry(_Strict):
    """Medians of one deployment (a load test, or Azure Monitor telemetry) replacing the sheet's."""

    ttft_ms: float = Field(gt=0, le=600_000)
    tokens_per_second: float = Field(gt=0, le=100_000)

    def to_engine(self) -> LatencyOverride:
        return LatencyOverride(self.ttft_ms, self.tokens_per_second)


@option_schema
class AoaiStandardEntry(OptionEntry):
    """`latency`: medians measured for this deployment (Azure Monitor, or a load test; `capplan
    telemetry calibrate` writes them), replacing the service sheet's. `quota_tier`: the subscription's
    quota tier (1 when absent); `tpm_quota`: the tokens-per-minute quota the customer was granted,
    replacing the tier's."""

    kind: Literal["aoai-standard"]
    model: Word
    deployment: DeploymentLevel = "global"
    latency: LatencyEntry | None = None
    quota_tier: int | None = Field(default=None, ge=1, le=6)
    tpm_quota: int | None = Field(default=None, ge=1, le=10**12)

    def to_spec(self) -> AoaiStandardSpec:
        return AoaiStandardSpec(name=self.name, model=self.model, deployment=self.deployment,
                                latency=self.latency.to_engine() if self.latency else None,
                                quota_tier=self.quota_tier, tpm_quota=self.tpm_quota)


@option_schema
class AoaiBatchEntry(OptionEntry):
    """`enqueued_token_quota` replaces the model's default enqueued-token quota (Microsoft Learn)."""

    kind: Literal["aoai-batch"]
    model: Word
    deployment: BatchLevel = "global"
    enqueued_token_quota: int | None = Field(default=None, ge=1, le=10**15)

    def to_spec(self) -> AoaiBatchSpec:
        return AoaiBatchSpec(name=self.name, model=self.model, deployment=self.deployment,
                             enqueued_token_quota=self.enqueued_token_quota)


@option_schema
class AoaiProvisionedEntry(OptionEntry):
    """`latency`: measured medians, as for `aoai-standard`. `ptu_quota`: the regional PTU quota of the
    deployment type, checked when stated."""

    kind: Literal["aoai-provisioned"]
    model: Word
    deployment: DeploymentLevel = "global"
    ptu: Literal["auto"] | Annotated[int, Field(ge=1, le=100_000)] = "auto"
    billing: PtuBilling = "monthly"
    spillover: bool = False
    latency: LatencyEntry | None = None
    ptu_quota: int | None = Field(default=None, ge=1, le=10**7)

    def to_spec(self) -> AoaiProvisionedSpec:
        return AoaiProvisionedSpec(name=self.name, model=self.model, deployment=self.deployment, ptu=self.ptu,
                                   billing=self.billing, spillover=self.spillover,
                                   latency=self.latency.to_engine() if self.latency else None,
                                   ptu_quota=self.ptu_quota)


class AutoscaleEntry(_Strict):
    min: int = Field(ge=1, le=10_000)
    max: int = Field(ge=1, le=10_000)
    target_utilization: float = Field(default=DEFAULT_TARGET_UTILIZATION, gt=0, le=1)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> AutoscaleEntry:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self


@option_schema
class AmlOnlineEntry(OptionEntry):
    """Give either `instances` (a fixed count) or `autoscale`, not both."""

    kind: Literal["aml-online"]
    sku: Word
    instances: int | None = Field(default=None, ge=1, le=10_000)
    autoscale: AutoscaleEntry | None = None
    concurrency: int = Field(default=1, ge=1, le=1024)

    @model_validator(mode="after")
    def _instances_or_autoscale(self) -> AmlOnlineEntry:
        if (self.instances is None) == (self.autoscale is None):
            raise ValueError("give either instances (a fixed count) or autoscale: {min, max, target_utilization}, not "
                             + ("both" if self.instances is not None else "neither"))
        return self

    def to_spec(self) -> AmlOnlineSpec:
        scale = self.autoscale
        return AmlOnlineSpec(name=self.name, sku=self.sku, instances=self.instances,
                             autoscale=Autoscale(scale.min, scale.max, scale.target_utilization) if scale else None,
                             concurrency=self.concurrency)


@option_schema
class AmlBatchEntry(OptionEntry):
    kind: Literal["aml-batch"]
    sku: Word
    instances: int = Field(default=1, ge=1, le=10_000)
    jobs_per_month: int = Field(default=30, ge=1, le=100_000)
    startup_minutes: float = Field(default=5, ge=0, le=1440)
    low_priority: bool = False
    concurrency: int = Field(default=1, ge=1, le=1024)

    def to_spec(self) -> AmlBatchSpec:
        return AmlBatchSpec(name=self.name, sku=self.sku, instances=self.instances,
                            jobs_per_month=self.jobs_per_month, startup_minutes=self.startup_minutes,
                            low_priority=self.low_priority, concurrency=self.concurrency)


class ScenarioFile(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=120), AfterValidator(no_control_characters)]
    description: Annotated[str, Field(default="", max_length=4000), AfterValidator(no_control_characters_but_lines)] = ""
    hours_per_month: int = Field(default=DEFAULT_HOURS_PER_MONTH, ge=1, le=744)
    workload: WorkloadEntry
    options: list[OptionEntryField] = Field(min_length=1, max_length=MAX_OPTIONS)
    simulation: SimulationEntry | None = None  # optional time-series simulation (simulation_schema.py)

    def to_engine(self) -> Scenario:
        return Scenario(name=self.name, description=self.description, hours_per_month=self.hours_per_month,
                        workload=self.workload.to_engine(), options=tuple(o.to_spec() for o in self.options))
