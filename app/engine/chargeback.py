"""Chargeback: each consumer's share of what its Azure OpenAI deployments cost over a window.

Vocabulary from the FinOps Open Cost and Usage Specification (FOCUS 1.0, https://focus.finops.org):
*list cost* is the quantity at the provider's published list unit price, *effective cost* the cost
after commitment discounts, with commitment purchases amortized over the period they cover.

- **Standard deployment** (pay per token): per consumer with P prompt, K cached prompt and C
  completion tokens, cost = (P − K)·p_in + K·p_cached + C·p_out per 1M tokens (app.engine.token_billing
  with one "request" carrying the totals and h = K / P), at the token rates of the deployment's own
  model and level. List cost = effective cost.
- **Provisioned deployment** (PTU): the deployment costs the same whoever uses it, so its cost over the
  window is shared. Effective cost of the window = PTU · (cost of one PTU for a month) · T / H, with T
  the window's hours and H = 730 hours per month: hourly billing gives PTU · hourly · T; a 1-month
  reservation its monthly price spread evenly over the month's hours; a 1-year reservation a twelfth
  of its price per month, likewise (amortization). List cost = PTU · hourly list price · T.
  Each consumer pays the share of the deployment's capacity-weighted tokens it used,
  (P − K) + w·C with w the model's output_token_weight: the tokens as PTU utilization counts them
  (cached tokens are deducted; Microsoft Learn, provisioned throughput). A window in which nobody
  used the deployment leaves its whole cost unallocated, and says so.

The total of every line equals the modelled bill of the same deployments over the same window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.engine.calibration import cache_hit_rate
from app.engine.prices import PtuBilling, PtuRate, TokenRates
from app.engine.token_billing import token_cost_breakdown

HOURS_PER_MONTH = 730.0
UNALLOCATED = "(unallocated: no use in the window)"


@dataclass(frozen=True)
class ConsumerUsage:
    consumer: str
    deployment: str
    requests: int
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int


@dataclass(frozen=True)
class ChargeLine:
    """One consumer on one deployment (or the unallocated part of a PTU deployment)."""

    usage: ConsumerUsage
    pricing: Literal["standard", "provisioned"]
    list_cost: float
    effective_cost: float
    token_costs: dict[str, float]  # Standard: input, cached_input, output; empty for PTU lines
    ptu_share: float | None  # share of the PTU deployment's capacity-weighted tokens (PTU lines)


def standard_line(usage: ConsumerUsage, rates: TokenRates, what: str) -> ChargeLine:
    """A Standard deployment's tokens at its own token rates (list = effective)."""
    h = cache_hit_rate(usage.cached_tokens, usage.prompt_tokens)
    breakdown = token_cost_breakdown(1.0, usage.prompt_tokens, usage.completion_tokens, h, rates, what)
    cost = sum(breakdown.values())
    return ChargeLine(usage, "standard", cost, cost, breakdown, None)


def ptu_window_cost(ptu: int, rate: PtuRate, billing: PtuBilling, window_hours: float,
                    hours_per_month: float = HOURS_PER_MONTH) -> tuple[float, float]:
    """(effective cost, list cost) of `ptu` PTU over `window_hours`: amortized commitment, hourly list price."""
    effective = ptu * rate.per_month(billing, hours_per_month) * window_hours / hours_per_month
    return effective, ptu * rate.hourly * window_hours


def capacity_weighted_tokens(usage: ConsumerUsage, output_token_weight: float) -> float:
    """(P − K) + w·C: the tokens PTU utilization counts (cached prompt tokens are deducted)."""
    return max(0.0, usage.prompt_tokens - usage.cached_tokens) + output_token_weight * usage.completion_tokens


def provisioned_lines(usages: Sequence[ConsumerUsage], deployment: str, ptu: int, rate: PtuRate, billing: PtuBilling,
                      output_token_weight: float, window_hours: float) -> list[ChargeLine]:
    """The deployment's window cost shared by capacity-weighted tokens; unallocated when nobody used it."""
    effective, listed = ptu_window_cost(ptu, rate, billing, window_hours)
    weights = [capacity_weighted_tokens(u, output_token_weight) for u in usages]
    total = sum(weights)
    if total <= 0:
        idle = ConsumerUsage(UNALLOCATED, deployment, 0, 0, 0, 0)
        return [ChargeLine(idle, "provisioned", listed, effective, {}, 1.0)]
    return [ChargeLine(u, "provisioned", listed * w / total, effective * w / total, {}, w / total)
            for u, w in zip(usages, weights, strict=True)]


def total_cost(lines: Sequence[ChargeLine]) -> tuple[float, float]:
    """(list cost, effective cost) of all lines."""
    return sum(line.list_cost for line in lines), sum(line.effective_cost for line in lines)
