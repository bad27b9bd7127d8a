"""The price lines each option was priced from, for the appendix (sheet, key path, value, unit).

Keyed by option kind (a lookup table, like the registry): a kind missing here still gets its sheets
listed on the cover, and the appendix says that its lines are not itemised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.engine.prices import PriceBook, SheetRef, TokenRates

PER_1M = "per 1M tokens"


@dataclass(frozen=True)
class PriceLine:
    sheet: SheetRef
    key: str  # YAML path in the sheet, e.g. "models.gpt-4o.tokens.global.input"
    value: str
    unit: str


def _token_lines(sheet: SheetRef, prefix: str, rates: TokenRates, cur: str) -> list[PriceLine]:
    cached = PriceLine(sheet, f"{prefix}.cached_input", f"{rates.cached_input:g}", f"{cur} {PER_1M}") \
        if rates.cached_input is not None else \
        PriceLine(sheet, f"{prefix}.cached_input", "null", f"no cache discount: billed at {rates.input:g} (input)")
    output = PriceLine(sheet, f"{prefix}.output", f"{rates.output:g}", f"{cur} {PER_1M}") \
        if rates.output is not None else PriceLine(sheet, f"{prefix}.output", "null", "no output tokens")
    lines = [PriceLine(sheet, f"{prefix}.input", f"{rates.input:g}", f"{cur} {PER_1M}"), cached, output]
    return lines


def _standard(spec: Any, prices: PriceBook, cur: str) -> list[PriceLine]:
    sheet = prices.sheet_for("azure-openai")
    return _token_lines(sheet, f"models.{spec.model}.tokens.{spec.deployment}",
                        prices.standard_rates(spec.model, spec.deployment), cur)


def _batch(spec: Any, prices: PriceBook, cur: str) -> list[PriceLine]:
    sheet = prices.sheet_for("azure-openai")
    return _token_lines(sheet, f"models.{spec.model}.batch.{spec.deployment}",
                        prices.batch_rates(spec.model, spec.deployment), cur)


def _provisioned(spec: Any, prices: PriceBook, cur: str) -> list[PriceLine]:
    sheet = prices.sheet_for("azure-openai")
    params, rate = prices.provisioned(spec.model, spec.deployment)
    base = f"models.{spec.model}.provisioned"
    per = {"hourly": "per PTU-hour", "monthly": "per PTU, 1-month reservation",
           "yearly": "per PTU, 1-year reservation"}[spec.billing]
    lines = [
        PriceLine(sheet, f"ptu_rates.{spec.deployment}.{spec.billing}", f"{getattr(rate, spec.billing):g}",
                  f"{cur} {per}"),
        PriceLine(sheet, f"{base}.input_tpm_per_ptu", f"{params.input_tpm_per_ptu:,g}", "input tokens/min per PTU"),
        PriceLine(sheet, f"{base}.output_token_weight", f"{params.output_token_weight:g}", "input tokens per output token"),
        PriceLine(sheet, f"{base}.minimum.{spec.deployment}", f"{params.minimum[spec.deployment]}", "PTU"),
        PriceLine(sheet, f"{base}.increment.{spec.deployment}", f"{params.increment[spec.deployment]}", "PTU"),
    ]
    if spec.spillover:
        lines += _standard(spec, prices, cur)
    return lines


def _compute_lines(spec: Any, prices: PriceBook, cur: str, low_priority: bool) -> list[PriceLine]:
    sheet = prices.sheet_for("azure-ml-compute")
    sku = prices.sku(spec.sku)
    field = "low_priority_hourly" if low_priority else "hourly"
    return [
        PriceLine(sheet, f"skus.{sku.name}.{field}", f"{prices.instance_hourly(sku.name, low_priority):g}",
                  f"{cur} per instance-hour"),
        PriceLine(sheet, f"skus.{sku.name}.vcpus", f"{sku.vcpus}", "vCPUs per instance"),
    ]


def _online(spec: Any, prices: PriceBook, cur: str) -> list[PriceLine]:
    lines = _compute_lines(spec, prices, cur, False)
    sku = prices.sku(spec.sku)
    reserve = "not applied (skip_quota_reserve)" if sku.skip_quota_reserve else f"{prices.quota_reserve:g}"
    lines.append(PriceLine(prices.sheet_for("azure-ml-compute"), "quota_reserve", reserve, "extra share of cores"))
    return lines


def _aml_batch(spec: Any, prices: PriceBook, cur: str) -> list[PriceLine]:
    return _compute_lines(spec, prices, cur, bool(spec.low_priority))


PRICE_LINES: dict[str, Callable[[Any, PriceBook, str], list[PriceLine]]] = {
    "aoai-standard": _standard,
    "aoai-batch": _batch,
    "aoai-provisioned": _provisioned,
    "aml-online": _online,
    "aml-batch": _aml_batch,
}


def price_lines(spec: Any, prices: PriceBook) -> list[PriceLine] | None:
    """The lines `spec` was priced from, or None when its kind is not itemised here."""
    lines = PRICE_LINES.get(spec.kind)
    return None if lines is None else lines(spec, prices, prices.currency)
