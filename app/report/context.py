"""Everything one report is built from, gathered once: the scenario, prices, evaluation and date."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from app.engine.prices import PriceBook, SheetRef
from app.engine.registry import option_kind
from app.engine.results import Evaluation, OptionResult
from app.engine.scenario import Scenario


@dataclass(frozen=True)
class ReportContext:
    scenario: Scenario
    source: str  # where the scenario came from, as the user named it ("scenarios/x.yaml", "dashboard")
    prices: PriceBook
    evaluation: Evaluation
    generated_at: datetime  # UTC
    data_sources: tuple[str, ...] = ()  # telemetry windows, benchmark runs; none for a plain scenario

    @property
    def currency(self) -> str:
        return self.evaluation.currency

    @property
    def recommended(self) -> OptionResult | None:
        rec = self.evaluation.recommended
        return None if rec is None else self.evaluation.option(rec)

    def sheets(self) -> tuple[SheetRef, ...]:
        return self.evaluation.prices

    def kind_title(self, kind: str) -> str:
        try:
            return option_kind(kind).title
        except KeyError:
            return kind

    def spec(self, name: str) -> object:
        for spec in self.scenario.options:
            if spec.name == name:
                return spec
        raise KeyError(name)


def creation_time(now: datetime | None = None) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; always UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            pass  # an unusable value means "not set", as in other reproducible-build tools
    return (now or datetime.now(tz=UTC)).astimezone(UTC)


def esc(text: object) -> str:
    """User text made safe for reportlab's paragraph markup."""
    return escape(str(text))


def names(items: Sequence[str]) -> str:
    quoted = [f"“{esc(i)}”" for i in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
