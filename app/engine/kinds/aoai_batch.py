"""`aoai-batch`: Azure OpenAI Global / Data Zone Batch API, per token, 24-hour target."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.engine.constraints import BATCH_API_TARGET_HOURS, batch_judgement, cost_per_1k_requests
from app.engine.levels import BatchLevel
from app.engine.option_fields import BATCH_URL, deployment_field, model_field
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


def evaluate(spec: AoaiBatchSpec, ctx: EvaluationContext) -> OptionResult:
    w = ctx.workload
    rates = ctx.prices.batch_rates(spec.model, spec.deployment)
    breakdown = token_cost_breakdown(w.model_requests_per_month, w.prompt_tokens, w.completion_tokens,
                                     w.prompt_cache_hit_rate, rates, spec.model)
    total = sum(breakdown.values())
    meets_slo, meets_deadline, warnings = batch_judgement(w, BATCH_API_TARGET_HOURS, "The Batch API")
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=total, cost_breakdown=breakdown,
        cost_per_1k_requests=cost_per_1k_requests(total, w.requests_per_month), capacity={},
        latency_ms=None, meets_slo=meets_slo, meets_deadline=meets_deadline, warnings=tuple(warnings),
        price_sheets=("azure-openai",),
    )


def price_issues(spec: AoaiBatchSpec, prices: PriceBook, workload: Workload) -> Iterator[PriceIssue]:
    found = list(openai_model_issues(prices, spec.model))
    yield from found
    if not found:
        yield from token_rates_issues(prices, spec.model, spec.deployment, "batch", workload.completion_tokens)


def price_lines(spec: AoaiBatchSpec, prices: PriceBook) -> list[PriceLine]:
    return batch_lines(prices, spec.model, spec.deployment)


KIND = register(OptionKind(
    kind="aoai-batch", title="Azure OpenAI Batch API (24 h target)", evaluate=evaluate,
    price_issues=price_issues, price_lines=price_lines, capacity_fields=(),
    cost_components=(COST_COMPONENTS["input"], COST_COMPONENTS["cached_input"], COST_COMPONENTS["output"]),
    template={"model": "gpt-4o", "deployment": "global"},
    editor_fields=(model_field("batch"), deployment_field("batch")),
    editor_note=f"Batch API: 50% of the Global Standard price, results within a 24-hour target ({BATCH_URL}).",
    models_used=lambda spec: (spec.model,),
    batch=True,
))
