"""Baseline for `make bench`: a page that only renders the Studio's chart from precomputed data.

The what-if rerun of the Studio is compared against a rerun of this page (one widget change each).
"""

from __future__ import annotations

import streamlit as st

from app.catalog.loader import evaluate_loaded, load_price_book, load_scenario
from app.charts import definitions
from app.ui import common

if "precomputed" not in st.session_state:
    prices = load_price_book()
    st.session_state["precomputed"] = definitions.cost_by_option(evaluate_loaded(load_scenario("rag-knowledge-base", prices),
                                                                                 prices))
st.slider("A widget that changes nothing", 0.0, 1.0, 0.7, step=0.01, key="noop")
common.show_chart(st.session_state["precomputed"], caption=False)
