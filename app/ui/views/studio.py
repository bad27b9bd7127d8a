"""Studio (home): pick a scenario, edit the workload and options, see every number move."""

from __future__ import annotations

import streamlit as st

from app.charts import definitions
from app.errors import CapplanError
from app.ui import common, data, results_view
from app.ui import scenario_state as state
from app.ui.handovers import take_handovers
from app.ui.pdf_download import pdf_download
from app.ui.workload_editor import options_editor, workload_editor

BLANK = "(blank scenario)"


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


def render() -> None:
    for message in take_handovers():
        st.success(common.plain(message), icon=":material/input:")
    scenario = state.scenario_data_now()
    for message in state.pop_link_messages():
        st.warning(common.plain(message), icon=":material/link_off:")
    st.title(scenario.get("name") or "Scenario", anchor=False)
    if scenario.get("description"):
        st.caption(common.plain(scenario["description"]))
    if common.presenting():
        results_area = st.container()
    else:
        edit_area, results_area = st.columns([1, 2], gap="large")
        with edit_area:
            _picker()
            prices = data.price_book()
            generation = state.generation()
            scenario["workload"] = workload_editor(scenario["workload"], f"g{generation}_w_")
            scenario["options"] = options_editor(scenario["options"], f"g{generation}_", prices)
            state.edit_scenario(scenario)
    with results_area:
        try:
            current = state.current()
        except CapplanError as exc:
            common.show_error(exc, "Fix this to see the numbers again:")
            return
        results_view.headline(current.evaluation, current.loaded.scenario.workload.requests_per_month)
        common.show_chart(definitions.cost_by_option(current.evaluation), caption=False)  # provenance below
        results_view.options_table(current.evaluation, current.loaded.scenario)
        results_view.provenance(current.evaluation)
        if not common.presenting():
            pdf_download(current, "studio_pdf")
    state.sync_link()


with common.page_guard("the Studio"):
    render()
