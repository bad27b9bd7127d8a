"""Studio widgets for an Azure OpenAI option's quota and measured latency (all optional).

Plain data in, plain data out: a key the user leaves empty stays out of the scenario, so the
sheet's defaults (quota tier 1, Learn's quotas, the service sheet's latency figures) apply.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

QUOTA_TIERS = [1, 2, 3, 4, 5, 6]


def _optional_int(label: str, value: Any, key: str, help: str, top: float) -> int | None:
    chosen = st.number_input(label, min_value=1.0, max_value=top, value=None if value is None else float(value),
                             step=1.0, format="%.0f", key=key, placeholder="default", help=help)
    return None if chosen is None else int(chosen)


def _set(option: dict[str, Any], name: str, value: Any) -> None:
    if value is None:
        option.pop(name, None)
    else:
        option[name] = value


def _latency(option: dict[str, Any], key: str) -> None:
    current = option.get("latency") or {}
    left, right = st.columns(2)
    ttft = left.number_input(
        "Measured time to first token (ms)", min_value=1.0, max_value=600_000.0, value=current.get("ttft_ms"),
        step=50.0, key=f"{key}ttft", placeholder="service sheet",
        help="The median from your own telemetry or a load test (Azure Monitor: time to response). "
             "Replaces the service sheet's figure for this option.")
    speed = right.number_input(
        "Measured output speed (tokens/s)", min_value=0.1, max_value=100_000.0,
        value=current.get("tokens_per_second"), step=5.0, key=f"{key}speed", placeholder="service sheet",
        help="The median tokens per second after the first token (1,000 / time between tokens in ms).")
    if ttft is None and speed is None:
        option.pop("latency", None)
    elif ttft is None or speed is None:
        st.caption("Give both medians to use them; until then the service sheet's figures apply.")
        option.pop("latency", None)
    else:
        option["latency"] = {"ttft_ms": float(ttft), "tokens_per_second": float(speed)}


def service_settings(option: dict[str, Any], key: str) -> dict[str, Any]:
    """The optional quota and latency keys of an Azure OpenAI option, in a folded section."""
    edited = dict(option)
    kind = edited["kind"]
    with st.expander("Quota and measured latency (optional)"):
        if kind == "aoai-standard":
            tier = st.selectbox("Quota tier", QUOTA_TIERS, index=QUOTA_TIERS.index(edited.get("quota_tier", 1)),
                                key=f"{key}tier",
                                help="The subscription's Foundry quota tier (1–6) for this model and deployment "
                                     "type; the planner assumes tier 1 unless you say otherwise.")
            _set(edited, "quota_tier", None if tier == 1 and "quota_tier" not in option else int(tier))
            _set(edited, "tpm_quota", _optional_int(
                "Granted quota (tokens/min)", edited.get("tpm_quota"), f"{key}tpm",
                "The tokens-per-minute quota the customer was granted; replaces the tier's.", 1e12))
        elif kind == "aoai-provisioned":
            _set(edited, "ptu_quota", _optional_int(
                "Regional PTU quota", edited.get("ptu_quota"), f"{key}ptuquota",
                "The subscription's PTU quota in the region for this deployment type; a larger deployment "
                "cannot be made.", 1e7))
        elif kind == "aoai-batch":
            _set(edited, "enqueued_token_quota", _optional_int(
                "Enqueued-token quota", edited.get("enqueued_token_quota"), f"{key}enqueued",
                "Input tokens of unfinished jobs the subscription may hold; default: Learn's default for the "
                "model (Enterprise subscriptions get more).", 1e15))
        if kind in ("aoai-standard", "aoai-provisioned"):
            _latency(edited, key)
    return edited
