"""The summary as tables for people: one per resource kind, human column labels with units.

The figures are `summary.summary_rows` (every reduction is a formula in app.engine.observed);
this module only picks, labels and formats them. A column with no value in any row of a table
does not apply there (e.g. GPU utilization on CPU deployments) and is left out, and named in
`SummaryTable.not_observed`; a single missing value prints as "—", never as zero or "None".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from app.telemetry.data import TelemetryData
from app.telemetry.summary import summary_rows

MISSING = "—"
NAME_COLUMNS = ("Endpoint", "Account", "Deployment", "Consumer")  # text columns that name a row
Format = Literal["text", "count", "ms", "percent", "share", "number"]


@dataclass(frozen=True)
class Column:
    key: str  # the summary_rows key
    label: str  # with its unit
    format: Format = "number"


def _text(value: Any) -> str:
    return MISSING if value is None else str(value)


def _number(digits: int) -> Callable[[Any], str]:
    def fmt(value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        return f"{float(value):,.{digits}f}"
    return fmt


FORMATTERS: dict[Format, Callable[[Any], str]] = {
    "text": _text,
    "count": _number(0),
    "ms": _number(1),
    "percent": _number(1),  # values already in % (Azure's *Percentage metrics)
    "share": _number(1),  # a 0–1 share, shown in % (see `_value`)
    "number": _number(1),
}

_GAPS = Column("missing_points", "Missing points", "count")
KINDS: dict[str, tuple[str, tuple[Column, ...]]] = {
    "aml-endpoint": ("Azure ML endpoints", (
        Column("resource", "Endpoint", "text"),
        Column("requests", "Requests", "count"),
        Column("latency_p50_ms", "Latency p50 (ms)", "ms"),
        Column("latency_p95_ms", "Latency p95 (ms)", "ms"),
        Column("latency_p99_ms", "Latency p99 (ms)", "ms"),
        Column("connections_mean", "Active connections mean", "number"),
        _GAPS)),
    "aml-deployment": ("Azure ML deployments", (
        Column("resource", "Endpoint", "text"),
        Column("deployment", "Deployment", "text"),
        Column("cpu_utilization_mean_pct", "CPU utilization mean (%)", "percent"),
        Column("cpu_utilization_peak_pct", "CPU utilization peak (%)", "percent"),
        Column("gpu_utilization_mean_pct", "GPU utilization mean (%)", "percent"),
        Column("gpu_utilization_peak_pct", "GPU utilization peak (%)", "percent"),
        Column("memory_utilization_mean_pct", "Memory utilization mean (%)", "percent"),
        Column("instances_min", "Instances min", "count"),
        Column("instances_max", "Instances max", "count"),
        _GAPS)),
    "openai": ("Azure OpenAI deployments", (
        Column("resource", "Account", "text"),
        Column("deployment", "Deployment", "text"),
        Column("requests", "Requests", "count"),
        Column("throttled_429_share", "429 share (%)", "share"),
        Column("ttft_p50_ms", "Time to first token p50 (ms)", "ms"),
        Column("ttft_p95_ms", "Time to first token p95 (ms)", "ms"),
        Column("output_tokens_per_second", "Output tokens per second", "number"),
        Column("prompt_tokens", "Prompt tokens", "count"),
        Column("completion_tokens", "Completion tokens", "count"),
        Column("cached_tokens", "Cached prompt tokens", "count"),
        Column("cache_hit_rate", "Cache hit rate (%)", "share"),
        Column("ptu_utilization_mean_pct", "PTU utilization mean (%)", "percent"),
        Column("ptu_utilization_p95_pct", "PTU utilization p95 (%)", "percent"),
        _GAPS)),
}
CONSUMERS: tuple[str, tuple[Column, ...]] = ("Consumers (APIM subscriptions)", (
    Column("Consumer", "Consumer", "text"),
    Column("Deployment", "Deployment", "text"),
    Column("Requests", "Requests", "count"),
    Column("PromptTokens", "Prompt tokens", "count"),
    Column("CompletionTokens", "Completion tokens", "count"),
    Column("CachedTokens", "Cached prompt tokens", "count"),
))


@dataclass(frozen=True)
class SummaryTable:
    kind: str  # "aml-endpoint", "aml-deployment", "openai", "consumers"
    title: str
    frame: pd.DataFrame  # numbers (float, sortable) under the human labels; NaN where missing
    formats: dict[str, Callable[[Any], str]]  # label -> formatter, "—" for a missing value
    not_observed: tuple[str, ...]  # labels left out: no value in any row
    labels: tuple[str, ...]  # "resource/deployment" of each row, to filter by the page's choice ("" = always)

    def display(self) -> pd.DataFrame:
        """Every cell as the text a reader sees (what the page's Styler shows, and the tests check)."""
        return pd.DataFrame({c: [self.formats[c](v) for v in self.frame[c]] for c in self.frame.columns})

    def transposed(self) -> pd.DataFrame:
        """The displayed text with the figures down the side and one column per resource (its name)."""
        shown = self.display()
        names = [c for c in shown.columns if c in NAME_COLUMNS]
        heads = ["/".join(str(row[c]) for c in names if row[c] != MISSING) for _, row in shown.iterrows()]
        figures = shown.drop(columns=names)
        out = figures.T
        out.columns = pd.Index(heads)
        return out

    def select(self, chosen: set[str]) -> SummaryTable:
        keep = [i for i, label in enumerate(self.labels) if label in chosen or not label]
        return SummaryTable(self.kind, self.title, self.frame.iloc[keep].reset_index(drop=True), self.formats,
                            self.not_observed, tuple(self.labels[i] for i in keep))


def _value(column: Column, value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if column.format == "share":
        return float(value) * 100.0  # a share 0.012 is shown as 1.2 under a "(%)" label
    return value


def _table(kind: str, title: str, columns: tuple[Column, ...], rows: list[dict[str, Any]],
           labels: list[str]) -> SummaryTable:
    kept = [c for c in columns if c.format == "text" or any(_value(c, r.get(c.key)) is not None for r in rows)]
    frame = pd.DataFrame({c.label: pd.Series([_value(c, r.get(c.key)) for r in rows],
                                             dtype=object if c.format == "text" else "float64") for c in kept})
    return SummaryTable(kind, title, frame, {c.label: FORMATTERS[c.format] for c in kept},
                        tuple(c.label for c in columns if c not in kept), tuple(labels))


def summary_tables(data: TelemetryData) -> list[SummaryTable]:
    """One table per resource kind present (in KINDS order), then the consumers when logs have them."""
    rows = summary_rows(data)
    tables = []
    for kind, (title, columns) in KINDS.items():
        mine = [r for r in rows if r["kind"] == kind]
        if mine:
            labels = [f"{r['resource']}/{r['deployment']}" if r["deployment"] else r["resource"] for r in mine]
            tables.append(_table(kind, title, columns, mine, labels))
    consumers = data.logs.get("consumer_tokens")
    if consumers is not None and not consumers.empty:
        records = consumers.astype(object).where(consumers.notna(), None).to_dict("records")
        deployment_labels = {s.deployment: s.label for s in data.series if s.kind == "openai" and s.deployment}
        labels = [deployment_labels.get(r["Deployment"], "") for r in records]
        title, columns = CONSUMERS
        tables.append(_table("consumers", title, columns, records, labels))
    return tables
