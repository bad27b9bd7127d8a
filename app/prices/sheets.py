"""New price sheets from the current ones and the prices the API gave.

Carried from the current sheet: PTU parameters (TPM per PTU, output weight, minimum, increment),
usage tiers, SKU specs, the quota reserve, model notes. Replaced: every price the API lists. A price
the API no longer lists (or lists ambiguously) keeps its old value, flagged in the entry's note with
the old sheet's as_of, but only when region and currency are unchanged; otherwise its entry is
dropped and reported, because a price of another region or currency would mislead.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.engine.levels import BATCH_LEVELS, DEPLOYMENT_LEVELS
from app.prices.mapping import Candidate, Slot

TOKEN_FIELDS = ("input", "cached_input", "output")
PTU_FIELDS = ("hourly", "monthly", "yearly")


@dataclass(frozen=True)
class KeptPrice:
    slot: Slot
    value: float
    reason: str  # "not listed" or "ambiguous: ..."


@dataclass
class SheetOutcome:
    data: dict[str, Any]
    kept: list[KeptPrice] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # what was left out, for the report
    from_api: int = 0


class _Builder:
    def __init__(self, old: dict[str, Any], prices: dict[Slot, Candidate], ambiguous: dict[Slot, list[Candidate]],
                 as_of: dt.date, can_carry: bool):
        self.old = old
        self.prices = prices
        self.ambiguous = ambiguous
        self.as_of = as_of
        self.can_carry = can_carry
        self.old_as_of = str(old.get("as_of"))
        self.outcome = SheetOutcome(data={})

    def why_missing(self, slot: Slot) -> str:
        if slot in self.ambiguous:
            listed = ", ".join(f"{c.meter!r} {c.value:g}" for c in self.ambiguous[slot])
            return f"ambiguous in the API ({listed})"
        return "not listed by the API"

    def price(self, slot: Slot, old_value: Any, flags: list[tuple[str, str]]) -> tuple[bool, Any]:
        """(ok, value): the API price; else the old one, flagged; else (False, None) if it may not be carried."""
        if slot in self.prices:
            self.outcome.from_api += 1
            return True, self.prices[slot].value
        if old_value is None:
            return True, None
        if not self.can_carry:
            return False, None
        reason = self.why_missing(slot)
        self.outcome.kept.append(KeptPrice(slot, float(old_value), reason))
        flags.append((slot[-1], reason))
        return True, old_value

    def flag_note(self, flags: list[tuple[str, str]], old_note: Any) -> str | None:
        """'input, output not listed by the API: kept from the sheet of <old as_of> ...' plus the old note."""
        if not flags:
            return None
        by_reason: dict[str, list[str]] = {}
        for name, reason in flags:
            by_reason.setdefault(reason, []).append(name)
        said = "; ".join(f"{', '.join(names)} {reason}" for reason, names in by_reason.items())
        note = f"{said}: kept from the sheet of {self.old_as_of} (refresh of {self.as_of.isoformat()})"
        return f"{note}. Earlier note: {old_note}" if old_note else note

    def entry(self, base: Slot, old_entry: dict[str, Any] | None, fields: tuple[str, ...],
              shape: dict[str, bool]) -> dict[str, Any] | None:
        """One level entry. `shape[f]`: the field must have a price (other entries of the section have one)."""
        flags: list[tuple[str, str]] = []
        new: dict[str, Any] = {}
        for name in fields:
            slot = (*base, name)
            if old_entry is None:
                if slot in self.prices:
                    new[name] = self.prices[slot].value
                    self.outcome.from_api += 1
                elif shape.get(name, False):
                    self.outcome.dropped.append(f"{'.'.join(base)}: the API lists it without {name}; not added")
                    return None
                else:
                    new[name] = None
                continue
            ok, value = self.price(slot, old_entry.get(name), flags)
            if not ok:
                self.outcome.dropped.append(f"{'.'.join(base)}: {name} {self.why_missing(slot)} in this "
                                            "region/currency; entry left out")
                return None
            new[name] = value
        note = self.flag_note(flags, old_entry.get("note") if old_entry else None)
        if note:
            new["note"] = note
        return new

    def levels(self, base: Slot, old_levels: dict[str, Any], fields: tuple[str, ...],
               allowed: tuple[str, ...]) -> dict[str, Any]:
        found = {slot[len(base)] for slot in self.prices if slot[: len(base)] == base and len(slot) == len(base) + 2}
        shape = {f: any(e.get(f) is not None for e in old_levels.values()) for f in fields}
        out: dict[str, Any] = {}
        for level in [*old_levels, *sorted(found - set(old_levels))]:
            if level not in allowed:
                continue
            entry = self.entry((*base, level), old_levels.get(level), fields, shape)
            if entry is not None:
                out[level] = entry
        return out


def _header(old: dict[str, Any], region: str, currency: str, as_of: dt.date, source: str,
            note: str) -> dict[str, Any]:
    return {"kind": old["kind"], "currency": currency, "region": region, "as_of": as_of, "source": source,
            "note": note}


def _refresh_note(old_path: str, old_as_of: Any, kept: int, carried: str) -> str:
    note = f"Refreshed by capplan prices refresh from {old_path} (as_of {old_as_of}); {carried} carried from it."
    if kept:
        note += f" {kept} price(s) the API did not list (or listed ambiguously) kept from it, flagged in notes."
    return note


def build_openai_sheet(old: dict[str, Any], old_path: str, prices: dict[Slot, Candidate],
                       ambiguous: dict[Slot, list[Candidate]], *, region: str, currency: str, as_of: dt.date,
                       source: str) -> SheetOutcome:
    can_carry = old.get("region") == region and old.get("currency", "USD") == currency
    builder = _Builder(old, prices, ambiguous, as_of, can_carry)
    levels = DEPLOYMENT_LEVELS
    ptu_rates = builder.levels(("ptu_rates",), old.get("ptu_rates") or {}, PTU_FIELDS, levels)
    models: dict[str, Any] = {}
    for name, old_model in (old.get("models") or {}).items():
        before = builder.outcome.from_api
        kept_before = len(builder.outcome.kept)
        model = copy.deepcopy(old_model)
        model["tokens"] = builder.levels(("models", name, "tokens"), old_model.get("tokens") or {}, TOKEN_FIELDS, levels)
        batch = builder.levels(("models", name, "batch"), old_model.get("batch") or {}, TOKEN_FIELDS,
                               BATCH_LEVELS)
        model.pop("batch", None)
        if batch:
            model["batch"] = batch
        if builder.outcome.from_api == before and can_carry:
            # Not listed at all: keep the entries as they were, with one flag on the model.
            model = copy.deepcopy(old_model)
            del builder.outcome.kept[kept_before:]
            for slot, value in _price_leaves(("models", name), old_model):
                builder.outcome.kept.append(KeptPrice(slot, value, "model not listed by the API"))
            flag = (f"not listed by the Retail Prices API on {as_of.isoformat()}: every price kept from the "
                    f"sheet of {builder.old_as_of}")
            model["note"] = f"{flag}. Earlier note: {old_model['note']}" if old_model.get("note") else flag
        elif old_model.get("note"):
            model["note"] = f"carried from the sheet of {builder.old_as_of}: {old_model['note']}"
        if not model["tokens"]:
            builder.outcome.dropped.append(f"models.{name}: no standard price in this region/currency; model left out")
            continue
        models[name] = _ordered(model, ("usage_tier_tokens_per_month", "tokens", "batch", "provisioned", "note"))
    data = _header(old, region, currency, as_of, source,
                   _refresh_note(old_path, old.get("as_of"), len(builder.outcome.kept),
                                 "PTU parameters, usage tiers and model notes"))
    data["ptu_rates"] = ptu_rates
    data["models"] = models
    builder.outcome.data = data
    return builder.outcome


def build_compute_sheet(old: dict[str, Any], old_path: str, prices: dict[Slot, Candidate],
                        ambiguous: dict[Slot, list[Candidate]], *, region: str, currency: str, as_of: dt.date,
                        source: str) -> SheetOutcome:
    can_carry = old.get("region") == region and old.get("currency", "USD") == currency
    builder = _Builder(old, prices, ambiguous, as_of, can_carry)
    skus: dict[str, Any] = {}
    for name, old_sku in (old.get("skus") or {}).items():
        flags: list[tuple[str, str]] = []
        sku = {k: v for k, v in old_sku.items() if k not in ("hourly", "low_priority_hourly", "note")}
        ok, hourly = builder.price(("skus", name, "hourly"), old_sku.get("hourly"), flags)
        if not ok:
            builder.outcome.dropped.append(f"skus.{name}: hourly {builder.why_missing(('skus', name, 'hourly'))} "
                                           "in this region/currency; SKU left out")
            continue
        sku["hourly"] = hourly
        ok, low = builder.price(("skus", name, "low_priority_hourly"), old_sku.get("low_priority_hourly"), flags)
        if ok and low is not None:
            sku["low_priority_hourly"] = low
        note = builder.flag_note(flags, old_sku.get("note"))
        if note:
            sku["note"] = note
        skus[name] = _ordered(sku, SKU_ORDER)
    data = _header(old, region, currency, as_of, source,
                   _refresh_note(old_path, old.get("as_of"), len(builder.outcome.kept), "SKU specs and the quota reserve"))
    data["quota_reserve"] = old.get("quota_reserve", 0.2)
    data["skus"] = skus
    builder.outcome.data = data
    return builder.outcome


SKU_ORDER = ("vcpus", "memory_gib", "gpus", "gpu", "hourly", "low_priority_hourly")
PRICE_KEYS = frozenset({*TOKEN_FIELDS, *PTU_FIELDS, "low_priority_hourly"})


def _price_leaves(base: Slot, node: Any) -> list[tuple[Slot, float]]:
    """Every numeric price under `node`, with its slot (used for flags and for the diff)."""
    out: list[tuple[Slot, float]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("provisioned", "note"):
                continue
            if key in PRICE_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
                out.append(((*base, str(key)), float(value)))
            else:
                out.extend(_price_leaves((*base, str(key)), value))
    return out


def price_leaves(sheet: dict[str, Any]) -> dict[Slot, float]:
    """All prices of a sheet (raw data), keyed by slot."""
    leaves: dict[Slot, float] = {}
    for section in ("ptu_rates", "models", "skus"):
        leaves.update(_price_leaves((section,), sheet.get(section) or {}))
    return leaves


def _ordered(entry: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    rank = {key: i for i, key in enumerate(order)}
    return dict(sorted(entry.items(), key=lambda kv: rank.get(kv[0], len(order))))
