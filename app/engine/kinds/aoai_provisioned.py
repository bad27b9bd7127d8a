"""`aoai-provisioned`: Azure OpenAI provisioned throughput (PTU), with optional spillover."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from app.engine import aoai_assessment
from app.engine.aoai_latency import LatencyOverride
from app.engine.constraints import cost_per_1k_requests
from app.engine.provisioned import (
    cheapest_ptu_with_spillover,
    check_deployable,
    mean_utilization,
    overflow,
    ptu_demand,
    round_to_deployable,
)
from app.engine.registry import EvaluationContext, OptionKind, register
from app.engine.results import OptionResult
from app.engine.token_billing import token_cost_per_request


@dataclass(frozen=True)
class AoaiProvisionedSpec:
    name: str
    model: str
    deployment: str = "global"
    ptu: int | Literal["auto"] = "auto"
    billing: Literal["hourly", "monthly", "yearly"] = "monthly"
    spillover: bool = False
    kind: str = "aoai-provisioned"
    latency: LatencyOverride | None = None  # medians for this deployment (telemetry, load test)
    ptu_quota: int | None = None  # the regional PTU quota of this deployment type, when known


def evaluate(spec: AoaiProvisionedSpec, ctx: EvaluationContext) -> OptionResult:
    w = ctx.workload
    params, rate = ctx.prices.provisioned(spec.model, spec.deployment)
    minimum, increment = params.minimum[spec.deployment], params.increment[spec.deployment]
    demand = ptu_demand(ctx.demand.requests_per_minute, w.prompt_tokens, w.completion_tokens,
                        w.prompt_cache_hit_rate, params.output_token_weight, params.input_tpm_per_ptu)
    cost_per_ptu = rate.per_month(spec.billing, ctx.hours)
    required_at_peak = round_to_deployable(float(demand.max(initial=0.0)), minimum, increment)
    weighted_tokens = w.prompt_tokens * (1 - w.prompt_cache_hit_rate) + params.output_token_weight * w.completion_tokens

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
    found = aoai_assessment.provisioned(ctx, spec.model, spec.deployment, ptu, demand, spec.spillover, throttled_share,
                                        required_at_peak, spec.latency, spec.ptu_quota)
    warnings += found.warnings
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
        latency_ms=found.latency,
        meets_slo=found.meets_slo,
        meets_deadline=None,
        warnings=tuple(warnings),
        price_sheets=found.price_sheets,
        series={"ptu_demand": demand, "ptu_deployed": np.full(ctx.hours, float(ptu))},
        ttft_ms=found.ttft, latency_source=found.latency_source, constraints_failed=tuple(found.failures),
    )


KIND = register(OptionKind(kind="aoai-provisioned", title="Azure OpenAI Provisioned Throughput (PTU)",
                           spec_type=AoaiProvisionedSpec, price_sheets=("azure-openai",), evaluate=evaluate))
