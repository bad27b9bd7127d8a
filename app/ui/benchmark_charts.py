"""Figures of the Benchmark page, from a stored run record (plain dicts and lists in, plotly out)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

LAYOUT = {"height": 360, "margin": {"l": 60, "r": 20, "t": 40, "b": 50}, "legend": {"orientation": "h", "y": -0.2}}


def latency_distribution(samples_ms: list[float], title: str) -> go.Figure:
    """Histogram of the latencies with their empirical CDF on a second axis."""
    figure = go.Figure()
    figure.add_trace(go.Histogram(x=samples_ms, name="requests", nbinsx=60, opacity=0.75))
    ordered = sorted(samples_ms)
    count = len(ordered)
    figure.add_trace(go.Scatter(x=ordered, y=[(i + 1) / count for i in range(count)], name="CDF", yaxis="y2",
                                mode="lines"))
    figure.update_layout(title=title, xaxis_title="latency (ms)", yaxis_title="requests",
                         yaxis2={"title": "cumulative share", "overlaying": "y", "side": "right", "range": [0, 1]},
                         **LAYOUT)
    return figure


def throughput_by_batch(sweep: list[dict[str, Any]], best_batch: int | None) -> go.Figure:
    batches = [row["batch_size"] for row in sweep]
    figure = go.Figure(go.Scatter(x=batches, y=[row["throughput_per_s"] for row in sweep], mode="lines+markers",
                                  name="items/s"))
    if best_batch is not None:
        best = next(row for row in sweep if row["batch_size"] == best_batch)
        figure.add_trace(go.Scatter(x=[best_batch], y=[best["throughput_per_s"]], mode="markers+text",
                                    marker={"size": 14, "symbol": "star"}, text=[f"best: batch {best_batch}"],
                                    textposition="top center", name="best batch"))
    figure.update_layout(title="Offline throughput against batch size", xaxis={"title": "batch size", "type": "log"},
                         yaxis_title="items per second", **LAYOUT)
    return figure


def latency_by_qps(points: list[dict[str, Any]], slo_ms: float | None,
                   predicted: list[dict[str, Any]] | None = None) -> go.Figure:
    """Measured p50/p95 against the offered rate, the engine's predictions, and the SLO line."""
    ordered = sorted((p for p in points if p.get("summary")), key=lambda p: p["qps_target"])
    figure = go.Figure()
    for key, name in (("p95", "measured p95"), ("p50", "measured p50")):
        figure.add_trace(go.Scatter(x=[p["qps_target"] for p in ordered], y=[p["summary"][key] for p in ordered],
                                    mode="lines+markers", name=name))
    if predicted:
        for key, name in (("predicted_p95_ms", "model p95"), ("predicted_p50_ms", "model p50")):
            figure.add_trace(go.Scatter(x=[r["qps"] for r in predicted], y=[r[key] for r in predicted],
                                        mode="lines+markers", line={"dash": "dash"}, name=name))
    if slo_ms is not None:
        figure.add_hline(y=slo_ms, line_dash="dot", annotation_text=f"SLO p95 {slo_ms:g} ms")
    figure.update_layout(title="Latency against offered load", xaxis_title="arrival rate (requests/s)",
                         yaxis_title="latency (ms)", **LAYOUT)
    return figure


def operator_breakdown(ops: list[dict[str, Any]]) -> go.Figure:
    top = ops[:12][::-1]
    figure = go.Figure(go.Bar(x=[o["share"] for o in top], y=[o["op"] for o in top], orientation="h"))
    figure.update_layout(title="Kernel time by operator (ORT profiling)", xaxis={"title": "share", "tickformat": ".0%"},
                         **LAYOUT)
    return figure
