"""Chargeback over a pulled window: per consumer and deployment, usage and cost, reconciled to the bill.

The formulas are app.engine.chargeback's; this module reads the gateway logs' per-consumer usage,
prices each deployment from the telemetry configuration and the price sheets, and lays the lines out
as a table with labelled columns, units, the charge period, the price sheet's date and a totals row.
A chargeback cannot be made from a failed, partial or malformed per-consumer query: that is an error
carrying Azure's words and what to do, never an empty table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from app.engine.chargeback import (
    UNALLOCATED,
    ChargeLine,
    ConsumerUsage,
    provisioned_lines,
    standard_line,
    total_cost,
)
from app.engine.errors import MissingPriceError
from app.engine.prices import PriceBook, SheetRef
from app.errors import CapplanError
from app.safe_text import visible_controls
from app.telemetry.config import OpenAIDeploymentEntry
from app.telemetry.data import TelemetryData

QUERY = "consumer_tokens"
BILLING_TEXT = {"hourly": "hourly PTU billing", "monthly": "1-month reservation, amortized",
                "yearly": "1-year reservation, amortized"}


class ChargebackUnavailable(CapplanError):
    """The per-consumer usage could not be read in full, so no chargeback can reconcile."""


@dataclass
class Chargeback:
    start: datetime
    end: datetime
    currency: str
    sheet: SheetRef
    lines: list[tuple[ChargeLine, OpenAIDeploymentEntry]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def window_hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600.0

    @property
    def totals(self) -> tuple[float, float]:
        """(list cost, effective cost): the effective total is the modelled bill of the window."""
        return total_cost([line for line, _ in self.lines])

    def columns(self) -> list[str]:
        cur = self.currency
        return ["Charge period start (UTC)", "Charge period end (UTC)", "Consumer", "Deployment", "Model",
                "Deployment type", "Charge basis", "Requests", "Prompt tokens", "Cached prompt tokens",
                "Completion tokens", "PTU capacity share (%)", f"Input token cost ({cur})",
                f"Cached input token cost ({cur})", f"Output token cost ({cur})", f"List cost ({cur})",
                f"Effective cost ({cur})", "Price sheet", "Price sheet as of"]

    def table(self) -> pd.DataFrame:
        """One row per line and a totals row; money in cents that add up exactly to the totals row."""
        cur = self.currency
        rows: list[dict[str, Any]] = []
        for line, entry in self.lines:
            u = line.usage
            provisioned = line.pricing == "provisioned"
            kind = (f"Provisioned ({entry.level}, {entry.ptu} PTU)" if provisioned else f"Standard ({entry.level})")
            basis = (f"share of capacity-weighted tokens; {BILLING_TEXT[entry.billing]}" if provisioned
                     else "tokens at the deployment's Standard rates")
            rows.append({
                "Consumer": u.consumer, "Deployment": u.deployment, "Model": entry.model, "Deployment type": kind,
                "Charge basis": basis, "Requests": u.requests, "Prompt tokens": u.prompt_tokens,
                "Cached prompt tokens": u.cached_tokens, "Completion tokens": u.completion_tokens,
                "PTU capacity share (%)": round(100.0 * line.ptu_share, 2) if line.ptu_share is not None else None,
                f"Input token cost ({cur})": line.token_costs.get("input"),
                f"Cached input token cost ({cur})": line.token_costs.get("cached_input"),
                f"Output token cost ({cur})": line.token_costs.get("output"),
                f"List cost ({cur})": line.list_cost, f"Effective cost ({cur})": line.effective_cost})
        money = [c for c in self.columns() if c.endswith(f"({cur})")]
        totals: dict[str, Any] = {"Consumer": "Total", "Deployment": f"{len({r['Deployment'] for r in rows})} deployments"}
        for column in ("Requests", "Prompt tokens", "Cached prompt tokens", "Completion tokens"):
            totals[column] = int(sum(r[column] for r in rows))
        for column in money:
            values = [r[column] for r in rows]
            present = [i for i, v in enumerate(values) if v is not None]
            cents = _cents_that_add_up([values[i] for i in present])
            for i, c in zip(present, cents, strict=True):
                rows[i][column] = c / 100.0
            totals[column] = sum(cents) / 100.0 if present else None
        rows.append(totals)
        for row in rows:
            row["Charge period start (UTC)"] = _iso(self.start)
            row["Charge period end (UTC)"] = _iso(self.end)
            row["Price sheet"] = self.sheet.path
            row["Price sheet as of"] = self.sheet.as_of
        frame = pd.DataFrame(rows, columns=self.columns())
        for column in ("Requests", "Prompt tokens", "Cached prompt tokens", "Completion tokens"):
            frame[column] = frame[column].astype("int64")
        return frame

    def compact(self) -> pd.DataFrame:
        """The table's essentials for a narrow page: who, which deployment (and how it is bought), usage, cost."""
        table = self.table()
        kinds = [f"{line.usage.deployment} ({entry.ptu} PTU)" if line.pricing == "provisioned"
                 else f"{line.usage.deployment} (Standard)" for line, entry in self.lines]
        table["Deployment"] = [*kinds, table["Deployment"].iloc[-1]]
        return table[["Consumer", "Deployment", "Requests", "Prompt tokens", "Completion tokens",
                      "PTU capacity share (%)", f"Effective cost ({self.currency})"]]

    def csv(self, terminal: bool = False) -> str:
        """The table as CSV. For a terminal (`terminal=True`), control characters in names from the
        logs are shown as escapes (`\\x1b`, `\\n`): a quoted line break would otherwise start a forged line."""
        table = self.table()
        if terminal:
            table = table.map(lambda value: visible_controls(value) if isinstance(value, str) else value)
        return table.to_csv(index=False, lineterminator="\n", float_format="%.2f")


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _cents_that_add_up(amounts: list[float]) -> list[int]:
    """Each amount in whole cents, rounding so that they sum to the rounded total (largest remainder)."""
    if not amounts:
        return []
    exact = np.array(amounts, dtype=np.float64) * 100.0
    floors = np.floor(exact)
    missing = round(float(exact.sum())) - int(floors.sum())
    order = np.argsort(-(exact - floors), kind="stable")
    floors[order[:missing]] += 1
    return [int(c) for c in floors]


def _count(value: Any) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    return round(float(value))


def consumer_usage(data: TelemetryData) -> list[ConsumerUsage]:
    """The per-consumer rows of the gateway logs, or ChargebackUnavailable saying why there are none."""
    la = data.config.log_analytics
    if la is None:
        raise ChargebackUnavailable(
            "No per-consumer usage: chargeback reads the API Management gateway logs through Log Analytics; add "
            "log_analytics (workspace_id, preset) to the telemetry configuration")
    status = data.log_status.get(QUERY)
    why = data.log_failures.get(QUERY, "")
    if status == "failed":
        raise ChargebackUnavailable(f"The per-consumer query failed, so there is nothing to charge back. {why}")
    if status == "partial":
        raise ChargebackUnavailable("Log Analytics answered the per-consumer query only in part; a chargeback from "
                                    f"incomplete rows would not reconcile with the bill. {why}")
    if status == "incomplete":
        raise ChargebackUnavailable(f"The per-consumer query's answer cannot be used. {why}")
    if status is None:
        raise ChargebackUnavailable("The per-consumer query did not run (the pull was stopped or is not finished); "
                                    "pull again")
    frame = data.logs.get(QUERY)
    if frame is None or frame.empty:
        return []
    return [ConsumerUsage(str(r["Consumer"]), str(r["Deployment"]), _count(r["Requests"]), _count(r["PromptTokens"]),
                          _count(r["CompletionTokens"]), _count(r["CachedTokens"])) for r in frame.to_dict("records")]


def chargeback(data: TelemetryData, prices: PriceBook) -> Chargeback:
    """Every consumer's usage priced, every PTU deployment's window cost shared; raises when it cannot reconcile."""
    usages = consumer_usage(data)
    priced = {name: entry for g in data.config.groups for a in g.openai_accounts for name, entry in a.deployments.items()}
    result = Chargeback(data.start, data.end, prices.currency, prices.sheet_for("azure-openai"))
    if not usages:
        result.warnings.append(f"the gateway logs hold no requests in {data.describe_window()}: nothing was used "
                               "through API Management (provisioned deployments' cost is shown as unallocated)")
    unpriced = sorted({u.deployment for u in usages} - set(priced))
    if unpriced:
        raise ChargebackUnavailable(
            f"The gateway logs name deployment(s) {', '.join(unpriced)}, which the telemetry configuration does not "
            "price; add each under openai_accounts[].deployments with its model, level and type (and ptu for a "
            "provisioned deployment), so that every token is charged")
    problems: list[str] = []
    for name, entry in sorted(priced.items()):
        mine = [u for u in usages if u.deployment == name]
        what = f"{name} ({entry.model}, {entry.level})"
        try:
            if entry.type == "provisioned":
                if entry.ptu is None:
                    problems.append(f"{name} is provisioned but the telemetry configuration gives no ptu: add its PTU "
                                    "count (and billing: hourly, monthly or yearly) to share its cost")
                    continue
                params, rate = prices.provisioned(entry.model, entry.level)
                lines = provisioned_lines(mine, name, entry.ptu, rate, entry.billing, params.output_token_weight,
                                          result.window_hours)
            else:
                rates = prices.standard_rates(entry.model, entry.level)
                lines = [standard_line(u, rates, what) for u in mine]
        except MissingPriceError as exc:
            problems.append(f"{name}: {exc}")
            continue
        result.lines.extend((line, entry) for line in lines)
        result.warnings.extend(_reconciliation(data, name, mine))
    if problems:
        raise ChargebackUnavailable("; ".join(problems))
    result.lines.sort(key=lambda item: (item[0].usage.consumer == UNALLOCATED, item[0].usage.consumer,
                                        item[0].usage.deployment))
    return result


def _reconciliation(data: TelemetryData, deployment: str, usages: list[ConsumerUsage]) -> list[str]:
    """A warning when Azure Monitor counted clearly more tokens on a deployment than the gateway logged."""
    measured = sum(float(np.nansum(s.values)) for s in data.series
                   if s.kind == "openai" and s.deployment == deployment and s.metric == "ProcessedPromptTokens")
    logged = sum(u.prompt_tokens for u in usages)
    if measured <= 0 or logged >= 0.99 * measured:
        return []
    return [f"{deployment}: Azure Monitor counted {measured:,.0f} prompt tokens in the window, the gateway logs "
            f"{logged:,.0f} ({1 - logged / measured:.1%} fewer): requests that bypass API Management are in the bill "
            "but charged to no consumer"]
