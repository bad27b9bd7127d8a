"""How figures are written in the report. One place, so the tests can read them back.

Money keeps two decimals (four per 1k requests, as `capplan evaluate` prints), shares are percents
with two decimals; nothing here computes a model figure (those come from the engine).
"""

from __future__ import annotations

from datetime import date, datetime

from app.charts.format import percent as chart_percent


def money(value: float, currency: str = "") -> str:
    text = f"{value:,.2f}"
    return f"{currency} {text}" if currency else text


def money_per_1k(value: float, currency: str = "") -> str:
    text = f"{value:,.4f}"
    return f"{currency} {text}" if currency else text


def percent(share: float, decimals: int = 2) -> str:
    """Shares as percents, two decimals unless asked (the dashboard's formatter, another default)."""
    return chart_percent(share, decimals)


def number(value: float | int, decimals: int = 0) -> str:
    if isinstance(value, int) or (float(value).is_integer() and decimals == 0):
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"


def plain(value: float) -> str:
    """A user input as they wrote it: 1000000 -> 1,000,000; 0.7 -> 0.7; 2.5 -> 2.5."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,g}" if abs(value) < 1e6 else f"{value:,.2f}"


def long_date(day: date | datetime) -> str:
    return day.strftime("%d %B %Y").lstrip("0")
