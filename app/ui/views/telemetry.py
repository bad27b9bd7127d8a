"""Telemetry: observed Azure Monitor data (live, a recording, or the demo), calibration, chargeback."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from app.catalog.loader import parse_scenario_text
from app.catalog.scenario_yaml import scenario_to_yaml
from app.charts.plotly_render import to_plotly_dict
from app.charts.telemetry import Trace, time_series
from app.errors import CapplanError
from app.telemetry.calibrate import PENDING_SCENARIO_KEY, calibrate
from app.telemetry.costing import chargeback_rows
from app.telemetry.data import TelemetryData
from app.telemetry.failures import redact
from app.telemetry.pull import PullControls
from app.telemetry.sources import configured, pull_live, replay_demo
from app.telemetry.summary_table import SummaryTable, summary_tables
from app.telemetry.views import chart_traces
from app.ui import data as price_data
from app.ui.common import plain, plain_table, show_error
from app.ui.plotly_component import plotly_chart

DATA_KEY = "capplan.telemetry.data"
STUDIO_PAGE = Path(__file__).resolve().parent / "studio.py"
BADGES = {"demo": ("Demo data", "orange"), "recording": ("Recording", "blue"), "live": ("Live", "green")}


@st.cache_resource(show_spinner="Replaying the demo recording through the Azure SDK…")
def _demo() -> TelemetryData:
    return replay_demo()


def _load() -> TelemetryData | None:
    try:
        config = configured()
    except CapplanError as exc:
        st.error(f"The telemetry configuration has problems; showing the demo data instead.\n\n{plain(exc)}")
        config = None
    if config is None:
        return _demo()
    st.caption(f"Configured: {len(config.groups)} region group(s). Pulls read Azure Monitor with your Azure sign-in "
               "(Monitoring Reader, Log Analytics Reader).")
    days = st.number_input("Days to pull", min_value=1.0, max_value=93.0, value=float(config.window_days), step=1.0)
    if st.button("Pull from Azure Monitor", type="primary"):
        bar = st.progress(0.0, text="Starting…")
        st.caption("Press Stop (top right) to interrupt; what has arrived is kept.")

        def progress(done: int, total: int, label: str) -> None:
            bar.progress(done / max(total, 1), text=plain(label))

        try:
            st.session_state[DATA_KEY] = pull_live(config, days=days, controls=PullControls(progress=progress))
        except CapplanError as exc:
            st.error(plain(exc))
    data: TelemetryData | None = st.session_state.get(DATA_KEY)
    if data is None:
        st.info("Nothing pulled yet. The demo data below shows what the page does.")
        return _demo()
    return data


def _badge(data: TelemetryData) -> None:
    label, color = BADGES[data.source]
    st.markdown(f":{color}-badge[{label}] {plain(data.describe_window())}")
    if data.source == "demo":
        st.caption("Demo data: a synthetic two-week estate (two Azure ML endpoints, a Standard and a provisioned "
                   "Azure OpenAI deployment, APIM logs for four teams) with one incident on 14 October. "
                   "Set CAPPLAN_TELEMETRY_CONFIG to read your own.")
    for issue in data.issues:
        st.warning(plain(redact(issue)))


def _calibrate(data: TelemetryData) -> None:
    st.subheader("Calibrate a scenario")
    choices = [(r, d) for k, r, d in data.units() if k in ("aml-endpoint", "openai")]
    if not choices:
        st.info("No endpoint or deployment with traffic to calibrate from.")
        return
    label = st.selectbox("Workload from", [f"{r}/{d}" if d else r for r, d in choices], key="telemetry.calibrate_from")
    resource, deployment = choices[[f"{r}/{d}" if d else r for r, d in choices].index(label)]
    if st.button("Calibrate scenario"):
        try:
            result = calibrate(data, resource, deployment)
            # The Studio gets only scenarios that pass the same checks as a YAML file.
            parse_scenario_text(scenario_to_yaml(result.scenario), "calibrated scenario", price_data.price_book())
        except CapplanError as exc:
            show_error(exc, "The calibrated scenario does not pass validation:")
            return
        st.session_state[PENDING_SCENARIO_KEY] = result.scenario
        st.switch_page(str(STUDIO_PAGE))


def _chargeback(data: TelemetryData) -> None:
    st.subheader("Chargeback")
    try:
        rows, problems = chargeback_rows(data, price_data.price_book())
    except CapplanError as exc:
        st.error(plain(exc))
        return
    for problem in problems:
        st.warning(plain(problem))
    if rows:
        frame = pd.DataFrame(rows)
        st.caption("Per consumer (APIM subscription) over the whole pulled window, priced at the Standard token rates "
                   "of each deployment's model and level in the price sheets.")
        st.dataframe(frame, hide_index=True, width="stretch")
        st.download_button("Download chargeback CSV", frame.to_csv(index=False).encode(), "chargeback.csv", "text/csv")


NOTES = {"consumers": "From the Log Analytics gateway logs over the whole pulled window (that query is not split "
                      "by time)."}


def _summary_table(table: SummaryTable) -> None:
    if table.frame.empty:
        return
    st.markdown(f"**{plain(table.title)}**")
    if table.kind in NOTES:
        st.caption(NOTES[table.kind])
    # st.table shows the Styler's text as is ("—" for a missing value; st.dataframe would print "None")
    st.table(plain_table(table.frame).style.format(table.formats, na_rep="—").hide(axis="index"))
    if table.not_observed:
        st.caption(plain("Not observed in this window: " + ", ".join(table.not_observed) + "."))


def _summary(data: TelemetryData, chosen: set[str]) -> None:
    st.subheader("Summary")
    st.caption("Over the chosen window. Azure ML latency is the request-weighted mean of each interval's percentile; "
               "Azure OpenAI time to response is the percentile of the interval averages. — means no value observed.")
    tables = [t.select(chosen) for t in summary_tables(data)]
    if not any(not t.frame.empty for t in tables):
        st.info("No resource chosen.")
    for table in tables:
        _summary_table(table)


def main() -> None:
    st.title("Telemetry")
    data = _load()
    if data is None:
        return
    _badge(data)
    labels = sorted({s.label for s in data.series})
    left, right = st.columns([2, 3])
    with left:
        chosen = st.multiselect("Resources", labels, default=labels, key="telemetry.resources")
    with right:
        lo, hi = data.start.replace(tzinfo=None), data.end.replace(tzinfo=None)
        window = st.slider("Window (UTC)", min_value=lo, max_value=hi, value=(lo, hi), step=timedelta(hours=1),
                           format="YYYY-MM-DD HH:mm", key="telemetry.window")
    cut = data.between(window[0].replace(tzinfo=data.start.tzinfo), window[1].replace(tzinfo=data.start.tzinfo))
    _summary(cut, set(chosen))
    for found in chart_traces(cut, chosen):
        chart = time_series(found.chart_id, found.title, found.y_title, found.unit,
                            [Trace(*t) for t in found.traces], found.source)
        plotly_chart(to_plotly_dict(chart, height=340), key=f"telemetry.chart.{chart.chart_id}")
        st.caption(plain(chart.caption))
    _calibrate(cut)
    _chargeback(cut)


try:
    main()
except CapplanError as exc:
    st.error(plain(exc))
except Exception as exc:  # the page edge: never a traceback
    st.error(plain(f"The telemetry page hit an unexpected error ({type(exc).__name__}): {redact(str(exc))[:300]}"))
