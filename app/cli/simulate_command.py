"""`capplan simulate`: autoscale and PTU spillover minute by minute for a scenario's simulation block."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from app.catalog.loader import load_price_book
from app.catalog.simulation_loader import SimulationPlan, load_simulation, run_plan, with_settings
from app.catalog.simulation_schema import ReplayEntry
from app.charts.simulation import clock
from app.cli.scenario_commands import PRICES_OPTION
from app.cli.terminal import json_text, safe_lines
from app.engine.simulation.replay import ReplaySeries, replay_fit
from app.engine.simulation.run import Comparison


def _replay_provider(entry: ReplayEntry) -> ReplaySeries:
    """Load the telemetry layer only when a scenario replays a recording (it imports the Azure SDK)."""
    from app.telemetry.simulation_replay import replay_provider

    return replay_provider(entry)


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 6)
    return value


def _document(plan: SimulationPlan, comparison: Comparison, with_series: bool) -> dict[str, Any]:
    s = comparison.settings
    out: dict[str, Any] = {
        "scenario": plan.loaded.scenario.name,
        "option": plan.option_name,
        "kind": plan.option_kind,
        "currency": plan.currency,
        "prices": plan.prices_used,
        "traffic": comparison.arrivals_source,
        "settings": {"days": s.days, "step_seconds": s.step_s, "seed": s.seed, "noise": s.noise,
                     "latency_slo_ms": s.latency_slo_ms, "failure_budget": s.failure_budget},
        "variants": [],
    }
    for result in comparison.results:
        entry: dict[str, Any] = {
            "name": result.name,
            "totals": {k: _clean(v) for k, v in result.totals.to_dict().items()},
            "events": [{"time_s": e.time_s, "at": clock(e.time_s / 60.0), "event": e.action, "from": e.from_count,
                        "to": e.to_count}
                       for e in result.events],
        }
        if with_series:
            entry["series_per_minute"] = {k: [_clean(float(x)) for x in v] for k, v in result.series.items()}
        out["variants"].append(entry)
    if plan.replay is not None:
        fit = replay_fit(comparison.results[0], plan.replay)
        out["replay"] = {"source": plan.replay.source, "start": plan.replay.start,
                         "fit": {k: _clean(v) for k, v in fit.__dict__.items()}}
    return out


def _table(doc: dict[str, Any]) -> str:
    cur = doc["currency"]
    lines = [f"{doc['scenario']}: {doc['option']} ({doc['kind']})",
             f"traffic: {doc['traffic']}; {doc['settings']['days']:g} days at {doc['settings']['step_seconds']} s steps",
             f"prices: {doc['prices']}", ""]
    header = ["variant", "SLO-violating min", f"cost {cur}", "inst-h", "goodput", "503", "429", "spilled",
              "peak inst/PTU", "worst p95 ms", "scale events"]
    rows = [header]
    for v in doc["variants"]:
        t = v["totals"]
        rows.append([v["name"], f"{t['slo_violating_minutes']:,}", f"{t['cost']:,.2f}", f"{t['instance_hours']:,.1f}",
                     f"{t['goodput_share']:.2%}", f"{t['dropped_503']:,.0f}", f"{t['throttled_429']:,.0f}",
                     f"{t['spilled']:,.0f}", str(t["peak_instances"]),
                     "-" if t["worst_p95_ms"] is None else f"{t['worst_p95_ms']:,.0f}",
                     str(sum(1 for e in v["events"] if e["from"] != e["to"]))])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    if "replay" in doc:
        fit = doc["replay"]["fit"]
        lines += ["", f"replay check against {doc['replay']['source']}:"]
        if fit["capacity_exact_share"] is not None:
            lines.append(f"  instances: simulated = recorded in {fit['capacity_exact_share']:.1%} of "
                         f"{fit['capacity_minutes']:,} minutes; mean |difference| {fit['capacity_mean_abs_error']:.3f}, "
                         f"max {fit['capacity_max_abs_error']:.0f}")
        if fit["latency_median_abs_pct_error"] is not None:
            corr = fit["latency_correlation"]
            lines.append(f"  latency: median |error| {fit['latency_median_abs_pct_error']:.1%} over "
                         f"{fit['latency_minutes']:,} minutes"
                         + ("" if corr is None else f", correlation {corr:.2f}"))
    return "\n".join(lines)


@click.command()
@click.argument("scenario")
@PRICES_OPTION
@click.option("--days", type=click.FloatRange(min=0.0007, max=31), default=None,
              help="Days to simulate from Monday 00:00 (default: the scenario's simulation.days, or 7).")
@click.option("--step", "step_s", type=click.Choice(["1", "2", "3", "4", "5", "6", "10", "12", "15", "20", "30", "60"]),
              default=None, help="Seconds per step (default: simulation.step_seconds, or 10).")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Seed of the Poisson noise.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: settings, totals and scale events.")
@click.option("--series", is_flag=True, help="With --json, add every per-minute series.")
def simulate(scenario: str, prices_dir: Path | None, days: float | None, step_s: str | None, seed: int | None,
             as_json: bool, series: bool) -> None:
    """Simulate SCENARIO minute by minute: autoscale, queue, 503s, PTU 429s and spillover, cost.

    SCENARIO is a path or the name of a file in scenarios/. Its optional `simulation` block chooses
    the option, the scaler (Azure Monitor rules or azureml-fe target utilization), bursts and up to
    four variants; without it the first option the simulation can run (docs/scenarios.md lists the
    kinds) is simulated for 7 days.
    A `replay` block replays recorded telemetry and prints how closely the simulation reproduces it.
    """
    prices = load_price_book(prices_dir)
    plan = load_simulation(scenario, prices, _replay_provider)
    changes: dict[str, Any] = {}
    if days is not None:
        if plan.replay is not None:
            raise click.UsageError("--days does not apply to a replay: it covers the recording's window")
        changes["days"] = days
    if step_s is not None:
        changes["step_s"] = int(step_s)
    if seed is not None:
        changes["seed"] = seed
    if changes:
        plan = with_settings(plan, **changes)
    doc = _document(plan, run_plan(plan), series)
    click.echo(json_text(doc, indent=2, ensure_ascii=False) if as_json else safe_lines(_table(doc)))


commands = [simulate]
