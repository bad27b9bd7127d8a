"""Run one or more variants of a system over one shared traffic series.

Variants share the arrivals (same seed, same bursts, or the same replayed telemetry), so their
differences come from their settings alone. Dispatch is a registry keyed by the system's type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError
from app.engine.simulation.online import run_online
from app.engine.simulation.ptu import run_ptu
from app.engine.simulation.results import SimulationResult, summarize_online, summarize_ptu
from app.engine.simulation.settings import OnlineSystem, PtuSystem, RunSettings, Variant
from app.engine.simulation.traffic import check_step, synthetic_arrivals

FloatArray = npt.NDArray[np.float64]
MAX_VARIANTS = 4


def _simulate_online(name: str, arrivals: FloatArray, system: Any, settings: RunSettings) -> SimulationResult:
    return summarize_online(name, run_online(arrivals, settings.step_s, system), system, settings)


def _simulate_ptu(name: str, arrivals: FloatArray, system: Any, settings: RunSettings) -> SimulationResult:
    return summarize_ptu(name, run_ptu(arrivals, settings.step_s, system), system, settings)


SYSTEMS: dict[type, Callable[[str, FloatArray, Any, RunSettings], SimulationResult]] = {
    OnlineSystem: _simulate_online,
    PtuSystem: _simulate_ptu,
}


def simulate(variant: Variant, arrivals: FloatArray, settings: RunSettings) -> SimulationResult:
    """One variant over the given arrivals per step (settings.step_s apart)."""
    check_step(settings.step_s)
    runner = SYSTEMS.get(type(variant.system))
    if runner is None:
        raise ModelInputError(f"cannot simulate a {type(variant.system).__name__}")
    return runner(variant.name, np.asarray(arrivals, dtype=np.float64), variant.system, settings)


@dataclass(frozen=True)
class Comparison:
    """Variants side by side over one traffic series."""

    settings: RunSettings
    arrivals_source: str  # "synthetic (seed 7, 2 bursts)" or the replay's description
    results: tuple[SimulationResult, ...]


def simulate_variants(variants: Sequence[Variant], arrivals: FloatArray, settings: RunSettings,
                      arrivals_source: str) -> Comparison:
    if not 1 <= len(variants) <= MAX_VARIANTS:
        raise ModelInputError(f"simulate 1 to {MAX_VARIANTS} variants side by side, got {len(variants)}")
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise ModelInputError(f"variant names must be unique, got {names}")
    return Comparison(settings, arrivals_source, tuple(simulate(v, arrivals, settings) for v in variants))


def synthetic_traffic(requests_per_hour: FloatArray, settings: RunSettings) -> tuple[FloatArray, str]:
    """The shared arrivals for a synthetic run, and a description of where they come from."""
    arrivals = synthetic_arrivals(requests_per_hour, settings.days, settings.step_s, settings.bursts,
                                  settings.noise, settings.seed)
    noise = f"Poisson noise, seed {settings.seed}" if settings.noise == "poisson" else "no noise"
    bursts = f", {len(settings.bursts)} burst(s)" if settings.bursts else ""
    return arrivals, f"synthetic from the scenario's hourly shape ({noise}{bursts})"
