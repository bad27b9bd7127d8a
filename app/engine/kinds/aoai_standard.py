"""`aoai-standard`: Azure OpenAI Global / Data Zone / Regional Standard, billed per token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.engine.constraints import cost_per_1k_requests
from app.engine.levels import DeploymentLevel
from app.engine.option_fields import deployment_field, model_field
from app.engine.price_checks import PriceIssue, openai_model_issues, token_rates_issues
from app.engine.price_lines import PriceLine, standard_lines
from app.engine.prices import PriceBook
from app.engine.registry import EvaluationContext, OptionKind, PtuSizing, register
from app.engine.results import OptionResult
from app.engine.token_billing import monthly_tokens, token_cost_breakdown
from app.engine.vocabulary import COST_COMPONENTS
from app.engine.workload import Workload


@dataclass(frozen=True)
class AoaiStandardSpec:
    name: str
    model: str
    deployment: DeploymentLevel = "global"
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


def price_issues(spec: AoaiStandardSpec, prices: PriceBook, workload: Workload) -> Iterator[PriceIssue]:
    found = list(openai_model_issues(prices, spec.model))
    yield from found
    if not found:
        yield from token_rates_issues(prices, spec.model, spec.deployment, "standard", workload.completion_tokens)


def price_lines(spec: AoaiStandardSpec, prices: PriceBook) -> list[PriceLine]:
    return standard_lines(prices, spec.model, spec.deployment)


KIND = register(OptionKind(
    kind="aoai-standard", title="Azure OpenAI Standard (pay per token)", evaluate=evaluate,
    price_issues=price_issues, price_lines=price_lines, capacity_fields=(),
    cost_components=(COST_COMPONENTS["input"], COST_COMPONENTS["cached_input"], COST_COMPONENTS["output"]),
    template={"model": "gpt-4o", "deployment": "global"},
    editor_fields=(model_field("standard"), deployment_field("standard")),
    models_used=lambda spec: (spec.model,),
    ptu_sizing=lambda spec: PtuSizing(spec.model, spec.deployment, "monthly"),
))
