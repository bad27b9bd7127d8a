"""Typed schemas of the price sheets (docs/prices.md). Unknown keys are errors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.catalog.service_schema import ServiceSheetFile
from app.engine.levels import BatchLevel, DeploymentLevel
from app.engine.prices import (
    ComputePriceSheet,
    ComputeSku,
    ModelPrices,
    OpenAIPriceSheet,
    ProvisionedParams,
    PtuRate,
    SheetRef,
    TokenRates,
)

Level = DeploymentLevel  # the one deployment-level type: app/engine/levels.py
# Plausible prices in any currency (JPY included): far above every list price, finite. A figure
# beyond them is a typo or a broken mirror, and an error naming its line (docs/prices.md "Bounds").
MAX_TOKEN_PRICE = 100_000.0  # per 1M tokens
MAX_PTU_HOURLY, MAX_PTU_MONTHLY, MAX_PTU_YEARLY = 10_000.0, 10_000_000.0, 100_000_000.0  # per PTU
MAX_VM_HOURLY = 100_000.0  # per instance-hour
TokenPrice = Annotated[float, Field(ge=0, le=MAX_TOKEN_PRICE)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class TokenPriceEntry(_Strict):
    """USD per 1M tokens. cached_input null: no cache discount. output null: no output tokens."""

    input: TokenPrice
    cached_input: TokenPrice | None = None
    output: TokenPrice | None = None
    note: str | None = None

    def to_engine(self) -> TokenRates:
        return TokenRates(input=self.input, cached_input=self.cached_input, output=self.output)


class ProvisionedEntry(_Strict):
    input_tpm_per_ptu: float = Field(gt=0, le=100_000_000)
    output_token_weight: float = Field(gt=0, le=100)
    minimum: dict[Level, int]
    increment: dict[Level, int]
    note: str | None = None

    @model_validator(mode="after")
    def _positive_and_matching(self) -> ProvisionedEntry:
        for name, table in (("minimum", self.minimum), ("increment", self.increment)):
            for level, value in table.items():
                if value < 1:
                    raise ValueError(f"{name}.{level} must be a whole number ≥ 1, got {value}")
                if value > 100_000:
                    raise ValueError(f"{name}.{level} must be at most 100,000 PTU, got {value}")
        if set(self.minimum) != set(self.increment):
            raise ValueError("minimum and increment must list the same deployment levels")
        return self

    def to_engine(self) -> ProvisionedParams:
        return ProvisionedParams(self.input_tpm_per_ptu, self.output_token_weight,
                                 {str(level): n for level, n in self.minimum.items()},
                                 {str(level): n for level, n in self.increment.items()})


class ModelEntry(_Strict):
    tokens: dict[Level, TokenPriceEntry] = Field(min_length=1)
    batch: dict[BatchLevel, TokenPriceEntry] = Field(default_factory=dict)
    provisioned: ProvisionedEntry | None = None
    usage_tier_tokens_per_month: float | None = Field(default=None, gt=0, le=1e18)
    note: str | None = None

    def to_engine(self) -> ModelPrices:
        return ModelPrices(
            standard={k: v.to_engine() for k, v in self.tokens.items()},
            batch={k: v.to_engine() for k, v in self.batch.items()},
            provisioned=self.provisioned.to_engine() if self.provisioned else None,
            usage_tier_tokens_per_month=self.usage_tier_tokens_per_month,
        )


class PtuRateEntry(_Strict):
    hourly: float = Field(ge=0, le=MAX_PTU_HOURLY)
    monthly: float = Field(ge=0, le=MAX_PTU_MONTHLY)
    yearly: float = Field(ge=0, le=MAX_PTU_YEARLY)
    note: str | None = None


class _SheetHeader(_Strict):
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    region: str = Field(min_length=1)
    as_of: dt.date = Field(strict=False)
    source: str = Field(min_length=1)
    note: str | None = None


class OpenAISheetFile(_SheetHeader):
    kind: Literal["azure-openai"]
    ptu_rates: dict[Level, PtuRateEntry] = Field(default_factory=dict)
    models: dict[str, ModelEntry] = Field(min_length=1)

    def to_engine(self, path: str) -> OpenAIPriceSheet:
        ref = SheetRef(self.kind, self.region, self.as_of.isoformat(), self.source, path)
        return OpenAIPriceSheet(
            ref=ref, currency=self.currency,
            ptu_rates={k: PtuRate(v.hourly, v.monthly, v.yearly) for k, v in self.ptu_rates.items()},
            models={k: v.to_engine() for k, v in self.models.items()},
        )


class SkuEntry(_Strict):
    vcpus: int = Field(ge=1, le=10_000)
    memory_gib: float = Field(gt=0, le=1_000_000)
    gpus: int = Field(default=0, ge=0, le=1_000)
    gpu: str | None = None
    hourly: float = Field(ge=0, le=MAX_VM_HOURLY)
    low_priority_hourly: float | None = Field(default=None, ge=0, le=MAX_VM_HOURLY)
    skip_quota_reserve: bool = False
    relative_core_speed: float = Field(default=1.0, ge=0.01, le=100)
    note: str | None = None


class ComputeSheetFile(_SheetHeader):
    kind: Literal["azure-ml-compute"]
    quota_reserve: float = Field(default=0.2, ge=0, le=1)
    skus: dict[str, SkuEntry] = Field(min_length=1)

    def to_engine(self, path: str) -> ComputePriceSheet:
        ref = SheetRef(self.kind, self.region, self.as_of.isoformat(), self.source, path)
        return ComputePriceSheet(
            ref=ref, currency=self.currency, quota_reserve=self.quota_reserve,
            skus={name: ComputeSku(name=name, vcpus=s.vcpus, memory_gib=s.memory_gib, gpus=s.gpus, hourly=s.hourly,
                                   low_priority_hourly=s.low_priority_hourly, gpu=s.gpu,
                                   skip_quota_reserve=s.skip_quota_reserve, relative_core_speed=s.relative_core_speed)
                  for name, s in self.skus.items()},
        )


SHEET_SCHEMAS: dict[str, type[OpenAISheetFile] | type[ComputeSheetFile] | type[ServiceSheetFile]] = {
    "azure-openai": OpenAISheetFile,
    "azure-ml-compute": ComputeSheetFile,
    "azure-openai-service": ServiceSheetFile,  # latency figures and quotas (service_schema.py)
}
