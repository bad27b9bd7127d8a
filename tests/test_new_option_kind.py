"""A throwaway option kind, added the way docs/architecture.md says (one engine module, one schema),
must reach every layer: loading and price checks, evaluation, the CLI, the Studio, the PDF, the
charts, the simulation, the sizing sweeps, the Benchmark lab's hand-over and the generated docs.

The test registers a kind ("test-gpu-pool") and its schema, runs every place, and fails with the
list of places that do not handle it, so a layer that names kinds again is found at once.
"""

from __future__ import annotations

import io
import json
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pypdf
import pytest
from click.testing import CliRunner
from pydantic import Field

from app.catalog.option_schemas import OptionEntry, option_schema, unregister_option_schema
from app.engine.constraints import cost_per_1k_requests, online_meets_slo
from app.engine.option_fields import CapacityField, CostComponent, EditorField, concurrency_field, sku_field
from app.engine.price_checks import PriceIssue, compute_sku_issues
from app.engine.price_lines import PriceLine, compute_lines
from app.engine.prices import PriceBook
from app.engine.registry import EvaluationContext, InstanceSizing, OptionKind, register, unregister
from app.engine.results import OptionResult
from app.engine.simulation.settings import FixedInstances, System
from app.engine.simulation.support import SimulationInputs, SimulationSupport
from app.engine.simulation.systems import online_system, service_times
from app.engine.workload import Workload

KIND = "test-gpu-pool"
SKU = "Standard_NC24ads_A100_v4"
CAPACITY_LABEL = "GPUs reserved in the pool"
COST_LABEL = "Reserved GPU pool"
EDITOR_LABEL = "Pool size (GPUs)"


@dataclass(frozen=True)
class GpuPoolSpec:
    name: str
    sku: str
    gpus: int = 2
    concurrency: int = 1
    kind: str = KIND


def evaluate(spec: GpuPoolSpec, ctx: EvaluationContext) -> OptionResult:
    hourly = ctx.prices.instance_hourly(spec.sku)
    cost = spec.gpus * hourly * ctx.hours
    service_s = (ctx.workload.service_time_ms or 0.0) / 1000.0
    utilization = float(np.max(ctx.demand.requests_per_second)) * service_s / (spec.gpus * spec.concurrency)
    return OptionResult(
        name=spec.name, kind=spec.kind, monthly_cost=cost, cost_breakdown={"gpu_pool": cost},
        cost_per_1k_requests=cost_per_1k_requests(cost, ctx.workload.requests_per_month),
        capacity={"pool_gpus": spec.gpus, "utilization_peak": utilization}, latency_ms=None,
        meets_slo=online_meets_slo(ctx.workload, None) if utilization >= 1 else None, meets_deadline=None,
        warnings=(), price_sheets=("azure-ml-compute",))


def price_issues(spec: GpuPoolSpec, prices: PriceBook, workload: Workload) -> Iterator[PriceIssue]:
    return compute_sku_issues(prices, spec.sku)


def price_lines(spec: GpuPoolSpec, prices: PriceBook) -> list[PriceLine]:
    return compute_lines(prices, spec.sku)


def simulated_system(spec: GpuPoolSpec, inputs: SimulationInputs) -> System:
    service = service_times(inputs.workload, inputs.service_distribution, inputs.service_samples_ms)
    return online_system(inputs.scaler or FixedInstances(spec.gpus), spec.concurrency, spec.sku, inputs.prices,
                         service, inputs.max_queue_wait_ms, inputs.provisioning_delay_s)


def instance_sizing(spec: GpuPoolSpec) -> InstanceSizing:
    return InstanceSizing(sku=spec.sku, concurrency=spec.concurrency, configured_max=spec.gpus,
                          with_instances=lambda count: replace(spec, gpus=count))


GPU_POOL = OptionKind(
    kind=KIND, title="Test GPU pool (reserved GPUs)", evaluate=evaluate, price_issues=price_issues,
    price_lines=price_lines,
    capacity_fields=(CapacityField("pool_gpus", CAPACITY_LABEL, "GPUs", "count"),
                     CapacityField("utilization_peak", "peak utilization", "", "share")),
    cost_components=(CostComponent("gpu_pool", COST_LABEL),),
    template={"sku": SKU, "gpus": 2, "concurrency": 1},
    editor_fields=(sku_field("GPU VM size."),
                   EditorField("gpus", EDITOR_LABEL, "integer", minimum=1, maximum=64, step=1, default=2),
                   concurrency_field("Concurrent requests per GPU")),
    uses_service_time=True, uses_compute_sku=True,
    simulation=SimulationSupport(system="online", build=simulated_system),
    instance_sizing=instance_sizing,
)


class GpuPoolEntry(OptionEntry):
    kind: Literal["test-gpu-pool"]
    sku: str
    gpus: int = Field(default=2, ge=1, le=64)
    concurrency: int = Field(default=1, ge=1, le=1024)

    def to_spec(self) -> GpuPoolSpec:
        return GpuPoolSpec(name=self.name, sku=self.sku, gpus=self.gpus, concurrency=self.concurrency)


SCENARIO = f"""\
name: Pool versus endpoint
workload:
  requests_per_month: 2000000
  traffic: {{shape: business_hours, peak_to_average: 2.5}}
  tokens: {{prompt: 800, completion: 200}}
  service_time_ms: 40
  latency_slo_ms: 1500
options:
  - {{name: Global Standard, kind: aoai-standard, model: gpt-4o, deployment: global}}
  - {{name: GPU pool, kind: {KIND}, sku: {SKU}, gpus: 3, concurrency: 4}}
simulation:
  option: GPU pool
  days: 1
  step_seconds: 60
"""


@pytest.fixture
def gpu_pool_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The kind and its schema registered, and a scenario library folder holding a scenario using it."""
    from app.settings import get_settings

    register(GPU_POOL)
    option_schema(GpuPoolEntry)
    library = tmp_path / "scenarios"
    library.mkdir()
    (library / "gpu-pool.yaml").write_text(SCENARIO, encoding="utf-8")
    monkeypatch.setenv("CAPPLAN_SCENARIOS_DIR", str(library))
    get_settings.cache_clear()
    try:
        yield library
    finally:
        unregister(KIND)
        unregister_option_schema(KIND)
        monkeypatch.undo()
        get_settings.cache_clear()


def _places(library: Path) -> dict[str, Callable[[], None]]:
    from app.catalog.loader import evaluate_loaded, load_price_book, load_scenario, parse_scenario_text
    from app.catalog.scenario_yaml import scenario_data, scenario_to_yaml
    from app.catalog.simulation_loader import load_simulation, run_plan, simulable_kinds
    from app.charts.definitions import cost_by_option
    from app.cli.main import cli
    from app.engine.sizing_sweeps import instance_sweep, online_options
    from app.errors import InputError
    from app.report import build_pdf
    from app.ui.handovers import apply_benchmark

    prices = load_price_book()

    def loading_and_price_checks() -> None:
        loaded = load_scenario("gpu-pool", prices)
        assert loaded.scenario.options[1] == GpuPoolSpec("GPU pool", SKU, 3, 4)
        with pytest.raises(InputError) as caught:
            parse_scenario_text(SCENARIO.replace(f"sku: {SKU}", "sku: Standard_Nope"), "s.yaml", prices)
        assert [i.field for i in caught.value.issues] == ["options[1].sku"], caught.value.issues
        with pytest.raises(InputError) as caught:
            parse_scenario_text(SCENARIO.replace("  service_time_ms: 40\n", ""), "s.yaml", prices)
        assert [i.field for i in caught.value.issues] == ["workload.service_time_ms"], caught.value.issues

    def evaluation() -> None:
        result = evaluate_loaded(load_scenario("gpu-pool", prices), prices).option("GPU pool")
        assert result.capacity["pool_gpus"] == 3 and result.cost_breakdown["gpu_pool"] > 0

    def yaml_round_trip() -> None:
        loaded = load_scenario("gpu-pool", prices)
        again = parse_scenario_text(scenario_to_yaml(loaded.file), "download", prices)
        assert scenario_data(again.file) == scenario_data(loaded.file)

    def cli_evaluate_table_and_json() -> None:
        table = CliRunner().invoke(cli, ["evaluate", "gpu-pool"])
        assert table.exit_code == 0, table.output
        assert f"{CAPACITY_LABEL} 3 GPUs" in table.output, table.output
        data = json.loads(CliRunner().invoke(cli, ["evaluate", "gpu-pool", "--json"]).output)
        assert data["options"][1]["kind"] == KIND
        checked = CliRunner().invoke(cli, ["validate", str(library / "gpu-pool.yaml")])
        assert checked.exit_code == 0, checked.output

    def pdf_report() -> None:
        pdf = build_pdf(load_scenario("gpu-pool", prices), prices)
        text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
        for expected in (GPU_POOL.title, CAPACITY_LABEL[0].upper() + CAPACITY_LABEL[1:], COST_LABEL,
                         f"skus.{SKU}.hourly".replace(".", ". ")):
            assert expected in text.replace(".\u200b", ". ").replace(". ", ". "), expected

    def charts() -> None:
        chart = cost_by_option(evaluate_loaded(load_scenario("gpu-pool", prices), prices))
        assert COST_LABEL in [s.name for s in chart.series]

    def simulation() -> None:
        assert KIND in simulable_kinds()
        plan = load_simulation("gpu-pool", prices)
        totals = run_plan(plan).results[0].totals
        assert plan.option_kind == KIND and totals.requests > 0

    def sizing_sweeps() -> None:
        scenario = load_scenario("gpu-pool", prices).scenario
        assert online_options(scenario) == ["GPU pool"]
        assert instance_sweep(scenario, prices, "GPU pool").sku == SKU

    def benchmark_hand_over() -> None:
        data = scenario_data(load_scenario("gpu-pool", prices).file)
        bench = {"service_time_ms": 9.0, "service_time_cv": 0.5, "run_id": "r1", "sku": SKU, "concurrency": 6,
                 "local_service_time_ms": 9.0}
        assert apply_benchmark(data, bench)["options"][1]["concurrency"] == 6

    def studio() -> None:
        from tests.ui.conftest import open_app, option_rows

        at = open_app(scenario="gpu-pool")
        assert not at.exception and not at.error, [e.value for e in at.error]
        row = option_rows(at)[1]
        assert f"{CAPACITY_LABEL} 3 GPUs" in row["Capacity"], row
        at.session_state["studio_section"] = "Options"
        at.run()
        at.selectbox(key="g0_edit").set_value(1).run()
        size = next(n for n in at.number_input if n.label == EDITOR_LABEL)
        size.set_value(5).run()
        assert f"{CAPACITY_LABEL} 5 GPUs" in option_rows(at)[1]["Capacity"]
        at.selectbox(key="studio_new_kind").set_value(KIND).run()
        next(b for b in at.button if b.label == "Add option").click().run()
        assert not at.exception and option_rows(at)[-1]["Kind"] == KIND

    return {place.__name__: place for place in (
        loading_and_price_checks, evaluation, yaml_round_trip, cli_evaluate_table_and_json, pdf_report, charts,
        simulation, sizing_sweeps, benchmark_hand_over, studio)}


def test_a_new_kind_reaches_every_layer(gpu_pool_kind: Path) -> None:
    missing = []
    for name, place in _places(gpu_pool_kind).items():
        try:
            place()
        except Exception:  # collect them all: the message lists every place that does not handle the kind
            missing.append(f"{name}:\n{traceback.format_exc(limit=-3)}")
    assert not missing, f"{len(missing)} place(s) do not handle a new option kind:\n\n" + "\n".join(missing)


def test_the_throwaway_kind_is_gone_afterwards() -> None:
    from app.catalog.option_schemas import option_schemas
    from app.engine.registry import option_kinds

    assert KIND not in option_kinds() and KIND not in option_schemas()
