"""`aoai-standard`: Azure OpenAI Global / Data Zone / Regional Standard, billed per token."""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.constraints import cost_per_1k_requests
from app.engine.registry import EvaluationContext, OptionKind, register
from app.engine.results import OptionResult
from app.engine.token_billing import monthly_tokens, token_cost_breakdown


@dataclass(frozen=True)
class AoaiStandardSpec:
    name: str
    model: str
    deployment: str = "global"
    kind: str = "aoai-standard"


def evaluate(spec: AoaiStandardSpec, ctx: EvaluationContext) -> OptionResult:
    w = ctx.workload
    rates = ctx.prices.standard_rates(spec.model, spec.deployment)
    breakdown = token_cost_breakdown(w.model_requests_per_month, w.prompt_tokens, w.completion_tokens,
                                     w.prompt_cache_hit_rate, rates, spec.model)
    total = sum(breakdown.values())
    warnings = []
    tier = ctx.prices.model(spec.model).usage_tier_tokens_per_month
    tokens = monthly_tokens(w.model_requests_per_month, w.prompt_tokens, w.completion_tokens)
    if tier is not None and tokens > tier:
        warnings.append(f"{tokens / 1e9:.1f} B tokens/month is above {spec.model}'s {tier / 1e9:g} B usage tier: "
                        "Standard latency may be more than two times higher")
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=total, cost_breakdown=breakdown,
        cost_per_1k_requests=cost_per_1k_requests(total, w.requests_per_month), capacity={},
        latency_ms=None, meets_slo=None, meets_deadline=None, warnings=tuple(warnings),
        price_sheets=("azure-openai",),
    )


KIND = register(OptionKind(kind="aoai-standard", title="Azure OpenAI Standard (pay per token)",
                           spec_type=AoaiStandardSpec, price_sheets=("azure-openai",), evaluate=evaluate))
