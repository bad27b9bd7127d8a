"""`unitOfMeasure` of the Retail Prices API normalized to the units of the price sheets.

Sheets price tokens per 1M tokens and compute per hour. The API's units are mixed (`1K` tokens for
older meters, `1M` for newer ones, `1/Hour` for PTU), so every price is normalized with
`unitOfMeasure` (docs/sources.md, "Azure Retail Prices API"). A reservation's retailPrice is the
whole-term price: it is never normalized by its unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

TOKENS_PER_SHEET_UNIT = 1_000_000
_TOKEN_UNIT = re.compile(r"^(\d+(?:\.\d+)?)\s*([KM]?)(?:\s*tokens?)?$", re.IGNORECASE)
_HOUR_UNIT = re.compile(r"^(\d+(?:\.\d+)?)?\s*/?\s*hours?$", re.IGNORECASE)
_MULTIPLIER = {"": 1, "K": 1_000, "M": 1_000_000}


@dataclass(frozen=True)
class Unit:
    """What one API unit is: `quantity` tokens or hours."""

    measure: Literal["tokens", "hours"]
    quantity: float


def parse_unit(unit_of_measure: str) -> Unit | None:
    """'1K' -> 1,000 tokens, '1M' -> 1,000,000 tokens, '1 Hour' and '1/Hour' -> 1 hour; None if unknown."""
    text = unit_of_measure.strip()
    hour = _HOUR_UNIT.match(text)
    if hour:
        return Unit("hours", float(hour.group(1) or 1))
    token = _TOKEN_UNIT.match(text)
    if token:
        quantity = float(token.group(1)) * _MULTIPLIER[token.group(2).upper()]
        return Unit("tokens", quantity) if quantity > 0 else None
    return None


def tidy(value: float) -> float:
    """Round away binary noise from unit conversion (0.00275 x 1000 -> 2.75, not 2.7499999999999996)."""
    return float(f"{value:.10g}")


def per_sheet_unit(retail_price: float, unit: Unit) -> float:
    """Price per 1M tokens or per hour: retail_price x 1,000,000 / tokens, or retail_price / hours.

    Example: 0.0025 per '1K' tokens -> 0.0025 x 1,000,000 / 1,000 = 2.50 per 1M.
    """
    if unit.measure == "tokens":
        return tidy(retail_price * TOKENS_PER_SHEET_UNIT / unit.quantity)
    return tidy(retail_price / unit.quantity)
