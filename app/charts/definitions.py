"""One definition per chart: engine results in, a renderer-neutral `Chart` out.

The dashboard (plotly) and the scenario PDF (matplotlib) both call these, so a chart looks and
means the same in both. No formulas here: every number comes from the engine's results.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.charts.format import count_short, money, money_short, percent, price_provenance
from app.charts.spec import Axis, Chart, Marker, ReferenceLine, Series
from app.engine.explore import Sweep
from app.engine.registry import cost_label
from app.engine.results import Evaluation
from app.engine.sensitivity import Sensitivity
from app.engine.sizing_sweeps import InstanceSweep, PtuSweep

# Colour-blind friendly (Okabe–Ito), then a few more for scenarios with many options.
OPTION_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
                 "#7F7F7F", "#8C564B")
COMPONENT_COLORS = {
    "input": "#0072B2",
    "cached_input": "#56B4E9",
    "output": "#E69F00",
    "ptu": "#009E73",
    "spillover": "#CC79A7",
    "compute": "#D55E00",
}
SLO_COLOR = "#b03a2e"
CURRENT_COLOR = "#555555"


def option_color(index: int) -> str:
    return OPTION_COLORS[index % len(OPTION_COLORS)]


def component_label(component: str) -> str:
    """The cost component's label, worded by the kind that reports it (app/engine/vocabulary.py)."""
    return cost_label(component)


def _money_axis(title: str, currency: str, log: bool = False) -> Axis:
    return Axis(title=f"{title} ({currency})", format="money", log=log, start_at_zero=not log)


def cost_by_option(evaluation: Evaluation) -> Chart:
    """Monthly cost of each option, stacked by cost component; the recommended option marked."""
    names = tuple(r.name for r in evaluation.options)
    components: list[str] = []
    for result in evaluation.options:
        for component in result.cost_breakdown:
            if component not in components:
                components.append(component)
    series = []
    for component in components:
        values = tuple(r.cost_breakdown.get(component) for r in evaluation.options)
        hover = tuple(f"{component_label(component)}: {money(v, evaluation.currency)}" if v is not None else ""
                      for v in values)
        series.append(Series(name=component_label(component), kind="stacked-bar", x=names, y=values,
                             color=COMPONENT_COLORS.get(component), hover=hover))
    markers = []
    if evaluation.recommended is not None:
        best = evaluation.option(evaluation.recommended)
        markers.append(Marker(x=best.name, y=best.monthly_cost, label=f"recommended: {money_short(best.monthly_cost, evaluation.currency)}",
                              symbol="star", color="#009E73"))
    for result in evaluation.options:
        if result.fails_a_constraint:
            markers.append(Marker(x=result.name, y=result.monthly_cost, label="fails a constraint",
                                  symbol="x", color=SLO_COLOR))
    return Chart(
        chart_id="cost_by_option",
        title=f"Monthly cost by option: {evaluation.scenario}",
        x=Axis(title="Option"),
        y=_money_axis("Monthly cost", evaluation.currency),
        series=tuple(series),
        currency=evaluation.currency,
        markers=tuple(markers),
        caption=price_provenance(evaluation.prices),
        notes=tuple(f"{r.name}: {money(r.monthly_cost, evaluation.currency)} per month" for r in evaluation.options),
    )


def _sweep_series(sweep: Sweep, x_values: Sequence[float], x_text: Sequence[str]) -> tuple[Series, ...]:
    series = []
    for index, option in enumerate(sweep.options):
        hover = tuple(
            f"{option.option} at {label}: {money(cost, sweep.currency)}" + (" (fails a constraint)" if fails else "")
            if cost is not None else f"{option.option} at {label}: not computable"
            for label, cost, fails in zip(x_text, option.monthly_cost, option.fails_constraint, strict=True))
        series.append(Series(name=option.option, kind="line", x=tuple(x_values), y=option.monthly_cost,
                             color=option_color(index), hover=hover))
    return tuple(series)


def break_even(sweep: Sweep, scenario_name: str = "") -> Chart:
    """Monthly cost of each option against requests/month (log–log), crossovers marked."""
    x_text = [f"{count_short(x)} requests/month" for x in sweep.x]
    markers = tuple(
        Marker(x=c.x, y=c.monthly_cost, label=f"{c.below} → {c.above} at {count_short(c.x)}/month")
        for c in sweep.crossovers)
    notes = tuple(f"Above {count_short(c.x)} requests/month, {c.above} is cheaper than {c.below}" for c in sweep.crossovers)
    return Chart(
        chart_id="break_even",
        title="Break-even: monthly cost against volume" + (f" ({scenario_name})" if scenario_name else ""),
        x=Axis(title="Requests per month", format="number", log=True),
        y=_money_axis("Monthly cost", sweep.currency, log=True),
        series=_sweep_series(sweep, sweep.x, x_text),
        currency=sweep.currency,
        lines=(ReferenceLine(value=sweep.current_x, label=f"this scenario: {count_short(sweep.current_x)}",
                             orientation="v", color=CURRENT_COLOR),),
        markers=markers,
        caption="Each point re-runs the engine at that volume with every other input held. "
                "Diamonds mark where the recommended option (cheapest that meets every constraint) changes.",
        notes=notes or ("The cheapest option is the same over the whole range.",),
    )


def cache_sweep(sweep: Sweep, scenario_name: str = "") -> Chart:
    """Monthly cost of each option against the prompt-cache hit rate (0–95%)."""
    x_text = [f"{percent(x)} cached" for x in sweep.x]
    markers = tuple(
        Marker(x=c.x, y=c.monthly_cost, label=f"{c.below} → {c.above} at {percent(c.x)}")
        for c in sweep.crossovers)
    return Chart(
        chart_id="cache_sweep",
        title="Prompt-cache hit rate against monthly cost" + (f" ({scenario_name})" if scenario_name else ""),
        x=Axis(title="Prompt-cache hit rate (share of prompt tokens)", format="percent"),
        y=_money_axis("Monthly cost", sweep.currency),
        series=_sweep_series(sweep, sweep.x, x_text),
        currency=sweep.currency,
        lines=(ReferenceLine(value=sweep.current_x, label=f"this scenario: {percent(sweep.current_x)}",
                             orientation="v", color=CURRENT_COLOR),),
        markers=markers,
        caption="Cached prompt tokens bill at the cached-input price on Standard and Batch and use no PTU "
                "capacity (Microsoft Learn: Prompt caching; Provisioned throughput concepts). Compute options "
                "do not depend on tokens.",
    )


def ptu_vs_cost(sweep: PtuSweep) -> Chart:
    """PTU reservation + spillover cost at each deployable PTU count; the optimum marked."""
    counts = tuple(p.ptu for p in sweep.points)
    cur = sweep.currency
    series = (
        Series(name=component_label("ptu"), kind="stacked-bar", x=counts, y=tuple(p.ptu_cost for p in sweep.points),
               color=COMPONENT_COLORS["ptu"],
               hover=tuple(f"{p.ptu} PTU: {money(p.ptu_cost, cur)}" for p in sweep.points)),
        Series(name=component_label("spillover"), kind="stacked-bar", x=counts,
               y=tuple(p.spillover_cost for p in sweep.points), color=COMPONENT_COLORS["spillover"],
               hover=tuple(f"{percent(p.spillover_share, 1)} of tokens spill: {money(p.spillover_cost, cur)}"
                           for p in sweep.points)),
        Series(name="Share of tokens spilling over", kind="line", x=counts,
               y=tuple(p.spillover_share for p in sweep.points), axis="y2", color="#555555", dash=True),
    )
    lines = [ReferenceLine(value=sweep.required_at_peak, orientation="v", color=CURRENT_COLOR,
                           label=f"peak size, no spillover: {sweep.required_at_peak} PTU")]
    if sweep.standard_only_cost is not None:
        lines.append(ReferenceLine(value=sweep.standard_only_cost, color="#0072B2",
                                   label=f"all on {sweep.deployment} Standard: {money_short(sweep.standard_only_cost, cur)}"))
    optimum = sweep.optimum
    return Chart(
        chart_id="ptu_vs_cost",
        title=f"PTU count against cost ({sweep.model} {sweep.deployment}, {sweep.billing}, spillover)",
        x=Axis(title="PTU deployed", format="integer"),
        y=_money_axis("Monthly cost", cur),
        y2=Axis(title="Tokens spilling over to Standard", format="percent", start_at_zero=True),
        series=series,
        currency=cur,
        lines=tuple(lines),
        markers=(Marker(x=optimum.ptu, y=optimum.monthly_cost, symbol="star", color="#009E73",
                        label=f"optimum: {optimum.ptu} PTU, {money_short(optimum.monthly_cost, cur)}"),),
        caption="Demand above the deployed PTU spills over to Standard and bills per token at the same "
                "deployment level (Microsoft Learn: Manage traffic with spillover).",
        notes=(f"Cheapest: {optimum.ptu} PTU at {money(optimum.monthly_cost, cur)} per month "
               f"({percent(optimum.spillover_share, 1)} of tokens spill over).",),
    )


def instances_vs_latency(sweep: InstanceSweep) -> Chart:
    """p95 latency at the busiest hour and monthly cost against a fixed instance count; SLO line."""
    counts = tuple(p.instances for p in sweep.points)
    cur = sweep.currency
    series = (
        Series(name="p95 latency at the busiest hour", kind="line", x=counts, y=tuple(p.p95_ms for p in sweep.points),
               color="#0072B2",
               hover=tuple(f"{p.instances} instances: p95 {p.p95_ms:,.0f} ms, peak utilization {percent(p.utilization_peak)}"
                           if p.p95_ms is not None else f"{p.instances} instances: unstable (utilization "
                           f"{percent(p.utilization_peak)})" for p in sweep.points)),
        Series(name="Monthly cost", kind="line", x=counts, y=tuple(p.monthly_cost for p in sweep.points),
               axis="y2", color="#D55E00", dash=True,
               hover=tuple(f"{p.instances} instances: {money(p.monthly_cost, cur)}" for p in sweep.points)),
    )
    lines = []
    markers = []
    if sweep.latency_slo_ms is not None:
        lines.append(ReferenceLine(value=sweep.latency_slo_ms, color=SLO_COLOR, label=f"SLO p95 ≤ {sweep.latency_slo_ms:,.0f} ms"))
    point = next((p for p in sweep.points if p.instances == sweep.fewest_meeting_slo), None)
    if point is not None and point.p95_ms is not None:
        markers.append(Marker(x=point.instances, y=point.p95_ms, symbol="star", color="#009E73",
                              label=f"fewest meeting the SLO: {point.instances} ({money_short(point.monthly_cost, cur)})"))
    unstable = [p.instances for p in sweep.points if p.p95_ms is None]
    caption = ("M/G/c queue (Erlang C with the Allen–Cunneen correction) at the busiest hour, fixed instance "
               "counts, concurrency " f"{sweep.concurrency} per instance.")
    if unstable:
        caption += f" Up to {max(unstable)} instances the queue is unstable (no latency)."
    return Chart(
        chart_id="instances_vs_latency",
        title=f"Instances against p95 latency and cost: {sweep.option} ({sweep.sku})",
        x=Axis(title="Instances (fixed count)", format="integer"),
        y=Axis(title="p95 latency at the busiest hour (ms)", format="ms", log=True),
        y2=_money_axis("Monthly cost", cur),
        series=series,
        currency=cur,
        lines=tuple(lines),
        markers=tuple(markers),
        caption=caption,
    )


def tornado(sens: Sensitivity) -> Chart:
    """Cost of one option with each input at −δ and +δ; widest swing on top."""
    cur = sens.currency
    labels = tuple(b.label for b in sens.bars)
    step = percent(sens.delta)

    def lengths(costs: Sequence[float | None]) -> tuple[float | None, ...]:
        return tuple(None if c is None else c - sens.base_cost for c in costs)

    low_costs = [b.cost_at_low for b in sens.bars]
    high_costs = [b.cost_at_high for b in sens.bars]
    base = tuple(sens.base_cost for _ in sens.bars)
    series = (
        Series(name=f"input −{step}", kind="bar", x=lengths(low_costs), y=labels, base=base, color="#56B4E9",
               hover=tuple(f"{b.label} at {b.low_value:,.4g}: {money(b.cost_at_low, cur)}" for b in sens.bars)),
        Series(name=f"input +{step}", kind="bar", x=lengths(high_costs), y=labels, base=base, color="#E69F00",
               hover=tuple(f"{b.label} at {b.high_value:,.4g}: {money(b.cost_at_high, cur)}" for b in sens.bars)),
    )
    empty = "" if sens.bars else "No workload input of this scenario can be varied."
    return Chart(
        chart_id="tornado",
        title=f"Sensitivity of {sens.option} to ±{step} on each input",
        x=Axis(title=f"Monthly cost of {sens.option} ({cur})", format="money"),
        y=Axis(title="Input"),
        series=series,
        currency=cur,
        orientation="h",
        lines=(ReferenceLine(value=sens.base_cost, orientation="v", color=CURRENT_COLOR,
                             label=f"as planned: {money_short(sens.base_cost, cur)}"),),
        caption="One input at a time, the others held; bars start at the planned cost. Categories are "
                "listed top to bottom, widest swing first.",
        empty_message=empty,
        notes=tuple(f"{b.label}: {money(b.cost_at_low, cur)} to {money(b.cost_at_high, cur)}" for b in sens.bars[:3]),
    )
