"""Studio editors for each option kind: a registry keyed by `kind`, like the engine's.

Each editor takes the option as plain data (the scenario YAML's mapping) and a widget-key prefix,
draws its widgets and returns the edited mapping. Choices (models, levels, SKUs) come from the
price sheets in force, so only priced combinations can be picked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from app.engine.prices import PriceBook

Editor = Callable[[dict[str, Any], str, PriceBook], dict[str, Any]]
SOURCE = "pricing-capacity.md"

NEW_OPTIONS: dict[str, dict[str, Any]] = {
    "aoai-standard": {"model": "gpt-4o", "deployment": "global"},
    "aoai-batch": {"model": "gpt-4o", "deployment": "global"},
    "aoai-provisioned": {"model": "gpt-4o", "deployment": "global", "ptu": "auto", "billing": "monthly",
                         "spillover": True},
    "aml-online": {"sku": "Standard_DS3_v2", "autoscale": {"min": 3, "max": 10, "target_utilization": 0.7},
                   "concurrency": 1},
    "aml-batch": {"sku": "Standard_DS3_v2", "instances": 2, "jobs_per_month": 30, "startup_minutes": 5.0,
                  "concurrency": 1},
}


def _pick(label: str, choices: Sequence[str], current: str, key: str, help: str) -> str:
    options = list(choices)
    if current not in options:
        options.insert(0, current)
    return str(st.selectbox(label, options, index=options.index(current), key=key, help=help))


def _models(prices: PriceBook, has: Callable[[Any], bool]) -> list[str]:
    if prices.openai is None:
        return []
    return sorted(name for name, model in prices.openai.models.items() if has(model))


def _levels(prices: PriceBook, model: str, table: str) -> list[str]:
    if prices.openai is None or model not in prices.openai.models:
        return ["global"]
    entry = prices.openai.models[model]
    if table == "provisioned":
        return list(entry.provisioned.minimum) if entry.provisioned else ["global"]
    return list(getattr(entry, table))


def _token_option(option: dict[str, Any], key: str, prices: PriceBook, table: str) -> dict[str, Any]:
    models = _models(prices, lambda m: bool(getattr(m, table)) if table != "provisioned" else m.provisioned is not None)
    model = _pick("Model", models, option["model"], f"{key}model",
                  help=f"Models priced in the Azure OpenAI sheet ({SOURCE} §2).")
    levels = _levels(prices, model, table)
    level = option.get("deployment", "global")
    deployment = _pick("Deployment level", levels, level if level in levels else levels[0], f"{key}deployment",
                       help=f"Global processes anywhere; Data Zone within the US/EU zone; Regional in the region "
                            f"({SOURCE} §1). Data Zone and Regional cost 10% more (§2).")
    return {**option, "model": model, "deployment": deployment}


def standard_editor(option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    return _token_option(option, key, prices, "standard")


def batch_editor(option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    st.caption(f"Batch API: 50% of Global Standard, 24-hour target ({SOURCE} §4).")
    return _token_option(option, key, prices, "batch")


def provisioned_editor(option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    edited = _token_option(option, key, prices, "provisioned")
    auto = st.toggle("Size PTU automatically", value=option.get("ptu", "auto") == "auto", key=f"{key}auto",
                     help=f"Peak-sized without spillover; cheapest PTU + spillover with it ({SOURCE} §3.2, §3.4).")
    if auto:
        edited["ptu"] = "auto"
    else:
        current = option.get("ptu")
        edited["ptu"] = int(st.number_input("PTU", min_value=1, max_value=100_000, step=5,
                                            value=int(current) if isinstance(current, int) else 15, key=f"{key}ptu",
                                            help=f"A multiple of the increment, at least the minimum "
                                                 f"(global: min 15, step 5; regional: 50) ({SOURCE} §3.2)."))
    billing = ["hourly", "monthly", "yearly"]
    edited["billing"] = _pick("Billing", billing, option.get("billing", "monthly"), f"{key}billing",
                              help=f"Hourly (no commitment), 1-month or 1-year reservation per PTU ({SOURCE} §3.1).")
    edited["spillover"] = st.toggle("Spillover to Standard", value=bool(option.get("spillover", False)),
                                    key=f"{key}spill",
                                    help=f"Demand above the PTUs bills at Standard rates; without it, it is "
                                         f"throttled with HTTP 429 ({SOURCE} §3.4).")
    return edited


def _skus(prices: PriceBook) -> list[str]:
    return sorted(prices.compute.skus) if prices.compute is not None else []


def online_editor(option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    edited = {k: v for k, v in option.items() if k not in ("instances", "autoscale")}
    edited["sku"] = _pick("VM size (SKU)", _skus(prices), option["sku"], f"{key}sku",
                          help=f"Instance prices per hour from the Azure ML sheet ({SOURCE} §6).")
    scale = option.get("autoscale")
    autoscale = st.toggle("Autoscale", value=scale is not None, key=f"{key}autoscale",
                          help=f"Instances per hour: the fewest that keep utilization at the target, within "
                               f"[min, max] ({SOURCE} §6.3).")
    if autoscale:
        scale = scale or {"min": 3, "max": 10, "target_utilization": 0.7}
        low, high = st.slider("Instances (min–max)", 1, 100, (int(scale["min"]), int(scale["max"])), key=f"{key}range",
                              help=f"At least 3 for high availability ({SOURCE} §6.2).")
        target = st.slider("Target utilization (share of capacity)", 0.05, 1.0,
                           float(scale.get("target_utilization", 0.7)), step=0.05, format="%.2f", key=f"{key}target",
                           help=f"Autoscale keeps utilization near this target ({SOURCE} §6.3, §8).")
        edited["autoscale"] = {"min": int(low), "max": int(high), "target_utilization": float(target)}
    else:
        edited["instances"] = int(st.number_input("Instances (fixed)", 1, 10_000, int(option.get("instances") or 3),
                                                  key=f"{key}instances",
                                                  help=f"At least 3 for high availability ({SOURCE} §6.2)."))
    edited["concurrency"] = int(st.number_input("Concurrent requests per instance", 1, 1024,
                                                int(option.get("concurrency", 1)), key=f"{key}conc",
                                                help="Parallel requests one instance serves (workers × batch)."))
    return edited


def batch_endpoint_editor(option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    edited = dict(option)
    edited["sku"] = _pick("VM size (SKU)", _skus(prices), option["sku"], f"{key}sku",
                          help=f"Node prices per hour from the Azure ML sheet ({SOURCE} §6).")
    edited["instances"] = int(st.number_input("Nodes per job", 1, 10_000, int(option.get("instances", 1)),
                                              key=f"{key}nodes"))
    edited["jobs_per_month"] = int(st.number_input("Jobs per month", 1, 100_000, int(option.get("jobs_per_month", 30)),
                                                   key=f"{key}jobs"))
    edited["startup_minutes"] = float(st.number_input("Cluster start-up per job (min)", 0.0, 1440.0,
                                                      float(option.get("startup_minutes", 5.0)), step=1.0,
                                                      key=f"{key}startup",
                                                      help=f"Node allocation and image pull ({SOURCE} §6.4)."))
    edited["low_priority"] = st.toggle("Low-priority nodes", value=bool(option.get("low_priority", False)),
                                       key=f"{key}lowpri", help=f"Cheaper, can be preempted ({SOURCE} §6.4).")
    edited["concurrency"] = int(st.number_input("Concurrent requests per node", 1, 1024,
                                                int(option.get("concurrency", 1)), key=f"{key}conc"))
    return edited


EDITORS: dict[str, Editor] = {
    "aoai-standard": standard_editor,
    "aoai-batch": batch_editor,
    "aoai-provisioned": provisioned_editor,
    "aml-online": online_editor,
    "aml-batch": batch_endpoint_editor,
}
