"""The price book: what the engine knows of the price sheets, with provenance on every sheet.

Prices are USD (or the sheet's currency) per 1M tokens, per PTU, or per instance-hour. A price the
plan needs and the sheet lacks raises MissingPriceError naming the sheet and its date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from app.engine.errors import MissingPriceError

PtuBilling = Literal["hourly", "monthly", "yearly"]
TOKENS_PER_PRICE_UNIT = 1_000_000


@dataclass(frozen=True)
class SheetRef:
    """Provenance of one price sheet."""

    kind: str  # "azure-openai" | "azure-ml-compute"
    region: str
    as_of: str  # ISO date
    source: str
    path: str  # as shown to the user, e.g. "pricing/azure-openai.yaml"

    def describe(self) -> str:
        return f"{self.path} (as_of {self.as_of})"


@dataclass(frozen=True)
class TokenRates:
    """USD per 1M tokens. cached_input None: no cache discount (bill at input). output None: the
    model produces no output tokens (embeddings)."""

    input: float
    cached_input: float | None
    output: float | None

    @property
    def effective_cached_input(self) -> float:
        return self.input if self.cached_input is None else self.cached_input


@dataclass(frozen=True)
class ProvisionedParams:
    """PTU sizing parameters of one model (Microsoft Learn, "Provisioned throughput onboarding")."""

    input_tpm_per_ptu: float
    output_token_weight: float
    minimum: Mapping[str, int]
    increment: Mapping[str, int]


@dataclass(frozen=True)
class PtuRate:
    """USD per PTU: per hour, per 1-month reservation, per 1-year reservation (whole term)."""

    hourly: float
    monthly: float
    yearly: float

    def per_month(self, billing: PtuBilling, hours_per_month: float) -> float:
        """Cost of one PTU for one month: hourly·H, the monthly reservation, or yearly/12."""
        if billing == "hourly":
            return float(self.hourly * hours_per_month)
        if billing == "monthly":
            return float(self.monthly)
        return float(self.yearly) / 12.0


@dataclass(frozen=True)
class ModelPrices:
    standard: Mapping[str, TokenRates]
    batch: Mapping[str, TokenRates] = field(default_factory=dict)
    provisioned: ProvisionedParams | None = None
    usage_tier_tokens_per_month: float | None = None


@dataclass(frozen=True)
class OpenAIPriceSheet:
    ref: SheetRef
    currency: str
    ptu_rates: Mapping[str, PtuRate]
    models: Mapping[str, ModelPrices]


@dataclass(frozen=True)
class ComputeSku:
    name: str
    vcpus: int
    memory_gib: float
    gpus: int
    hourly: float
    low_priority_hourly: float | None = None
    gpu: str | None = None
    skip_quota_reserve: bool = False
    relative_core_speed: float = 1.0


@dataclass(frozen=True)
class ComputePriceSheet:
    ref: SheetRef
    currency: str
    quota_reserve: float
    skus: Mapping[str, ComputeSku]


@dataclass(frozen=True)
class PriceBook:
    """All price sheets in force for one evaluation."""

    openai: OpenAIPriceSheet | None = None
    compute: ComputePriceSheet | None = None

    # --- Azure OpenAI -------------------------------------------------------------------------
    def _openai(self) -> OpenAIPriceSheet:
        if self.openai is None:
            raise MissingPriceError("no azure-openai price sheet is loaded (expected pricing/azure-openai.yaml)")
        return self.openai

    def model(self, model: str) -> ModelPrices:
        sheet = self._openai()
        if model not in sheet.models:
            known = ", ".join(sorted(sheet.models))
            raise MissingPriceError(f"{model} is not in {sheet.ref.describe()}; known models: {known}")
        return sheet.models[model]

    def standard_rates(self, model: str, level: str) -> TokenRates:
        rates = self.model(model).standard.get(level)
        if rates is None:
            raise MissingPriceError(f"{model} has no {level} standard price in {self._openai().ref.describe()}")
        return rates

    def batch_rates(self, model: str, level: str) -> TokenRates:
        rates = self.model(model).batch.get(level)
        if rates is None:
            raise MissingPriceError(f"{model} has no {level} batch price in {self._openai().ref.describe()}")
        return rates

    def provisioned(self, model: str, level: str) -> tuple[ProvisionedParams, PtuRate]:
        sheet = self._openai()
        params = self.model(model).provisioned
        if params is None or level not in params.minimum or level not in params.increment:
            raise MissingPriceError(f"{model} has no {level} provisioned (PTU) parameters in {sheet.ref.describe()}")
        rate = sheet.ptu_rates.get(level)
        if rate is None:
            raise MissingPriceError(f"no {level} PTU rate in {sheet.ref.describe()}")
        return params, rate

    # --- Azure ML compute -----------------------------------------------------------------------
    def _compute(self) -> ComputePriceSheet:
        if self.compute is None:
            raise MissingPriceError("no azure-ml-compute price sheet is loaded (expected pricing/azure-ml.yaml)")
        return self.compute

    def sku(self, name: str) -> ComputeSku:
        sheet = self._compute()
        if name not in sheet.skus:
            known = ", ".join(sorted(sheet.skus))
            raise MissingPriceError(f"{name} is not in {sheet.ref.describe()}; known SKUs: {known}")
        return sheet.skus[name]

    def instance_hourly(self, name: str, low_priority: bool = False) -> float:
        sku = self.sku(name)
        if not low_priority:
            return sku.hourly
        if sku.low_priority_hourly is None:
            raise MissingPriceError(f"{name} has no low-priority price in {self._compute().ref.describe()}")
        return sku.low_priority_hourly

    @property
    def quota_reserve(self) -> float:
        return self._compute().quota_reserve

    def sheet_for(self, kind: str) -> SheetRef:
        sheet = self.openai if kind == "azure-openai" else self.compute
        if sheet is None:
            raise MissingPriceError(f"no {kind} price sheet is loaded")
        return sheet.ref

    @property
    def currency(self) -> str:
        currencies = {s.currency for s in (self.openai, self.compute) if s is not None}
        if len(currencies) > 1:
            raise MissingPriceError(f"the price sheets use different currencies ({', '.join(sorted(currencies))}); "
                                    "load sheets of one currency")
        return currencies.pop() if currencies else "USD"
