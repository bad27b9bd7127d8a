"""Simulate: autoscale and PTU spillover minute by minute, 1–4 variants side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.catalog.loader import library_names, load_price_book
from app.catalog.simulation_loader import (
    SimulationPlan,
    load_simulation,
    run_plan,
    simulable_kinds,
    with_settings,
    with_variants,
)
from app.catalog.simulation_schema import ReplayEntry
from app.charts.format import money
from app.charts.simulation import all_charts, clock, replay_capacity, replay_latency
from app.engine.simulation.replay import ReplaySeries, replay_fit
from app.engine.simulation.run import Comparison
from app.engine.simulation.settings import FixedInstances, MonitorAutoscale, PtuSystem, TargetUtilization
from app.engine.simulation.variants import Overrides
from app.errors import CapplanError
from app.ui.common import page_guard, plain, show_chart, show_error

DEFAULT_SCENARIO = "monday-morning-autoscale"
STEPS = (1, 5, 10, 15, 30, 60)
MAX_VARIANTS = 4

st.title("Simulate autoscale minute by minute")
st.caption("What happens at 9:05 on Monday: instances lagging a burst, queues, dropped requests (503), "
           "throttling (429) and spillover, simulated step by step over the scenario's traffic. Change a "
           "variant's cooldown or minimum and compare the minutes that miss the SLO and the cost.")


class _NeedsReplay(Exception):
    """Raised by the probe provider: the scenario replays a recording (loaded only on request)."""


def _probe(entry: ReplayEntry) -> ReplaySeries:
    raise _NeedsReplay


@st.cache_data(show_spinner=False)
def _simulable_library() -> dict[str, bool]:
    """Library scenarios that can be simulated, and whether each replays a recording."""
    prices = load_price_book()
    names: dict[str, bool] = {}
    for name in library_names():
        try:
            load_simulation(name, prices, _probe)
        except _NeedsReplay:
            names[name] = True
        except CapplanError:
            continue
        else:
            names[name] = False
    return names


@st.cache_resource(show_spinner=False)
def _replay_plan(name: str) -> SimulationPlan:
    """The plan with its recording loaded (replaying a recording through the Azure SDK takes a while)."""
    from app.telemetry.simulation_replay import replay_provider

    return load_simulation(name, load_price_book(), replay_provider)


def _variant_editor(plan: SimulationPlan, key: str) -> list[tuple[str, Overrides]]:
    count = st.radio("Variants side by side", range(1, MAX_VARIANTS + 1), horizontal=True,
                     index=min(len(plan.variants), MAX_VARIANTS) - 1, key=f"{key}-count")
    columns = st.columns(count)
    edits: list[tuple[str, Overrides]] = []
    for i, column in enumerate(columns):
        source = plan.variants[min(i, len(plan.variants) - 1)]
        system = source.system
        k = f"{key}-v{i}"
        with column, st.container(border=True):
            name = st.text_input("Variant", source.name if i < len(plan.variants) else f"Variant {i + 1}",
                                 key=f"{k}-name", max_chars=60)
            if isinstance(system, PtuSystem):
                ptu = st.number_input("PTU", 1, 100_000, system.ptu, key=f"{k}-ptu")
                spill = st.checkbox("Spillover to Standard", system.spillover, key=f"{k}-spill")
                edits.append((name, Overrides(ptu=int(ptu), spillover=spill)))
                continue
            scaler = system.scaler
            if isinstance(scaler, MonitorAutoscale):
                cooldown = st.number_input("Cooldown (minutes)", 1, 10_080, int(scaler.rules[0].cooldown_minutes),
                                           key=f"{k}-cool", help="Applies to every rule (Azure: 1 minute to 1 week).")
                low = st.number_input("Minimum instances", 1, 10_000, scaler.minimum, key=f"{k}-min")
                with st.expander("More settings"):
                    window = st.number_input("Metric window (minutes)", 1, 720, scaler.rules[0].time_window_minutes,
                                             key=f"{k}-win")
                    high = st.number_input("Maximum instances", 1, 10_000, scaler.maximum, key=f"{k}-max")
                    delay = st.number_input("Provisioning delay (s)", 0, 86_400, int(system.provisioning_delay_s),
                                            key=f"{k}-delay")
                edits.append((name, Overrides(minimum=int(low), maximum=int(high), default=int(low),
                                              cooldown_minutes=float(cooldown), time_window_minutes=int(window),
                                              provisioning_delay_s=float(delay))))
            elif isinstance(scaler, TargetUtilization):
                target = st.number_input("Target utilization (%)", 1, 100, round(scaler.target_utilization * 100),
                                         key=f"{k}-target")
                low = st.number_input("Minimum replicas", 1, 10_000, scaler.minimum, key=f"{k}-min")
                high = st.number_input("Maximum replicas", 1, 10_000, scaler.maximum, key=f"{k}-max")
                delay = st.number_input("Provisioning delay (s)", 0, 86_400, int(system.provisioning_delay_s),
                                        key=f"{k}-delay")
                edits.append((name, Overrides(minimum=int(low), maximum=int(high), target_utilization=target / 100.0,
                                              provisioning_delay_s=float(delay))))
            elif isinstance(scaler, FixedInstances):
                count_fixed = st.number_input("Instances", 1, 10_000, scaler.instances, key=f"{k}-n")
                edits.append((name, Overrides(instances=int(count_fixed))))
    return edits


def _totals_table(comparison: Comparison, currency: str) -> pd.DataFrame:
    rows = []
    for result in comparison.results:
        t = result.totals
        rows.append({
            "variant": result.name,
            "SLO-violating minutes": t.slo_violating_minutes,
            f"cost ({currency})": money(t.cost, currency),
            "instance-hours": round(t.instance_hours, 1),
            "goodput": f"{t.goodput_share:.2%}",
            "503 dropped": round(t.dropped),
            "429 throttled": round(t.throttled),
            "spilled": round(t.spilled),
            "peak instances": t.peak_instances,
            "worst p95 (ms)": None if t.worst_p95_ms is None else round(t.worst_p95_ms),
        })
    return pd.DataFrame(rows)


def _replay_check(replay: ReplaySeries, comparison: Comparison) -> None:
    result = comparison.results[0]
    fit = replay_fit(result, replay)
    st.subheader("Replay check")
    st.caption(f"{plain(result.name)} over {plain(replay.source)}, compared minute by minute.")
    left, right = st.columns(2)
    if fit.capacity_exact_share is not None:
        left.metric("Minutes with the recorded instance count", f"{fit.capacity_exact_share:.1%}",
                    help=f"Mean |difference| {fit.capacity_mean_abs_error:.3f} instances, "
                         f"at most {fit.capacity_max_abs_error:.0f}, over {fit.capacity_minutes:,} minutes.")
    if fit.latency_median_abs_pct_error is not None:
        corr = "n/a" if fit.latency_correlation is None else f"{fit.latency_correlation:.2f}"
        right.metric(f"Median |error| of {replay.latency_statistic} latency", f"{fit.latency_median_abs_pct_error:.1%}",
                     help=f"Correlation with the recording: {corr}.")
    for chart in (replay_capacity(result, replay), replay_latency(result, replay)):
        show_chart(chart)


def _page() -> None:
    try:
        prices = load_price_book()
        names = _simulable_library()
    except CapplanError as exc:
        show_error(exc, "The price sheets or the scenario library could not be loaded")
        return
    if not names:
        st.info(f"No library scenario has an option to simulate (a {' or '.join(simulable_kinds())} option).")
        return
    choices = list(names)
    name = st.selectbox("Scenario", choices, index=choices.index(DEFAULT_SCENARIO) if DEFAULT_SCENARIO in choices else 0)
    if names[name]:
        loaded_key = f"{name}-replay-loaded"
        if not st.session_state.get(loaded_key):
            st.info("This scenario replays recorded telemetry. Loading the recording replays every Azure Monitor "
                    "response through the SDK and takes up to a minute.")
            if not st.button("Load the recording and replay it", key=f"{name}-replay-button"):
                return
            st.session_state[loaded_key] = True
        with st.spinner("Replaying the recording…"):
            plan = _replay_plan(name)
    else:
        plan = load_simulation(name, prices)
    st.caption(f"Simulating option **{plain(plan.option_name)}** ({plan.option_kind}); prices from "
               f"{plain(plan.prices_used)}.")
    if plan.loaded.scenario.description:
        with st.expander("About this scenario"):
            st.text(plan.loaded.scenario.description)

    with st.expander("Run settings", expanded=False):
        left, middle, right = st.columns(3)
        days = left.number_input("Days (from Monday 00:00)", 0.25, 31.0, float(plan.settings.days), step=0.25,
                                 key=f"{name}-days")
        step = middle.selectbox("Step (seconds)", STEPS, index=STEPS.index(plan.settings.step_s)
                                if plan.settings.step_s in STEPS else 2, key=f"{name}-step")
        seed = right.number_input("Random seed (Poisson noise)", 0, 2**31 - 1, plan.settings.seed, key=f"{name}-seed")
    plan = with_settings(plan, days=float(days), step_s=int(step), seed=int(seed))
    plan = with_variants(plan, _variant_editor(plan, name))

    with st.spinner("Simulating…"):
        comparison = run_plan(plan)
    currency = plan.currency
    slo = plan.settings.latency_slo_ms
    st.subheader("Totals")
    cols = st.columns(len(comparison.results))
    first = comparison.results[0].totals
    for col, result in zip(cols, comparison.results, strict=True):
        t = result.totals
        col.metric(f"{plain(result.name)}: SLO-violating minutes", f"{t.slo_violating_minutes:,}",
                   delta=None if result is comparison.results[0] else f"{t.slo_violating_minutes - first.slo_violating_minutes:+,}",
                   delta_color="inverse")
        col.metric(f"{plain(result.name)}: cost", money(t.cost, currency),
                   delta=None if result is comparison.results[0] else f"{t.cost - first.cost:+,.2f} {currency}",
                   delta_color="inverse")
    st.dataframe(_totals_table(comparison, currency), hide_index=True, width="stretch")
    st.caption(("A minute misses the SLO when its p95 latency exceeds "
                f"{slo:,.0f} ms or more than 5% of its requests fail. " if slo is not None else
                "No latency SLO in the scenario: a minute fails when more than 5% of its requests fail. ")
               + plain(f"Traffic: {comparison.arrivals_source}. Prices: {plan.prices_used}."))

    for chart in all_charts(comparison, currency):
        if chart.is_empty:
            st.info(plain(chart.empty_message))
            continue
        show_chart(chart)

    if plan.replay is not None:
        _replay_check(plan.replay, comparison)

    with st.expander("Scale events"):
        rows = [{"variant": r.name, "time": clock(e.time_s / 60.0), "event": e.action, "from": e.from_count,
                 "to": e.to_count}
                for r in comparison.results for e in r.events[:500]]
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.write("No scale events.")


with page_guard("the Simulate page"):
    _page()
