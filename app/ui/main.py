"""Dashboard entry point: `streamlit run app/ui/main.py` (or `capplan serve`). Routes the pages."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="capplan: Inference Cost & Capacity Planner", page_icon=":bar_chart:", layout="wide")

PAGES = [
    st.Page("pages/library_overview.py", title="Scenario library", icon=":material/library_books:", default=True),
    st.Page("pages/simulate.py", title="Simulate", icon=":material/timeline:"),
]

st.navigation(PAGES).run()
