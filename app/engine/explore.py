"""What-if sweeps for the Explore page and the PDF: each re-runs the engine's own evaluators.

No new cost formula lives here: every point is `comparison.evaluate` (or one option's registered
evaluator) on a scenario changed with `dataclasses.replace`. What this module adds is the choice of
points and where lines cross.

- Break-even: each option's monthly cost over requests/month on a log grid (10k–1B by default),
  and the volumes where the recommendation changes (refined by bisection on log volume).
- Prompt-cache sweep: each option's monthly cost over the prompt-cache hit rate (0–95%: every request
  sends some new tokens). Prompts under 1,024 tokens are never cached (prompt_cache.py): the sweep
  then is flat and says why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from app.engine.comparison import evaluate
from app.engine.errors import ModelInputError
from app.engine.prices import PriceBook
from app.engine.prompt_cache import MAX_PLANNED_HIT_RATE, MIN_CACHEABLE_PROMPT_TOKENS
from app.engine.results import Evaluation
from app.engine.scenario import Scenario

BREAK_EVEN_LOW = 1e4
BREAK_EVEN_HIGH = 1e9
BREAK_EVEN_POINTS = 41  # 8 points per decade over 5 decades, plus the end
CACHE_RATES = tuple(round(0.05 * i, 2) for i in range(round(MAX_PLANNED_HIT_RATE / 0.05) + 1))  # 0, 0.05, ..., 0.95
BISECTION_STEPS = 12
SUBDIVISIONS = 8


@dataclass(frozen=True)
class OptionSweep:
    """One option's figures at each sweep point (None where the engine could not evaluate it)."""

    option: str
    kind: str
    monthly_cost: tuple[float | None, ...]
    fails_constraint: tuple[bool, ...]  # fails the SLO, the deadline or throttles at that point


@dataclass(frozen=True)
class Crossover:
    """A point where the recommended option changes from `below` to `above` as x grows."""

    x: float
    monthly_cost: float
    below: str
    above: str


@dataclass(frozen=True)
class Sweep:
    """Monthly cost of every option over one input. x is in the input's own unit."""

    input_name: str  # "requests_per_month" | "prompt_cache_hit_rate"
    x: tuple[float, ...]
    current_x: float
    options: tuple[OptionSweep, ...]
    crossovers: tuple[Crossover, ...]
    currency: str
    notes: tuple[str, ...] = ()  # what the reader must know to read the sweep (e.g. prompts too short to cache)

    def option(self, name: str) -> OptionSweep:
        for sweep in self.options:
            if sweep.option == name:
                return sweep
        raise KeyError(name)


def log_grid(low: float, high: float, points: int) -> tuple[float, ...]:
    """`points` values evenly spaced in log10 from low to high (both included)."""
    if low <= 0 or high <= low or points < 2:
        raise ModelInputError(f"a log grid needs 0 < low < high and at least 2 points, got {low}, {high}, {points}")
    step = (math.log10(high) - math.log10(low)) / (points - 1)
    return tuple(10 ** (math.log10(low) + i * step) for i in range(points))


def _try_evaluate(scenario: Scenario, prices: PriceBook) -> Evaluation | None:
    try:
        return evaluate(scenario, prices)
    except ModelInputError:
        return None


def _sweep(scenario: Scenario, prices: PriceBook, xs: Sequence[float],
           at: Callable[[float], Scenario]) -> tuple[list[Evaluation | None], tuple[OptionSweep, ...]]:
    evaluations = [_try_evaluate(at(x), prices) for x in xs]
    sweeps = []
    for index, spec in enumerate(scenario.options):
        costs: list[float | None] = []
        fails: list[bool] = []
        for evaluation in evaluations:
            if evaluation is None:
                costs.append(None)
                fails.append(False)
                continue
            result = evaluation.options[index]
            costs.append(result.monthly_cost)
            fails.append(result.fails_a_constraint)
        sweeps.append(OptionSweep(option=spec.name, kind=spec.kind, monthly_cost=tuple(costs), fails_constraint=tuple(fails)))
    return evaluations, tuple(sweeps)


def _ranking(evaluation: Evaluation) -> tuple[str, ...]:
    return tuple(r.name for r in sorted(evaluation.options, key=lambda r: r.monthly_cost))


def _between(lo: float, hi: float, parts: int, log_x: bool) -> list[float]:
    if log_x:
        return [lo * (hi / lo) ** (i / parts) for i in range(parts + 1)]
    return [lo + (hi - lo) * i / parts for i in range(parts + 1)]


def _bisect(lo: float, hi: float, below: str, at: Callable[[float], Scenario], prices: PriceBook,
            log_x: bool) -> Crossover | None:
    above: str | None = None
    for _ in range(BISECTION_STEPS):
        mid = math.sqrt(lo * hi) if log_x else (lo + hi) / 2
        middle = _try_evaluate(at(mid), prices)
        if middle is None or middle.recommended is None:
            break
        if middle.recommended == below:
            lo = mid
        else:
            hi, above = mid, middle.recommended
    point = _try_evaluate(at(hi), prices)
    if point is None or point.recommended is None or point.recommended == below:
        return None
    return Crossover(x=math.sqrt(lo * hi) if log_x else (lo + hi) / 2,
                     monthly_cost=point.option(point.recommended).monthly_cost, below=below,
                     above=above or point.recommended)


def _crossovers(xs: Sequence[float], evaluations: Sequence[Evaluation | None], at: Callable[[float], Scenario],
                prices: PriceBook, log_x: bool) -> tuple[Crossover, ...]:
    """Where the recommendation (the cheapest option that fails no constraint) changes.

    Between neighbouring grid points whose recommendation or cost ranking differs, the interval is
    sampled at SUBDIVISIONS points (a recommendation can hold for less than one grid step, e.g.
    between a PTU break-even and the volume where that PTU starts to throttle), and every change
    found is refined by bisection. Points where nothing is recommended are skipped.
    """
    found: list[Crossover] = []
    for i in range(len(xs) - 1):
        left, right = evaluations[i], evaluations[i + 1]
        if left is None or right is None:
            continue
        if left.recommended == right.recommended and _ranking(left) == _ranking(right):
            continue
        points = _between(xs[i], xs[i + 1], SUBDIVISIONS, log_x)
        inner = [left, *(_try_evaluate(at(x), prices) for x in points[1:-1]), right]
        for j in range(len(points) - 1):
            a, b = inner[j], inner[j + 1]
            if a is None or b is None or a.recommended is None or b.recommended is None:
                continue
            if a.recommended != b.recommended:
                crossing = _bisect(points[j], points[j + 1], a.recommended, at, prices, log_x)
                if crossing is not None:
                    found.append(crossing)
    return tuple(found)


def with_volume(scenario: Scenario, requests_per_month: float) -> Scenario:
    return replace(scenario, workload=replace(scenario.workload, requests_per_month=requests_per_month))


def with_prompt_cache(scenario: Scenario, hit_rate: float) -> Scenario:
    return replace(scenario, workload=replace(scenario.workload, prompt_cache_hit_rate=hit_rate))


def break_even(scenario: Scenario, prices: PriceBook, low: float = BREAK_EVEN_LOW, high: float = BREAK_EVEN_HIGH,
               points: int = BREAK_EVEN_POINTS) -> Sweep:
    """Monthly cost of every option over requests/month (log grid), with the break-even volumes."""
    xs = log_grid(low, high, points)

    def at(volume: float) -> Scenario:
        return with_volume(scenario, volume)

    evaluations, sweeps = _sweep(scenario, prices, xs, at)
    return Sweep(input_name="requests_per_month", x=xs, current_x=scenario.workload.requests_per_month,
                 options=sweeps, crossovers=_crossovers(xs, evaluations, at, prices, log_x=True),
                 currency=prices.currency, notes=_infeasible_ranges(xs, evaluations))


def _infeasible_ranges(xs: Sequence[float], evaluations: Sequence[Evaluation | None]) -> tuple[str, ...]:
    """Where no option is feasible along the sweep (grid points, in words)."""
    notes = []
    start: float | None = None
    for x, evaluation in zip([*xs, None], [*evaluations, None], strict=True):
        none = evaluation is not None and evaluation.recommended is None
        if none and start is None:
            start = x
        elif not none and start is not None:
            end = "" if x is None else f" up to about {x:,.0f}"
            notes.append(f"From about {start:,.0f} requests/month{end}, no option is feasible: each fails a "
                         "constraint (see the Studio at that volume)")
            start = None
    return tuple(notes)


def cache_sweep(scenario: Scenario, prices: PriceBook, rates: Sequence[float] = CACHE_RATES) -> Sweep:
    """Monthly cost of every option over the prompt-cache hit rate (share of prompt tokens cached)."""
    xs = tuple(rates)

    def at(rate: float) -> Scenario:
        return with_prompt_cache(scenario, rate)

    evaluations, sweeps = _sweep(scenario, prices, xs, at)
    prompt = scenario.workload.prompt_tokens
    notes = () if prompt >= MIN_CACHEABLE_PROMPT_TOKENS else (
        f"Prompts of {prompt:,.0f} tokens are below the {MIN_CACHEABLE_PROMPT_TOKENS:,}-token minimum for prompt "
        "caching: nothing is cached at any hit rate, so every line is flat.",)
    return Sweep(input_name="prompt_cache_hit_rate", x=xs, current_x=scenario.workload.prompt_cache_hit_rate,
                 options=sweeps, crossovers=_crossovers(xs, evaluations, at, prices, log_x=False),
                 currency=prices.currency, notes=notes)


@dataclass(frozen=True)
class Saving:
    """What the recommended option saves per month against one alternative (negative: it costs more)."""

    option: str
    monthly_saving: float
    share: float | None  # saving ÷ the alternative's cost; None when that cost is 0


def savings_against_alternatives(evaluation: Evaluation) -> tuple[Saving, ...]:
    """saving = alternative's monthly cost − recommended's; share = saving / alternative's cost.

    Empty when nothing is recommended. Listed in the evaluation's option order, without the
    recommended option itself.
    """
    if evaluation.recommended is None:
        return ()
    best = evaluation.option(evaluation.recommended).monthly_cost
    found = []
    for result in evaluation.options:
        if result.name == evaluation.recommended:
            continue
        saving = result.monthly_cost - best
        found.append(Saving(option=result.name, monthly_saving=saving,
                            share=saving / result.monthly_cost if result.monthly_cost > 0 else None))
    return tuple(found)
