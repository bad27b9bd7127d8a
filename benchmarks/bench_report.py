"""Speed of the scenario PDF: a 5-option report must build in at most 3 s (median), charts included.

Run with `make bench`. The 5-option scenario is the library's consumer chatbot (Standard, Data Zone,
three PTU variants): every section, all charts (cost, break-even sweep, sensitivity, PTU sizing).
"""

from __future__ import annotations

import pytest

from app.catalog.loader import load_price_book, load_scenario
from app.report import build_pdf

FIVE_OPTIONS = "consumer-chatbot-result-cache"


@pytest.fixture(scope="module")
def five_option_scenario():
    prices = load_price_book()
    loaded = load_scenario(FIVE_OPTIONS, prices)
    assert len(loaded.scenario.options) == 5
    return loaded, prices


def test_report_five_options_a4(benchmark, five_option_scenario):
    loaded, prices = five_option_scenario
    pdf = benchmark.pedantic(build_pdf, args=(loaded, prices, "a4"), rounds=5, iterations=1, warmup_rounds=1)
    assert pdf.startswith(b"%PDF-")


def test_report_online_endpoints_letter(benchmark):
    """The slowest library scenario (queueing-model sweeps for online endpoints), for comparison."""
    prices = load_price_book()
    loaded = load_scenario("onnx-cpu-vs-gpu", prices)
    pdf = benchmark.pedantic(build_pdf, args=(loaded, prices, "letter"), rounds=3, iterations=1, warmup_rounds=1)
    assert pdf.startswith(b"%PDF-")
