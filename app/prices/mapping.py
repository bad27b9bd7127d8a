"""API items to sheet prices: every item becomes a candidate for one price slot, a skip, or a problem.

A slot is the path of one price in a sheet, e.g. ("models", "gpt-4o", "tokens", "global", "input"),
("ptu_rates", "regional", "yearly") or ("skus", "Standard_DS3_v2", "low_priority_hourly"). Several
meters may offer the same slot (gpt-4o 0806 and 1120 bill alike); they agree, or the slot is
ambiguous and is reported, never guessed and never priced as 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from app.engine.levels import BATCH_LEVELS
from app.prices.meters import MeterProblem, parse_ptu_sku, parse_token_meter
from app.prices.queries import Query
from app.prices.units import parse_unit, per_sheet_unit

Slot = tuple[str, ...]

# Versions the sheet's versionless model names stand for, where the API lists several with different
# prices (docs/sources.md, "Token prices": gpt-4o is 2024-08-06 / 11-20; the 2024-05-13 gpt-4o bills more).
TRACKED_VERSIONS: dict[str, frozenset[str]] = {
    "gpt-4o": frozenset({"0806", "1120"}),
    "gpt-4o-mini": frozenset({"0718"}),
}
RESERVATION_TERMS = {"1 Month": "monthly", "1 Year": "yearly"}


@dataclass(frozen=True)
class Candidate:
    value: float
    meter: str
    product: str


@dataclass(frozen=True)
class Skipped:
    """An item read correctly but not used by the sheets (by design: not a problem)."""

    meter: str
    product: str
    reason: str


@dataclass(frozen=True)
class Unmapped:
    """An item the refresh could not read: reported, and its price is not used."""

    meter: str
    product: str
    reason: str


@dataclass
class MappedItems:
    candidates: dict[Slot, list[Candidate]] = field(default_factory=lambda: defaultdict(list))
    skipped: list[Skipped] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)

    def resolve(self) -> tuple[dict[Slot, Candidate], dict[Slot, list[Candidate]]]:
        """Slots with one agreed price, and slots whose meters disagree (ambiguous)."""
        prices: dict[Slot, Candidate] = {}
        ambiguous: dict[Slot, list[Candidate]] = {}
        for slot, found in self.candidates.items():
            if len({c.value for c in found}) == 1:
                prices[slot] = found[0]
            else:
                ambiguous[slot] = sorted(found, key=lambda c: (c.value, c.meter))
        return prices, ambiguous


class ItemMapper:
    """Maps the items of each query onto the slots of the current sheets."""

    def __init__(self, region: str, currency: str, sheet_models: set[str], sheet_skus: set[str]):
        self.region = region
        self.currency = currency
        self.sheet_models = sheet_models
        self.sheet_skus = sheet_skus
        self.result = MappedItems()

    def add(self, query: Query, item: dict[str, Any]) -> None:
        meter, product = str(item["meterName"]), str(item["productName"])
        if item["currencyCode"] != self.currency:
            self._unmapped(item, f"currency {item['currencyCode']}, expected {self.currency}")
        elif item["armRegionName"] != self.region:
            self.result.skipped.append(Skipped(meter, product, f"region {item['armRegionName']}, not {self.region}"))
        elif float(item.get("tierMinimumUnits") or 0) > 0:
            self.result.skipped.append(Skipped(meter, product, "a volume tier above the first"))
        elif query.kind == "tokens":
            self._token_or_ptu(item)
        elif query.kind == "ptu-reservation":
            self._reservation(item)
        else:
            self._vm(query.label, item)

    def _unmapped(self, item: dict[str, Any], reason: str) -> None:
        self.result.unmapped.append(Unmapped(str(item["meterName"]), str(item["productName"]), reason))

    def _offer(self, slot: Slot, value: float, item: dict[str, Any]) -> None:
        self.result.candidates[slot].append(Candidate(value, str(item["meterName"]), str(item["productName"])))

    def _hourly_price(self, item: dict[str, Any]) -> float | None:
        unit = parse_unit(str(item["unitOfMeasure"]))
        if unit is None or unit.measure != "hours":
            self._unmapped(item, f"unit {item['unitOfMeasure']!r}, expected an hourly unit (1 Hour, 1/Hour)")
            return None
        return per_sheet_unit(float(item["retailPrice"]), unit)

    def _token_or_ptu(self, item: dict[str, Any]) -> None:
        meter, product = str(item["meterName"]), str(item["productName"])
        if item["type"] != "Consumption":
            self._unmapped(item, f"type {item['type']!r} in a Consumption query")
            return
        ptu_level = parse_ptu_sku(str(item["skuName"]))
        if ptu_level is not None:
            if product != "Azure OpenAI":
                self.result.skipped.append(Skipped(meter, product, "PTU meter of another model family"))
                return
            price = self._hourly_price(item)
            if price is not None:
                self._offer(("ptu_rates", ptu_level, "hourly"), price, item)
            return
        parsed = parse_token_meter(meter)
        if isinstance(parsed, MeterProblem):
            self._unmapped(item, parsed.reason)
            return
        if parsed.model not in self.sheet_models:
            self.result.skipped.append(Skipped(meter, product, f"model {parsed.model} is not in the current sheet"))
            return
        tracked = TRACKED_VERSIONS.get(parsed.model)
        if tracked and parsed.version is not None and parsed.version not in tracked:
            self.result.skipped.append(Skipped(meter, product, f"{parsed.model} version {parsed.version} is not "
                                               f"the one the sheet tracks ({', '.join(sorted(tracked))})"))
            return
        if parsed.mode in ("priority", "long-context"):
            self.result.skipped.append(Skipped(meter, product, f"{parsed.mode} meters are not in the sheet schema"))
            return
        if parsed.mode == "batch" and parsed.level not in BATCH_LEVELS:
            self._unmapped(item, f"batch at level {parsed.level} (the sheet has global and data-zone batch)")
            return
        unit = parse_unit(str(item["unitOfMeasure"]))
        if unit is None or unit.measure != "tokens":
            self._unmapped(item, f"unit {item['unitOfMeasure']!r}, expected tokens (1K, 1M)")
            return
        section = "batch" if parsed.mode == "batch" else "tokens"
        slot = ("models", parsed.model, section, parsed.level, parsed.direction)
        self._offer(slot, per_sheet_unit(float(item["retailPrice"]), unit), item)

    def _reservation(self, item: dict[str, Any]) -> None:
        meter, product = str(item["meterName"]), str(item["productName"])
        level = parse_ptu_sku(str(item["skuName"]))
        if item["type"] != "Reservation" or level is None:
            self._unmapped(item, "not a Provisioned Managed reservation")
            return
        term = RESERVATION_TERMS.get(str(item.get("reservationTerm")))
        if term is None:
            self.result.skipped.append(Skipped(meter, product, f"reservation term {item.get('reservationTerm')!r}"))
            return
        # A reservation's retailPrice is the whole-term price: no unit conversion.
        self._offer(("ptu_rates", level, term), float(item["retailPrice"]), item)

    def _vm(self, sku: str, item: dict[str, Any]) -> None:
        meter, product = str(item["meterName"]), str(item["productName"])
        names = f"{meter} {item['skuName']}"
        if item.get("armSkuName") != sku:
            self._unmapped(item, f"armSkuName {item.get('armSkuName')!r} in the query for {sku}")
        elif product.endswith("Windows"):
            self.result.skipped.append(Skipped(meter, product, "Windows (the sheet prices Linux)"))
        elif "Spot" in names:
            self.result.skipped.append(Skipped(meter, product, "Spot (the sheet prices pay-as-you-go and low priority)"))
        elif item.get("isPrimaryMeterRegion") is False:
            self.result.skipped.append(Skipped(meter, product, "not the primary meter region"))
        elif item["type"] != "Consumption":
            self._unmapped(item, f"type {item['type']!r} in a Consumption query")
        else:
            price = self._hourly_price(item)
            if price is not None:
                key = "low_priority_hourly" if "Low Priority" in names else "hourly"
                self._offer(("skus", sku, key), price, item)
