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
class ConstraintFailure:
    """A constraint the option fails, in plain words: `constraint` names it (e.g. "data residency"),
    `message` says why, with the numbers."""

    constraint: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"constraint": self.constraint, "message": self.message}


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
    ttft_ms: LatencyPercentiles | None = None  # time to first token at the busiest hour (streamed responses)
    latency_source: str | None = None  # where the latency figures come from, in words
    constraints_failed: tuple[ConstraintFailure, ...] = ()

    @property
    def fails_a_constraint(self) -> bool:
        """An option fails when any constraint does: a latency or deadline verdict, or a feasibility
        rule (stability, quota, throttling, data residency, batch eligibility)."""
        return self.meets_slo is False or self.meets_deadline is False or bool(self.constraints_failed)

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
            "ttft_ms": self.ttft_ms.to_dict() if self.ttft_ms else None,
            "latency_source": self.latency_source,
            "constraints_failed": [f.to_dict() for f in self.constraints_failed],
        }


@dataclass(frozen=True)
class Evaluation:
    scenario: str
    currency: str
    hours_per_month: int
    prices: tuple[SheetRef, ...]
    options: tuple[OptionResult, ...]
    recommended: str | None
    notes: tuple[str, ...] = ()  # about the workload as a whole (e.g. prompts too short to cache)

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
            "notes": list(self.notes),
        }
