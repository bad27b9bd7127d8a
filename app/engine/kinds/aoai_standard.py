"""`aoai-standard`: Azure OpenAI Global / Data Zone / Regional Standard, billed per token."""

from __future__ import annotations

from dataclasses import dataclass

from app.engine import aoai_assessment
from app.engine.aoai_latency import LatencyOverride
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
    latency: LatencyOverride | None = None  # medians for this deployment (telemetry, load test)
    quota_tier: int | None = None  # Learn's quota tier 1-6 (default 1)
    tpm_quota: int | None = None  # the tokens-per-minute quota the customer was granted


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
                        "Standard latency may be more than two times higher (the planner doubles it)")
    found = aoai_assessment.standard(ctx, spec.model, spec.deployment, spec.latency, spec.quota_tier, spec.tpm_quota)
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=total, cost_breakdown=breakdown,
        cost_per_1k_requests=cost_per_1k_requests(total, w.requests_per_month), capacity=found.capacity,
        latency_ms=found.latency, meets_slo=found.meets_slo, meets_deadline=None,
        warnings=tuple(warnings + found.warnings), price_sheets=found.price_sheets, ttft_ms=found.ttft,
        latency_source=found.latency_source, constraints_failed=tuple(found.failures),
    )


KIND = register(OptionKind(kind="aoai-standard", title="Azure OpenAI Standard (pay per token)",
                           spec_type=AoaiStandardSpec, price_sheets=("azure-openai",), evaluate=evaluate))
