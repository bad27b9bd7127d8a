"""Prices: every price line in force, by model and deployment level, with as_of and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.ui import common, data
from app.ui import scenario_state as state
from app.ui.price_refresh_panel import render_price_refresh_panel


def _sheet_header(ref: object, currency: str) -> None:
    st.markdown(f"**{common.plain(getattr(ref, 'path', ''))}** · {common.plain(getattr(ref, 'kind', ''))} · "
                f"region {common.plain(getattr(ref, 'region', ''))} · {common.plain(currency)} · "
                f"as_of **{common.plain(getattr(ref, 'as_of', ''))}**")
    st.caption("Source: " + common.plain(getattr(ref, "source", "")))


def render() -> None:
    st.title("Prices", anchor=False)
    book = data.price_book()
    st.caption("The price sheets every number on the other pages comes from. Token prices are per 1M tokens; "
               "a missing price is an error, never a zero. Refresh them with `capplan prices refresh`.")
    sheet = book.openai
    if sheet is not None:
        st.subheader("Azure OpenAI", anchor=False)
        _sheet_header(sheet.ref, sheet.currency)
        models = sorted(sheet.models)
        pick = st.multiselect("Models", models, placeholder="all models", key="prices_models")
        rows = []
        for name in pick or models:
            model = sheet.models[name]
            for table, levels in (("Standard", model.standard), ("Batch", model.batch)):
                for level, rates in levels.items():
                    rows.append({"Model": name, "Deployment": level, "Billing": table,
                                 "Input /1M": rates.input,
                                 "Cached input /1M": rates.cached_input,
                                 "Output /1M": rates.output})
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
            col: st.column_config.NumberColumn(format="%.4g") for col in ("Input /1M", "Cached input /1M", "Output /1M")})
        st.caption("Cached input empty: no cache discount (billed at the input price). Output empty: the model "
                   "produces no output tokens (embeddings).")
        st.markdown("**Provisioned throughput (PTU)**")
        rates = [{"Deployment": level, "Hourly per PTU": r.hourly, "1-month reservation per PTU": r.monthly,
                  "1-year reservation per PTU": r.yearly} for level, r in sheet.ptu_rates.items()]
        st.dataframe(pd.DataFrame(rates), hide_index=True, width="stretch")
        params = []
        for name in pick or models:
            p = sheet.models[name].provisioned
            if p is None:
                continue
            params.append({"Model": name, "Input TPM per PTU": p.input_tpm_per_ptu,
                           "Output token weight": p.output_token_weight,
                           **{f"Minimum ({lvl})": v for lvl, v in p.minimum.items()},
                           **{f"Increment ({lvl})": v for lvl, v in p.increment.items()}})
        if params:
            st.dataframe(pd.DataFrame(params), hide_index=True, width="stretch")
    compute = book.compute
    if compute is not None:
        st.subheader("Azure Machine Learning compute", anchor=False)
        _sheet_header(compute.ref, compute.currency)
        skus = [{"SKU": s.name, "vCPUs": s.vcpus, "Memory (GiB)": s.memory_gib, "GPUs": s.gpus, "GPU": s.gpu or "",
                 "Per hour": s.hourly, "Low priority per hour": s.low_priority_hourly,
                 "Relative core speed": s.relative_core_speed,
                 "Quota reserve": "none" if s.skip_quota_reserve else common.percent(compute.quota_reserve)}
                for s in compute.skus.values()]
        st.dataframe(pd.DataFrame(skus), hide_index=True, width="stretch")
        st.caption("Managed online endpoints reserve extra cores in quota: ceil((1 + reserve) × instances) × vCPUs. "
                   "Relative core speed scales a benchmark's local service time to the SKU (1.0 = as fast per "
                   "core as the machine the benchmark ran on); see the Benchmark lab.")
    render_price_refresh_panel()
    state.sync_link()


with common.page_guard("the Prices page"):
    render()
