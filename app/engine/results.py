"""What an evaluation returns: per-option results and the comparison (`capplan evaluate --json`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from app.engine.prices import SheetRef

MONEY_DECIMALS = 6
SHARE_DECIMALS = 6


@dataclass(frozen=True)
class LatencyPercentiles:
    """Milliseconds, at the busiest hour."""

    p50: float
    p95: float
    p99: float

    def to_dict(self) -> dict[str, float]:
        return {"p50": round(self.p50, 3), "p95": round(self.p95, 3), "p99": round(self.p99, 3)}


@dataclass(frozen=True)
class OptionResult:
    name: str
    kind: str
    monthly_cost: float
    cost_breakdown: Mapping[str, float]
    cost_per_1k_requests: float
    capacity: Mapping[str, float | int]
    latency_ms: LatencyPercentiles | None
    meets_slo: bool | None
    meets_deadline: bool | None
    warnings: tuple[str, ...]
    price_sheets: tuple[str, ...]  # kinds of the sheets this option was priced from
    # Hourly series for charts (not part of the JSON): e.g. "instances", "ptu_demand".
    series: Mapping[str, npt.NDArray[np.float64]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def fails_a_constraint(self) -> bool:
        return self.meets_slo is False or self.meets_deadline is False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "monthly_cost": round(self.monthly_cost, MONEY_DECIMALS),
            "cost_breakdown": {k: round(v, MONEY_DECIMALS) for k, v in self.cost_breakdown.items()},
            "cost_per_1k_requests": round(self.cost_per_1k_requests, MONEY_DECIMALS),
            "capacity": {k: (v if isinstance(v, int) else round(v, SHARE_DECIMALS)) for k, v in self.capacity.items()},
            "latency_ms": self.latency_ms.to_dict() if self.latency_ms else None,
            "meets_slo": self.meets_slo,
            "meets_deadline": self.meets_deadline,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Evaluation:
    scenario: str
    currency: str
    hours_per_month: int
    prices: tuple[SheetRef, ...]
    options: tuple[OptionResult, ...]
    recommended: str | None

    def option(self, name: str) -> OptionResult:
        for result in self.options:
            if result.name == name:
                return result
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "currency": self.currency,
            "hours_per_month": self.hours_per_month,
            "prices": [{"kind": p.kind, "region": p.region, "as_of": p.as_of} for p in self.prices],
            "options": [o.to_dict() for o in self.options],
            "recommended": self.recommended,
        }
