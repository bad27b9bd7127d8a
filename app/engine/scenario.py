"""A scenario: a workload and the options to compare for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.engine.workload import Workload

DEFAULT_HOURS_PER_MONTH = 730


@dataclass(frozen=True)
class Scenario:
    name: str
    workload: Workload
    options: tuple[Any, ...]  # option specs (dataclasses from app.engine.kinds), each with .name and .kind
    description: str = ""
    hours_per_month: int = DEFAULT_HOURS_PER_MONTH
