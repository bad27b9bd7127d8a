"""Option kinds: the one place a kind is described.

A kind is one module in `app/engine/kinds/` that calls `register(OptionKind(...))` (the package
imports every module in it) plus its scenario schema, a pydantic class registered with
`@option_schema` in `app/catalog/scenario_schema.py`. Everything else (the catalog's price
cross-checks, the dashboard's editor and table, the PDF, the CLI, the simulation, the sizing
sweeps, the Benchmark lab's hand-over) reads the kind's hooks below and never names a kind. The
walk-through is in docs/architecture.md, "Add an option kind".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from app.engine.levels import DeploymentLevel
from app.engine.option_fields import CapacityField, CostComponent, EditorField
from app.engine.price_checks import PriceIssue
from app.engine.price_lines import PriceLine
from app.engine.prices import PriceBook, PtuBilling
from app.engine.results import OptionResult
from app.engine.simulation.support import SimulationSupport
from app.engine.vocabulary import CAPACITY_FIELDS, COST_COMPONENTS
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


@dataclass(frozen=True)
class PtuSizing:
    """The option can be re-planned as a PTU deployment of this model and level (Explore's PTU sweep)."""

    model: str
    deployment: DeploymentLevel
    billing: PtuBilling


@dataclass(frozen=True)
class InstanceSizing:
    """The option runs on a number of instances that can be swept (Explore's instance sweep)."""

    sku: str
    concurrency: int
    configured_max: int  # the instances it may use as configured (autoscale max, or the fixed count)
    with_instances: Callable[[int], Any]  # the same option with a fixed instance count


S = TypeVar("S")


def _no_models(spec: Any) -> tuple[str, ...]:
    return ()


def _no_sizing(spec: Any) -> None:
    return None


@dataclass(frozen=True)
class OptionKind(Generic[S]):
    """An option kind and its hooks. S is the kind's spec dataclass (what the scenario schema builds).

    - kind, title: the `kind` key of the scenario YAML, and the name people read.
    - evaluate(spec, ctx): the OptionResult of one option over the month (the only required formula).
    - price_issues(spec, prices, workload): every price the option needs and the sheets lack, as
      PriceIssue(field path inside the option, message); checked before evaluating.
    - price_lines(spec, prices): the sheet entries it is priced from (PDF appendix).
    - capacity_fields: how each key of its OptionResult.capacity reads (label, unit, format).
    - cost_components: the keys of its cost breakdown with their labels.
    - template: a new option's settings (the scenario YAML mapping without kind and name).
    - editor_fields, editor_note: the Studio's editor for it, one widget per field.
    - models_used(spec): the Azure OpenAI models it calls (lifecycle warnings, quotas).
    - uses_service_time: it needs workload.service_time_ms (checked when loading, set by the
      Benchmark lab's hand-over).
    - uses_compute_sku: it runs on a VM size of the compute sheet, under the keys `sku` and
      `concurrency` (the Benchmark lab sets `concurrency` on options of the measured SKU).
    - batch: it answers no interactive requests (the Benchmark lab adds an interactive compute
      option when a scenario has none).
    - simulation: how the time-series simulation runs it, or None when it cannot.
    - ptu_sizing(spec), instance_sizing(spec): what Explore's sizing sweeps may vary, or None.
    """

    kind: str
    title: str
    evaluate: Callable[[S, EvaluationContext], OptionResult]
    price_issues: Callable[[S, PriceBook, Workload], Iterable[PriceIssue]]
    price_lines: Callable[[S, PriceBook], list[PriceLine]]
    capacity_fields: tuple[CapacityField, ...]
    cost_components: tuple[CostComponent, ...]
    template: Mapping[str, Any]
    editor_fields: tuple[EditorField, ...]
    editor_note: str = ""
    models_used: Callable[[S], tuple[str, ...]] = _no_models
    uses_service_time: bool = False
    uses_compute_sku: bool = False
    batch: bool = False
    simulation: SimulationSupport[S] | None = None
    ptu_sizing: Callable[[S], PtuSizing | None] = _no_sizing
    instance_sizing: Callable[[S], InstanceSizing | None] = _no_sizing

    @property
    def short_title(self) -> str:
        """The title without its note in brackets: the name a new option of this kind gets."""
        return self.title.split(" (")[0]


_REGISTRY: dict[str, OptionKind[Any]] = {}


def register(kind: OptionKind[Any]) -> OptionKind[Any]:
    if kind.kind in _REGISTRY:
        raise ValueError(f"option kind {kind.kind!r} registered twice")
    _REGISTRY[kind.kind] = kind
    return kind


def unregister(kind: str) -> None:
    """Remove a kind (tests that add a throwaway kind remove it again)."""
    _REGISTRY.pop(kind, None)


def option_kinds() -> dict[str, OptionKind[Any]]:
    """Every registered kind, in registration order (the modules of app/engine/kinds, sorted)."""
    from app.engine import kinds  # noqa: F401  (importing the package registers every kind)

    return dict(_REGISTRY)


def option_kind(kind: str) -> OptionKind[Any]:
    kinds = option_kinds()
    if kind not in kinds:
        raise KeyError(kind)
    return kinds[kind]


def spec_kind(spec: OptionSpec) -> OptionKind[Any]:
    """The kind of an option spec."""
    return option_kind(spec.kind)


def capacity_field(key: str) -> CapacityField:
    """How a capacity key reads, from the kind that reports it (or the shared vocabulary)."""
    for kind in option_kinds().values():
        for found in kind.capacity_fields:
            if found.key == key:
                return found
    return CAPACITY_FIELDS.get(key) or CapacityField(key, key.replace("_", " "), "", "number")


def cost_label(key: str) -> str:
    """The label of a cost component, from the kind that reports it (or the shared vocabulary)."""
    for kind in option_kinds().values():
        for component in kind.cost_components:
            if component.key == key:
                return component.label
    known = COST_COMPONENTS.get(key)
    return known.label if known else key.replace("_", " ").capitalize()
