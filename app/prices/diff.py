"""Old -> new per price, with the % change, for two sheets of the same kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from app.prices.mapping import Slot
from app.prices.sheets import price_leaves

Status = Literal["changed", "added", "removed", "unchanged"]


def percent_change(old: float, new: float) -> float | None:
    """(new − old) / old × 100; None when old is 0 (no meaningful percentage). E.g. 2.50 -> 2.75: +10.0%."""
    if old == 0:
        return None
    return (new - old) / old * 100.0


@dataclass(frozen=True)
class PriceChange:
    kind: str  # sheet kind
    slot: Slot
    old: float | None
    new: float | None

    @property
    def status(self) -> Status:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "unchanged" if self.old == self.new else "changed"

    @property
    def percent(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return percent_change(self.old, self.new)

    @property
    def path(self) -> str:
        return ".".join(self.slot)

    def to_dict(self) -> dict[str, Any]:
        return {"sheet": self.kind, "price": self.path, "old": self.old, "new": self.new, "status": self.status,
                "percent": None if self.percent is None else round(self.percent, 4)}


def diff_sheets(old: dict[str, Any], new: dict[str, Any]) -> list[PriceChange]:
    """Every price of either sheet, in the order of the old sheet then the new entries."""
    kind = str(new.get("kind") or old.get("kind"))
    before, after = price_leaves(old), price_leaves(new)
    slots = [*before, *(s for s in after if s not in before)]
    return [PriceChange(kind, s, before.get(s), after.get(s)) for s in slots]


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def format_diff(changes: list[PriceChange], old_label: str, new_label: str) -> str:
    """A readable text diff: changed, added and removed prices, then a count of unchanged ones."""
    lines = [f"Price diff: {old_label} -> {new_label}"]
    shown = [c for c in changes if c.status != "unchanged"]
    width = max((len(f"{c.kind} {c.path}") for c in shown), default=0)
    for change in shown:
        name = f"{change.kind} {change.path}".ljust(width)
        pct = change.percent
        tail = {"added": "(new)", "removed": "(no longer in the sheet)"}.get(change.status,
                                                                            "" if pct is None else f"{pct:+.1f}%")
        lines.append(f"  {name}  {_money(change.old):>10} -> {_money(change.new):<10} {tail}".rstrip())
    unchanged = sum(1 for c in changes if c.status == "unchanged")
    counts = {s: sum(1 for c in changes if c.status == s) for s in ("changed", "added", "removed")}
    lines.append(f"{counts['changed']} changed, {counts['added']} added, {counts['removed']} removed, "
                 f"{unchanged} unchanged")
    return "\n".join(lines)
