"""`aoai-batch`: Azure OpenAI Global / Data Zone Batch API, per token, 24-hour target."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.engine import aoai_assessment
from app.engine.constraints import BATCH_API_TARGET_HOURS, batch_verdict, cost_per_1k_requests
from app.engine.levels import BatchLevel
from app.engine.option_fields import (
    BATCH_URL,
    QUOTAS_URL,
    SERVICE_GROUP,
    CapacityField,
    EditorField,
    deployment_field,
    model_field,
)
from app.engine.price_checks import PriceIssue, openai_model_issues, token_rates_issues
from app.engine.price_lines import PriceLine, batch_lines
from app.engine.prices import PriceBook
from app.engine.registry import EvaluationContext, OptionKind, register
from app.engine.results import OptionResult
from app.engine.token_billing import token_cost_breakdown
from app.engine.vocabulary import COST_COMPONENTS
from app.engine.workload import Workload


@dataclass(frozen=True)
class AoaiBatchSpec:
    name: str
    model: str
    deployment: BatchLevel = "global"
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


def price_issues(spec: AoaiBatchSpec, prices: PriceBook, workload: Workload) -> Iterator[PriceIssue]:
    found = list(openai_model_issues(prices, spec.model))
    yield from found
    if not found:
        yield from token_rates_issues(prices, spec.model, spec.deployment, "batch", workload.completion_tokens)


def price_lines(spec: AoaiBatchSpec, prices: PriceBook) -> list[PriceLine]:
    return batch_lines(prices, spec.model, spec.deployment)


CAPACITY = (  # quotas.py: prompt tokens of the busiest 24 hours against the enqueued-token quota
    CapacityField("enqueued_tokens_peak", "enqueued", "tokens", "count", note="in the busiest 24 hours"),
    CapacityField("enqueued_token_quota", "quota", "tokens", "count", note="enqueued at most"),
)


KIND = register(OptionKind(
    kind="aoai-batch", title="Azure OpenAI Batch API (24 h target)", evaluate=evaluate,
    price_issues=price_issues, price_lines=price_lines, capacity_fields=CAPACITY,
    cost_components=(COST_COMPONENTS["input"], COST_COMPONENTS["cached_input"], COST_COMPONENTS["output"]),
    template={"model": "gpt-4o", "deployment": "global"},
    editor_fields=(
        model_field("batch"),
        deployment_field("batch"),
        EditorField("enqueued_token_quota", "Enqueued-token quota", "optional_integer", minimum=1, maximum=10**15,
                    step=1, placeholder="Learn's default", group=SERVICE_GROUP,
                    help="Input tokens of unfinished jobs the subscription may hold; default: Learn's default for the "
                         f"model (Enterprise subscriptions get more). Source: {QUOTAS_URL}"),
    ),
    editor_note=f"Batch API: 50% of the Global Standard price, results within a 24-hour target ({BATCH_URL}).",
    models_used=lambda spec: (spec.model,),
    batch=True,
))
