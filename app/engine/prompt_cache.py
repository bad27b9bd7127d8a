"""Which prompts Azure OpenAI can serve from its prompt cache.

Source: Microsoft Learn, Azure OpenAI "Prompt caching": caching applies to prompts of 1,024 tokens
or more whose first 1,024 tokens are identical; cache hits then grow in 128-token steps. Caching is
on by default for GPT-4o and newer models and cannot be switched off.

- The planner applies the rule to the workload's mean prompt P: when P < 1,024 no prompt token is
  cached, whatever hit rate the scenario states (cached input and PTU deduction both drop to 0):
      h_effective = h  if P ≥ 1,024,  else 0
- A hit rate of 100% would mean no request ever sends a new token; the Studio and the Explore
  sweep stop at 95%.
"""

from __future__ import annotations

from dataclasses import replace

from app.engine.workload import Workload

MIN_CACHEABLE_PROMPT_TOKENS = 1024
MAX_PLANNED_HIT_RATE = 0.95


def effective_hit_rate(prompt_tokens: float, hit_rate: float) -> float:
    """h_effective: the stated hit rate for prompts of at least 1,024 tokens, else 0."""
    return hit_rate if prompt_tokens >= MIN_CACHEABLE_PROMPT_TOKENS else 0.0


def cacheable_workload(workload: Workload) -> tuple[Workload, str | None]:
    """The workload with the hit rate every option is priced at, and a note when the rule changed it."""
    effective = effective_hit_rate(workload.prompt_tokens, workload.prompt_cache_hit_rate)
    if effective == workload.prompt_cache_hit_rate:
        return workload, None
    note = (f"No prompt tokens are cached: prompts of {workload.prompt_tokens:,.0f} tokens are below the "
            f"{MIN_CACHEABLE_PROMPT_TOKENS:,}-token minimum for Azure OpenAI prompt caching, so the stated "
            f"{workload.prompt_cache_hit_rate:.0%} hit rate does not apply (every prompt token bills at the input "
            "price and counts toward PTU capacity)")
    return replace(workload, prompt_cache_hit_rate=effective), note
