"""Studio (home): pick a scenario, edit the workload and options, see every number move.

The editor and the results are one fragment: a what-if change reruns only them, not the app's
navigation, sidebar, title and scenario picker (picking another scenario reruns the whole page).
The editor shows one section at a time (tabs that render only the open one), so a change redraws
a handful of widgets, not all of them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app.charts import definitions
from app.errors import CapplanError
from app.ui import common, data, results_view
from app.ui import scenario_state as state
from app.ui.handovers import take_handovers
from app.ui.pdf_download import pdf_download
from app.ui.workload_editor import latency_editor, options_editor, traffic_editor

BLANK = "(blank scenario)"
SECTION_KEY = "studio_section"
TRAFFIC, LATENCY, OPTIONS = "Traffic & tokens", "Latency & constraints", "Options"
PDF_PANEL_KEY = "studio_pdf_panel"
COLUMNS = [1, 2]  # editor, results


def _open_selected() -> None:
    choice = st.session_state.get("studio_pick")
    if choice == BLANK:
        state.replace_scenario(state.blank_scenario(), None)
    elif choice:
        loaded = data.library_scenario(choice)
        if loaded is not None:
            state.replace_scenario(state.scenario_data(loaded.file), choice)


def _picker() -> None:
    names = list(data.library_paths())
    choices = [*names, BLANK]
    base = state.base_name()
    index = choices.index(base) if base in choices else len(choices) - 1
    st.selectbox("Scenario", choices, index=index, key="studio_pick", on_change=_open_selected,
                 help="A scenario from the library (scenarios/), or a blank one to fill in. The Library page "
                      "lists them with descriptions and takes uploads.")


def _editor(scenario: dict[str, Any]) -> dict[str, Any]:
    """The open section's widgets; fields of the other sections pass through unchanged."""
    generation = state.generation()
    traffic, latency, options = st.tabs([TRAFFIC, LATENCY, OPTIONS], key=SECTION_KEY, on_change="rerun")
    if traffic.open:
        with traffic:
            scenario["workload"] = traffic_editor(scenario["workload"], f"g{generation}_w_")
    if latency.open:
        with latency:
            scenario["workload"] = latency_editor(scenario["workload"], f"g{generation}_w_")
    if options.open:
        with options:
            scenario["options"] = options_editor(scenario["options"], f"g{generation}_", data.price_book())
    return scenario


def _pdf_panel(current: state.Current) -> None:
    panel = st.expander("PDF report", icon=":material/picture_as_pdf:", key=PDF_PANEL_KEY, on_change="rerun")
    if panel.open:
        with panel:
            pdf_download(current, "studio_pdf")


@st.fragment
def studio() -> None:
    """Reruns alone when one of its widgets changes (Streamlit fragment), so it guards itself too."""
    with common.page_guard("the Studio"):
        _studio()


def _studio() -> None:
    scenario = state.scenario_data_now()
    if common.presenting():
        results_area = st.container()
    else:
        edit_area, results_area = st.columns(COLUMNS, gap="large")
        with edit_area:
            state.edit_scenario(_editor(scenario))
    with results_area:
        try:
            current = state.current()
        except CapplanError as exc:
            common.show_error(exc, "Fix this to see the numbers again:")
            return
        results_view.headline(current.evaluation, current.loaded.scenario.workload.requests_per_month)
        common.show_chart(definitions.cost_by_option(current.evaluation), caption=False)  # provenance below
    # The table of every option runs the page's full width: its capacity and saving texts are long.
    results_view.options_table(current.evaluation)
    results_view.provenance(current.evaluation)
    if not common.presenting():
        _pdf_panel(current)
    state.sync_link()


def render() -> None:
    """Messages, title and the scenario picker (a new scenario reruns the whole page), then the fragment."""
    for message in take_handovers():
        st.success(common.plain(message), icon=":material/input:")
    scenario = state.scenario_data_now()  # a session's first run reads its link before the messages below
    for message in state.pop_link_messages():
        st.warning(common.plain(message), icon=":material/link_off:")
    st.title(common.plain(scenario.get("name") or "Scenario"), anchor=False)
    if scenario.get("description"):
        st.caption(common.plain(scenario["description"]))
    if not common.presenting():
        with st.columns(COLUMNS, gap="large")[0]:
            _picker()
    studio()


with common.page_guard("the Studio"):
    render()
