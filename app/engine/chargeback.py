"""Chargeback: what each consumer's tokens cost at the price sheet's token rates.

Per consumer and deployment, with P prompt, K cached prompt and C completion tokens observed:
cost = (P − K)·p_in + K·p_cached + C·p_out per 1M tokens, i.e. the token-billing formula of
app.engine.token_billing with one "request" carrying the totals and h = K / P. Provisioned
deployments are charged at the Standard rates of the same model and level (the pay-as-you-go
equivalent of the tokens), which splits a PTU reservation by use.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.calibration import cache_hit_rate
from app.engine.prices import TokenRates
from app.engine.token_billing import token_cost_breakdown


@dataclass(frozen=True)
class ConsumerUsage:
    consumer: str
    deployment: str
    requests: float
    prompt_tokens: float
    completion_tokens: float
    cached_tokens: float


@dataclass(frozen=True)
class ConsumerCharge:
    usage: ConsumerUsage
    breakdown: dict[str, float]  # input, cached_input, output

    @property
    def cost(self) -> float:
        return sum(self.breakdown.values())


def charge(usage: ConsumerUsage, rates: TokenRates, what: str) -> ConsumerCharge:
    h = cache_hit_rate(usage.cached_tokens, usage.prompt_tokens)
    breakdown = token_cost_breakdown(1.0, usage.prompt_tokens, usage.completion_tokens, h, rates, what)
    return ConsumerCharge(usage, breakdown)
