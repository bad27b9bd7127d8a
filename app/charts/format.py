"""Number formatting shared by chart definitions, the dashboard and the PDF (text, not figures)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from app.engine.prices import SheetRef

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def money(value: float | None, currency: str = "USD", decimals: int | None = None) -> str:
    """'$7,437.50', '$0.0074', '€12', '1,234 SEK'. Decimals: 2 by default, more for tiny amounts."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        magnitude = abs(value)
        decimals = 2 if magnitude >= 1 or magnitude == 0 else 4
    symbol = CURRENCY_SYMBOLS.get(currency)
    sign = "-" if value < 0 else ""
    number = f"{abs(value):,.{decimals}f}"
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"


def money_short(value: float | None, currency: str = "USD") -> str:
    """'$1.2M', '$35.1k', '$940' for labels on charts."""
    if value is None:
        return "–"
    magnitude = abs(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= threshold:
            return money(value / threshold, currency, 1) + suffix
    return money(value, currency, 0 if magnitude >= 10 else 2)


def count_short(value: float) -> str:
    """'1T', '1.56M', '35k', '940' for volumes (three significant digits)."""
    magnitude = abs(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= threshold:
            return f"{value / threshold:.3g}{suffix}"
    return f"{value:,.0f}"


def percent(share: float | None, decimals: int = 0) -> str:
    if share is None:
        return "–"
    return f"{share * 100:.{decimals}f}%"


def price_provenance(refs: Iterable[SheetRef]) -> str:
    """'Prices: pricing/azure-openai.yaml (eastus, as_of 2026-11-01; source …)' for each sheet."""
    parts = []
    for ref in refs:
        parts.append(f"{ref.path} ({ref.region}, as_of {ref.as_of}; {ref.source})")
    return "Prices: " + "; ".join(parts) if parts else ""
