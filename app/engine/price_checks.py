"""Checks of an option against the price book before it is evaluated, as issues with a field path.

Each option kind runs its own checks (its `price_issues` hook) with these helpers; the catalog turns
every issue into a message naming the file, the line and the field, e.g.
``scenarios/x.yaml:9: options[0].deployment: gpt-4o has no data-zone batch price in ...``.
A missing price is an error, never a zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from app.engine.errors import ModelInputError
from app.engine.prices import PriceBook, TokenRates

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class PriceIssue:
    """A problem with one option's prices. `field` is the path inside the option (("deployment",))."""

    field: FieldPath
    message: str


def openai_model_issues(prices: PriceBook, model: str, field: FieldPath = ("model",)) -> Iterator[PriceIssue]:
    """The Azure OpenAI sheet is loaded and lists `model` (nothing else can be checked otherwise)."""
    if prices.openai is None:
        yield PriceIssue(("kind",), "no azure-openai price sheet is loaded")
        return
    try:
        prices.model(model)
    except ModelInputError as exc:
        yield PriceIssue(field, str(exc))


def token_rates_issues(prices: PriceBook, model: str, level: str, table: Literal["standard", "batch"],
                       completion_tokens: float, purpose: str = "") -> Iterator[PriceIssue]:
    """`model` has per-token prices at `level` in `table` (and an output price when the workload has
    completion tokens). Call after openai_model_issues found nothing."""
    sheet = prices.openai
    if sheet is None or model not in sheet.models:
        return
    entry = sheet.models[model]
    rates: TokenRates | None = (entry.standard if table == "standard" else entry.batch).get(level)
    if rates is None:
        yield PriceIssue(("deployment",), f"{model} has no {level} {table} price in {sheet.ref.describe()}"
                         + (f" ({purpose})" if purpose else ""))
        return
    if completion_tokens > 0 and rates.output is None:
        yield PriceIssue(("model",), f"{model} has no output-token price in {sheet.ref.describe()} "
                         "(an embeddings model?); set workload.tokens.completion to 0 or choose a chat model")


def compute_sku_issues(prices: PriceBook, sku: str, low_priority: bool = False) -> Iterator[PriceIssue]:
    """The compute sheet is loaded and prices `sku` (at low priority when asked)."""
    if prices.compute is None:
        yield PriceIssue(("kind",), "no azure-ml-compute price sheet is loaded")
        return
    try:
        found = prices.sku(sku)
    except ModelInputError as exc:
        yield PriceIssue(("sku",), str(exc))
        return
    if low_priority and found.low_priority_hourly is None:
        yield PriceIssue(("low_priority",), f"{sku} has no low-priority price in {prices.compute.ref.describe()}")
