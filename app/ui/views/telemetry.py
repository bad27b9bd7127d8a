"""Telemetry: observed Azure Monitor data (live, a recording, or the demo), calibration, chargeback."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import streamlit as st

from app.catalog.loader import parse_scenario_text
from app.catalog.scenario_yaml import scenario_to_yaml
from app.charts.plotly_render import to_plotly_dict
from app.charts.telemetry import Trace, time_series
from app.errors import CapplanError
from app.telemetry.calibrate import PENDING_SCENARIO_KEY, calibrate
from app.telemetry.calibrate_online import CalibrationRefused
from app.telemetry.costing import ChargebackUnavailable, chargeback
from app.telemetry.data import TelemetryData
from app.telemetry.failures import redact
from app.telemetry.pull import PullControls
from app.telemetry.sources import configured, pull_live, replay_demo
from app.telemetry.summary_table import SummaryTable, summary_tables
from app.telemetry.summary_text import WIDE
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
    for issue in data.issues:  # Azure's words: shown as plain text, never as Markdown
        st.warning(plain(redact(issue)), icon=":material/warning:")


def _calibrate(data: TelemetryData) -> None:
    st.subheader("Calibrate a scenario")
    choices = [(r, d) for k, r, d in data.units() if k in ("aml-endpoint", "openai")]
    if not choices:
        st.info("No endpoint or deployment with traffic to calibrate from.")
        return
    label = st.selectbox("Workload from", [f"{r}/{d}" if d else r for r, d in choices], key="telemetry.calibrate_from")
    resource, deployment = choices[[f"{r}/{d}" if d else r for r, d in choices].index(label)]
    st.caption("An Azure ML endpoint's service time comes from its latency at low load and, through the utilization "
               "law, from its instances and CPU/GPU utilization; the calibrated option is evaluated and must reproduce "
               "the observed instance range and peak utilization within 15%, or the calibration says why it cannot. "
               "An Azure OpenAI deployment's observed time to first token and output speed become every Azure OpenAI "
               "option's latency figures (its `latency` key), in place of the service sheet's.")
    if st.button("Calibrate scenario"):
        try:
            result = calibrate(data, resource, deployment, price_data.price_book())
        except CalibrationRefused as exc:
            show_error(exc, "The telemetry cannot support a calibration:")
            return
        except CapplanError as exc:
            show_error(exc, "Calibration failed:")
            return
        try:
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
        result = chargeback(data, price_data.price_book())
    except ChargebackUnavailable as exc:
        show_error(exc, "No chargeback for this data:")
        return
    except CapplanError as exc:
        show_error(exc)
        return
    for warning in result.warnings:
        st.warning(plain(warning), icon=":material/warning:")
    cur = result.currency
    shown = result.compact()  # the columns that fit 1024 px; the CSV has every column
    counts = {c: "{:,.0f}" for c in ("Requests", "Prompt tokens", "Completion tokens")}
    money = {f"Effective cost ({cur})": "{:,.2f}"}
    listed, effective = result.totals
    st.caption(f"Per consumer (APIM subscription) over the whole pulled window, {plain(data.describe_window())} (the "
               "per-consumer query is not split by time). Standard deployments: tokens at the deployment's own token "
               "rates. Provisioned deployments: the window's share of the PTU cost (reservations amortized over their "
               "month), split by each consumer's capacity-weighted tokens (uncached prompt tokens plus the model's "
               "output-token weight times completion tokens). Effective cost is what the window costs. Prices: "
               f"{plain(result.sheet.path)}, as of {plain(result.sheet.as_of)}.")
    # consumer and deployment names come from Azure's logs: shown as text, never as Markdown
    st.table(plain_table(shown).style.format({**counts, **money, "PTU capacity share (%)": "{:,.2f}"}, na_rep="—")
             .hide(axis="index"))
    st.caption(f"Total effective cost {effective:,.2f} {plain(cur)}: the modelled bill of these deployments for the "
               f"window (at list prices, with PTU at its hourly rate: {listed:,.2f} {plain(cur)}). The CSV adds cached "
               "tokens, the token cost split, list cost, the charge period and the price sheet.")
    st.download_button("Download chargeback CSV", result.csv().encode(), "chargeback.csv", "text/csv")


NOTES = {"consumers": "From the Log Analytics gateway logs over the whole pulled window (that query is not split "
                      "by time)."}


def _summary_table(table: SummaryTable) -> None:
    if table.frame.empty:
        return
    st.markdown(f"**{plain(table.title)}**")
    if table.kind in NOTES:
        st.caption(NOTES[table.kind])
    # st.table shows the Styler's text as is ("—" for a missing value; st.dataframe would print "None").
    # Many figures per resource read best down the side, one column per resource (as the CLI prints them).
    # Every text cell, and the resource names heading the transposed columns, shown as text (plain_table).
    if len(table.frame.columns) > WIDE:
        shown = plain_table(table.transposed(), header=True)
        st.table(shown.style.set_properties(**{"text-align": "right"}))
    else:
        st.table(plain_table(table.frame).style.format(table.formats, na_rep="—").hide(axis="index"))
    if table.not_observed:
        st.caption(plain("Not observed in this window: " + ", ".join(table.not_observed) + "."))


def _summary(data: TelemetryData, chosen: set[str]) -> None:
    st.subheader("Summary")
    st.caption("Over the chosen window. Azure ML latency is the request-weighted mean of each interval's percentile. "
               "Azure OpenAI time to first token: request-weighted percentiles of the interval means of "
               "AzureOpenAITimeToResponse; output tokens per second from the time between tokens. — means no value "
               "observed.")
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
    _chargeback(data)


try:
    main()
except CapplanError as exc:
    st.error(plain(exc))
except Exception as exc:  # the page edge: never a traceback
    st.error(plain(f"The telemetry page hit an unexpected error ({type(exc).__name__}): {redact(str(exc))[:300]}"))
