"""Render a `Chart` spec as a matplotlib Figure (for the PDF; no browser, PyPI wheels only).

The counterpart of `plotly_render.py`: only presentation lives here (sizes, fonts, tick labels,
legend placement); what is drawn comes from the spec, so the PDF and the dashboard cannot drift.
Long marker labels become numbered tags with a key (returned with the figure), because a printed
page cannot show them on hover. matplotlib reads `$...$` in any text as mathtext ("Budget $5k to
$8k" would fail the report): every text of the spec goes through `_text()`, which escapes `$`.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from app.charts.format import count_short, money_short, percent
from app.charts.spec import Axis, Chart, Value

MPL_SYMBOLS = {"circle": "o", "diamond": "D", "star": "*", "x": "X"}
INLINE_LABEL_CHARS = 30
INLINE_LABELS = 4
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class RenderedChart:
    figure: Figure
    key: tuple[str, ...]  # "1: label" lines for markers drawn as numbered tags


def _text(value: object) -> str:
    """Text matplotlib draws as written: each `$` escaped, so no pair of them starts mathtext."""
    return str(value).replace("$", r"\$")


def _tick_formatter(axis: Axis, currency: str) -> Callable[[float, Any], str]:
    def fmt(value: float, _pos: Any) -> str:
        if axis.format == "money":
            return money_short(value, currency)
        if axis.format == "percent":
            return percent(value)
        if axis.format == "integer":
            return f"{value:,.0f}"
        if axis.format == "ms":
            return f"{value:,.0f} ms" if value >= 1 or value == 0 else f"{value:.2g} ms"
        return count_short(value) if axis.log or abs(value) >= 1e4 else f"{value:,.4g}"

    return fmt


def _style_axis(ax: Axes, which: str, axis: Axis, currency: str) -> None:
    target = ax.xaxis if which == "x" else ax.yaxis
    if axis.format == "time":
        locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]  # untyped stub
        target.set_major_locator(locator)
        target.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        (ax.set_xlabel if which == "x" else ax.set_ylabel)(_text(axis.title))
        return
    if axis.log:
        (ax.set_xscale if which == "x" else ax.set_yscale)("log")
        target.set_major_locator(LogLocator(base=10))
        target.set_minor_locator(NullLocator())  # minor ticks cost time and clutter print
    target.set_major_formatter(FuncFormatter(_tick_formatter(axis, currency)))
    (ax.set_xlabel if which == "x" else ax.set_ylabel)(_text(axis.title))


def _number(value: Value | None) -> float:
    if value is None or isinstance(value, str | datetime):
        return math.nan
    return float(value)


def _coordinate(value: Value | None) -> float | datetime:
    """A plottable x: datetimes stay datetimes (a date axis), the rest become floats (NaN if none)."""
    return value if isinstance(value, datetime) else _number(value)


def _categories(chart: Chart) -> list[str]:
    """Category labels in first-seen order, when the chart's category axis holds text."""
    found: list[str] = []
    for series in chart.series:
        values = series.y if chart.orientation == "h" else series.x
        for value in values:
            if isinstance(value, str) and value not in found:
                found.append(value)
    return found


def _wrap(label: str, width: int) -> str:
    return _text("\n".join(textwrap.wrap(label, width)) or label)


def _draw_series(chart: Chart, ax: Axes, ax2: Axes | None, categories: list[str]) -> None:
    position = {name: i for i, name in enumerate(categories)}
    stacked_bottom: dict[str, float] = {}
    grouped = [s for s in chart.series if s.kind == "bar" and chart.orientation == "v"]
    group_width = 0.8 / max(1, len(grouped))
    for series in chart.series:
        target = ax2 if series.axis == "y2" and ax2 is not None else ax
        label = _text(series.name) if series.show_in_legend else "_nolegend_"
        if series.kind == "histogram":
            target.hist([_number(v) for v in series.x], bins=series.bins, color=series.color, alpha=0.75, label=label)
        elif series.kind in ("bar", "stacked-bar") and chart.orientation == "h":
            rows = [float(position.get(str(v), 0)) for v in series.y]
            lengths = [0.0 if math.isnan(_number(v)) else _number(v) for v in series.x]
            target.barh(rows, lengths, left=list(series.base) if series.base else None, height=0.6,
                        color=series.color, label=label)
        elif series.kind == "stacked-bar":
            xs = [float(position[str(v)]) if categories else _number(v) for v in series.x]
            heights = [0.0 if math.isnan(_number(v)) else _number(v) for v in series.y]
            bottoms = [stacked_bottom.get(str(v), 0.0) for v in series.x]
            target.bar(xs, heights, bottom=bottoms, width=0.6 if categories else _bar_width(xs), color=series.color,
                       label=label, edgecolor="white", linewidth=0.4)
            for v, h in zip(series.x, heights, strict=True):
                stacked_bottom[str(v)] = stacked_bottom.get(str(v), 0.0) + h
        elif series.kind == "bar":
            offset = (grouped.index(series) - (len(grouped) - 1) / 2) * group_width
            xs = [(position[str(v)] if categories else _number(v)) + offset for v in series.x]
            target.bar(xs, [_number(v) for v in series.y], width=group_width, color=series.color, label=label)
        else:
            points: list[Any] = [float(position[str(v)]) if categories else _coordinate(v) for v in series.x]
            ys = [_number(v) for v in series.y]
            if series.kind == "scatter":
                target.scatter(points, ys, s=10, color=series.color, label=label, zorder=3)
            else:
                target.plot(points, ys, color=series.color, linestyle="--" if series.dash else "-", linewidth=1.3,
                            marker="o" if series.markers else None, markersize=2.2, label=label, zorder=3)


def _bar_width(xs: Sequence[float]) -> float:
    finite = sorted(x for x in xs if not math.isnan(x))
    gaps = [b - a for a, b in itertools.pairwise(finite) if b > a]
    return 0.7 * min(gaps) if gaps else 0.6


def _draw_lines_and_markers(chart: Chart, ax: Axes, ax2: Axes | None, categories: list[str],
                            font_size: float) -> tuple[str, ...]:
    position = {name: i for i, name in enumerate(categories)}
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
    for ref in chart.lines:
        style = "--" if ref.dash else "-"
        if ref.orientation == "v":
            ax.axvline(ref.value, color=ref.color, linestyle=style, linewidth=1.0, zorder=2)
            right_half = _fraction(ax, "x", ref.value) > 0.6
            ax.annotate(_text(ref.label), xy=(ref.value, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(-3 if right_half else 3, -3), textcoords="offset points",
                        ha="right" if right_half else "left", va="top", fontsize=font_size - 1, color=ref.color,
                        bbox=box, zorder=6)
        else:
            target = ax2 if ref.axis == "y2" and ax2 is not None else ax
            target.axhline(ref.value, color=ref.color, linestyle=style, linewidth=1.0, zorder=2)
            target.annotate(_text(ref.label), xy=(1.0, ref.value), xycoords=("axes fraction", "data"), xytext=(-3, 2),
                            textcoords="offset points", ha="right", va="bottom", fontsize=font_size - 1,
                            color=ref.color, bbox=box, zorder=6)
    inline = len(chart.markers) <= INLINE_LABELS and all(len(m.label) <= INLINE_LABEL_CHARS for m in chart.markers)
    key: list[str] = []
    for number, marker in enumerate(chart.markers, start=1):
        target = ax2 if marker.axis == "y2" and ax2 is not None else ax
        x = position[marker.x] if isinstance(marker.x, str) and categories else _number(marker.x)
        target.scatter([x], [marker.y], marker=MPL_SYMBOLS[marker.symbol], s=60 if marker.symbol == "star" else 30,
                       color=marker.color, edgecolors="white", linewidths=0.6, zorder=5)
        text = marker.label if inline else str(number)
        if not inline:
            key.append(f"{number}: {marker.label}")
        where = _fraction(target, "x", x)
        ha = "left" if where < 0.15 else ("right" if where > 0.85 else "center")
        dx = {"left": -4, "right": 4, "center": 0}[ha]
        target.annotate(_text(text), xy=(x, marker.y), xytext=(dx, 7), textcoords="offset points", ha=ha, va="bottom",
                        fontsize=font_size - 1, zorder=6, bbox=box)
    return tuple(key)


def _denser_log_ticks(ax: Axes) -> None:
    """On a log axis spanning under three decades, label 1-2-5 steps too (else one label or none)."""
    for which, scale, limits in (("x", ax.get_xscale(), ax.get_xlim()), ("y", ax.get_yscale(), ax.get_ylim())):
        low, high = sorted(limits)
        if scale != "log" or low <= 0 or math.log10(high / low) >= 3:
            continue
        (ax.xaxis if which == "x" else ax.yaxis).set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))


def _fraction(ax: Axes, which: str, value: float) -> float:
    """Where `value` sits along an axis, 0 (start) to 1 (end), after autoscaling (log aware)."""
    low, high = ax.get_xlim() if which == "x" else ax.get_ylim()
    scale = ax.get_xscale() if which == "x" else ax.get_yscale()
    if scale == "log" and low > 0 and high > 0 and value > 0:
        low, high, value = math.log10(low), math.log10(high), math.log10(value)
    return 0.5 if high == low else (value - low) / (high - low)


def to_matplotlib(chart: Chart, *, width: float, height: float, font_size: float = 7.5,
                  show_title: bool = False) -> RenderedChart:
    """A figure of `width` x `height` points drawing exactly what `chart` specifies."""
    figure = Figure(figsize=(width / POINTS_PER_INCH, height / POINTS_PER_INCH), dpi=POINTS_PER_INCH,
                    layout="constrained")
    figure.set_facecolor("white")
    ax = figure.add_subplot()
    if show_title:
        ax.set_title(_text(chart.title), fontsize=font_size + 2, loc="left")
    if chart.is_empty:
        ax.axis("off")
        ax.text(0.5, 0.5, _text(chart.empty_message or "Nothing to draw"), ha="center", va="center", fontsize=font_size + 1,
                transform=ax.transAxes)
        return RenderedChart(figure, ())
    with_style(ax, font_size)
    ax2 = None
    if chart.y2 is not None and any(s.axis == "y2" for s in chart.series):
        ax2 = ax.twinx()
        with_style(ax2, font_size, hidden=("top", "left"), grid=False)
    categories = _categories(chart)
    _draw_series(chart, ax, ax2, categories)
    if chart.orientation == "h":
        ax.set_yticks(range(len(categories)), [_wrap(c, 34) for c in categories])
        ax.invert_yaxis()  # categories top to bottom, as listed
        _style_axis(ax, "x", chart.x, chart.currency)
        ax.set_ylabel(_text(chart.y.title))
        if chart.x.start_at_zero:
            ax.set_xlim(left=0)
    else:
        if categories:
            wrap = max(8, int(width / max(1, len(categories)) / (font_size * 0.55)))
            ax.set_xticks(range(len(categories)), [_wrap(c, wrap) for c in categories])
            ax.set_xlabel(_text(chart.x.title))
        else:
            _style_axis(ax, "x", chart.x, chart.currency)
        _style_axis(ax, "y", chart.y, chart.currency)
        if chart.y.start_at_zero and not chart.y.log:
            ax.set_ylim(bottom=0)
            ax.margins(y=0.12)
            ax.set_ylim(bottom=0)
        if ax2 is not None and chart.y2 is not None:
            _style_axis(ax2, "y", chart.y2, chart.currency)
            if chart.y2.start_at_zero and not chart.y2.log:
                ax2.set_ylim(bottom=0)
    for axes in (ax, ax2):
        if axes is not None:
            _denser_log_ticks(axes)
    key = _draw_lines_and_markers(chart, ax, ax2, categories, font_size)
    handles, labels = ax.get_legend_handles_labels()
    if ax2 is not None:
        more_handles, more_labels = ax2.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    if handles:
        columns = min(len(handles), max(1, int(width // 150)))
        figure.legend(handles, labels, loc="outside lower center", ncols=columns, fontsize=font_size, frameon=False)
    return RenderedChart(figure, key)


def with_style(ax: Axes, font_size: float, hidden: tuple[str, ...] = ("top", "right"), grid: bool = True) -> None:
    ax.tick_params(labelsize=font_size, length=2.5, width=0.5)
    ax.xaxis.label.set_fontsize(font_size)
    ax.yaxis.label.set_fontsize(font_size)
    for side in hidden:
        ax.spines[side].set_visible(False)
    for spine in ax.spines.values():
        spine.set_linewidth(0.5)
    if grid:
        ax.grid(True, axis="both", color="#e3e7ec", linewidth=0.5)
    ax.set_axisbelow(True)
