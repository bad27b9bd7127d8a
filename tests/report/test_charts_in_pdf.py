"""The PDF's charts are the dashboard's chart definitions, drawn as vector paths and real text."""

from __future__ import annotations

import io

import pypdf
import pytest

from app.catalog.loader import evaluate_loaded, load_scenario
from app.charts import definitions
from app.charts.matplotlib_render import to_matplotlib
from app.charts.spec import Axis, Chart, Marker, ReferenceLine, Series
from app.engine.explore import break_even
from app.report.charts_section import chart_specs
from app.report.context import ReportContext
from tests.report.conftest import FIXED_TIME, pdf_text


def _context(name, prices) -> ReportContext:
    loaded = load_scenario(name, prices)
    return ReportContext(scenario=loaded.scenario, source=loaded.source, prices=prices,
                         evaluation=evaluate_loaded(loaded, prices), generated_at=FIXED_TIME)


def test_chart_titles_and_labels_of_the_shared_definitions_are_in_the_pdf(prices, library_pdf):
    ctx = _context("rag-knowledge-base", prices)
    text = pdf_text(library_pdf("rag-knowledge-base"))
    cost = definitions.cost_by_option(ctx.evaluation)
    sweep = definitions.break_even(break_even(ctx.scenario, prices), ctx.scenario.name)
    for chart in (cost, sweep):
        assert chart.title in text
        for series in chart.series:
            assert series.name in text  # legend entries are real PDF text, not pixels
    assert "this scenario: 1M" in text  # the break-even reference line's label
    assert "recommended: $8.2k" in text  # the cost chart's marker on the recommended option


@pytest.mark.parametrize("name", ["onnx-cpu-vs-gpu", "consumer-chatbot-result-cache", "embeddings-ingestion"])
def test_every_chart_of_the_report_renders(name, prices):
    ctx = _context(name, prices)
    built = [build() for _what, build in chart_specs(ctx)]
    assert {c.chart_id for c in built} >= {"cost_by_option", "break_even", "tornado"}
    for chart in built:
        figure = to_matplotlib(chart, width=480, height=235).figure
        assert figure.get_size_inches() == pytest.approx((480 / 72, 235 / 72))


def test_charts_are_vector_not_images(library_pdf):
    reader = pypdf.PdfReader(io.BytesIO(library_pdf("onnx-cpu-vs-gpu")))
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        images = [k for k, v in xobjects.items() if v.get_object().get("/Subtype") == "/Image"]
        assert not images


def test_renderer_handles_every_spec_feature():
    chart = Chart(
        chart_id="all_features", title="All features", x=Axis("Option"), y=Axis("Cost (USD)", "money", start_at_zero=True),
        y2=Axis("Share", "percent"),
        series=(Series("A", "stacked-bar", ("one", "two"), (1.0, 2.0), color="#0072B2"),
                Series("B", "stacked-bar", ("one", "two"), (3.0, None), color="#E69F00"),
                Series("share", "line", ("one", "two"), (0.1, 0.5), axis="y2", dash=True)),
        lines=(ReferenceLine(2.5, "budget"), ReferenceLine(0.3, "target", axis="y2")),
        markers=(Marker("one", 4.0, "a marker label that is far too long to sit on the chart itself", symbol="star"),),
    )
    rendered = to_matplotlib(chart, width=400, height=200)
    assert rendered.key == ("1: a marker label that is far too long to sit on the chart itself",)
    empty = to_matplotlib(Chart("e", "Empty", Axis("x"), Axis("y"), (), empty_message="Nothing here"), width=300,
                          height=150)
    assert empty.key == ()
