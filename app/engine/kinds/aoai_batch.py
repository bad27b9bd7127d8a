"""`aoai-batch`: Azure OpenAI Global / Data Zone Batch API, per token, 24-hour target."""

from __future__ import annotations

from dataclasses import dataclass

from app.engine import aoai_assessment
from app.engine.constraints import BATCH_API_TARGET_HOURS, batch_verdict, cost_per_1k_requests
from app.engine.registry import EvaluationContext, OptionKind, register
from app.engine.results import OptionResult
from app.engine.token_billing import token_cost_breakdown


@dataclass(frozen=True)
class AoaiBatchSpec:
    name: str
    model: str
    deployment: str = "global"
    kind: str = "aoai-batch"
    enqueued_token_quota: int | None = None  # replaces the default enqueued-token quota of the model


def evaluate(spec: AoaiBatchSpec, ctx: EvaluationContext) -> OptionResult:
    w = ctx.workload
    rates = ctx.prices.batch_rates(spec.model, spec.deployment)
    breakdown = token_cost_breakdown(w.model_requests_per_month, w.prompt_tokens, w.completion_tokens,
                                     w.prompt_cache_hit_rate, rates, spec.model)
    total = sum(breakdown.values())
    verdict = batch_verdict(w, BATCH_API_TARGET_HOURS, "The Batch API")
    found = aoai_assessment.batch(ctx, spec.model, spec.deployment, spec.enqueued_token_quota)
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=total, cost_breakdown=breakdown,
        cost_per_1k_requests=cost_per_1k_requests(total, w.requests_per_month), capacity=found.capacity,
        latency_ms=None, meets_slo=verdict.meets_slo, meets_deadline=verdict.meets_deadline,
        warnings=tuple(verdict.warnings + found.warnings), price_sheets=found.price_sheets,
        constraints_failed=tuple(verdict.failures + found.failures),
    )


KIND = register(OptionKind(kind="aoai-batch", title="Azure OpenAI Batch API (24 h target)",
                           spec_type=AoaiBatchSpec, price_sheets=("azure-openai",), evaluate=evaluate, batch=True))
