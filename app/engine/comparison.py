"""Evaluate every option of a scenario and recommend one.

recommended = the cheapest option that fails no stated constraint (latency SLO, deadline,
throttling); ties go to the option listed first; None when every option fails one.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.engine.prices import PriceBook, SheetRef
from app.engine.registry import EvaluationContext, option_kind
from app.engine.results import Evaluation, OptionResult
from app.engine.scenario import Scenario
from app.engine.workload import monthly_demand


def recommend(results: Sequence[OptionResult]) -> str | None:
    eligible = [r for r in results if not r.fails_a_constraint]
    if not eligible:
        return None
    return min(eligible, key=lambda r: r.monthly_cost).name


def evaluate(scenario: Scenario, prices: PriceBook) -> Evaluation:
    """Evaluate every option over the hourly month. Pure: same inputs, same numbers."""
    demand = monthly_demand(scenario.workload, scenario.hours_per_month)
    ctx = EvaluationContext(workload=scenario.workload, demand=demand, prices=prices)
    results = tuple(option_kind(spec.kind).evaluate(spec, ctx) for spec in scenario.options)
    used: list[SheetRef] = []
    for sheet_kind in ("azure-openai", "azure-ml-compute"):
        if any(sheet_kind in r.price_sheets for r in results):
            used.append(prices.sheet_for(sheet_kind))
    return Evaluation(
        scenario=scenario.name,
        currency=prices.currency,
        hours_per_month=scenario.hours_per_month,
        prices=tuple(used),
        options=results,
        recommended=recommend(results),
    )
