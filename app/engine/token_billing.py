"""Token billing for Azure OpenAI Standard and Batch deployments.

Source: prices per 1M tokens from the azure-openai sheet (Azure Retail Prices API, serviceName
'Foundry Models'; Batch at 50% of Standard). With N_m requests reaching the model, P prompt and C
completion tokens per request and a prompt-cache hit rate h:

    input        = N_m · P · (1 − h) · p_in / 1M
    cached_input = N_m · P · h · p_cached / 1M     (p_cached = p_in when the sheet says null)
    output       = N_m · C · p_out / 1M
"""

from __future__ import annotations

from app.engine.errors import MissingPriceError
from app.engine.prices import TOKENS_PER_PRICE_UNIT, TokenRates


def token_cost_breakdown(
    requests: float, prompt_tokens: float, completion_tokens: float, prompt_cache_hit_rate: float,
    rates: TokenRates, what: str = "this model",
) -> dict[str, float]:
    """Monthly cost by component (input, cached_input, output) for `requests` requests."""
    if completion_tokens > 0 and rates.output is None:
        raise MissingPriceError(f"{what} has no output-token price (an embeddings model?); "
                                "set workload.tokens.completion to 0 or choose a chat model")
    output_rate = rates.output if rates.output is not None else 0.0  # only reached with 0 completion tokens
    uncached = requests * prompt_tokens * (1.0 - prompt_cache_hit_rate)
    cached = requests * prompt_tokens * prompt_cache_hit_rate
    return {
        "input": uncached * rates.input / TOKENS_PER_PRICE_UNIT,
        "cached_input": cached * rates.effective_cached_input / TOKENS_PER_PRICE_UNIT,
        "output": requests * completion_tokens * output_rate / TOKENS_PER_PRICE_UNIT,
    }


def token_cost_per_request(prompt_tokens: float, completion_tokens: float, prompt_cache_hit_rate: float,
                           rates: TokenRates, what: str = "this model") -> float:
    """The token cost of one request (used for spillover billing)."""
    return sum(token_cost_breakdown(1.0, prompt_tokens, completion_tokens, prompt_cache_hit_rate, rates, what).values())


def monthly_tokens(requests: float, prompt_tokens: float, completion_tokens: float) -> float:
    """All tokens processed in a month (for usage-tier checks)."""
    return requests * (prompt_tokens + completion_tokens)
