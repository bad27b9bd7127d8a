"""Every library scenario with its options evaluated by the engine."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.catalog.loader import evaluate_loaded, library_names, load_price_book, load_scenario
from app.errors import CapplanError

st.title("Scenario library")
try:
    prices = load_price_book()
except CapplanError as exc:
    st.error(f"The price sheets could not be loaded:\n\n{exc}")
    st.stop()
st.caption("Prices: " + "; ".join(f"{s.ref.path} ({s.ref.region}, as_of {s.ref.as_of})"
                                   for s in (prices.openai, prices.compute) if s is not None))

for name in library_names():
    try:
        loaded = load_scenario(name, prices)
        evaluation = evaluate_loaded(loaded, prices)
    except CapplanError as exc:
        st.error(f"{name}: {exc}")
        continue
    with st.container(border=True):
        st.subheader(evaluation.scenario)
        st.write(loaded.scenario.description)
        rows = [{
            "option": r.name,
            "kind": r.kind,
            f"monthly cost ({evaluation.currency})": round(r.monthly_cost, 2),
            f"per 1k requests ({evaluation.currency})": round(r.cost_per_1k_requests, 4),
            "p95 latency (ms)": None if r.latency_ms is None else round(r.latency_ms.p95, 1),
            "meets SLO": r.meets_slo,
            "meets deadline": r.meets_deadline,
            "warnings": " | ".join(r.warnings),
        } for r in evaluation.options]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.markdown(f"**Recommended:** {evaluation.recommended or 'none (every option fails a stated constraint)'}")
