"""Quotas: what Azure admits before it answers HTTP 429, against what the workload sends.

Sources: Microsoft Learn, Azure OpenAI "Quotas and limits" (quota tiers 1–6: tokens and requests
per minute per subscription, region, model and deployment type; Batch enqueued-token quota) and
"Provisioned throughput onboarding" (PTU quota per region and deployment type).

- Standard: the busiest hour's mean minute must fit the deployment's quota:
      requests/min = N_m(peak hour) / 60,     tokens/min = requests/min · (P + C)
  against the quota tier's TPM and RPM (tier 1 unless the option states `quota_tier`), or the TPM
  the customer was granted (`tpm_quota`, its RPM in the tier's RPM-to-TPM ratio). Azure admits a
  request on its prompt tokens plus `max_tokens`, so set `max_tokens` near C; cached prompt tokens
  still count. Bursts inside the hour need headroom beyond this figure.
- Provisioned: the deployed PTUs must fit the regional PTU quota of the deployment type, when the
  option states it (`ptu_quota`).
- Batch API: input tokens of every job not yet finished count against the enqueued-token quota.
  With jobs of up to 24 hours (the Batch API's target), the busiest 24 hours of prompt tokens are
  in flight at once:
      enqueued = max over t of Σ_{s = t−23 … t} N_m(s) · P
  against the default quota of the model (`enqueued_token_quota` replaces it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.engine import vocabulary as words
from app.engine.results import ConstraintFailure
from app.engine.service_facts import ServiceFacts, StandardQuota
from app.engine.workload import Demand, Workload

DEFAULT_QUOTA_TIER = 1
BATCH_WINDOW_HOURS = 24


@dataclass(frozen=True)
class QuotaCheck:
    capacity: dict[str, float]  # figures for the option's capacity
    failure: ConstraintFailure | None = None
    warning: str | None = None


def busiest_minute(demand: Demand, workload: Workload) -> tuple[float, float]:
    """(requests per minute, tokens per minute) in the busiest hour's mean minute."""
    rpm = float(demand.requests_per_minute.max(initial=0.0))
    return rpm, rpm * (workload.prompt_tokens + workload.completion_tokens)


def standard_quota_check(facts: ServiceFacts | None, model: str, level: str, demand: Demand, workload: Workload,
                         quota_tier: int | None, tpm_quota: int | None) -> QuotaCheck:
    rpm, tpm = busiest_minute(demand, workload)
    tier = quota_tier or DEFAULT_QUOTA_TIER
    table = facts.standard_quota(model, level, tier) if facts is not None else None
    kind = f"{model} {words.STANDARD_TYPES.get(level, level)}"
    if tpm_quota is not None:
        ratio = table.requests_per_minute / table.tokens_per_minute if table and table.tokens_per_minute else None
        quota = StandardQuota(float(tpm_quota), tpm_quota * ratio if ratio else float("inf"))
        where = f"the granted quota of {tpm_quota:,} TPM"
    elif table is not None:
        quota = table
        where = (f"the quota tier {tier} limit for {kind} ({table.tokens_per_minute:,.0f} TPM, "
                 f"{table.requests_per_minute:,.0f} RPM; Microsoft Learn quota table)")
    else:
        return QuotaCheck(capacity={"tokens_per_minute_peak": tpm}, warning=(
            f"quota not checked: Microsoft Learn's quota table lists no tier {tier} quota for {kind}; state the "
            "customer's granted quota (tpm_quota) to check the busiest hour's "
            f"{tpm:,.0f} tokens/min against it"))
    capacity = {"tokens_per_minute_peak": tpm, "quota_tokens_per_minute": quota.tokens_per_minute}
    if tpm > quota.tokens_per_minute or rpm > quota.requests_per_minute:
        over = (f"{tpm:,.0f} tokens/min" if tpm > quota.tokens_per_minute else f"{rpm:,.0f} requests/min")
        hint = "request more quota and state it as tpm_quota" if tpm_quota is None and quota_tier is None else \
            "request more quota"
        return QuotaCheck(capacity=capacity, failure=ConstraintFailure(words.CONSTRAINT_QUOTA, (
            f"HTTP 429 at the busiest hour: it sends {rpm:,.1f} requests/min × {workload.prompt_tokens + workload.completion_tokens:,.0f} "
            f"tokens = {tpm:,.0f} tokens/min ({over} is above {where}); {hint}, spread the load over "
            "regions or deployments, or use provisioned throughput")))
    return QuotaCheck(capacity=capacity)


def ptu_quota_check(ptu: int, ptu_quota: int | None, level: str) -> ConstraintFailure | None:
    """Deployed PTUs above the stated regional quota cannot be deployed."""
    if ptu_quota is None or ptu <= ptu_quota:
        return None
    return ConstraintFailure(words.CONSTRAINT_QUOTA, f"the deployment needs {ptu:,} PTU but the regional {level} provisioned quota "
                             f"is {ptu_quota:,} PTU: it cannot be deployed; request more PTU quota")


def enqueued_tokens(demand: Demand, workload: Workload) -> float:
    """Prompt tokens of the busiest 24 hours (the Batch API's 24-hour turnaround keeps them enqueued)."""
    tokens = demand.requests_per_hour * workload.prompt_tokens
    window = min(BATCH_WINDOW_HOURS, len(tokens))
    if window == 0:
        return 0.0
    sums = np.convolve(tokens, np.ones(window), mode="valid")
    return float(sums.max())


def batch_quota_check(facts: ServiceFacts | None, model: str, level: str, demand: Demand, workload: Workload,
                      enqueued_token_quota: int | None) -> QuotaCheck:
    enqueued = enqueued_tokens(demand, workload)
    table = facts.batch_quota(model, level) if facts is not None else None
    kind = f"{model} {words.BATCH_TYPES.get(level, level)}"
    if enqueued_token_quota is not None:
        limit = float(enqueued_token_quota)
        where = f"the stated enqueued-token quota of {enqueued_token_quota:,}"
    elif table is not None:
        limit = table.default
        where = (f"the default enqueued-token quota of {table.default:,.0f} for {kind} (Enterprise and MCA-E "
                 f"subscriptions: {table.enterprise:,.0f}; Microsoft Learn batch quota table)")
    else:
        return QuotaCheck(capacity={"enqueued_tokens_peak": enqueued}, warning=(
            f"enqueued-token quota not checked: Microsoft Learn's batch quota table lists no quota for {kind}; "
            f"state it (enqueued_token_quota) to check the {enqueued:,.0f} prompt tokens of the busiest 24 hours"))
    capacity = {"enqueued_tokens_peak": enqueued, "enqueued_token_quota": limit}
    if enqueued > limit:
        return QuotaCheck(capacity=capacity, failure=ConstraintFailure(words.CONSTRAINT_QUOTA, (
            f"jobs fail with token_limit_exceeded: the busiest 24 hours submit {enqueued:,.0f} prompt tokens, "
            f"above {where}; split the work over more deployments or request more quota")))
    return QuotaCheck(capacity=capacity)
