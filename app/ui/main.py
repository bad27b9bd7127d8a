"""Dashboard entry point: `streamlit run app/ui/main.py` (or `capplan serve`). Routes the pages.

To add a page, append an `st.Page` to PAGES. The page scripts live in `views/`, not `pages/`: a
`pages/` folder next to the entry script switches Streamlit to its older multipage mode, where the
first run (and every AppTest run) executes a page without this script around it. Shared helpers (errors, presentation mode, charts,
money formatting) are in `app/ui/common.py`; the session's scenario is `app/ui/scenario_state.py`.
"""

from __future__ import annotations

import streamlit as st

from app.ui import common

st.set_page_config(page_title="capplan: Inference Cost & Capacity Planner", page_icon=":bar_chart:", layout="wide")

PAGES = [
    st.Page("views/studio.py", title="Studio", icon=":material/tune:", default=True),
    st.Page("views/explore.py", title="Explore", icon=":material/query_stats:", url_path="explore"),
    st.Page("views/simulate.py", title="Simulate", icon=":material/timeline:", url_path="simulate"),
    st.Page("views/library.py", title="Library", icon=":material/library_books:", url_path="library"),
    st.Page("views/telemetry.py", title="Telemetry", icon=":material/monitoring:", url_path="telemetry"),
    st.Page("views/benchmark.py", title="Benchmark lab", icon=":material/speed:", url_path="benchmark"),
    st.Page("views/prices.py", title="Prices", icon=":material/sell:", url_path="prices"),
]

page = st.navigation(PAGES)
common.presentation_toggle()
common.apply_display_mode()
page.run()
