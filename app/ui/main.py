"""Dashboard entry point: `streamlit run app/ui/main.py` (or `capplan serve`). Routes the pages.

To add a page, append an `st.Page` to PAGES. Shared helpers (errors, presentation mode, charts,
money formatting) are in `app/ui/common.py`; the session's scenario is `app/ui/scenario_state.py`.
"""

from __future__ import annotations

import streamlit as st

from app.ui import common

st.set_page_config(page_title="capplan: Inference Cost & Capacity Planner", page_icon=":bar_chart:", layout="wide")

PAGES = [
    st.Page("pages/studio.py", title="Studio", icon=":material/tune:", default=True),
    st.Page("pages/explore.py", title="Explore", icon=":material/query_stats:", url_path="explore"),
    st.Page("pages/simulate.py", title="Simulate", icon=":material/timeline:", url_path="simulate"),
    st.Page("pages/library.py", title="Library", icon=":material/library_books:", url_path="library"),
    st.Page("pages/telemetry.py", title="Telemetry", icon=":material/monitoring:", url_path="telemetry"),
    st.Page("pages/benchmark.py", title="Benchmark lab", icon=":material/speed:", url_path="benchmark"),
    st.Page("pages/prices.py", title="Prices", icon=":material/sell:", url_path="prices"),
]

page = st.navigation(PAGES)
common.presentation_toggle()
common.apply_display_mode()
page.run()
