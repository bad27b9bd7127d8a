"""How an option kind takes part in the time-series simulation (its `simulation` hook).

A kind that can be simulated builds the simulated system of one of its options: an online
endpoint (instances in front of a queue, `OnlineSystem`) or a provisioned deployment (a PTU
bucket, `PtuSystem`). The catalog resolves the scenario's `simulation` block into SimulationInputs
and calls `build`; a kind without this hook is not offered for simulation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from app.engine.prices import PriceBook
from app.engine.results import OptionResult
from app.engine.simulation.settings import Scaler, ServiceDistribution, System
from app.engine.workload import Workload

S = TypeVar("S")
SystemKind = Literal["online", "ptu"]


@dataclass(frozen=True)
class SimulationInputs:
    """What the simulation block and the evaluation give a kind to build its system from."""

    workload: Workload
    prices: PriceBook
    hours_per_month: int
    evaluated: OptionResult  # the option's own evaluation (e.g. the PTU count `ptu: auto` chose)
    scaler: Scaler | None = None  # the block's scaler; None: the one the option itself implies
    service_distribution: ServiceDistribution | None = None  # None: from workload.service_time_cv
    service_samples_ms: tuple[float, ...] = ()
    max_queue_wait_ms: float | None = None  # None: the simulator's default
    provisioning_delay_s: float | None = None


@dataclass(frozen=True)
class SimulationSupport(Generic[S]):
    """`system`: which simulator runs the kind ("online": autoscaled instances and a queue, which
    takes a scaler; "ptu": a provisioned deployment, which does not). `build` makes the system."""

    system: SystemKind
    build: Callable[[S, SimulationInputs], System]
