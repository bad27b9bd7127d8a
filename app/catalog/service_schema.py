"""Typed schema of the `azure-openai-service` sheet: curated latency figures and quotas of Azure
OpenAI (not prices). Unknown keys are errors; every entry names its public source and the date it
was last checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.engine.prices import SheetRef
from app.engine.service_facts import (
    QUOTA_TIERS,
    BatchQuota,
    MedianLatency,
    ModelLatency,
    ModelQuotas,
    ServiceFacts,
    Sourced,
    SpeedTarget,
    Spread,
    StandardQuota,
)

TierName = Literal["standard", "provisioned", "priority"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Sourced(_Strict):
    source: str = Field(min_length=1, max_length=600)
    checked: dt.date = Field(strict=False)
    note: str | None = Field(default=None, max_length=600)

    def provenance(self) -> Sourced:
        return Sourced(self.source, self.checked.isoformat(), self.note)


class SpreadEntry(_Sourced):
    ttft_sigma: float = Field(ge=0, le=3)
    speed_sigma: float = Field(ge=0, le=3)


class FactorEntry(_Sourced):
    factor: float = Field(ge=1, le=10)


class KneeEntry(_Sourced):
    knee_utilization: float = Field(ge=0, le=1)


class MedianEntry(_Sourced):
    ttft_ms: float = Field(gt=0, le=600_000)
    tokens_per_second: float = Field(gt=0, le=100_000)


class TargetEntry(_Sourced):
    tokens_per_second: float = Field(gt=0, le=100_000)


class ModelLatencyEntry(_Strict):
    median: MedianEntry | None = None
    provisioned_target: TargetEntry | None = None
    priority_target: TargetEntry | None = None


class LatencySection(_Strict):
    spread: dict[TierName, SpreadEntry] = Field(min_length=1)
    above_usage_tier: FactorEntry
    provisioned_load: KneeEntry
    models: dict[str, ModelLatencyEntry] = Field(default_factory=dict)

    @field_validator("spread")
    @classmethod
    def _standard_spread(cls, value: dict[str, SpreadEntry]) -> dict[str, SpreadEntry]:
        if "standard" not in value:
            raise ValueError("needs a standard entry (the spread used when a tier has none of its own)")
        return value


class QuotaEntry(_Strict):
    tpm: int = Field(gt=0, le=10**12)
    rpm: int = Field(gt=0, le=10**12)


class StandardQuotaEntry(_Sourced):
    global_: dict[int, QuotaEntry] = Field(default_factory=dict, alias="global")
    data_zone: dict[int, QuotaEntry] = Field(default_factory=dict, alias="data-zone")
    regional: dict[int, QuotaEntry] = Field(default_factory=dict)

    @field_validator("global_", "data_zone", "regional")
    @classmethod
    def _tiers(cls, value: dict[int, QuotaEntry]) -> dict[int, QuotaEntry]:
        wrong = sorted(k for k in value if k not in QUOTA_TIERS)
        if wrong:
            raise ValueError(f"quota tiers are 1 to 6, got {wrong}")
        return value


class BatchLimitEntry(_Strict):
    default: int = Field(gt=0, le=10**15)
    enterprise: int = Field(gt=0, le=10**15)


class BatchQuotaEntry(_Sourced):
    global_: BatchLimitEntry | None = Field(default=None, alias="global")
    data_zone: BatchLimitEntry | None = Field(default=None, alias="data-zone")


class QuotaSection(_Strict):
    standard: dict[str, StandardQuotaEntry] = Field(default_factory=dict)
    batch: dict[str, BatchQuotaEntry] = Field(default_factory=dict)


class ServiceSheetFile(_Strict):
    kind: Literal["azure-openai-service"]
    region: str = Field(min_length=1)
    as_of: dt.date = Field(strict=False)
    source: str = Field(min_length=1)
    note: str | None = None
    latency: LatencySection
    quotas: QuotaSection = QuotaSection()

    def to_engine(self, path: str) -> ServiceFacts:
        ref = SheetRef(self.kind, self.region, self.as_of.isoformat(), self.source, path)
        lat = self.latency
        models = {
            name: ModelLatency(
                median=MedianLatency(m.median.ttft_ms, m.median.tokens_per_second, m.median.provenance())
                if m.median else None,
                provisioned_target=SpeedTarget(m.provisioned_target.tokens_per_second,
                                               m.provisioned_target.provenance()) if m.provisioned_target else None,
                priority_target=SpeedTarget(m.priority_target.tokens_per_second, m.priority_target.provenance())
                if m.priority_target else None,
            )
            for name, m in lat.models.items()
        }
        quotas = {
            name: ModelQuotas(
                standard={level: {tier: StandardQuota(float(q.tpm), float(q.rpm)) for tier, q in table.items()}
                          for level, table in (("global", e.global_), ("data-zone", e.data_zone),
                                               ("regional", e.regional)) if table},
                provenance=e.provenance())
            for name, e in self.quotas.standard.items()
        }
        batch = {
            name: {level: BatchQuota(float(limit.default), float(limit.enterprise), e.provenance())
                   for level, limit in (("global", e.global_), ("data-zone", e.data_zone)) if limit is not None}
            for name, e in self.quotas.batch.items()
        }
        return ServiceFacts(
            ref=ref,
            spread={tier: Spread(s.ttft_sigma, s.speed_sigma, s.provenance()) for tier, s in lat.spread.items()},
            above_usage_tier_factor=lat.above_usage_tier.factor,
            above_usage_tier=lat.above_usage_tier.provenance(),
            provisioned_knee_utilization=lat.provisioned_load.knee_utilization,
            provisioned_load=lat.provisioned_load.provenance(),
            latency=models, quotas=quotas, batch_quotas=batch,
        )
