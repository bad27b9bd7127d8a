"""Chargeback table: per consumer and deployment, tokens and their cost from the price sheets."""

from __future__ import annotations

from typing import Any

from app.engine.chargeback import ConsumerUsage, charge
from app.engine.errors import MissingPriceError
from app.engine.prices import PriceBook
from app.telemetry.data import TelemetryData


def chargeback_rows(data: TelemetryData, prices: PriceBook) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows for each consumer × deployment, and problems (an unpriced deployment is named, never zero)."""
    frame = data.logs.get("consumer_tokens")
    if frame is None or frame.empty:
        return [], ["no per-consumer token usage: configure log_analytics in the telemetry configuration"]
    pricing = {name: entry for g in data.config.groups for a in g.openai_accounts for name, entry in a.deployments.items()}
    currency = prices.currency
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for record in frame.to_dict("records"):
        deployment = str(record["Deployment"])
        usage = ConsumerUsage(str(record["Consumer"]), deployment, float(record["Requests"] or 0),
                              float(record["PromptTokens"] or 0), float(record["CompletionTokens"] or 0),
                              float(0 if record["CachedTokens"] != record["CachedTokens"] or record["CachedTokens"] is None
                                    else record["CachedTokens"]))
        entry = pricing.get(deployment)
        if entry is None:
            problems.append(f"{usage.consumer}: deployment {deployment!r} has no model in the telemetry configuration "
                            "(openai_accounts[].deployments); its tokens are not priced")
            continue
        try:
            billed = charge(usage, prices.standard_rates(entry.model, entry.level), f"{entry.model} ({entry.level})")
        except MissingPriceError as exc:
            problems.append(f"{usage.consumer}/{deployment}: {exc}")
            continue
        rows.append({"consumer": usage.consumer, "deployment": deployment, "model": entry.model, "level": entry.level,
                     "requests": usage.requests, "prompt_tokens": usage.prompt_tokens,
                     "cached_tokens": usage.cached_tokens, "completion_tokens": usage.completion_tokens,
                     f"input_cost_{currency.lower()}": round(billed.breakdown["input"], 2),
                     f"cached_input_cost_{currency.lower()}": round(billed.breakdown["cached_input"], 2),
                     f"output_cost_{currency.lower()}": round(billed.breakdown["output"], 2),
                     f"cost_{currency.lower()}": round(billed.cost, 2)})
    return rows, problems
