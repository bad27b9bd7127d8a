"""The Studio's option editor: one generic editor driven by each kind's editor fields.

A kind lists its fields (`editor_fields` in app/engine/kinds/); each field names a widget, drawn here
by one function per widget. The editor takes the option as plain data (the scenario YAML's
mapping) and a widget-key prefix, and returns the edited mapping. Choices (models, levels, SKUs)
come from the price sheets in force, so only priced combinations can be picked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from app.engine.option_fields import EditorField, PriceTable, Widget, template_copy
from app.engine.prices import ModelPrices, PriceBook
from app.engine.registry import option_kind

Draw = Callable[[EditorField, dict[str, Any], str, PriceBook], dict[str, Any]]


def _pick(label: str, choices: Sequence[str], current: str, key: str, help: str) -> str:
    options = list(choices)
    if current not in options:
        options.insert(0, current)
    return str(st.selectbox(label, options, index=options.index(current), key=key, help=help or None))


def _levels_of(model: ModelPrices, table: PriceTable) -> list[str]:
    if table == "provisioned":
        return list(model.provisioned.minimum) if model.provisioned else []
    return list(model.standard if table == "standard" else model.batch)


def _model(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    table = field.price_table or "standard"
    models = [] if prices.openai is None else sorted(
        name for name, model in prices.openai.models.items() if _levels_of(model, table))
    current = str(option.get(field.key, field.default or (models[0] if models else "")))
    return {**option, field.key: _pick(field.label, models, current, f"{key}{field.key}", field.help)}


def _level(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    table = field.price_table or "standard"
    model = prices.openai.models.get(str(option.get("model"))) if prices.openai is not None else None
    levels = (_levels_of(model, table) if model is not None else []) or [str(field.default or "global")]
    current = str(option.get(field.key, field.default or levels[0]))
    chosen = _pick(field.label, levels, current if current in levels else levels[0], f"{key}{field.key}", field.help)
    return {**option, field.key: chosen}


def _sku(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    skus = sorted(prices.compute.skus) if prices.compute is not None else []
    current = str(option.get(field.key, field.default or (skus[0] if skus else "")))
    return {**option, field.key: _pick(field.label, skus, current, f"{key}{field.key}", field.help)}


def _choice(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    current = str(option.get(field.key, field.default))
    return {**option, field.key: _pick(field.label, field.choices, current, f"{key}{field.key}", field.help)}


def _toggle(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    value = st.toggle(field.label, value=bool(option.get(field.key, field.default)), key=f"{key}{field.key}",
                      help=field.help or None)
    return {**option, field.key: bool(value)}


def _integer(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    value = st.number_input(field.label, min_value=int(field.minimum if field.minimum is not None else 0),
                            max_value=int(field.maximum) if field.maximum is not None else None,
                            value=int(option.get(field.key, field.default or 0)), step=int(field.step or 1),
                            key=f"{key}{field.key}", help=field.help or None)
    return {**option, field.key: int(value)}


def _number(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    value = st.number_input(field.label, min_value=float(field.minimum if field.minimum is not None else 0.0),
                            max_value=float(field.maximum) if field.maximum is not None else None,
                            value=float(option.get(field.key, field.default or 0.0)), step=float(field.step or 1.0),
                            key=f"{key}{field.key}", help=field.help or None)
    return {**option, field.key: float(value)}


def _ptu(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    current = option.get(field.key, field.default)
    auto = st.toggle(f"Size {field.label} automatically", value=current == "auto", key=f"{key}{field.key}_auto",
                     help=field.help or None)
    if auto:
        return {**option, field.key: "auto"}
    low = int(field.minimum or 1)
    count = st.number_input(field.label, min_value=low, max_value=int(field.maximum or 100_000),
                            value=int(current) if isinstance(current, int) else max(low, 15),
                            step=int(field.step or 1), key=f"{key}{field.key}", help=field.help or None)
    return {**option, field.key: int(count)}


def _scale(field: EditorField, option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    """Fixed `instances`, or `autoscale: {min, max, target_utilization}` (the other key is dropped)."""
    edited = {k: v for k, v in option.items() if k not in ("instances", "autoscale")}
    default = dict(field.default or {})
    scale = option.get("autoscale")
    autoscale = st.toggle(field.label, value=scale is not None, key=f"{key}{field.key}_autoscale",
                          help=field.help or None)
    top = int(field.maximum or 100)
    if autoscale:
        scale = dict(scale or default)
        low, high = int(scale["min"]), int(scale["max"])
        low, high = st.slider("Instances (min–max)", int(field.minimum or 1), max(top, high), (low, high),
                              key=f"{key}{field.key}_range")
        target = st.slider("Target utilization (share of capacity)", 0.05, 1.0,
                           float(scale.get("target_utilization", default.get("target_utilization", 0.7))),
                           step=0.05, format="%.2f", key=f"{key}{field.key}_target")
        edited["autoscale"] = {"min": int(low), "max": int(high), "target_utilization": float(target)}
    else:
        fallback = int(default.get("min", 1))
        edited["instances"] = int(st.number_input("Instances (fixed)", 1, 10_000, int(option.get("instances") or fallback),
                                                  key=f"{key}{field.key}_instances"))
    return edited


WIDGETS: dict[Widget, Draw] = {
    "model": _model, "level": _level, "sku": _sku, "choice": _choice, "toggle": _toggle, "integer": _integer,
    "number": _number, "ptu": _ptu, "scale": _scale,
}


def option_editor(option: dict[str, Any], key: str, prices: PriceBook) -> dict[str, Any]:
    """Draw the editor of the option's kind; returns the edited option (plain data)."""
    kind = option_kind(str(option["kind"]))
    if kind.editor_note:
        st.caption(kind.editor_note)
    edited = dict(option)
    for field in kind.editor_fields:
        edited = WIDGETS[field.widget](field, edited, key, prices)
    return edited


def new_option(kind_name: str, name: str) -> dict[str, Any]:
    """A new option of a kind, from the kind's template."""
    return {"kind": kind_name, "name": name, **template_copy(option_kind(kind_name).template)}
