"""One-at-a-time sensitivity (a tornado chart) of one option's monthly cost to ±20% on each input.

Each workload input is moved to (1 − δ)·x and (1 + δ)·x with the others held, and the scenario is
re-evaluated by `comparison.evaluate`. Shares stay in [0, 1] (result-cache below 1) and the
peak-to-average ratio at or above 1; inputs that are unset are left out. A change the model cannot
take (e.g. a peak the traffic shape cannot reach) gives no cost for that side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from app.engine.comparison import evaluate
from app.engine.errors import ModelInputError
from app.engine.prices import PriceBook
from app.engine.scenario import Scenario
from app.engine.workload import Workload

DEFAULT_DELTA = 0.20


@dataclass(frozen=True)
class SensitivityInput:
    name: str  # workload field
    label: str  # for people, with the unit
    read: Callable[[Workload], float | None]
    write: Callable[[Workload, float], Workload]
    low_bound: float = 0.0
    high_bound: float = float("inf")


def _field(name: str) -> tuple[Callable[[Workload], float | None], Callable[[Workload, float], Workload]]:
    return (lambda w: getattr(w, name)), (lambda w, v: replace(w, **{name: v}))


INPUTS: tuple[SensitivityInput, ...] = (
    SensitivityInput("requests_per_month", "Requests per month", *_field("requests_per_month")),
    SensitivityInput("peak_to_average", "Peak-to-average ratio",
                     lambda w: w.traffic.peak_to_average if w.traffic.shape != "flat" else None,
                     lambda w, v: replace(w, traffic=replace(w.traffic, peak_to_average=v)), low_bound=1.0),
    SensitivityInput("prompt_tokens", "Prompt tokens per request", *_field("prompt_tokens")),
    SensitivityInput("completion_tokens", "Completion tokens per request", *_field("completion_tokens")),
    SensitivityInput("prompt_cache_hit_rate", "Prompt-cache hit rate", *_field("prompt_cache_hit_rate"),
                     high_bound=1.0),
    SensitivityInput("result_cache_hit_rate", "Result-cache hit rate", *_field("result_cache_hit_rate"),
                     high_bound=0.99),
    SensitivityInput("service_time_ms", "Service time (ms)", *_field("service_time_ms")),
)


@dataclass(frozen=True)
class SensitivityBar:
    input_name: str
    label: str
    base_value: float
    low_value: float
    high_value: float
    cost_at_low: float | None
    cost_at_high: float | None

    @property
    def swing(self) -> float:
        """Width of the bar: |cost at high − cost at low| (0 when a side could not be evaluated)."""
        if self.cost_at_low is None or self.cost_at_high is None:
            return 0.0
        return abs(self.cost_at_high - self.cost_at_low)


@dataclass(frozen=True)
class Sensitivity:
    option: str
    base_cost: float
    delta: float
    bars: tuple[SensitivityBar, ...]  # widest swing first
    currency: str


def _cost(scenario: Scenario, prices: PriceBook, workload: Workload, option: str) -> float | None:
    try:
        return evaluate(replace(scenario, workload=workload), prices).option(option).monthly_cost
    except ModelInputError:
        return None


def sensitivity(scenario: Scenario, prices: PriceBook, option: str, delta: float = DEFAULT_DELTA) -> Sensitivity:
    """Cost of `option` with each input at (1 ± delta) times its value, widest swing first."""
    if not 0 < delta < 1:
        raise ModelInputError(f"the sensitivity step must be between 0 and 1, got {delta}")
    base = evaluate(scenario, prices)
    base_cost = base.option(option).monthly_cost
    # Only inputs the scenario's options can feel: inputs that change no option's cost still show
    # as zero-width bars, which is itself an answer ("tokens do not matter for a compute option").
    workload = scenario.workload
    bars = []
    for item in INPUTS:
        value = item.read(workload)
        if value is None:
            continue
        low = min(max(value * (1 - delta), item.low_bound), item.high_bound)
        high = min(max(value * (1 + delta), item.low_bound), item.high_bound)
        bars.append(SensitivityBar(
            input_name=item.name, label=item.label, base_value=value, low_value=low, high_value=high,
            cost_at_low=_cost(scenario, prices, item.write(workload, low), option),
            cost_at_high=_cost(scenario, prices, item.write(workload, high), option)))
    bars.sort(key=lambda b: b.swing, reverse=True)
    return Sensitivity(option=option, base_cost=base_cost, delta=delta, bars=tuple(bars), currency=prices.currency)
