"""Prices page addition: sheet versions, the last refresh diff, and (where allowed) a refresh button.

Call `render_price_refresh_panel()` from the Prices page. The button appears only where the server
may make outbound calls (`CAPPLAN_ALLOW_PRICE_REFRESH=1`); a refresh writes a new versioned folder
under the data folder and never replaces the sheets in use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from app.catalog.loader import display_path
from app.errors import CapplanError
from app.prices.output import SheetVersion, list_versions, read_diff
from app.prices.refresh import RefreshOptions, RefreshResult, refresh_prices
from app.settings import get_settings
from app.ui.common import plain


def _versions_table(versions: list[SheetVersion], in_use: Path) -> pd.DataFrame:
    return pd.DataFrame([{
        "folder": display_path(v.folder),
        "as_of": v.as_of,
        "sheets": ", ".join(v.sheets),
        "in use": v.folder.resolve() == in_use.resolve(),
        "refresh diff": v.has_diff,
    } for v in versions])


def _changes_table(record: dict[str, Any]) -> pd.DataFrame:
    rows = [{
        "sheet": c["sheet"], "price": c["price"], "old": c["old"], "new": c["new"],
        "change (%)": None if c["percent"] is None else round(c["percent"], 1), "status": c["status"],
    } for c in record.get("changes", []) if c.get("status") != "unchanged"]
    return pd.DataFrame(rows, columns=["sheet", "price", "old", "new", "change (%)", "status"])


def _render_last_diff(versions: list[SheetVersion]) -> None:
    latest = next((v for v in versions if v.has_diff), None)
    if latest is None:
        st.caption("No refresh yet: the sheets in use are the bundled ones.")
        return
    record = read_diff(latest.folder)
    if record is None:
        st.warning(f"The diff in {plain(display_path(latest.folder))} could not be read.")
        return
    unchanged = sum(1 for c in record.get("changes", []) if c.get("status") == "unchanged")
    st.markdown("**Last refresh:** " + plain(f"as_of {record.get('as_of', '?')}, region {record.get('region', '?')}, "
                                              f"currency {record.get('currency', '?')}"))
    st.caption(plain(f"Sheets in {display_path(latest.folder)}; compared with {record.get('base', '?')}."))
    changes = _changes_table(record)
    if changes.empty:
        st.write(f"No price changed ({unchanged} unchanged).")
    else:
        st.dataframe(changes, hide_index=True, width="stretch")
        st.caption(f"{unchanged} prices unchanged.")
    problems = [("unmapped meters", len(record.get("unmapped", []))),
                ("ambiguous prices", len(record.get("ambiguous", []))),
                ("prices kept from the previous sheet (flagged in notes)", len(record.get("kept", []))),
                ("entries left out", len(record.get("left_out", [])))]
    if any(n for _, n in problems):
        st.caption(plain("; ".join(f"{n} {what}" for what, n in problems if n)
                         + f". Details: {display_path(latest.folder)}/price-diff.txt"))


def _run_refresh(region: str, currency: str) -> RefreshResult | None:
    settings = get_settings()
    with st.status("Refreshing prices from the Azure Retail Prices API…", expanded=True) as status:
        lines: list[str] = []
        log = st.empty()

        def progress(line: str) -> None:
            lines.append(line)
            log.text("\n".join(lines[-12:]))

        try:
            result = refresh_prices(RefreshOptions(region=region, currency=currency, endpoint=settings.prices_endpoint),
                                    progress=progress)
        except CapplanError as exc:
            status.update(label="Price refresh failed; nothing was written", state="error")
            st.error(plain(exc))
            return None
        status.update(label=plain(f"New sheets written to {display_path(result.folder)}"), state="complete",
                      expanded=False)
    return result


def render_price_refresh_panel() -> None:
    """Sheet versions, the last refresh diff, and the refresh button where the server allows it."""
    settings = get_settings()
    try:
        versions = list_versions([settings.pricing_dir, settings.data_dir / "pricing"])
        st.subheader("Price sheet versions")
        if versions:
            st.dataframe(_versions_table(versions, settings.pricing_dir), hide_index=True, width="stretch")
        _render_last_diff(versions)
        st.subheader("Refresh from the Azure Retail Prices API")
        if not settings.allow_price_refresh:
            st.caption("This server does not make outbound calls, so it cannot refresh prices (an administrator "
                       "can allow it with CAPPLAN_ALLOW_PRICE_REFRESH=1). Elsewhere, run `capplan prices refresh`.")
            return
        region = st.text_input("Region (armRegionName)", value="eastus", key="price_refresh_region").strip()
        currency = st.selectbox("Currency", ["USD", "EUR", "GBP", "JPY", "CAD", "AUD"], key="price_refresh_currency")
        st.caption("Writes a new folder of sheets under the data folder; the sheets in use are not replaced. "
                   "The Stop button (top right) cancels; nothing is written until the end.")
        if st.button("Refresh prices", type="primary", key="price_refresh_button"):
            if not region:
                st.error("Enter a region, e.g. eastus.")
                return
            result = _run_refresh(region, currency)
            if result is not None:
                st.success(plain(f"{len(result.files)} files in {display_path(result.folder)}. Use them with "
                                 f"capplan evaluate ... --prices {display_path(result.folder)} or CAPPLAN_PRICING_DIR."))
                report = result.diff_text + ("\n\n" + result.report_text if result.report_text else "")
                st.code(report, language=None)
    except CapplanError as exc:
        st.error(plain(exc))
    except Exception as exc:  # the page edge: never a traceback
        st.error(f"The price versions could not be shown ({type(exc).__name__}). Check the data folder.")
