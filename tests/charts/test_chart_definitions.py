"""Chart definitions turn engine results into specs; the plotly renderer draws exactly the spec."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest

from app.catalog.loader import evaluate_loaded, library_names, load_price_book, load_scenario
from app.charts import definitions
from app.charts.format import count_short, money, money_short, percent
from app.charts.plotly_render import to_plotly_dict
from app.charts.spec import Chart
from app.engine.explore import break_even, cache_sweep
from app.engine.sensitivity import sensitivity
from app.engine.sizing_sweeps import instance_sweep, online_options, ptu_options, ptu_sweep


@pytest.fixture(scope="module")
def prices():
    return load_price_book()


@pytest.fixture(scope="module")
def rag(prices):
    return load_scenario("rag-knowledge-base", prices)


def test_money_formats():
    assert money(7437.5) == "$7,437.50"
    assert money(0.0074375) == "$0.0074"
    assert money(-3.0, "EUR") == "-€3.00"
    assert money(12.0, "SEK") == "12.00 SEK"
    assert money(None) == "–"
    assert money_short(1_234_567.0) == "$1.2M"
    assert money_short(940.0) == "$940"
    assert count_short(1_560_000) == "1.56M"
    assert count_short(10_000) == "10k"
    assert percent(0.255, 1) == "25.5%"


@pytest.mark.parametrize("name", library_names())
def test_cost_by_option_stacks_sum_to_each_monthly_cost(prices, name):
    evaluation = evaluate_loaded(load_scenario(name, prices), prices)
    chart = definitions.cost_by_option(evaluation)
    assert chart.x.title == "Option" and chart.y.title == "Monthly cost (USD)" and chart.y.format == "money"
    assert all(s.kind == "stacked-bar" for s in chart.series)
    for index, result in enumerate(evaluation.options):
        stacked = sum(s.y[index] or 0.0 for s in chart.series)
        assert stacked == pytest.approx(result.monthly_cost)
        assert all(s.x[index] == result.name for s in chart.series)
    assert "as_of 2026-11-01" in chart.caption
    starred = [m for m in chart.markers if m.symbol == "star"]
    if evaluation.recommended:
        assert starred[0].x == evaluation.recommended
    else:
        assert not starred


def test_break_even_chart_marks_crossovers_and_the_current_volume(prices):
    steady = load_scenario("steady-ptu-sizing", prices)  # Global Standard, then PTU + spillover, then PTU yearly
    sweep = break_even(steady.scenario, prices)
    chart = definitions.break_even(sweep)
    assert chart.x.log and chart.y.log
    assert [s.name for s in chart.series] == [o.name for o in steady.scenario.options]
    assert len(chart.markers) == len(sweep.crossovers) >= 1
    assert chart.lines[0].orientation == "v" and chart.lines[0].value == 12_000_000
    figure = to_plotly(chart)
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    # Plotly places annotations on a log axis by log10 of the value; shapes by the value itself.
    assert figure.layout.shapes[0].x0 == pytest.approx(1.2e7)
    assert list(figure.layout.xaxis.ticktext) == ["10k", "100k", "1M", "10M", "100M", "1B"]
    first = sweep.crossovers[0]
    annotation = next(a for a in figure.layout.annotations if a.text == chart.markers[0].label)
    assert annotation.x == pytest.approx(math.log10(first.x))


def test_cache_and_tornado_charts_render(prices, rag):
    cache = definitions.cache_sweep(cache_sweep(rag.scenario, prices))
    assert cache.x.format == "percent"
    figure = to_plotly(cache)
    assert len([t for t in figure.data if t.mode == "lines+markers"]) == len(rag.scenario.options)

    sens = sensitivity(rag.scenario, prices, "Global Standard")
    tornado = definitions.tornado(sens)
    assert tornado.orientation == "h"
    figure = to_plotly(tornado)
    assert figure.layout.barmode == "overlay"
    low = figure.data[0]
    assert low.orientation == "h" and list(low.y) == [b.label for b in sens.bars]
    assert low.base[0] == pytest.approx(sens.base_cost)
    assert low.x[0] + low.base[0] == pytest.approx(sens.bars[0].cost_at_low)


def test_ptu_chart_has_the_optimum_and_spillover_on_a_second_axis(prices, rag):
    option = ptu_options(rag.scenario, prices)[-1]
    sweep = ptu_sweep(rag.scenario, prices, option)
    chart = definitions.ptu_vs_cost(sweep)
    assert chart.markers[0].x == sweep.optimum.ptu
    assert chart.y2 is not None and chart.y2.format == "percent"
    figure = to_plotly(chart)
    assert figure.layout.barmode == "stack"
    assert figure.data[2].yaxis == "y2"
    assert figure.layout.yaxis2.overlaying == "y"


def test_instances_chart_has_the_slo_line(prices):
    onnx = load_scenario("onnx-cpu-vs-gpu", prices)
    sweep = instance_sweep(onnx.scenario, prices, online_options(onnx.scenario)[0])
    chart = definitions.instances_vs_latency(sweep)
    assert chart.lines[0].value == 150 and "SLO" in chart.lines[0].label
    assert chart.y.log and chart.y.format == "ms"
    figure = to_plotly(chart)
    assert figure.layout.shapes[0].y0 == pytest.approx(150)
    assert isinstance(figure, go.Figure)


def test_empty_chart_shows_its_message():
    chart = Chart(chart_id="x", title="t", x=definitions.Axis("a"), y=definitions.Axis("b"), series=(),
                  empty_message="Nothing here")
    figure = to_plotly(chart)
    assert figure.layout.annotations[0].text == "Nothing here"


def to_plotly(chart: Chart) -> go.Figure:
    """The dashboard's figure for `chart`, validated strictly by plotly (raises on any invalid property)."""
    return go.Figure(to_plotly_dict(chart))


def test_every_chart_is_a_valid_plotly_figure(prices):
    """The dashboard sends plain figure dicts unvalidated; here every definition is validated strictly."""
    for name in library_names():
        loaded = load_scenario(name, prices)
        scenario = loaded.scenario
        evaluation = evaluate_loaded(loaded, prices)
        charts = [definitions.cost_by_option(evaluation), definitions.break_even(break_even(scenario, prices)),
                  definitions.cache_sweep(cache_sweep(scenario, prices)),
                  definitions.tornado(sensitivity(scenario, prices, evaluation.options[0].name))]
        charts += [definitions.ptu_vs_cost(ptu_sweep(scenario, prices, o)) for o in ptu_options(scenario, prices)[:1]]
        charts += [definitions.instances_vs_latency(instance_sweep(scenario, prices, o))
                   for o in online_options(scenario)[:1]]
        for chart in charts:
            go.Figure(to_plotly_dict(chart))  # raises ValueError on any invalid property
