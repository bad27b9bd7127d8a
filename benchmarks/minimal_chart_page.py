"""Baseline for `make bench`: a page that renders what the Studio shows from precomputed data.

The what-if rerun of the Studio is compared against a rerun of this page (one widget change each).
It draws the Studio's visible results with the Studio's own rendering code (title, description,
headline metrics, the stacked cost chart, the options table with its warnings, price provenance),
from an evaluation computed once per session: no engine run, no validation, no editing widgets,
no link sync on a rerun. One slider that changes nothing triggers the rerun; a caption counts the
reruns so a browser-driven benchmark can tell when one has been drawn. `benchmarks/static` links to
`app/ui/static`: Streamlit serves the `static/` folder next to the script it runs, and the charts load
the plotly.js bundle from there.
"""

from __future__ import annotations

import streamlit as st

from app.catalog.loader import evaluate_loaded, load_price_book, load_scenario
from app.charts import definitions
from app.ui import common, results_view

if "precomputed" not in st.session_state:
    prices = load_price_book()
    loaded = load_scenario("rag-knowledge-base", prices)
    evaluation = evaluate_loaded(loaded, prices)
    st.session_state["precomputed"] = (loaded, evaluation, definitions.cost_by_option(evaluation))
loaded, evaluation, chart = st.session_state["precomputed"]

st.title(loaded.scenario.name, anchor=False)
if loaded.file.description:
    st.caption(common.plain(loaded.file.description))
edit_area, results_area = st.columns([1, 2], gap="large")
edit_area.slider("A widget that changes nothing", 0.0, 1.0, 0.7, step=0.01, key="noop")
st.session_state["reruns"] = st.session_state.get("reruns", 0) + 1
edit_area.caption(f"Rerun {st.session_state['reruns']}")
with results_area:
    results_view.headline(evaluation, loaded.scenario.workload.requests_per_month)
    common.show_chart(chart, caption=False)
results_view.options_table(evaluation)
results_view.provenance(evaluation)
