"""How an evaluation is shown: the headline, the options table with warnings, price provenance."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app.engine import vocabulary as words
from app.engine.comparison import no_recommendation_reasons
from app.engine.explore import Saving, savings_against_alternatives
from app.engine.registry import option_kind
from app.engine.results import Evaluation, OptionResult
from app.ui.common import money, percent, plain, plain_table

VERDICT_ICONS = {True: "✅ ", False: "❌ ", None: ""}


def capacity_text(result: OptionResult) -> str:
    """The option's capacity in one line, worded as its kind describes it."""
    return words.capacity_summary(option_kind(result.kind).capacity_fields, result.capacity)


def constraints_text(result: OptionResult) -> str:
    """❌ and the constraints it fails; else ✅ and what it meets (latency targets, deadline); else –."""
    met, text = words.constraints_verdict((f.constraint for f in result.constraints_failed), result.meets_slo,
                                          result.meets_deadline)
    return VERDICT_ICONS[met] + text


def headline(evaluation: Evaluation, requests_per_month: float) -> None:
    cur = evaluation.currency
    if evaluation.recommended is None:
        reasons = "\n".join(f"- {plain(line)}" for line in no_recommendation_reasons(evaluation))
        st.error("**No option is feasible**, so none is recommended. Each one fails a constraint:\n\n" + reasons
                 + "\n\nRelax a constraint or change an option; the boxes under the table give the numbers.",
                 icon=":material/block:")
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
    failed = [(r.name, f) for r in evaluation.options for f in r.constraints_failed]
    rows = []
    for result in evaluation.options:
        rows.append(_row(result, cur, savings, evaluation.recommended))
    # A static table: every cell's text shows in full (capacity and savings run long), it grows with
    # the presentation mode's larger type, and it needs no data-grid code in the browser.
    st.table(plain_table(pd.DataFrame(rows).set_index(words.OPTION)))
    for note in evaluation.notes:
        st.info(plain(note), icon=":material/info:")
    for name, failure in failed:
        st.error(f"**{plain(name)}** {words.FAILS} {plain(failure.constraint)}: {plain(failure.message)}",
                 icon=":material/block:")
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
        words.P95_FIRST_TOKEN: words.NOT_AVAILABLE if result.ttft_ms is None else f"{result.ttft_ms.p95:,.0f} {words.MS}",
        words.CONSTRAINTS: constraints_text(result),
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
