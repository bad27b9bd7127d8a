"""Latency, quota and data-residency verdicts of Azure OpenAI options at the busiest hour.

Each Azure OpenAI kind calls one function here with its model, deployment level and settings;
the formulas are in aoai_latency.py (latency), quotas.py (HTTP 429 limits), residency.py (where
requests are processed) and constraints.py (the verdicts).

- Standard: the model's Standard latency, doubled above its monthly usage tier; its
  tokens-per-minute quota.
- Provisioned: the PTU latency at the busiest hour's utilization u = min(D, PTU) / PTU; with
  spillover, the share s = (D − PTU) / D of that hour's requests gets Standard latency (doubled
  when the month's spilled tokens exceed the usage tier). Without spillover, demand above the PTUs
  is throttled (HTTP 429). The regional PTU quota, when stated.
- Batch API: the enqueued-token quota.

Without the service sheet (hand-made price books) latency and quota defaults are not judged;
residency and throttling are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from app.engine import vocabulary as words
from app.engine.aoai_latency import (
    LatencyBasis,
    LatencyOverride,
    above_usage_tier,
    basis_for,
    response_latency,
    under_load,
)
from app.engine.constraints import latency_stated, latency_verdict
from app.engine.provisioned import overflow
from app.engine.quotas import batch_quota_check, ptu_quota_check, standard_quota_check
from app.engine.registry import EvaluationContext
from app.engine.residency import residency_failure
from app.engine.results import ConstraintFailure, LatencyPercentiles
from app.engine.service_facts import Tier
from app.engine.token_billing import monthly_tokens

SERVICE_SHEET = "azure-openai-service"


@dataclass
class Assessment:
    latency: LatencyPercentiles | None = None
    ttft: LatencyPercentiles | None = None
    latency_source: str | None = None
    meets_slo: bool | None = None
    failures: list[ConstraintFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    capacity: dict[str, float] = field(default_factory=dict)
    used_service_sheet: bool = False

    @property
    def price_sheets(self) -> tuple[str, ...]:
        return ("azure-openai", SERVICE_SHEET) if self.used_service_sheet else ("azure-openai",)


def above_usage_tier_now(ctx: EvaluationContext, model: str, share: float = 1.0) -> bool:
    """The Standard tokens of a month (`share` of the workload's) above the model's usage tier:
    Standard latency may then be more than two times higher."""
    tier = ctx.prices.model(model).usage_tier_tokens_per_month
    w = ctx.workload
    tokens = share * monthly_tokens(w.model_requests_per_month, w.prompt_tokens, w.completion_tokens)
    return tier is not None and tokens > tier


def _standard_basis(ctx: EvaluationContext, model: str, deployment: str, tier: Tier,
                    override: LatencyOverride | None, share: float = 1.0) -> LatencyBasis | None:
    facts = ctx.prices.service
    basis = basis_for(facts, model, deployment, tier, override)
    if basis is not None and facts is not None and tier == "standard" and above_usage_tier_now(ctx, model, share):
        basis = above_usage_tier(basis, facts.above_usage_tier_factor)
    return basis


def _judge(ctx: EvaluationContext, found: Assessment, parts: list[tuple[float, LatencyBasis]], model: str) -> None:
    w = ctx.workload
    if parts:
        latency = response_latency(parts, w.completion_tokens)
        found.latency, found.ttft, found.latency_source = latency.end_to_end, latency.ttft, latency.source
        found.used_service_sheet = True
    elif latency_stated(w) and ctx.prices.service is not None:
        found.warnings.append(f"latency not judged: the service sheet has no latency figures for {model}; give the "
                              "option `latency: {ttft_ms, tokens_per_second}` (medians from a load test or from "
                              "Azure Monitor) to judge it")
    verdict = latency_verdict(w, found.latency, found.ttft)
    found.meets_slo = verdict.meets_slo
    found.failures += verdict.failures


def standard(ctx: EvaluationContext, model: str, deployment: str, override: LatencyOverride | None = None,
             quota_tier: int | None = None, tpm_quota: int | None = None, tier: Tier = "standard") -> Assessment:
    """A pay-per-token deployment (Global, Data Zone or Regional Standard)."""
    found = Assessment()
    basis = _standard_basis(ctx, model, deployment, tier, override)
    _judge(ctx, found, [(1.0, basis)] if basis is not None else [], model)
    if ctx.prices.service is not None or tpm_quota is not None:
        quota = standard_quota_check(ctx.prices.service, model, deployment, ctx.demand, ctx.workload, quota_tier,
                                     tpm_quota)
        found.capacity.update(quota.capacity)
        found.used_service_sheet = found.used_service_sheet or ctx.prices.service is not None
        if quota.failure is not None:
            found.failures.append(quota.failure)
        if quota.warning is not None:
            found.warnings.append(quota.warning)
    residency = residency_failure(ctx.workload.data_residency, deployment, words.STANDARD_TYPES.get(deployment, deployment))
    if residency is not None:
        found.failures.append(residency)
    return found


def provisioned(ctx: EvaluationContext, model: str, deployment: str, ptu: int, ptu_demand: npt.NDArray[np.float64],
                spillover: bool, throttled_share: float, required_at_peak: int,
                override: LatencyOverride | None = None, ptu_quota: int | None = None) -> Assessment:
    """A PTU deployment at the busiest hour (the hour of the largest PTU demand)."""
    found = Assessment()
    facts = ctx.prices.service
    peak = float(ptu_demand.max(initial=0.0))
    utilization = min(peak, ptu) / ptu if ptu > 0 else 0.0
    spill = (peak - ptu) / peak if spillover and peak > ptu else 0.0
    parts: list[tuple[float, LatencyBasis]] = []
    basis = basis_for(facts, model, deployment, "provisioned", override)
    if basis is not None and facts is not None:
        loaded = under_load(basis, utilization, facts.provisioned_knee_utilization)
        parts.append((1.0 - spill, loaded))
        if loaded.tokens_per_second < basis.tokens_per_second:
            found.warnings.append(
                f"at the busiest hour {ptu} PTU run at {utilization:.0%} utilization: the median output speed falls "
                f"from {basis.tokens_per_second:,.0f} to {loaded.tokens_per_second:,.0f} tokens/s (the latency target "
                f"is {basis.floor_tokens_per_second:,.0f} tokens/s at 100%) and the first token comes "
                f"{loaded.ttft_ms / basis.ttft_ms:.1f}× later")
        if spill > 0:
            total = float(ptu_demand.sum())
            spilled = overflow(ptu_demand, ptu) / total if total > 0 else 0.0  # the month's share on Standard
            standard_basis = _standard_basis(ctx, model, deployment, "standard", None, spilled)
            if standard_basis is None:
                parts = []
            else:
                parts.append((spill, standard_basis))
    _judge(ctx, found, parts, model)
    if spill > 0 and parts:
        found.warnings.append(f"{spill:.0%} of the busiest hour's requests spill over to Standard and get its latency")
    if throttled_share > 0:
        hours_over = int((ptu_demand > ptu).sum())
        found.failures.append(ConstraintFailure(words.CONSTRAINT_THROTTLING, (
            f"{throttled_share:.1%} of the token demand exceeds {ptu} PTU in {hours_over} of {ctx.hours} hours and is "
            f"throttled (HTTP 429); enable spillover or deploy {required_at_peak} PTU")))
        found.meets_slo = False
    quota = ptu_quota_check(ptu, ptu_quota, words.PROVISIONED_TYPES.get(deployment, deployment))
    if quota is not None:
        found.failures.append(quota)
    residency = residency_failure(ctx.workload.data_residency, deployment,
                                  words.PROVISIONED_TYPES.get(deployment, deployment))
    if residency is not None:
        found.failures.append(residency)
    return found


def batch(ctx: EvaluationContext, model: str, deployment: str, enqueued_token_quota: int | None = None) -> Assessment:
    """The Batch API: its enqueued-token quota and where it processes requests."""
    found = Assessment()
    if ctx.prices.service is not None or enqueued_token_quota is not None:
        quota = batch_quota_check(ctx.prices.service, model, deployment, ctx.demand, ctx.workload,
                                  enqueued_token_quota)
        found.capacity.update(quota.capacity)
        found.used_service_sheet = ctx.prices.service is not None
        if quota.failure is not None:
            found.failures.append(quota.failure)
        if quota.warning is not None:
            found.warnings.append(quota.warning)
    residency = residency_failure(ctx.workload.data_residency, deployment, words.BATCH_TYPES.get(deployment, deployment))
    if residency is not None:
        found.failures.append(residency)
    return found
