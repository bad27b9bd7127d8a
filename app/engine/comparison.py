"""Evaluate every option of a scenario and recommend one.

recommended = the cheapest option that fails no constraint, stated (latency SLO, time to first
token, deadline, data residency) or not (stability, throttling, quota, batch eligibility, jobs
that fit in the month); ties go to the option listed first; None when every option fails one, and
then `no_recommendation_reasons` says what each fails.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from app.engine import vocabulary as words
from app.engine.errors import ModelInputError
from app.engine.prices import PriceBook, SheetRef
from app.engine.prompt_cache import cacheable_workload
from app.engine.registry import EvaluationContext, option_kind
from app.engine.results import Evaluation, OptionResult
from app.engine.scenario import Scenario
from app.engine.workload import monthly_demand

SHEET_ORDER = ("azure-openai", "azure-openai-service", "azure-ml-compute")


def recommend(results: Sequence[OptionResult]) -> str | None:
    eligible = [r for r in results if not r.fails_a_constraint]
    if not eligible:
        return None
    return min(eligible, key=lambda r: r.monthly_cost).name


def no_recommendation_reasons(evaluation: Evaluation) -> list[str]:
    """One line per option: its name and the constraints it fails, in plain words (empty when an
    option is recommended)."""
    if evaluation.recommended is not None:
        return []
    lines = []
    for result in evaluation.options:
        failed = words.failed_constraints((f.constraint for f in result.constraints_failed), result.meets_slo,
                                          result.meets_deadline)
        lines.append(f"{result.name}: {words.FAILS} {', '.join(failed)}")
    return lines
def check_finite(result: OptionResult) -> None:
    """Every figure of a plan is a finite number: an overflow (a price of 1e308 times a volume) or a
    0/0 is an input error that names the option, never an "inf" or "nan" cost that could be
    recommended or printed as JSON's non-standard `Infinity`."""
    figures = {"monthly cost": result.monthly_cost, "cost per 1k requests": result.cost_per_1k_requests,
               **{f"cost of {k}": v for k, v in result.cost_breakdown.items()},
               **{k.replace("_", " "): v for k, v in result.capacity.items() if isinstance(v, int | float)}}
    if result.latency_ms is not None:
        figures.update(p50=result.latency_ms.p50, p95=result.latency_ms.p95, p99=result.latency_ms.p99)
    for what, value in figures.items():
        if not math.isfinite(float(value)):
            raise ModelInputError(f"option {result.name!r}: its {what} is not a finite number ({value}); a price "
                                  "or an input is out of any plausible range (check the price sheet's figures)")


def evaluate(scenario: Scenario, prices: PriceBook) -> Evaluation:
    """Evaluate every option over the hourly month. Pure: same inputs, same numbers."""
    workload, cache_note = cacheable_workload(scenario.workload)
    demand = monthly_demand(workload, scenario.hours_per_month)
    ctx = EvaluationContext(workload=workload, demand=demand, prices=prices)
    results = tuple(option_kind(spec.kind).evaluate(spec, ctx) for spec in scenario.options)
    for result in results:
        check_finite(result)
    used: list[SheetRef] = []
    for sheet_kind in SHEET_ORDER:
        if any(sheet_kind in r.price_sheets for r in results):
            used.append(prices.sheet_for(sheet_kind))
    notes = []
    if cache_note is not None and any("azure-openai" in r.price_sheets for r in results):
        notes.append(cache_note)
    return Evaluation(
        scenario=scenario.name,
        currency=prices.currency,
        hours_per_month=scenario.hours_per_month,
        prices=tuple(used),
        options=results,
        recommended=recommend(results),
        notes=tuple(notes),
    )

