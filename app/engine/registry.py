"""Option kinds are a registry: one evaluator module per kind, keyed by `kind`.

Adding a kind means one module in `app/engine/kinds/` (registered with `@register`) and one schema
in `app/catalog/scenario_schema.py`; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from app.engine.prices import PriceBook
from app.engine.results import OptionResult
from app.engine.workload import Demand, Workload


class OptionSpec(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class EvaluationContext:
    """Everything an evaluator may read: the workload, its hourly demand and the prices."""

    workload: Workload
    demand: Demand
    prices: PriceBook

    @property
    def hours(self) -> int:
        return self.demand.hours


S = TypeVar("S")


@dataclass(frozen=True)
class OptionKind(Generic[S]):
    kind: str
    title: str  # for people: "Azure OpenAI Standard (pay per token)"
    spec_type: type[S]
    price_sheets: tuple[str, ...]  # sheet kinds it prices from
    evaluate: Callable[[S, EvaluationContext], OptionResult]
    batch: bool = False  # cannot answer interactive requests


_REGISTRY: dict[str, OptionKind[Any]] = {}


def register(kind: OptionKind[Any]) -> OptionKind[Any]:
    if kind.kind in _REGISTRY:
        raise ValueError(f"option kind {kind.kind!r} registered twice")
    _REGISTRY[kind.kind] = kind
    return kind


def option_kinds() -> dict[str, OptionKind[Any]]:
    """Every registered kind, in registration order."""
    from app.engine import kinds  # noqa: F401  (importing the package registers every kind)

    return dict(_REGISTRY)


def option_kind(kind: str) -> OptionKind[Any]:
    kinds = option_kinds()
    if kind not in kinds:
        raise KeyError(kind)
    return kinds[kind]
