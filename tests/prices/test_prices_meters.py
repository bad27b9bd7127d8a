"""The meter-name parser over real meter names (pricing-capacity.md section 7), units, small helpers."""

from __future__ import annotations

import pytest

from app.prices.client import retry_after_seconds
from app.prices.diff import percent_change
from app.prices.meters import MeterProblem, TokenMeter, parse_ptu_sku, parse_token_meter
from app.prices.units import Unit, parse_unit, per_sheet_unit

G, DZ, R = "global", "data-zone", "regional"
IN, CD, OUT = "input", "cached_input", "output"

# meter name -> (model, version, direction, level, mode)
REAL_METERS = {
    # named in the reference, section 7
    "gpt-4o-0806-Inp-glbl Tokens": ("gpt-4o", "0806", IN, G, "standard"),
    "gpt-4o-0806-Outp-glbl Tokens": ("gpt-4o", "0806", OUT, G, "standard"),
    "gpt 4o 0806 cached Inp glbl Tokens": ("gpt-4o", "0806", CD, G, "standard"),
    "gpt 4o 0806 Inp Data Zone Tokens": ("gpt-4o", "0806", IN, DZ, "standard"),
    "gpt-4o-0806-Inp-regnl Tokens": ("gpt-4o", "0806", IN, R, "standard"),
    "gpt-4o-0806-Batch-Inp-glbl Tokens": ("gpt-4o", "0806", IN, G, "batch"),
    "gpt 4o 0806 Batch Inp Data Zone Tokens": ("gpt-4o", "0806", IN, DZ, "batch"),
    "gpt-4o-mini-0718-Inp-glbl Tokens": ("gpt-4o-mini", "0718", IN, G, "standard"),
    "gpt 4.1 Inp glbl Tokens": ("gpt-4.1", None, IN, G, "standard"),
    "gpt 4.1 cached Inp glbl Tokens": ("gpt-4.1", None, CD, G, "standard"),
    "o3 mini 0131 input glbl": ("o3-mini", "0131", IN, G, "standard"),
    "o4-mini 0416 Inp glbl": ("o4-mini", "0416", IN, G, "standard"),
    "GPT 5 Inpt Glbl 1M Tokens": ("gpt-5", None, IN, G, "standard"),
    "GPT 5 Mini outpt Glbl 1M Tokens": ("gpt-5-mini", None, OUT, G, "standard"),
    "5.4 cd inp Gl 1M Tokens": ("gpt-5.4", None, CD, G, "standard"),
    "text-embedding-3-small-glbl Tokens": ("text-embedding-3-small", None, IN, G, "standard"),
    "text embedding 3 large DZ": ("text-embedding-3-large", None, IN, DZ, "standard"),
    "GPT 5 pp inp Gl 1M Tokens": ("gpt-5", None, IN, G, "priority"),
    "5.4 LongCo inp Gl 1M Tokens": ("gpt-5.4", None, IN, G, "long-context"),
    # the same patterns with the other words the reference lists (Inpt/input, Outp/outpt/opt/out,
    # glbl/Gl/global, DZone/Dz/DZ/Data Zone, regnl/rgnl, cached/cchd/cd)
    "gpt 4o 0806 Outp Data Zone Tokens": ("gpt-4o", "0806", OUT, DZ, "standard"),
    "gpt 4o 0806 cached Inp Data Zone Tokens": ("gpt-4o", "0806", CD, DZ, "standard"),
    "gpt-4o-0806-cached-Inp-regnl Tokens": ("gpt-4o", "0806", CD, R, "standard"),
    "gpt-4o-1120-Outp-glbl Tokens": ("gpt-4o", "1120", OUT, G, "standard"),
    "gpt-4o-0806-Batch-Outp-glbl Tokens": ("gpt-4o", "0806", OUT, G, "batch"),
    "gpt-4o-mini-0718-Inp-DZone Tokens": ("gpt-4o-mini", "0718", IN, DZ, "standard"),
    "gpt-4o-mini-0718-cchd-Inp-DZone Tokens": ("gpt-4o-mini", "0718", CD, DZ, "standard"),
    "gpt-4o-mini-0718-Outp-rgnl Tokens": ("gpt-4o-mini", "0718", OUT, R, "standard"),
    "gpt 4.1 mini cchd Inp glbl Tokens": ("gpt-4.1-mini", None, CD, G, "standard"),
    "gpt 4.1 mini Batch Outp Data Zone Tokens": ("gpt-4.1-mini", None, OUT, DZ, "batch"),
    "gpt-4.1-nano-Outp-DZone Tokens": ("gpt-4.1-nano", None, OUT, DZ, "standard"),
    "gpt-4.1-nano-Batch-Inp-glbl Tokens": ("gpt-4.1-nano", None, IN, G, "batch"),
    "o3 0416 cached Inp regnl Tokens": ("o3", "0416", CD, R, "standard"),
    "o3 0416 Batch Outp DZ Tokens": ("o3", "0416", OUT, DZ, "batch"),
    "o3 mini 0131 output glbl": ("o3-mini", "0131", OUT, G, "standard"),
    "o1 1217 cached Inp glbl Tokens": ("o1", "1217", CD, G, "standard"),
    "o4 mini 0416 cd Inp Dz": ("o4-mini", "0416", CD, DZ, "standard"),
    "o4-mini 0416 Outp rgnl": ("o4-mini", "0416", OUT, R, "standard"),
    "GPT 5 cd Inpt Glbl 1M Tokens": ("gpt-5", None, CD, G, "standard"),
    "GPT 5 Inpt Dz 1M Tokens": ("gpt-5", None, IN, DZ, "standard"),
    "GPT 5 Batch Inpt Dz 1M Tokens": ("gpt-5", None, IN, DZ, "batch"),
    "GPT 5 Nano opt Glbl 1M Tokens": ("gpt-5-nano", None, OUT, G, "standard"),
    "GPT 5 Mini outpt Rgnl 1M Tokens": ("gpt-5-mini", None, OUT, R, "standard"),
    "5.1 opt Gl 1M Tokens": ("gpt-5.1", None, OUT, G, "standard"),
    "5.2 out global 1M Tokens": ("gpt-5.2", None, OUT, G, "standard"),
    "Az-Text-Embedding-3-Small-regnl Tokens": ("text-embedding-3-small", None, IN, R, "standard"),
    "text-embedding-ada-002-regnl Tokens": ("text-embedding-ada-002", None, IN, R, "standard"),
}


def test_at_least_forty_real_meter_names() -> None:
    assert len(REAL_METERS) >= 40


@pytest.mark.parametrize("meter_name", list(REAL_METERS))
def test_parses_real_meter_names(meter_name: str) -> None:
    model, version, direction, level, mode = REAL_METERS[meter_name]
    assert parse_token_meter(meter_name) == TokenMeter(model, version, direction, level, mode)


@pytest.mark.parametrize(("meter_name", "reason"), [
    ("o3 deep research 0626 Glbl Tokens", "no direction word"),
    ("gpt-4o-0806-Inp-Outp-glbl Tokens", "both an input and an output"),
    ("gpt 4.1 Inp Tokens", "no deployment level"),
    ("gpt 4.1 Inp glbl regnl Tokens", "two deployment levels"),
    ("gpt 4.1 cached Outp glbl Tokens", "cached output"),
    ("Inp glbl Tokens", "no model name"),
    ("gpt 4.1 Batch pp Inp glbl Tokens", "several modes"),
])
def test_refuses_to_guess(meter_name: str, reason: str) -> None:
    parsed = parse_token_meter(meter_name)
    assert isinstance(parsed, MeterProblem)
    assert reason in parsed.reason


@pytest.mark.parametrize(("name", "level"), [
    ("Provisioned Managed Global", "global"), ("Provisioned Managed Data Zone Unit", "data-zone"),
    ("Provisioned Managed Regional Unit", "regional"), ("gpt 4.1 Inp glbl Tokens", None),
])
def test_ptu_sku_names(name: str, level: str | None) -> None:
    assert parse_ptu_sku(name) == level


@pytest.mark.parametrize(("text", "unit"), [
    ("1K", Unit("tokens", 1_000)), ("1M", Unit("tokens", 1_000_000)), ("1 Hour", Unit("hours", 1)),
    ("1/Hour", Unit("hours", 1)), ("100 Hours", Unit("hours", 100)), ("1K Tokens", Unit("tokens", 1_000)),
    ("1 GB/Month", None), ("1/Day", None), ("", None),
])
def test_units(text: str, unit: Unit | None) -> None:
    assert parse_unit(text) == unit


def test_unit_conversion_by_hand() -> None:
    # 0.0025 per 1K tokens x 1,000,000 / 1,000 = 2.50 per 1M
    assert per_sheet_unit(0.0025, Unit("tokens", 1_000)) == 2.5
    # 0.00275 per 1K = 2.75 per 1M (no binary noise left: 0.00275 * 1000 is 2.7500000000000004)
    assert per_sheet_unit(0.00275, Unit("tokens", 1_000)) == 2.75
    assert per_sheet_unit(1.25, Unit("tokens", 1_000_000)) == 1.25
    # 229 per 1000 hours = 0.229 per hour
    assert per_sheet_unit(229.0, Unit("hours", 1000)) == 0.229


def test_percent_change_by_hand() -> None:
    assert percent_change(2.50, 2.75) == pytest.approx(10.0)  # (2.75 - 2.50) / 2.50 x 100
    assert percent_change(2916, 2652) == pytest.approx(-9.0534979)  # -264 / 2916 x 100
    assert percent_change(0, 1) is None


def test_retry_after() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    # an HTTP date 30 s after "now"
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == 30.0
