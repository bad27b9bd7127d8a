"""Curated service facts of Azure OpenAI that are not prices: latency figures and quotas.

The engine's view of the `azure-openai-service` sheet (pricing/azure-openai-service.yaml). Every
figure keeps the public source it was taken from, so a latency or a quota verdict can name it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from app.engine.prices import SheetRef

Tier = Literal["standard", "provisioned", "priority"]  # how requests are served (issue 14 adds flex)
QUOTA_TIERS = (1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class Sourced:
    """Where a figure comes from and when it was last checked (ISO date)."""

    source: str
    checked: str
    note: str | None = None


@dataclass(frozen=True)
class MedianLatency:
    """Median time to first token and median output speed of one model's requests."""

    ttft_ms: float
    tokens_per_second: float
    provenance: Sourced


@dataclass(frozen=True)
class SpeedTarget:
    """A published latency target: 99% of requests generate faster than `tokens_per_second`."""

    tokens_per_second: float
    provenance: Sourced


@dataclass(frozen=True)
class ModelLatency:
    median: MedianLatency | None = None
    provisioned_target: SpeedTarget | None = None
    priority_target: SpeedTarget | None = None


@dataclass(frozen=True)
class Spread:
    """Request-to-request variation: σ of ln(time to first token) and of ln(output speed)."""

    ttft_sigma: float
    speed_sigma: float
    provenance: Sourced


@dataclass(frozen=True)
class StandardQuota:
    """Tokens and requests per minute a subscription gets per region, model and deployment type."""

    tokens_per_minute: float
    requests_per_minute: float


@dataclass(frozen=True)
class ModelQuotas:
    standard: Mapping[str, Mapping[int, StandardQuota]]  # deployment level -> quota tier -> quota
    provenance: Sourced


@dataclass(frozen=True)
class BatchQuota:
    """Enqueued-token limits of the Batch API (input tokens of all jobs not yet finished)."""

    default: float
    enterprise: float
    provenance: Sourced


@dataclass(frozen=True)
class ServiceFacts:
    ref: SheetRef
    spread: Mapping[str, Spread]
    above_usage_tier_factor: float
    above_usage_tier: Sourced
    provisioned_knee_utilization: float
    provisioned_load: Sourced
    latency: Mapping[str, ModelLatency]
    quotas: Mapping[str, ModelQuotas] = field(default_factory=dict)
    batch_quotas: Mapping[str, Mapping[str, BatchQuota]] = field(default_factory=dict)  # model -> level -> quota

    def model_latency(self, model: str) -> ModelLatency:
        return self.latency.get(model, ModelLatency())

    def standard_quota(self, model: str, level: str, tier: int) -> StandardQuota | None:
        quotas = self.quotas.get(model)
        if quotas is None:
            return None
        return quotas.standard.get(level, {}).get(tier)

    def batch_quota(self, model: str, level: str) -> BatchQuota | None:
        return self.batch_quotas.get(model, {}).get(level)
