"""Chart definitions of the time-series simulation (renderer-neutral `Chart` specs).

Every chart takes a `Comparison` (variants over one traffic series) and plots per-window series
from `app.engine.simulation.results.resample` against hours since Monday 00:00 (the run's start).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from app.charts.definitions import option_color
from app.charts.spec import Axis, Chart, ReferenceLine, Series
from app.engine.simulation.replay import ReplaySeries
from app.engine.simulation.results import SimulationResult, chart_window_minutes, resample
from app.engine.simulation.run import Comparison

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TIME_AXIS = Axis("Hours since Monday 00:00", "number", start_at_zero=True)


def clock(minute: float) -> str:
    """'Mon 09:05' for a minute since Monday 00:00 (weeks wrap)."""
    m = int(minute)
    return f"{DAYS[(m // 1440) % 7]} {(m // 60) % 24:02d}:{m % 60:02d}"


def _window(comparison: Comparison) -> int:
    return chart_window_minutes(comparison.results[0].minutes)


def _caption(comparison: Comparison, window: int, extra: str = "") -> str:
    step = comparison.settings.step_s
    text = f"Traffic: {comparison.arrivals_source}. Steps of {step} s; plotted per {window}-minute window."
    return f"{text} {extra}".strip()


def _xy(result: SimulationResult, name: str, window: int) -> tuple[tuple[float, ...], tuple[float | None, ...],
                                                                      tuple[str, ...]]:
    data = resample(result.series, window)
    x = tuple(float(m) / 60.0 for m in data["minute"])
    y = tuple(None if not math.isfinite(v) else float(v) for v in data[name])
    hover = tuple(f"{result.name} · {clock(m)} · {'' if v is None else f'{v:,.1f}'}" for m, v in zip(data["minute"], y,
                                                                                                     strict=True))
    return x, y, hover


def traffic_and_capacity(comparison: Comparison) -> Chart:
    window = _window(comparison)
    first = comparison.results[0]
    x, y, hover = _xy(first, "requests", window)
    per_minute = tuple(None if v is None else v / window for v in y)
    series = [Series("Requests per minute", "line", x, per_minute, color="#555555", hover=hover)]
    for i, result in enumerate(comparison.results):
        x, cap, hover = _xy(result, "capacity_rpm", window)
        series.append(Series(f"{result.name}: capacity", "line", x, cap, color=option_color(i), dash=True, hover=hover))
    return Chart("simulation_traffic", "Arrivals against the capacity of the ready instances", TIME_AXIS,
                 Axis("Requests per minute", "number", start_at_zero=True), tuple(series),
                 caption=_caption(comparison, window, "Capacity = ready instances × concurrency × 60 / service time "
                                  "(PTU: tokens per minute / tokens per request)."))


def instances(comparison: Comparison) -> Chart:
    window = _window(comparison)
    series = []
    for i, result in enumerate(comparison.results):
        x, y, hover = _xy(result, "instances", window)
        series.append(Series(result.name, "line", x, y, color=option_color(i), hover=hover))
    kind = comparison.results[0].kind
    title = "PTU deployed" if kind == "ptu" else "Instances (ready + provisioning, as billed)"
    return Chart("simulation_instances", title, TIME_AXIS, Axis("PTU" if kind == "ptu" else "Instances", "number",
                                                                    start_at_zero=True), tuple(series),
                 caption=_caption(comparison, window))


def latency_p95(comparison: Comparison) -> Chart:
    window = _window(comparison)
    if comparison.results[0].kind == "ptu":
        return Chart("simulation_latency", "p95 latency", TIME_AXIS, Axis("Latency (ms)", "ms"), (),
                     empty_message="Latency is not modelled for PTU deployments (throttling and spillover are).")
    series = []
    for i, result in enumerate(comparison.results):
        x, y, hover = _xy(result, "latency_p95_ms", window)
        series.append(Series(result.name, "line", x, y, color=option_color(i), hover=hover))
    slo = comparison.settings.latency_slo_ms
    lines = (ReferenceLine(slo, f"SLO {slo:,.0f} ms"),) if slo is not None else ()
    return Chart("simulation_latency", "p95 latency of admitted requests", TIME_AXIS, Axis("Latency (ms)", "ms", start_at_zero=True),
                 tuple(series), lines=lines,
                 caption=_caption(comparison, window, "Each window shows its worst minute."))


def failures(comparison: Comparison) -> Chart:
    window = _window(comparison)
    series = []
    for i, result in enumerate(comparison.results):
        name = "throttled_429" if result.kind == "ptu" else "dropped_503"
        label = "429 throttled" if result.kind == "ptu" else "503 dropped"
        x, y, hover = _xy(result, name, window)
        series.append(Series(f"{result.name}: {label}", "line", x, y, color=option_color(i), hover=hover))
        if result.kind == "ptu":
            x, y, hover = _xy(result, "spilled", window)
            series.append(Series(f"{result.name}: spilled to Standard", "line", x, y, color=option_color(i), dash=True,
                                 hover=hover))
    return Chart("simulation_failures", "Requests failed (or spilled) per window", TIME_AXIS,
                 Axis(f"Requests per {window} min", "number", start_at_zero=True), tuple(series),
                 caption=_caption(comparison, window))


def cumulative_cost(comparison: Comparison, currency: str) -> Chart:
    window = _window(comparison)
    series = []
    for i, result in enumerate(comparison.results):
        x, y, hover = _xy(result, "cost_cumulative", window)
        series.append(Series(result.name, "line", x, y, color=option_color(i), hover=hover))
    return Chart("simulation_cost", "Cost accrued", TIME_AXIS, Axis(f"Cost ({currency})", "money", start_at_zero=True),
                 tuple(series), currency=currency, caption=_caption(comparison, window))


def replay_capacity(result: SimulationResult, replay: ReplaySeries) -> Chart:
    """Simulated against recorded DeploymentCapacity (replay check)."""
    window = chart_window_minutes(result.minutes)
    x, y, _ = _xy(result, "instances", window)
    series = [Series(f"Simulated: {result.name}", "line", x, y, color=option_color(0))]
    if replay.deployment_capacity is not None:
        recorded = resample({"instances": replay.deployment_capacity[: result.minutes]}, window)
        series.append(Series("Recorded DeploymentCapacity", "line", tuple(float(m) / 60 for m in recorded["minute"]),
                             tuple(None if not math.isfinite(v) else float(v) for v in recorded["instances"]),
                             color="#111111", dash=True))
    return Chart("simulation_replay_capacity", "Replay: simulated against recorded instances",
                 Axis("Hours since the recording's start", "number", start_at_zero=True),
                 Axis("Instances", "number", start_at_zero=True), tuple(series), caption=f"Recording: {replay.source}")


def replay_latency(result: SimulationResult, replay: ReplaySeries) -> Chart:
    window = chart_window_minutes(result.minutes)
    name = f"latency_{replay.latency_statistic}_ms"
    x, y, _ = _xy(result, name, window)
    series = [Series(f"Simulated {replay.latency_statistic}", "line", x, y, color=option_color(0))]
    if replay.latency_ms is not None:
        recorded = resample({name: replay.latency_ms[: result.minutes]}, window)
        series.append(Series(f"Recorded RequestLatency {replay.latency_statistic}", "line",
                             tuple(float(m) / 60 for m in recorded["minute"]),
                             tuple(None if not math.isfinite(v) else float(v) for v in recorded[name]),
                             color="#111111", dash=True))
    return Chart("simulation_replay_latency", "Replay: simulated against recorded latency",
                 Axis("Hours since the recording's start", "number", start_at_zero=True), Axis("Latency (ms)", "ms"),
                 tuple(series), caption=f"Recording: {replay.source}")


def all_charts(comparison: Comparison, currency: str) -> Sequence[Chart]:
    return (traffic_and_capacity(comparison), instances(comparison), latency_p95(comparison), failures(comparison),
            cumulative_cost(comparison, currency))
