"""Studio widgets for the workload and the list of options. Plain data in, plain data out.

Widgets show the scenario's own values untouched (a value is only rewritten when the user moves
its widget), so the Studio's numbers equal `capplan evaluate` for the same file.
"""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st

from app.catalog.scenario_schema import MAX_COMPLETION_TOKENS, MAX_PROMPT_TOKENS, MAX_REQUESTS_PER_MONTH
from app.engine.option_fields import DEPLOYMENT_TYPES_URL
from app.engine.prices import PriceBook
from app.engine.prompt_cache import MAX_PLANNED_HIT_RATE, MIN_CACHEABLE_PROMPT_TOKENS
from app.engine.registry import option_kinds
from app.engine.traffic import SHAPES
from app.engine.vocabulary import DATA_RESIDENCY, TRAFFIC_SHAPES, sentence_case
from app.ui import scenario_state as state
from app.ui.option_editors import new_option, option_editor

PROMPT_CACHING_URL = "https://learn.microsoft.com/azure/foundry/openai/how-to/prompt-caching"
BATCH_URL = "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/batch"
EDITING_KEY = "studio_editing_option"  # which option the Options tab edits (plain state, outlives the widget)
SHAPE_HELP = ("; ".join(TRAFFIC_SHAPES[s] for s in SHAPES) + ". The busiest hour is exactly peak-to-average × the "
              "mean hour (docs/method.md, Traffic).")


def _share_slider(label: str, value: float, key: str, help: str, top: float = 1.0) -> float:
    return float(st.slider(label, 0.0, max(top, float(value)), float(value), step=0.01, format="%.2f", key=key,
                           help=help))


def traffic_editor(workload: dict[str, Any], key: str) -> dict[str, Any]:
    """Volume, traffic shape, tokens and cache hit rates; the other workload fields pass through."""
    w = copy.deepcopy(workload)
    w["requests_per_month"] = float(st.number_input(
        "Requests per month", min_value=1.0, max_value=MAX_REQUESTS_PER_MONTH, value=float(w["requests_per_month"]), step=100_000.0,
        format="%.0f", key=f"{key}requests",
        help="All requests, including those a gateway result cache answers."))
    traffic = w.setdefault("traffic", {"shape": "flat", "peak_to_average": 1.0})
    traffic["shape"] = st.selectbox("Traffic shape", SHAPES, index=SHAPES.index(traffic.get("shape", "flat")),
                                    key=f"{key}shape", help=SHAPE_HELP)
    flat = traffic["shape"] == "flat"
    peak = 1.0 if flat else float(traffic.get("peak_to_average", 1.0))
    traffic["peak_to_average"] = float(st.slider(
        "Peak-to-average ratio (busiest hour ÷ mean hour)", 1.0, max(10.0, peak), peak, step=0.1,
        key=f"{key}peak{'_flat' if flat else ''}", disabled=flat,
        help="Sizes PTUs and online instances for the busiest hour. Flat traffic has ratio 1."))
    tokens = w.setdefault("tokens", {})
    tokens["prompt"] = float(st.number_input(
        "Prompt tokens / request", 0.0, float(MAX_PROMPT_TOKENS), float(tokens.get("prompt", 0.0)), step=100.0, format="%.0f",
        key=f"{key}prompt", help="Mean input tokens per request (token-billed options)."))
    tokens["completion"] = float(st.number_input(
        "Completion tokens / request", 0.0, float(MAX_COMPLETION_TOKENS), float(tokens.get("completion", 0.0)), step=50.0, format="%.0f",
        key=f"{key}completion", help="Mean output tokens per request."))
    caching = w.setdefault("caching", {})
    caching["prompt_cache_hit_rate"] = _share_slider(
        "Prompt-cache hit rate (share of prompt tokens)", caching.get("prompt_cache_hit_rate", 0.0),
        f"{key}pcache", top=MAX_PLANNED_HIT_RATE,
        help="Cached tokens bill at the cached-input price (50/75/90% off by model) and use no PTU capacity. "
             f"Azure OpenAI caches only prompts of {MIN_CACHEABLE_PROMPT_TOKENS:,} tokens or more whose first "
             f"{MIN_CACHEABLE_PROMPT_TOKENS:,} tokens repeat; shorter prompts are priced uncached. Up to "
             f"{MAX_PLANNED_HIT_RATE:.0%}: every request sends some new tokens. Source: {PROMPT_CACHING_URL}")
    if caching["prompt_cache_hit_rate"] > 0 and tokens["prompt"] < MIN_CACHEABLE_PROMPT_TOKENS:
        st.caption(f"Prompts under {MIN_CACHEABLE_PROMPT_TOKENS:,} tokens are not cached: this hit rate does not "
                   "apply.")
    caching["result_cache_hit_rate"] = _share_slider(
        "Result-cache hit rate (share of requests)", caching.get("result_cache_hit_rate", 0.0), f"{key}rcache",
        help="Requests a gateway (e.g. API Management semantic cache) answers without calling the model.")
    return w


WAIT_NO, WAIT_YES = "No: people wait for each answer", "Yes: results may take hours"
DEFAULT_DEADLINE_HOURS = 24.0


def latency_editor(workload: dict[str, Any], key: str) -> dict[str, Any]:
    """Service time, latency targets, whether results can wait (a deadline) and data residency."""
    w = copy.deepcopy(workload)
    left, right = st.columns(2)
    service = left.number_input(
        "Service time (ms)", min_value=0.001, max_value=3_600_000.0, value=w.get("service_time_ms"),
        step=1.0, key=f"{key}service", placeholder="not set",
        help="Mean model time of one request on one instance (Azure ML options); measure it on the "
             "Benchmark page or with `capplan bench`.")
    cv = right.number_input(
        "Service-time variability (CV)", 0.0, 10.0, float(w.get("service_time_cv", 1.0)), step=0.1,
        key=f"{key}cv", help="Coefficient of variation of the service time: 1 = exponential, 0 = constant.")
    left, right = st.columns(2)
    slo = left.number_input(
        "Latency SLO, p95 (ms)", min_value=1.0, max_value=86_400_000.0, value=w.get("latency_slo_ms"), step=500.0,
        format="%.0f", key=f"{key}slo", placeholder="none",
        help="The whole answer, p95 at the busiest hour. Judges every online option: Azure OpenAI from time to "
             "first token plus completion tokens over output speed, Azure ML from the queueing model. "
             "Azure OpenAI Standard has no latency SLA (docs/sources.md).")
    ttft = right.number_input(
        "Time to first token, p95 (ms)", min_value=1.0, max_value=86_400_000.0, value=w.get("ttft_slo_ms"),
        step=100.0, format="%.0f", key=f"{key}ttft", placeholder="none",
        help="When streamed answers start, p95 at the busiest hour (chat interfaces). An Azure ML endpoint "
             "does not stream: its first byte comes with the whole answer.")
    wait = st.radio(
        "Can results wait?", [WAIT_NO, WAIT_YES], index=1 if w.get("deadline_hours") is not None else 0,
        key=f"{key}wait", horizontal=True,
        help="Batch options (the Batch API, batch endpoints) return results hours later: they are compared only "
             "when results may wait, within the deadline you set.")
    deadline = None
    if wait == WAIT_YES:
        deadline = st.number_input(
            "Deadline (hours)", min_value=0.01, max_value=1e5,
            value=float(w.get("deadline_hours") or DEFAULT_DEADLINE_HOURS), step=1.0, key=f"{key}deadline",
            help=f"Judges batch options; the Batch API targets 24 hours. Source: {BATCH_URL}")
    choices = list(DATA_RESIDENCY)
    residency = st.selectbox(
        "Data residency", choices, index=choices.index(w.get("data_residency", "none")),
        format_func=lambda choice: sentence_case(DATA_RESIDENCY[choice]), key=f"{key}residency",
        help="Where requests may be processed. Global deployments may process anywhere; Data Zone ones within "
             "the US or EU data zone; Standard (regional) and Regional Provisioned ones in the resource's region. "
             f"Data at rest stays in the resource's geography for every type. Source: {DEPLOYMENT_TYPES_URL}")
    for field, value in (("service_time_ms", service), ("latency_slo_ms", slo), ("ttft_slo_ms", ttft),
                         ("deadline_hours", deadline)):
        if value is None:
            w.pop(field, None)
        else:
            w[field] = float(value)
    w["service_time_cv"] = float(cv)
    if residency == "none":
        w.pop("data_residency", None)
    else:
        w["data_residency"] = residency
    return w


def _add_option() -> None:
    kinds = option_kinds()
    kind = st.session_state.get("studio_new_kind") or next(iter(kinds))
    scenario = state.scenario_data_now()
    names = {o["name"] for o in scenario["options"]}
    title = kinds[kind].short_title
    name, n = title, 2
    while name in names:
        name, n = f"{title} {n}", n + 1
    scenario["options"].append(new_option(kind, name))
    state.replace_scenario(scenario, state.base_name())
    st.session_state[EDITING_KEY] = len(scenario["options"]) - 1  # open the new option


def _remove_option(index: int) -> None:
    scenario = state.scenario_data_now()
    if len(scenario["options"]) > 1:
        scenario["options"].pop(index)
        state.replace_scenario(scenario, state.base_name())


def options_editor(options: list[dict[str, Any]], key: str, prices: PriceBook) -> list[dict[str, Any]]:
    """The options to compare: pick one to edit (one editor at a time keeps reruns quick), add, remove."""
    kinds = option_kinds()
    edited = [dict(option) for option in options]
    remembered = min(int(st.session_state.get(EDITING_KEY, 0)), len(options) - 1)  # kept while other tabs show
    index = st.selectbox("Edit option", range(len(options)), index=remembered, key=f"{key}edit",
                         format_func=lambda i: f"{options[i]['name']} · {kinds[options[i]['kind']].title}")
    index = min(int(index or 0), len(options) - 1)
    st.session_state[EDITING_KEY] = index
    option = options[index]
    prefix = f"{key}o{index}_"
    with st.container(border=True):
        name = st.text_input("Name", option["name"], max_chars=80, key=f"{prefix}name")
        edited[index] = option_editor({**option, "name": name}, prefix, prices)
        st.button("Remove this option", key=f"{prefix}remove", on_click=_remove_option, args=(index,),
                  disabled=len(options) == 1, icon=":material/delete:")
    left, right = st.columns(2, vertical_alignment="bottom")
    left.selectbox("New option kind", list(kinds), format_func=lambda k: kinds[k].title, key="studio_new_kind")
    right.button("Add option", on_click=_add_option, icon=":material/add:")
    return edited
