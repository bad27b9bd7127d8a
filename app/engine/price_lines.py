"""The price lines an option was priced from (sheet, key path, value, unit), for the PDF appendix.

Each option kind lists its own lines (its `price_lines` hook) with these helpers, so every figure
of the report traces to an entry of a price sheet and that sheet's date.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.prices import PriceBook, PtuBilling, SheetRef, TokenRates

PER_1M = "per 1M tokens"
PTU_TERMS: dict[PtuBilling, str] = {"hourly": "per PTU-hour", "monthly": "per PTU, 1-month reservation",
                                    "yearly": "per PTU, 1-year reservation"}


@dataclass(frozen=True)
class PriceLine:
    sheet: SheetRef
    key: str  # YAML path in the sheet, e.g. "models.gpt-4o.tokens.global.input"
    value: str
    unit: str


def token_lines(prices: PriceBook, prefix: str, rates: TokenRates) -> list[PriceLine]:
    """Input, cached-input and output prices under `prefix` (e.g. "models.gpt-4o.tokens.global")."""
    sheet, cur = prices.sheet_for("azure-openai"), prices.currency
    cached = PriceLine(sheet, f"{prefix}.cached_input", f"{rates.cached_input:g}", f"{cur} {PER_1M}") \
        if rates.cached_input is not None else \
        PriceLine(sheet, f"{prefix}.cached_input", "null", f"no cache discount: billed at {rates.input:g} (input)")
    output = PriceLine(sheet, f"{prefix}.output", f"{rates.output:g}", f"{cur} {PER_1M}") \
        if rates.output is not None else PriceLine(sheet, f"{prefix}.output", "null", "no output tokens")
    return [PriceLine(sheet, f"{prefix}.input", f"{rates.input:g}", f"{cur} {PER_1M}"), cached, output]


def standard_lines(prices: PriceBook, model: str, level: str) -> list[PriceLine]:
    return token_lines(prices, f"models.{model}.tokens.{level}", prices.standard_rates(model, level))


def batch_lines(prices: PriceBook, model: str, level: str) -> list[PriceLine]:
    return token_lines(prices, f"models.{model}.batch.{level}", prices.batch_rates(model, level))


def provisioned_lines(prices: PriceBook, model: str, level: str, billing: PtuBilling) -> list[PriceLine]:
    """The PTU rate of the billing term and the model's PTU sizing parameters at `level`."""
    sheet, cur = prices.sheet_for("azure-openai"), prices.currency
    params, rate = prices.provisioned(model, level)
    base = f"models.{model}.provisioned"
    return [
        PriceLine(sheet, f"ptu_rates.{level}.{billing}", f"{getattr(rate, billing):g}", f"{cur} {PTU_TERMS[billing]}"),
        PriceLine(sheet, f"{base}.input_tpm_per_ptu", f"{params.input_tpm_per_ptu:,g}", "input tokens/min per PTU"),
        PriceLine(sheet, f"{base}.output_token_weight", f"{params.output_token_weight:g}", "input tokens per output token"),
        PriceLine(sheet, f"{base}.minimum.{level}", f"{params.minimum[level]}", "PTU"),
        PriceLine(sheet, f"{base}.increment.{level}", f"{params.increment[level]}", "PTU"),
    ]


def compute_lines(prices: PriceBook, sku_name: str, low_priority: bool = False) -> list[PriceLine]:
    """The instance-hour price (pay-as-you-go or low priority) and the vCPUs of a VM size."""
    sheet = prices.sheet_for("azure-ml-compute")
    sku = prices.sku(sku_name)
    field = "low_priority_hourly" if low_priority else "hourly"
    return [
        PriceLine(sheet, f"skus.{sku.name}.{field}", f"{prices.instance_hourly(sku.name, low_priority):g}",
                  f"{prices.currency} per instance-hour"),
        PriceLine(sheet, f"skus.{sku.name}.vcpus", f"{sku.vcpus}", "vCPUs per instance"),
    ]


def quota_reserve_line(prices: PriceBook, sku_name: str) -> PriceLine:
    """The compute sheet's quota reserve, or why it does not apply to this SKU."""
    sku = prices.sku(sku_name)
    reserve = "not applied (skip_quota_reserve)" if sku.skip_quota_reserve else f"{prices.quota_reserve:g}"
    return PriceLine(prices.sheet_for("azure-ml-compute"), "quota_reserve", reserve, "extra share of cores")
