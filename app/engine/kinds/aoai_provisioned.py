"""`aoai-provisioned`: Azure OpenAI provisioned throughput (PTU), with optional spillover."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from app.engine.constraints import cost_per_1k_requests
from app.engine.errors import ModelInputError
from app.engine.levels import DeploymentLevel
from app.engine.option_fields import (
    PTU_ONBOARDING_URL,
    SPILLOVER_URL,
    EditorField,
    deployment_field,
    model_field,
)
from app.engine.price_checks import PriceIssue, openai_model_issues, token_rates_issues
from app.engine.price_lines import PriceLine, provisioned_lines, standard_lines
from app.engine.prices import PriceBook, PtuBilling
from app.engine.provisioned import (
    cheapest_ptu_with_spillover,
    check_deployable,
    mean_utilization,
    overflow,
    ptu_demand,
    round_to_deployable,
    weighted_tokens_per_request,
)
from app.engine.registry import EvaluationContext, OptionKind, PtuSizing, register
from app.engine.results import OptionResult
from app.engine.simulation.settings import System
from app.engine.simulation.support import SimulationInputs, SimulationSupport
from app.engine.simulation.systems import ptu_system
from app.engine.token_billing import token_cost_per_request
from app.engine.vocabulary import CAPACITY_FIELDS, COST_COMPONENTS
from app.engine.workload import Workload

BILLING_TERMS: tuple[PtuBilling, ...] = ("hourly", "monthly", "yearly")


@dataclass(frozen=True)
class AoaiProvisionedSpec:
    name: str
    model: str
    deployment: DeploymentLevel = "global"
    ptu: int | Literal["auto"] = "auto"
    billing: PtuBilling = "monthly"
    spillover: bool = False
    kind: str = "aoai-provisioned"


def evaluate(spec: AoaiProvisionedSpec, ctx: EvaluationContext) -> OptionResult:
    w = ctx.workload
    params, rate = ctx.prices.provisioned(spec.model, spec.deployment)
    minimum, increment = params.minimum[spec.deployment], params.increment[spec.deployment]
    demand = ptu_demand(ctx.demand.requests_per_minute, w.prompt_tokens, w.completion_tokens,
                        w.prompt_cache_hit_rate, params.output_token_weight, params.input_tpm_per_ptu)
    cost_per_ptu = rate.per_month(spec.billing, ctx.hours)
    required_at_peak = round_to_deployable(float(demand.max(initial=0.0)), minimum, increment)
    weighted_tokens = weighted_tokens_per_request(w.prompt_tokens, w.completion_tokens, w.prompt_cache_hit_rate,
                                                  params.output_token_weight)

    spill_cost_per_ptu_hour = 0.0
    if spec.spillover and weighted_tokens > 0:
        standard = ctx.prices.standard_rates(spec.model, spec.deployment)
        per_request = token_cost_per_request(w.prompt_tokens, w.completion_tokens, w.prompt_cache_hit_rate,
                                             standard, spec.model)
        # One PTU-hour serves 60 · TPM-per-PTU / weighted-tokens requests; divide the cost first so
        # that a vanishing token count cannot make an infinite request count (inf · 0 = NaN).
        spill_cost_per_ptu_hour = 60.0 * params.input_tpm_per_ptu * (per_request / weighted_tokens)

    if spec.ptu == "auto":
        if spec.spillover:
            choice = cheapest_ptu_with_spillover(demand, minimum, increment, cost_per_ptu, spill_cost_per_ptu_hour)
            ptu = choice.ptu
        else:
            ptu = required_at_peak
    else:
        ptu = int(spec.ptu)
        check_deployable(ptu, minimum, increment, f"option '{spec.name}'")

    above = overflow(demand, ptu)
    total_demand = float(demand.sum())
    share_above = above / total_demand if total_demand > 0 else 0.0
    ptu_cost = ptu * cost_per_ptu
    spillover_cost = above * spill_cost_per_ptu_hour if spec.spillover else 0.0
    warnings: list[str] = []
    throttled_share = 0.0 if spec.spillover else share_above
    if throttled_share > 0:
        hours_over = int((demand > ptu).sum())
        warnings.append(f"{throttled_share:.1%} of the token demand exceeds {ptu} PTU in {hours_over} of {ctx.hours} "
                        f"hours and is throttled (HTTP 429); enable spillover or deploy {required_at_peak} PTU")
    if spec.billing == "hourly":
        monthly = rate.per_month("monthly", ctx.hours)
        if monthly < cost_per_ptu:
            warnings.append(f"hourly billing costs {cost_per_ptu:,.2f} per PTU-month; a 1-month reservation "
                            f"costs {monthly:,.2f}")
    total = ptu_cost + spillover_cost
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=total,
        cost_breakdown={"ptu": ptu_cost, "spillover": spillover_cost},
        cost_per_1k_requests=cost_per_1k_requests(total, w.requests_per_month),
        capacity={
            "ptu": ptu,
            "ptu_required_at_peak": required_at_peak,
            "utilization": mean_utilization(demand, ptu),
            "spillover_share": share_above if spec.spillover else 0.0,
            "throttled_share": throttled_share,
        },
        latency_ms=None,
        meets_slo=False if throttled_share > 0 else None,
        meets_deadline=None,
        warnings=tuple(warnings),
        price_sheets=("azure-openai",),
        series={"ptu_demand": demand, "ptu_deployed": np.full(ctx.hours, float(ptu))},
    )


def price_issues(spec: AoaiProvisionedSpec, prices: PriceBook, workload: Workload) -> Iterator[PriceIssue]:
    found = list(openai_model_issues(prices, spec.model))
    if not found and spec.spillover:
        found = list(token_rates_issues(prices, spec.model, spec.deployment, "standard", workload.completion_tokens,
                                        purpose="needed for spillover"))
    yield from found
    if found:
        return
    try:
        params, _ = prices.provisioned(spec.model, spec.deployment)
    except ModelInputError as exc:
        yield PriceIssue(("deployment",), str(exc))
        return
    if spec.ptu != "auto":
        try:
            check_deployable(spec.ptu, params.minimum[spec.deployment], params.increment[spec.deployment],
                             f"{spec.model} {spec.deployment}")
        except ModelInputError as exc:
            yield PriceIssue(("ptu",), str(exc))


def price_lines(spec: AoaiProvisionedSpec, prices: PriceBook) -> list[PriceLine]:
    lines = provisioned_lines(prices, spec.model, spec.deployment, spec.billing)
    if spec.spillover:
        lines += standard_lines(prices, spec.model, spec.deployment)
    return lines


def simulated_system(spec: AoaiProvisionedSpec, inputs: SimulationInputs) -> System:
    """The PTU bucket at the count the evaluation deployed (`ptu: auto` resolved)."""
    return ptu_system(spec.model, spec.deployment, spec.billing, spec.spillover, inputs.workload, inputs.prices,
                      int(inputs.evaluated.capacity["ptu"]), inputs.hours_per_month)


KIND = register(OptionKind(
    kind="aoai-provisioned", title="Azure OpenAI Provisioned Throughput (PTU)", evaluate=evaluate,
    price_issues=price_issues, price_lines=price_lines,
    capacity_fields=tuple(CAPACITY_FIELDS[key] for key in
                          ("ptu", "ptu_required_at_peak", "utilization", "spillover_share", "throttled_share")),
    cost_components=(COST_COMPONENTS["ptu"], COST_COMPONENTS["spillover"]),
    template={"model": "gpt-4o", "deployment": "global", "ptu": "auto", "billing": "monthly", "spillover": True},
    editor_fields=(
        model_field("provisioned"),
        deployment_field("provisioned"),
        EditorField("ptu", "PTU", "ptu", minimum=1, maximum=100_000, step=5, default="auto",
                    help="Automatic: sized for the busiest hour without spillover, or the cheapest PTU count plus "
                         "spillover with it. A fixed count must be at least the model's minimum and a multiple of "
                         f"its increment (Global: 15, in steps of 5; Regional: 50 or 25). Source: {PTU_ONBOARDING_URL}"),
        EditorField("billing", "Billing", "choice", choices=BILLING_TERMS, default="monthly",
                    help="Hourly (no commitment), or a 1-month or 1-year reservation per PTU. "
                         f"Source: {PTU_ONBOARDING_URL}"),
        EditorField("spillover", "Spillover to Standard", "toggle", default=False,
                    help="Demand above the PTUs goes to a Standard deployment and bills at its token rates; "
                         f"without it, it is throttled with HTTP 429. Source: {SPILLOVER_URL}"),
    ),
    models_used=lambda spec: (spec.model,),
    simulation=SimulationSupport(system="ptu", build=simulated_system),
    ptu_sizing=lambda spec: PtuSizing(spec.model, spec.deployment, spec.billing),
))
