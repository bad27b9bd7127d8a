"""Sizing sweeps: PTU count against cost (with spillover), and online-endpoint instances against
p95 latency and cost. Every point is a registered kind's own evaluator at that size.

Which options a sweep can start from is asked of their kind (its `ptu_sizing` and
`instance_sizing` hooks). The PTU sweep evaluates the provisioned kind with spillover at each
deployable count (spillover bills at the Standard rates of the same level; `ptu: auto` with
spillover picks the count that minimizes PTU + spillover cost, app/engine/provisioned.py); the
instance sweep evaluates the option with a fixed instance count (M/G/c latency at the busiest
hour, app/engine/queueing.py; utilization ≥ 1 is unstable).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from app.engine.errors import MissingPriceError, ModelInputError
from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
from app.engine.kinds.aoai_standard import AoaiStandardSpec
from app.engine.prices import PriceBook, PtuBilling
from app.engine.registry import EvaluationContext, InstanceSizing, PtuSizing, spec_kind
from app.engine.results import OptionResult
from app.engine.scenario import Scenario
from app.engine.workload import monthly_demand

MAX_POINTS = 60
PTU_HEADROOM = 1.25  # sweep a quarter past the peak size, to show the cost rising again
MAX_INSTANCES = 10_000


def _context(scenario: Scenario, prices: PriceBook) -> EvaluationContext:
    demand = monthly_demand(scenario.workload, scenario.hours_per_month)
    return EvaluationContext(workload=scenario.workload, demand=demand, prices=prices)


def _find_option(scenario: Scenario, name: str) -> Any:
    for spec in scenario.options:
        if spec.name == name:
            return spec
    raise ModelInputError(f"no option named {name!r} in scenario {scenario.name!r}")


def _evaluate(spec: Any, ctx: EvaluationContext) -> OptionResult:
    return spec_kind(spec).evaluate(spec, ctx)


def _ptu_sizing(spec: Any) -> PtuSizing | None:
    return spec_kind(spec).ptu_sizing(spec)


def _instance_sizing(spec: Any) -> InstanceSizing | None:
    return spec_kind(spec).instance_sizing(spec)


# --- PTU count against cost ----------------------------------------------------------------------

@dataclass(frozen=True)
class PtuPoint:
    ptu: int
    ptu_cost: float
    spillover_cost: float
    spillover_share: float  # share of token demand above the PTU count, billed at Standard rates

    @property
    def monthly_cost(self) -> float:
        return self.ptu_cost + self.spillover_cost


@dataclass(frozen=True)
class PtuSweep:
    option: str
    model: str
    deployment: str
    billing: str
    points: tuple[PtuPoint, ...]
    optimum: PtuPoint  # the engine's `ptu: auto` choice with spillover
    required_at_peak: int  # PTU that serves the busiest hour with no spillover
    standard_only_cost: float | None  # every request on Standard (no PTU); None without a Standard price
    currency: str


def ptu_options(scenario: Scenario, prices: PriceBook) -> list[str]:
    """Options a PTU sweep can start from: those whose kind can be re-planned as PTU (provisioned and
    Standard options), for models with PTU terms at their level."""
    names = []
    for spec in scenario.options:
        sizing = _ptu_sizing(spec)
        if sizing is None:
            continue
        try:
            prices.provisioned(sizing.model, sizing.deployment)
        except MissingPriceError:
            continue
        names.append(spec.name)
    return names


def ptu_sweep(scenario: Scenario, prices: PriceBook, option: str) -> PtuSweep:
    """Monthly cost of a provisioned deployment with spillover at each deployable PTU count.

    Counts run from the minimum to 1.25 × the peak size in steps of the increment (thinned to at
    most 60 points, always keeping the optimum and the peak size).
    """
    base = _find_option(scenario, option)
    sizing = _ptu_sizing(base)
    if sizing is None:
        raise ModelInputError(f"option {option!r} is not an Azure OpenAI Standard or PTU option")
    billing: PtuBilling = sizing.billing
    ctx = _context(scenario, prices)
    params, _ = prices.provisioned(sizing.model, sizing.deployment)
    minimum, increment = params.minimum[sizing.deployment], params.increment[sizing.deployment]
    spec = AoaiProvisionedSpec(name=base.name, model=sizing.model, deployment=sizing.deployment, ptu="auto",
                               billing=billing, spillover=True)
    auto = _evaluate(spec, ctx)
    optimum_ptu = int(auto.capacity["ptu"])
    peak = int(auto.capacity["ptu_required_at_peak"])
    top = max(minimum, math.ceil(peak * PTU_HEADROOM / increment) * increment)
    steps = (top - minimum) // increment + 1
    stride = max(1, math.ceil(steps / MAX_POINTS))
    counts = set(range(minimum, top + 1, increment * stride)) | {optimum_ptu, peak}

    def point(count: int) -> PtuPoint:
        result = _evaluate(replace(spec, ptu=count), ctx)
        return PtuPoint(ptu=count, ptu_cost=result.cost_breakdown["ptu"],
                        spillover_cost=result.cost_breakdown["spillover"],
                        spillover_share=float(result.capacity["spillover_share"]))

    points = tuple(point(c) for c in sorted(counts))
    optimum = next(p for p in points if p.ptu == optimum_ptu)
    try:
        standard = _evaluate(AoaiStandardSpec(name=base.name, model=sizing.model, deployment=sizing.deployment), ctx)
        standard_cost: float | None = standard.monthly_cost
    except MissingPriceError:
        standard_cost = None
    return PtuSweep(option=option, model=sizing.model, deployment=sizing.deployment, billing=billing, points=points,
                    optimum=optimum, required_at_peak=peak, standard_only_cost=standard_cost,
                    currency=prices.currency)


# --- online endpoint instances against latency and cost -----------------------------------------

@dataclass(frozen=True)
class InstancePoint:
    instances: int
    monthly_cost: float
    utilization_peak: float
    p50_ms: float | None  # None: unstable (utilization ≥ 1 at the busiest hour)
    p95_ms: float | None
    p99_ms: float | None


@dataclass(frozen=True)
class InstanceSweep:
    option: str
    sku: str
    concurrency: int
    points: tuple[InstancePoint, ...]
    latency_slo_ms: float | None
    fewest_meeting_slo: int | None  # the cheapest fixed count whose p95 meets the SLO
    currency: str


def online_options(scenario: Scenario) -> list[str]:
    """Options whose kind runs on a number of instances that the instance sweep can vary."""
    return [s.name for s in scenario.options if _instance_sizing(s) is not None]


def instance_sweep(scenario: Scenario, prices: PriceBook, option: str) -> InstanceSweep:
    """p95 latency and monthly cost of the endpoint with a fixed instance count, from the fewest
    stable count (or 1) to twice the configured maximum and past the SLO (at most 60 points)."""
    base = _find_option(scenario, option)
    sizing = _instance_sizing(base)
    if sizing is None:
        raise ModelInputError(f"option {option!r} is not an Azure ML online endpoint")
    ctx = _context(scenario, prices)

    def evaluate_at(count: int) -> OptionResult:
        return _evaluate(sizing.with_instances(count), ctx)

    def stable(count: int) -> bool:
        return float(evaluate_at(count).capacity["utilization_peak"]) < 1.0

    # The fewest stable count: double until stable, then bisect.
    high = 1
    while not stable(high):
        if high >= MAX_INSTANCES:
            raise ModelInputError(f"option {option!r}: even {MAX_INSTANCES} instances cannot keep up with the peak hour")
        high = min(high * 2, MAX_INSTANCES)
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if stable(middle) else (middle, high)
    first_stable = high
    configured = sizing.configured_max
    start = max(1, first_stable - 1)  # one unstable point shows where the queue blows up
    top = max(configured * 2, first_stable + 8)
    slo = scenario.workload.latency_slo_ms
    stride = max(1, math.ceil((top - start + 1) / MAX_POINTS))
    counts = list(range(start, top + 1, stride))
    points: list[InstancePoint] = []
    for count in counts:
        result = evaluate_at(count)
        latency = result.latency_ms
        points.append(InstancePoint(
            instances=count, monthly_cost=result.monthly_cost,
            utilization_peak=float(result.capacity["utilization_peak"]),
            p50_ms=latency.p50 if latency else None, p95_ms=latency.p95 if latency else None,
            p99_ms=latency.p99 if latency else None))
    fewest = None
    if slo is not None:
        fewest = next((p.instances for p in points if p.p95_ms is not None and p.p95_ms <= slo), None)
    return InstanceSweep(option=option, sku=sizing.sku, concurrency=sizing.concurrency, points=tuple(points),
                         latency_slo_ms=slo, fewest_meeting_slo=fewest, currency=prices.currency)
