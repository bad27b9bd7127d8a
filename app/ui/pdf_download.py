"""The "Download PDF" control of the Studio and Explore pages: the scenario as currently edited.

A build takes about a second, so it runs on a click, with progress, and the bytes are kept in this
session for the scenario they were built from (an edit makes them stale, and they are dropped).
"""

from __future__ import annotations

import streamlit as st

from app.errors import CapplanError
from app.report import build_pdf, report_file_name
from app.ui import common, data
from app.ui import scenario_state as state

PDF_KEY = "capplan_pdf"
PAPERS = {"A4": "a4", "Letter": "letter"}


def pdf_download(current: state.Current, key: str, data_sources: list[str] | None = None) -> None:
    """Paper choice, a Prepare button, and the download once built for this exact scenario."""
    paper_label = st.radio("Paper", list(PAPERS), horizontal=True, key=f"{key}_paper",
                           label_visibility="collapsed")
    paper = PAPERS[paper_label]
    stamp = (current.key, paper)
    built = st.session_state.get(PDF_KEY)
    if built is not None and built[0] != stamp:
        st.session_state.pop(PDF_KEY)
        built = None
    if built is None and st.button(
            "Prepare PDF report", key=f"{key}_prepare", icon=":material/picture_as_pdf:",
            help="A customer-ready report of this scenario as edited: summary, assumptions, options, charts, "
                 "method and the price lines used."):
        bar = st.progress(0.0, text="Building the PDF…")
        try:
            pdf = build_pdf(current.loaded, data.price_book(), paper, data_sources=data_sources or (),
                            progress=lambda step, fraction: bar.progress(min(fraction, 1.0), text=step))
        except CapplanError as exc:
            bar.empty()
            common.show_error(exc, "The PDF could not be built:")
            return
        bar.empty()
        st.session_state[PDF_KEY] = (stamp, pdf)
        built = st.session_state[PDF_KEY]
    if built is not None:
        st.download_button("Download PDF", built[1], file_name=report_file_name(current.loaded.scenario.name),
                           mime="application/pdf", key=f"{key}_download", icon=":material/download:",
                           type="primary")
