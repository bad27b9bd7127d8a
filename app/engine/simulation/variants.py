"""Variants: a base system with a few settings changed (what the YAML `variants` and the page edit)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.engine.errors import ModelInputError
from app.engine.simulation.settings import (
    FixedInstances,
    MonitorAutoscale,
    OnlineSystem,
    PtuSystem,
    Scaler,
    System,
    TargetUtilization,
)


@dataclass(frozen=True)
class Overrides:
    """Settings a variant changes; None keeps the base value."""

    minimum: int | None = None
    maximum: int | None = None
    default: int | None = None
    cooldown_minutes: float | None = None  # every rule
    time_window_minutes: int | None = None  # every rule
    target_utilization: float | None = None
    provisioning_delay_s: float | None = None
    max_queue_wait_ms: float | None = None
    concurrency: int | None = None
    instances: int | None = None  # fixed-instance systems
    ptu: int | None = None
    spillover: bool | None = None
    scaler: Scaler | None = None  # replaces the scaler entirely (before the other overrides)


def _scaler(scaler: Scaler, o: Overrides) -> Scaler:
    if isinstance(scaler, MonitorAutoscale):
        rules = tuple(replace(r, cooldown_minutes=o.cooldown_minutes if o.cooldown_minutes is not None else r.cooldown_minutes,
                              time_window_minutes=o.time_window_minutes or r.time_window_minutes)
                      for r in scaler.rules)
        scaler = replace(scaler, minimum=o.minimum or scaler.minimum, maximum=o.maximum or scaler.maximum,
                         default=o.default or scaler.default, rules=rules)
        if scaler.minimum > scaler.maximum:
            raise ModelInputError(f"minimum {scaler.minimum} exceeds maximum {scaler.maximum}")
        return scaler
    if isinstance(scaler, TargetUtilization):
        scaler = replace(scaler, minimum=o.minimum or scaler.minimum, maximum=o.maximum or scaler.maximum,
                         target_utilization=o.target_utilization or scaler.target_utilization)
        if scaler.minimum > scaler.maximum:
            raise ModelInputError(f"minimum {scaler.minimum} exceeds maximum {scaler.maximum}")
        return scaler
    if isinstance(scaler, FixedInstances) and o.instances:
        return replace(scaler, instances=o.instances)
    return scaler


def apply_overrides(system: System, o: Overrides) -> System:
    if isinstance(system, PtuSystem):
        return replace(system, ptu=o.ptu or system.ptu,
                       spillover=system.spillover if o.spillover is None else o.spillover)
    online: OnlineSystem = system
    scaler = _scaler(o.scaler or online.scaler, o)
    return replace(online, scaler=scaler, concurrency=o.concurrency or online.concurrency,
                   provisioning_delay_s=online.provisioning_delay_s if o.provisioning_delay_s is None else o.provisioning_delay_s,
                   max_queue_wait_ms=o.max_queue_wait_ms or online.max_queue_wait_ms)
