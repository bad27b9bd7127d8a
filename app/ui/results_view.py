"""How an evaluation is shown: the headline, the options table with warnings, price provenance."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app.engine.explore import savings_against_alternatives
from app.engine.results import Evaluation, OptionResult
from app.engine.scenario import Scenario
from app.ui.common import money, percent, plain

CAPACITY_LABELS: dict[str, tuple[str, str]] = {  # key -> (label, format)
    "ptu": ("PTU deployed", "int"),
    "ptu_required_at_peak": ("PTU for the peak", "int"),
    "utilization": ("mean utilization", "pct"),
    "spillover_share": ("spillover", "pct"),
    "throttled_share": ("throttled", "pct"),
    "instances_min_used": ("instances min", "int"),
    "instances_peak": ("instances peak", "int"),
    "instance_hours": ("instance-hours", "int"),
    "utilization_peak": ("peak utilization", "pct"),
    "node_hours": ("node-hours", "num"),
    "job_duration_hours": ("job hours", "num"),
    "quota_vcpus": ("quota vCPUs", "int"),
}


def capacity_text(capacity: Any) -> str:
    parts = []
    for key, value in capacity.items():
        label, kind = CAPACITY_LABELS.get(key, (key.replace("_", " "), "num"))
        if kind == "pct":
            shown = percent(float(value), 1)
        elif kind == "int":
            shown = f"{int(value):,}"
        else:
            shown = f"{float(value):,.2f}"
        parts.append(f"{label} {shown}")
    return ", ".join(parts) or "pay per token"


def _verdict(value: bool | None) -> str:
    return {True: "✅ meets", False: "❌ fails", None: "—"}[value]


def headline(evaluation: Evaluation, requests_per_month: float) -> None:
    cur = evaluation.currency
    if evaluation.recommended is None:
        st.error("No option meets every stated constraint (latency SLO, deadline, throttling). Relax a constraint "
                 "or change an option; the table shows what each one fails.", icon=":material/block:")
        return
    best = evaluation.option(evaluation.recommended)
    savings = savings_against_alternatives(evaluation)
    cols = st.columns([2, 1, 1, 1])
    cols[0].metric("Recommended", best.name, help="The cheapest option that fails no stated constraint.")
    cols[1].metric("Monthly cost", money(best.monthly_cost, cur))
    cols[2].metric("Per 1k requests", money(best.cost_per_1k_requests, cur),
                   help=f"Monthly cost ÷ {requests_per_month:,.0f} requests × 1,000.")
    if savings:
        nearest = min(savings, key=lambda s: s.monthly_saving)
        cols[3].metric("Saves vs next best", money(nearest.monthly_saving, cur),
                       delta=f"{percent(nearest.share, 1)} less than {nearest.option}" if nearest.share is not None else None,
                       delta_color="off", help="Against the next cheapest alternative; every saving is in the table.")


def options_table(evaluation: Evaluation, scenario: Scenario) -> None:
    cur = evaluation.currency
    savings = {s.option: s for s in savings_against_alternatives(evaluation)}
    warned = [(r.name, w) for r in evaluation.options for w in r.warnings]
    rows = []
    for result in evaluation.options:
        rows.append(_row(result, cur, savings, evaluation.recommended))
    frame = pd.DataFrame(rows)
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "Warnings": st.column_config.TextColumn(width="small")})
    for name, warning in warned:
        st.warning(f"**{plain(name)}**: {plain(warning)}", icon=":material/warning:")


def _row(result: OptionResult, cur: str, savings: dict[str, Any], recommended: str | None) -> dict[str, Any]:
    saving = savings.get(result.name)
    latency = result.latency_ms
    return {
        "Option": ("★ " if result.name == recommended else "") + result.name,
        "Monthly cost": money(result.monthly_cost, cur),
        "Per 1k requests": money(result.cost_per_1k_requests, cur),
        "Recommended saves": "—" if saving is None else f"{money(saving.monthly_saving, cur)} ({percent(saving.share, 1)})",
        "Capacity": capacity_text(result.capacity),
        "p95 latency": "—" if latency is None else f"{latency.p95:,.0f} ms",
        "Latency SLO": _verdict(result.meets_slo),
        "Deadline": _verdict(result.meets_deadline),
        "Warnings": f"⚠ {len(result.warnings)}" if result.warnings else "",
        "Kind": result.kind,
    }


def provenance(evaluation: Evaluation) -> None:
    lines = [f"{ref.path}: {ref.kind}, {ref.region}, as_of {ref.as_of} — {ref.source}" for ref in evaluation.prices]
    st.caption("Priced from " + plain("; ".join(lines)) + ". Every price line is on the Prices page.")
