"""Charts: the dashboard's chart definitions (app.charts.definitions), drawn with matplotlib as vector
graphics. The PDF calls the same definitions as the Studio and Explore pages, so they cannot drift."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.charts import definitions
from app.charts.matplotlib_render import to_matplotlib
from app.charts.spec import Chart
from app.engine.errors import CapplanError
from app.engine.explore import break_even
from app.engine.sensitivity import sensitivity
from app.engine.sizing_sweeps import instance_sweep, online_options, ptu_options, ptu_sweep
from app.report.context import ReportContext, esc
from app.report.mpl_canvas import FigureFlowable
from app.report.styles import styles

CHART_HEIGHT = 235.0


def chart_specs(ctx: ReportContext) -> list[tuple[str, Callable[[], Chart]]]:
    """(what, how to build it) for every chart the report shows, in reading order."""
    scenario, prices, evaluation = ctx.scenario, ctx.prices, ctx.evaluation
    focus = ctx.evaluation.recommended or min(evaluation.options, key=lambda r: r.monthly_cost).name
    specs: list[tuple[str, Callable[[], Chart]]] = [
        ("cost by option", lambda: definitions.cost_by_option(evaluation)),
        ("break-even", lambda: definitions.break_even(break_even(scenario, prices), scenario.name)),
        ("sensitivity", lambda: definitions.tornado(sensitivity(scenario, prices, focus))),
    ]
    ptu = ptu_options(scenario, prices)
    if ptu:
        specs.append(("PTU sizing", lambda: definitions.ptu_vs_cost(ptu_sweep(scenario, prices, ptu[0]))))
    online = online_options(scenario)
    if online:
        specs.append(("instances", lambda: definitions.instances_vs_latency(instance_sweep(scenario, prices, online[0]))))
    return specs


def chart_block(chart: Chart, width: float) -> list[Flowable]:
    s = styles()
    rendered = to_matplotlib(chart, width=width, height=CHART_HEIGHT)
    block: list[Flowable] = [Paragraph(esc(chart.title), s.h2), FigureFlowable(rendered.figure)]
    block += [Paragraph(esc(line), s.small) for line in rendered.key]
    if chart.caption:
        block.append(Paragraph(esc(chart.caption), s.muted))
    block += [Paragraph(esc(note), s.bullet, bulletText="•") for note in chart.notes if chart.chart_id != "cost_by_option"]
    return [KeepTogether(block), Spacer(1, 6)]


def charts(ctx: ReportContext, width: float) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [Paragraph("Charts", s.h1)]
    for what, build in chart_specs(ctx):
        try:
            chart = build()
        except CapplanError as exc:
            story.append(Paragraph(f"The {esc(what)} chart could not be drawn: {esc(exc)}", s.muted))
            continue
        story += chart_block(chart, width)
    return story
