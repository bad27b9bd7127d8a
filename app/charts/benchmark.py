"""Chart definitions of the Benchmark lab, from a stored run record (plain dicts and lists in, `Chart` out).

The run record is what `app.bench.store` keeps (JSON): no formulas here; the empirical CDF is
`app.engine.benchmark.empirical_cdf`, and the histogram bins are drawn by the renderer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.charts.definitions import SLO_COLOR, option_color
from app.charts.spec import Axis, Chart, Marker, ReferenceLine, Series
from app.engine.benchmark import empirical_cdf

TOP_OPERATORS = 12


def latency_distribution(samples_ms: Sequence[float], title: str, chart_id: str = "bench_latency") -> Chart:
    """Histogram of the latencies with their empirical CDF on a second axis."""
    if not samples_ms:
        return Chart(chart_id, title, Axis("Latency (ms)", "ms"), Axis("Requests"), (),
                     empty_message="No latency samples in this run.")
    x, cdf = empirical_cdf(samples_ms)
    return Chart(
        chart_id=chart_id,
        title=title,
        x=Axis("Latency (ms)", "ms"),
        y=Axis("Requests", "integer", start_at_zero=True),
        y2=Axis("Cumulative share of requests", "percent", start_at_zero=True),
        series=(Series("Requests", "histogram", tuple(samples_ms), (), color=option_color(0)),
                Series("Cumulative share (CDF)", "line", x, cdf, axis="y2", color=option_color(1), markers=False)),
        caption=f"{len(samples_ms):,} measured requests; bars count requests per latency bin, the line is the share "
                "finished within each latency.",
    )


def throughput_by_batch(sweep: Sequence[Mapping[str, Any]], best_batch: int | None) -> Chart:
    """Offline throughput at each batch size (evenly spaced: sweeps double the batch); the best batch starred."""
    batches = tuple(str(row["batch_size"]) for row in sweep)
    throughput = tuple(float(row["throughput_per_s"]) for row in sweep)
    markers = []
    if best_batch is not None and str(best_batch) in batches:
        best = throughput[batches.index(str(best_batch))]
        markers.append(Marker(str(best_batch), best, f"best: batch {best_batch}, {best:,.1f}/s", symbol="star",
                              color="#009E73"))
    return Chart(
        chart_id="bench_throughput_by_batch",
        title="Offline throughput against batch size",
        x=Axis("Batch size"),
        y=Axis("Items per second", "number", start_at_zero=True),
        series=(Series("Items per second", "line", batches, throughput, color=option_color(0),
                       hover=tuple(f"batch {b}: {t:,.1f} items/s" for b, t in zip(batches, throughput, strict=True))),),
        markers=tuple(markers),
    )


def latency_by_qps(points: Sequence[Mapping[str, Any]], slo_ms: float | None,
                   predicted: Sequence[Mapping[str, Any]] | None = None) -> Chart:
    """Measured p50/p95 against the offered rate, the engine's predictions (dashed), and the SLO line."""
    ordered = sorted((p for p in points if p.get("summary")), key=lambda p: p["qps_target"])
    rates = tuple(float(p["qps_target"]) for p in ordered)
    series = [Series(name, "line", rates, tuple(float(p["summary"][key]) for p in ordered), color=option_color(i))
              for i, (key, name) in enumerate((("p95", "Measured p95"), ("p50", "Measured p50")))]
    if predicted:
        model_rates = tuple(float(r["qps"]) for r in predicted)
        series += [Series(name, "line", model_rates, tuple(r.get(key) for r in predicted), color=option_color(i),
                          dash=True)
                   for i, (key, name) in enumerate((("predicted_p95_ms", "Model p95"),
                                                    ("predicted_p50_ms", "Model p50")))]
    lines = (ReferenceLine(slo_ms, f"SLO p95 {slo_ms:g} ms", color=SLO_COLOR),) if slo_ms is not None else ()
    return Chart(
        chart_id="bench_latency_by_qps",
        title="Latency against offered load",
        x=Axis("Arrival rate (requests/s)", "number", start_at_zero=True),
        y=Axis("Latency (ms)", "ms", start_at_zero=True),
        series=tuple(series),
        lines=lines,
        caption="Solid: measured on this machine (Poisson arrivals). Dashed: the M/G/c model fed with the "
                "single-stream service time." if predicted else "Measured on this machine (Poisson arrivals).",
        empty_message="" if ordered else "No server-mode point finished.",
    )


def operator_breakdown(ops: Sequence[Mapping[str, Any]]) -> Chart:
    """Share of kernel time of the busiest operators, largest on top."""
    top = list(ops[:TOP_OPERATORS])
    return Chart(
        chart_id="bench_operators",
        title="Kernel time by operator (ORT profiling)",
        x=Axis("Share of kernel time", "percent", start_at_zero=True),
        y=Axis("Operator"),
        series=(Series("Share of kernel time", "bar", tuple(float(o["share"]) for o in top),
                       tuple(str(o["op"]) for o in top), color=option_color(0), show_in_legend=False),),
        orientation="h",
        caption=f"The {len(top)} operators with the most kernel time, from ONNX Runtime's profiler."
        if top else "",
        empty_message="" if top else "The profile recorded no operator.",
    )
