"""Load a scenario's `simulation` block into engine settings, with file/line/field messages.

`load_simulation(ref, prices)` validates the scenario like `load_scenario` does, then resolves the
block: which option to simulate, its system (prices from the price book), the run settings and the
variants. `run_plan` runs the variants over one shared traffic series.

Replay of recorded telemetry goes through a `ReplayProvider`: a function the telemetry layer
supplies that turns `replay: {recording, deployment}` into an engine `ReplaySeries`. The catalog
reads no recordings itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.catalog.loader import (
    LoadedScenario,
    display_path,
    evaluate_loaded,
    resolve_scenario_path,
    scenario_from_document,
)
from app.catalog.simulation_schema import ReplayEntry, SimulationEntry
from app.catalog.yaml_source import YamlDocument, parse_yaml, read_yaml_file
from app.engine.errors import ModelInputError
from app.engine.prices import PriceBook
from app.engine.registry import option_kind, option_kinds, spec_kind
from app.engine.results import OptionResult
from app.engine.simulation.replay import ReplaySeries
from app.engine.simulation.run import Comparison, simulate_variants, synthetic_traffic
from app.engine.simulation.settings import Burst, PtuSystem, RunSettings, System, Variant
from app.engine.simulation.support import SimulationInputs
from app.engine.simulation.variants import Overrides, apply_overrides
from app.engine.workload import monthly_demand
from app.errors import InputError, InputIssue

ReplayProvider = Callable[[ReplayEntry], ReplaySeries]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SimulationPlan:
    loaded: LoadedScenario
    entry: SimulationEntry
    option_name: str
    option_kind: str
    base: System
    settings: RunSettings
    variants: tuple[Variant, ...]
    requests_per_hour: FloatArray
    replay: ReplaySeries | None
    prices_used: str  # provenance: "pricing/azure-ml.yaml (as_of 2026-11-01)"
    currency: str


def simulable_kinds() -> tuple[str, ...]:
    """Kinds the time-series simulation can run (their `simulation` hook), in registry order."""
    return tuple(name for name, kind in option_kinds().items() if kind.simulation is not None)


def simulable_options(loaded: LoadedScenario) -> list[str]:
    return [o.name for o in loaded.scenario.options if option_kind(o.kind).simulation is not None]


def _entry(loaded: LoadedScenario) -> SimulationEntry:
    block = loaded.file.simulation
    return block if isinstance(block, SimulationEntry) else SimulationEntry()


def _option(doc: YamlDocument | None, loaded: LoadedScenario, entry: SimulationEntry) -> Any:
    names = simulable_options(loaded)
    where = ("simulation", "option")
    if entry.option is None:
        if not names:
            raise _issue(doc, loaded, (), "nothing to simulate: the scenario has no "
                         f"{' or '.join(simulable_kinds())} option")
        name = names[0]
    else:
        name = entry.option
    for spec in loaded.scenario.options:
        if spec.name == name:
            if spec_kind(spec).simulation is None:
                raise _issue(doc, loaded, where, f"option {name!r} is {spec.kind}; the simulation covers "
                             f"{' and '.join(simulable_kinds())} options ({', '.join(names) or 'none here'})")
            return spec
    raise _issue(doc, loaded, where, f"no option named {name!r}; simulable options: {', '.join(names) or 'none'}")


def _issue(doc: YamlDocument | None, loaded: LoadedScenario, path: tuple[str | int, ...], message: str) -> InputError:
    if doc is not None:
        return InputError(doc.issue(path, message))
    return InputError(InputIssue(loaded.source, None, ".".join(map(str, path)), message))


def _base_system(doc: YamlDocument | None, loaded: LoadedScenario, entry: SimulationEntry, spec: Any,
                 prices: PriceBook, evaluated: OptionResult) -> System:
    """The option's kind builds its simulated system (its `simulation` hook) from the block's settings."""
    support = spec_kind(spec).simulation
    if support is None:  # _option admits simulable options only
        raise _issue(doc, loaded, ("simulation", "option"), f"option {spec.name!r} cannot be simulated")
    if entry.scaler is not None and support.system != "online":
        raise _issue(doc, loaded, ("simulation", "scaler"), "a PTU deployment does not autoscale; remove scaler "
                     "(compare PTU counts with variants: [{name: ..., ptu: 50}])")
    inputs = SimulationInputs(
        workload=loaded.scenario.workload, prices=prices, hours_per_month=loaded.scenario.hours_per_month,
        evaluated=evaluated,
        scaler=entry.scaler.to_engine() if entry.scaler is not None else None,
        service_distribution=entry.service.distribution, service_samples_ms=tuple(entry.service.samples_ms or ()),
        max_queue_wait_ms=entry.max_queue_wait_ms, provisioning_delay_s=entry.provisioning_delay_s)
    return support.build(spec, inputs)


_ONLINE_ONLY = ("min", "max", "default", "cooldown_minutes", "time_window_minutes", "target_utilization_percentage",
                "provisioning_delay_s", "max_queue_wait_ms", "concurrency", "instances", "scaler")
_PTU_ONLY = ("ptu", "spillover")


def _variants(doc: YamlDocument | None, loaded: LoadedScenario, entry: SimulationEntry, base: System,
              prices: PriceBook, spec: Any) -> tuple[Variant, ...]:
    if not entry.variants:
        return (Variant(name=spec.name, system=base),)
    variants = []
    for i, v in enumerate(entry.variants):
        where = ("simulation", "variants", i)
        wrong = _ONLINE_ONLY if isinstance(base, PtuSystem) else _PTU_ONLY
        for key in wrong:
            if getattr(v, key) is not None:
                raise _issue(doc, loaded, (*where, key), f"does not apply to a {spec.kind} option")
        if isinstance(base, PtuSystem) and v.ptu is not None:
            params, _ = prices.provisioned(spec.model, spec.deployment)
            lo, step = params.minimum[spec.deployment], params.increment[spec.deployment]
            if v.ptu < lo or v.ptu % step:
                raise _issue(doc, loaded, (*where, "ptu"), f"{v.ptu} PTU is not deployable for {spec.model} "
                             f"{spec.deployment}: at least {lo}, in steps of {step}")
        if v.spillover and isinstance(base, PtuSystem) and base.spill_cost_per_request == 0 and \
                spec.deployment not in prices.model(spec.model).standard:
            raise _issue(doc, loaded, (*where, "spillover"), f"{spec.model} has no {spec.deployment} Standard price "
                         "to bill spillover")
        try:
            system = apply_overrides(base, v.to_overrides())
        except ModelInputError as exc:
            raise _issue(doc, loaded, where, str(exc)) from None
        variants.append(Variant(name=v.name, system=system))
    return tuple(variants)


def plan_from_document(doc: YamlDocument, prices: PriceBook, replay_provider: ReplayProvider | None = None) -> SimulationPlan:
    loaded = scenario_from_document(doc, prices)
    return _plan(doc, loaded, prices, replay_provider)


def _plan(doc: YamlDocument | None, loaded: LoadedScenario, prices: PriceBook,
          replay_provider: ReplayProvider | None) -> SimulationPlan:
    entry = _entry(loaded)
    spec = _option(doc, loaded, entry)
    evaluated = evaluate_loaded(loaded, prices).option(spec.name)
    try:
        base = _base_system(doc, loaded, entry, spec, prices, evaluated)
    except ModelInputError as exc:
        raise _issue(doc, loaded, ("simulation",), str(exc)) from None
    variants = _variants(doc, loaded, entry, base, prices, spec)
    replay = None
    if entry.replay is not None:
        if replay_provider is None:
            raise _issue(doc, loaded, ("simulation", "replay"), "replaying a telemetry recording needs the telemetry "
                         "module, which this build does not have; remove replay to simulate synthetic traffic")
        replay = replay_provider(entry.replay)
    workload = loaded.scenario.workload
    settings = RunSettings(days=replay.days if replay else entry.days, step_s=entry.step_seconds, seed=entry.seed,
                           noise=entry.noise, bursts=tuple(Burst(b.start_minute, b.minutes, b.multiplier)
                                                           for b in entry.bursts),
                           latency_slo_ms=workload.latency_slo_ms)
    hours = loaded.scenario.hours_per_month
    sheets = evaluated.price_sheets
    return SimulationPlan(loaded=loaded, entry=entry, option_name=spec.name, option_kind=spec.kind, base=base,
                          settings=settings, variants=variants,
                          requests_per_hour=monthly_demand(workload, hours).requests_per_hour, replay=replay,
                          prices_used="; ".join(prices.sheet_for(sheet).describe() for sheet in sheets),
                          currency=prices.currency)


def load_simulation(ref: str | Path, prices: PriceBook, replay_provider: ReplayProvider | None = None,
                    scenarios_dir: Path | None = None) -> SimulationPlan:
    """SCENARIO (a path or a library name) with its simulation block, resolved against the prices."""
    path = ref if isinstance(ref, Path) else resolve_scenario_path(ref, scenarios_dir)
    return plan_from_document(read_yaml_file(path, display_path(path)), prices, replay_provider)


def plan_from_text(text: str | bytes, source: str, prices: PriceBook,
                   replay_provider: ReplayProvider | None = None) -> SimulationPlan:
    return plan_from_document(parse_yaml(text, source), prices, replay_provider)


def with_variants(plan: SimulationPlan, edits: Sequence[tuple[str, Overrides]]) -> SimulationPlan:
    """The plan with its variants replaced by the base system changed by each (name, overrides)."""
    try:
        variants = tuple(Variant(name, apply_overrides(plan.base, o)) for name, o in edits)
    except ModelInputError as exc:
        raise InputError(InputIssue(plan.loaded.source, None, "simulation.variants", str(exc))) from None
    return replace(plan, variants=variants)


def with_settings(plan: SimulationPlan, **changes: Any) -> SimulationPlan:
    """The plan with run settings changed (days, step_s, seed, noise, bursts)."""
    try:
        return replace(plan, settings=replace(plan.settings, **changes))
    except TypeError as exc:
        raise InputError(InputIssue(plan.loaded.source, None, "simulation", str(exc))) from None


def run_plan(plan: SimulationPlan) -> Comparison:
    """Simulate every variant over one shared traffic series."""
    try:
        if plan.replay is not None:
            arrivals = plan.replay.arrivals(plan.settings.step_s)
            source = f"replayed: {plan.replay.source}"
        else:
            arrivals, source = synthetic_traffic(plan.requests_per_hour, plan.settings)
        return simulate_variants(plan.variants, arrivals, plan.settings, source)
    except ModelInputError as exc:
        raise InputError(InputIssue(plan.loaded.source, None, "simulation", str(exc))) from None
