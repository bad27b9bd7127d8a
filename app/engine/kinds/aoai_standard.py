"""`aoai-standard`: Azure OpenAI Global / Data Zone / Regional Standard, billed per token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.engine import aoai_assessment
from app.engine.aoai_latency import LatencyOverride
from app.engine.constraints import cost_per_1k_requests
from app.engine.levels import DeploymentLevel
from app.engine.option_fields import (
    QUOTAS_URL,
    SERVICE_GROUP,
    CapacityField,
    EditorField,
    deployment_field,
    latency_field,
    model_field,
)
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


def price_issues(spec: AoaiStandardSpec, prices: PriceBook, workload: Workload) -> Iterator[PriceIssue]:
    found = list(openai_model_issues(prices, spec.model))
    yield from found
    if not found:
        yield from token_rates_issues(prices, spec.model, spec.deployment, "standard", workload.completion_tokens)


def price_lines(spec: AoaiStandardSpec, prices: PriceBook) -> list[PriceLine]:
    return standard_lines(prices, spec.model, spec.deployment)


CAPACITY = (  # quotas.py: the busiest hour's mean minute against the deployment's tokens-per-minute quota
    CapacityField("tokens_per_minute_peak", "load at peak", "TPM", "count", note="in the busiest hour's mean minute"),
    CapacityField("quota_tokens_per_minute", "quota", "TPM", "count", note="of the quota tier or granted"),
)


KIND = register(OptionKind(
    kind="aoai-standard", title="Azure OpenAI Standard (pay per token)", evaluate=evaluate,
    price_issues=price_issues, price_lines=price_lines, capacity_fields=CAPACITY,
    cost_components=(COST_COMPONENTS["input"], COST_COMPONENTS["cached_input"], COST_COMPONENTS["output"]),
    template={"model": "gpt-4o", "deployment": "global"},
    editor_fields=(
        model_field("standard"),
        deployment_field("standard"),
        EditorField("quota_tier", "Quota tier", "optional_integer", minimum=1, maximum=6, step=1, placeholder="1",
                    group=SERVICE_GROUP,
                    help="The subscription's quota tier (1–6) for this model and deployment type; the planner "
                         f"assumes tier 1 unless you say otherwise. Source: {QUOTAS_URL}"),
        EditorField("tpm_quota", "Granted quota (tokens/min)", "optional_integer", minimum=1, maximum=10**12,
                    step=1, placeholder="the tier's", group=SERVICE_GROUP,
                    help="The tokens-per-minute quota the customer was granted; replaces the tier's."),
        latency_field(),
    ),
    models_used=lambda spec: (spec.model,),
    ptu_sizing=lambda spec: PtuSizing(spec.model, spec.deployment, "monthly"),
))
