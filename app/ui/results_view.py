"""How an evaluation is shown: the headline, the options table with warnings, price provenance."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app.engine import vocabulary as words
from app.engine.explore import Saving, savings_against_alternatives
from app.engine.registry import option_kind
from app.engine.results import Evaluation, OptionResult
from app.ui.common import money, percent, plain, plain_table

VERDICT_ICONS = {True: "✅ ", False: "❌ ", None: ""}


def capacity_text(result: OptionResult) -> str:
    """The option's capacity in one line, worded as its kind describes it."""
    return words.capacity_summary(option_kind(result.kind).capacity_fields, result.capacity)


def verdict_text(value: bool | None) -> str:
    return VERDICT_ICONS[value] + words.verdict(value)


def headline(evaluation: Evaluation, requests_per_month: float) -> None:
    cur = evaluation.currency
    if evaluation.recommended is None:
        st.error("No option meets every stated constraint (latency SLO, deadline, throttling). Relax a constraint "
                 "or change an option; the table shows what each one fails.", icon=":material/block:")
        return
    best = evaluation.option(evaluation.recommended)
    eligible = {r.name for r in evaluation.options if not r.fails_a_constraint}
    savings = [s for s in savings_against_alternatives(evaluation) if s.option in eligible]
    top = st.columns([3, 2])
    top[0].metric(words.RECOMMENDED, plain(best.name), help="The cheapest option that fails no stated constraint.")
    top[1].metric(words.MONTHLY_COST, money(best.monthly_cost, cur))
    bottom = st.columns([3, 2])
    bottom[1].metric(words.PER_1K_REQUESTS, money(best.cost_per_1k_requests, cur),
                     help=f"Monthly cost ÷ {requests_per_month:,.0f} requests × 1,000.")
    if savings:
        nearest = min(savings, key=lambda s: s.monthly_saving)
        bottom[0].metric("Saves vs the next option that meets the constraints", money(nearest.monthly_saving, cur),
                         help="Every saving, also against options that fail a constraint, is in the table.")
        if nearest.share is not None:
            bottom[0].caption(f"{percent(nearest.share, 1)} less than {plain(nearest.option)}")
    else:
        bottom[0].metric("Saves vs the next option that meets the constraints", words.NOT_AVAILABLE,
                         help="No other option meets every stated constraint.")


def options_table(evaluation: Evaluation) -> None:
    cur = evaluation.currency
    savings = {s.option: s for s in savings_against_alternatives(evaluation)}
    warned = [(r.name, w) for r in evaluation.options for w in r.warnings]
    rows = []
    for result in evaluation.options:
        rows.append(_row(result, cur, savings, evaluation.recommended))
    # A static table: every cell's text shows in full (capacity and savings run long), it grows with
    # the presentation mode's larger type, and it needs no data-grid code in the browser.
    st.table(plain_table(pd.DataFrame(rows).set_index(words.OPTION)))
    for name, warning in warned:
        st.warning(f"**{plain(name)}**: {plain(warning)}", icon=":material/warning:")


def _row(result: OptionResult, cur: str, savings: dict[str, Saving], recommended: str | None) -> dict[str, Any]:
    saving = savings.get(result.name)
    latency = result.latency_ms
    return {
        words.OPTION: ("★ " if result.name == recommended else "") + result.name,
        words.MONTHLY_COST: money(result.monthly_cost, cur),
        words.PER_1K_REQUESTS: money(result.cost_per_1k_requests, cur),
        "Recommended saves": _saving_text(saving, cur),
        words.CAPACITY: capacity_text(result),
        words.P95_LATENCY: words.NOT_AVAILABLE if latency is None else f"{latency.p95:,.0f} {words.MS}",
        words.LATENCY_SLO: verdict_text(result.meets_slo),
        words.DEADLINE: verdict_text(result.meets_deadline),
        words.WARNINGS: f"⚠ {len(result.warnings)}" if result.warnings else "",
        words.KIND: result.kind,
    }


def _saving_text(saving: Saving | None, cur: str) -> str:
    """What the recommended option saves against this one; an option that is cheaper (it fails a
    constraint, or it would be the recommendation) reads "costs … less", not as a negative saving."""
    if saving is None:
        return words.NOT_AVAILABLE
    if saving.monthly_saving < 0:
        return f"costs {money(-saving.monthly_saving, cur)} less, fails a constraint"
    return f"{money(saving.monthly_saving, cur)} ({percent(saving.share, 1)})"


def provenance(evaluation: Evaluation) -> None:
    lines = [f"{ref.path}: {ref.kind}, {ref.region}, as_of {ref.as_of} — {ref.source}" for ref in evaluation.prices]
    st.caption("Priced from " + plain("; ".join(lines)) + ". Every price line is on the Prices page.")
