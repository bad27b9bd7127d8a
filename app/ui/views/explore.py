"""Explore: break-even against volume, prompt-cache sweep, PTU sizing, instances against latency,
and the sensitivity of the recommended option. Every chart re-runs the engine on the session's
scenario (memoized per session)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from app.charts import definitions
from app.engine import explore, sensitivity, sizing_sweeps
from app.errors import CapplanError
from app.ui import common, data
from app.ui import scenario_state as state
from app.ui.pdf_download import pdf_download


def _memo(what: str, text: str, compute: Callable[[], Any], *extra: str) -> Any:
    store = state.memo()
    key = (what, text, *extra)
    if key not in store:
        with st.spinner(f"Computing the {what.replace('_', ' ')}…"):
            store[key] = compute()
    return store[key]


def _linked_choice(label: str, choices: list[str], default: int, key: str, param: str, link: dict[str, str],
                   help: str | None = None) -> str:
    """A selectbox whose choice travels in the link as `param`. A link value must be one of the
    choices (names from the scenario, never used for anything else); otherwise a message and the default."""
    index = default
    wanted = st.query_params.get(param)
    if key not in st.session_state and wanted is not None:
        if wanted in choices:
            index = choices.index(wanted)
        else:
            st.warning(f"The link asks for {param}={common.plain(repr(wanted[:80]))}, which is not one of this "
                       f"scenario's choices; showing {common.plain(choices[default])} instead.",
                       icon=":material/link_off:")
    chosen = str(st.selectbox(label, choices, index=index, key=key, help=help))
    link[param] = chosen
    return chosen


def render() -> None:
    link: dict[str, str] = {}
    current = state.current()
    scenario = current.loaded.scenario
    evaluation = current.evaluation
    book = data.price_book()
    st.title(f"Explore: {common.plain(scenario.name)}", anchor=False)
    st.caption("Analyses of the scenario open in the Studio; edit it there and these follow.")
    if not common.presenting():
        pdf_download(current, "explore_pdf")

    st.subheader("Break-even: which option is cheapest at which volume", anchor=False)
    sweep = _memo("break_even", current.key, lambda: explore.break_even(scenario, book))
    common.show_chart(definitions.break_even(sweep))
    for crossover in sweep.crossovers:
        st.markdown(f"- Above **{common.count_short(crossover.x)}** requests/month, "
                    f"**{common.plain(crossover.above)}** is cheaper than **{common.plain(crossover.below)}** "
                    f"({common.money(crossover.monthly_cost, sweep.currency)} per month there).")
    if not sweep.crossovers:
        st.markdown("- The recommended option is the same wherever one is feasible." if sweep.notes else
                    "- The cheapest option is the same from 10k to 1B requests/month.")
    for note in sweep.notes:
        st.markdown(f"- {common.plain(note)}.")

    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Prompt caching", anchor=False)
        cache = _memo("cache_sweep", current.key, lambda: explore.cache_sweep(scenario, book))
        common.show_chart(definitions.cache_sweep(cache))
    with right:
        st.subheader("Sensitivity (±20% on each input)", anchor=False)
        names = [r.name for r in evaluation.options]
        default = evaluation.recommended or min(evaluation.options, key=lambda r: r.monthly_cost).name
        chosen = _linked_choice("Option", names, names.index(default), "explore_tornado_option", "tornado", link,
                                help="The recommended option by default.")
        sens = _memo("sensitivity", current.key, lambda: sensitivity.sensitivity(scenario, book, chosen), chosen)
        common.show_chart(definitions.tornado(sens))

    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("PTU count against cost", anchor=False)
        candidates = sizing_sweeps.ptu_options(scenario, book)
        if not candidates:
            st.info("This scenario has no Azure OpenAI Standard or PTU option; add one in the Studio to size PTUs.")
        else:
            chosen_ptu = _linked_choice("Size PTUs for", list(candidates), len(candidates) - 1, "explore_ptu_option",
                                        "ptu_for", link,
                                        help="A PTU option, or a Standard option's model and deployment level.")
            try:
                ptu = _memo("ptu_sweep", current.key,
                            lambda: sizing_sweeps.ptu_sweep(scenario, book, chosen_ptu), chosen_ptu)
            except CapplanError as exc:
                common.show_error(exc)
            else:
                common.show_chart(definitions.ptu_vs_cost(ptu))
    with right:
        st.subheader("Online endpoint: instances against latency", anchor=False)
        online = sizing_sweeps.online_options(scenario)
        if not online:
            st.info("This scenario has no Azure ML online endpoint; add one in the Studio to see instances "
                    "against p95 latency.")
        else:
            chosen_online = _linked_choice("Endpoint", list(online), 0, "explore_online_option", "endpoint", link)
            try:
                inst = _memo("instance_sweep", current.key,
                             lambda: sizing_sweeps.instance_sweep(scenario, book, chosen_online), chosen_online)
            except CapplanError as exc:
                common.show_error(exc)
            else:
                common.show_chart(definitions.instances_vs_latency(inst))
    state.sync_link(link)


with common.page_guard("the Explore page"):
    render()
