"""Provisioned throughput (PTU): demand, sizing, spillover and throttling.

Sources: Microsoft Learn, "Provisioned throughput onboarding" and "Provisioned throughput concepts"
(minimum and increment, input TPM per PTU, output-token weight, cached tokens deducted 100% from
utilization; learn.microsoft.com/azure/ai-foundry/openai/how-to/provisioned-throughput-onboarding)
and "Manage traffic with spillover" (spilled requests bill at the Standard rates of the same
deployment level; .../how-to/spillover-traffic-management).

PTU demand in hour t (rpm = requests per minute in that hour, w = output_token_weight):

    D(t) = rpm(t) · (P · (1 − h) + w · C) / input_tpm_per_ptu
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError

FloatArray = npt.NDArray[np.float64]


def weighted_tokens_per_request(prompt_tokens: float, completion_tokens: float, prompt_cache_hit_rate: float,
                                output_token_weight: float) -> float:
    """u = P·(1 − h) + w·C: input-token equivalents one request takes from PTU capacity (cached tokens
    deducted 100%)."""
    return prompt_tokens * (1.0 - prompt_cache_hit_rate) + output_token_weight * completion_tokens


def ptu_demand(requests_per_minute: FloatArray, prompt_tokens: float, completion_tokens: float,
               prompt_cache_hit_rate: float, output_token_weight: float, input_tpm_per_ptu: float) -> FloatArray:
    """D(t): PTUs needed each hour. Cached prompt tokens use no PTU capacity."""
    weighted_tokens = weighted_tokens_per_request(prompt_tokens, completion_tokens, prompt_cache_hit_rate,
                                                  output_token_weight)
    return np.asarray(requests_per_minute * weighted_tokens / input_tpm_per_ptu, dtype=np.float64)


def round_to_deployable(raw_ptu: float, minimum: int, increment: int) -> int:
    """PTU = max(minimum, ceil(raw / increment) · increment) (Learn, "Provisioned throughput sizing")."""
    steps = math.ceil(raw_ptu / increment - 1e-9) if raw_ptu > 0 else 0
    return max(minimum, steps * increment)


def check_deployable(ptu: int, minimum: int, increment: int, where: str) -> None:
    """A fixed PTU count must be at least the minimum and a multiple of the increment."""
    if ptu < minimum:
        raise ModelInputError(f"{where}: {ptu} PTU is below the minimum deployment of {minimum} PTU")
    if ptu % increment != 0:
        lower = max(minimum, ptu // increment * increment)
        raise ModelInputError(f"{where}: {ptu} PTU is not a multiple of the {increment}-PTU increment "
                              f"(try {lower} or {lower + increment})")


def overflow(demand: FloatArray, ptu: float) -> float:
    """Σ_t max(0, D(t) − ptu): PTU-hours of demand above the deployed capacity."""
    return float(np.maximum(demand - ptu, 0.0).sum())


@dataclass(frozen=True)
class SpilloverChoice:
    ptu: int
    ptu_cost: float
    spillover_cost: float


def spillover_candidates(ordered_demand: FloatArray, minimum: int, increment: int, largest: int) -> FloatArray:
    """The deployable counts k = minimum + j·increment (k ≤ largest) that can minimize PTU + spillover cost.

    The cost k·cost_per_ptu + Σ_t max(0, D(t) − k)·spill is convex and piecewise linear in k with its
    breaks at the hourly demands D(t). Between two breaks it is linear, so its minimum over the grid
    lies on a grid point next to a break (the first at or above it, or the last below it) or at an
    end of the grid: at most three counts per hour of the month (a rounding slack of one step each
    way), however large the demand. Sorted ascending, without repeats.
    """
    top = (largest - minimum) // increment  # the last grid index
    if top <= 0:
        return np.array([float(minimum)])
    steps = np.ceil((ordered_demand - minimum) / increment)
    near = np.concatenate([steps - 1, steps, steps + 1, [0.0, float(top)]])
    indexes = np.unique(np.clip(near, 0, top))
    return minimum + indexes * increment


def cheapest_ptu_with_spillover(demand: FloatArray, minimum: int, increment: int, cost_per_ptu: float,
                                spill_cost_per_ptu_hour: float) -> SpilloverChoice:
    """The PTU count k (minimum + j·increment) that minimizes k·cost_per_ptu + spillover cost.

    Spillover cost(k) = Σ_t max(0, D(t) − k) · spill_cost_per_ptu_hour, where the last factor is the
    Standard token cost of the requests that one PTU serves in one hour. Counts run from the
    minimum to the no-spillover size; ties go to the smaller k. Only the counts of
    `spillover_candidates` are priced (at most three per hour), so time and memory grow with the
    hours of the month, never with the size of the demand.
    """
    largest = round_to_deployable(float(demand.max(initial=0.0)), minimum, increment)
    ordered = np.sort(demand)
    candidates = spillover_candidates(ordered, minimum, increment, largest)
    suffix = np.concatenate([np.cumsum(ordered[::-1])[::-1], [0.0]])  # suffix[i] = Σ ordered[i:]
    above = np.searchsorted(ordered, candidates, side="right")
    overflow_by_k = suffix[above] - candidates * (len(ordered) - above)
    totals = candidates * cost_per_ptu + overflow_by_k * spill_cost_per_ptu_hour
    best = int(np.argmin(totals))
    return SpilloverChoice(ptu=int(candidates[best]), ptu_cost=float(candidates[best] * cost_per_ptu),
                           spillover_cost=float(overflow_by_k[best] * spill_cost_per_ptu_hour))


def mean_utilization(demand: FloatArray, ptu: float) -> float:
    """Mean over the hours of min(D(t), ptu) / ptu."""
    if ptu <= 0:
        return 0.0
    return float(np.minimum(demand, ptu).mean() / ptu)
