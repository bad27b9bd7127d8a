"""Engine speed (issue 2): a 5-option scenario over the hourly month <= 20 ms median, the whole
library <= 200 ms, and time linear in the number of options (1, 10, 100).

Run with `make bench`; compare rows of one run only (the machine is shared and noisy).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.catalog.loader import library_names, load_price_book, load_scenario
from app.engine.comparison import evaluate
from app.engine.scenario import Scenario
from tests.engine.test_comparison import SPEC_OPTIONS, SPEC_WORKLOAD

ROOT = Path(__file__).resolve().parent.parent
PRICES = load_price_book(ROOT / "pricing")
LIBRARY = [load_scenario(name, PRICES, ROOT / "scenarios").scenario for name in library_names(ROOT / "scenarios")]


def scenario_with(n_options: int) -> Scenario:
    options = tuple(replace(SPEC_OPTIONS[i % len(SPEC_OPTIONS)], name=f"option {i}") for i in range(n_options))
    return Scenario("bench", SPEC_WORKLOAD, options)


@pytest.mark.benchmark(group="engine: one scenario")
def test_five_option_scenario(benchmark):
    scenario = scenario_with(5)
    result = benchmark(evaluate, scenario, PRICES)
    assert len(result.options) == 5


@pytest.mark.benchmark(group="engine: whole library")
def test_whole_library_evaluate(benchmark):
    results = benchmark(lambda: [evaluate(s, PRICES) for s in LIBRARY])
    assert len(results) == len(LIBRARY)


@pytest.mark.benchmark(group="engine: whole library")
def test_whole_library_load_and_evaluate(benchmark):
    def run():
        prices = load_price_book(ROOT / "pricing")
        return [evaluate(load_scenario(n, prices, ROOT / "scenarios").scenario, prices)
                for n in library_names(ROOT / "scenarios")]
    assert len(benchmark(run)) == len(LIBRARY)


@pytest.mark.benchmark(group="engine: scaling, n copies of the heaviest kind (aml-online)")
@pytest.mark.parametrize("n_options", [1, 10, 100])
def test_scaling_with_options(benchmark, n_options):
    online = SPEC_OPTIONS[3]  # autoscale 1-10: the queueing model runs once per distinct instance count
    options = tuple(replace(online, name=f"online {i}") for i in range(n_options))
    result = benchmark(evaluate, Scenario("bench", SPEC_WORKLOAD, options), PRICES)
    assert len(result.options) == n_options


@pytest.mark.benchmark(group="engine: scaling, all five kinds in turn")
@pytest.mark.parametrize("n_options", [5, 50, 500])
def test_scaling_with_mixed_options(benchmark, n_options):
    result = benchmark(evaluate, scenario_with(n_options), PRICES)
    assert len(result.options) == n_options
