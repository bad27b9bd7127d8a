"""The metrics pulled, as data: one entry per batch query (namespace, metric names, aggregations, split).

REST names and dimensions from Azure Monitor's supported-metrics reference (see docs/telemetry.md and docs/sources.md).
Aggregation happens in Azure Monitor: every query asks for a server-side aggregation at the
configured granularity, so one point per interval comes back, never raw events.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.telemetry.config import AML_DEPLOYMENT_TYPE, AML_ENDPOINT_TYPE, OPENAI_TYPE
from app.telemetry.data import ResourceKind

MAX_RESOURCES_PER_CALL = 50  # metrics:getBatch limit (one subscription, region and resource type per call)
MAX_SERIES_PER_METRIC = 500  # "top": series per metric per resource when split by a dimension (default 10)
DEPLOYMENT_SPLIT = "ModelDeploymentName eq '*'"
STATUS_SPLIT = "ModelDeploymentName eq '*' and StatusCode eq '*'"


@dataclass(frozen=True)
class MetricQuery:
    key: str
    title: str  # what it reads, for progress and messages
    kind: ResourceKind
    namespace: str
    metrics: tuple[str, ...]
    aggregations: tuple[str, ...]
    filter: str | None = None
    # Foundry's newer names, asked for only where every metric of this query came back empty
    fallback: tuple[tuple[str, str], ...] = ()  # (newer name, canonical older name)


QUERIES: tuple[MetricQuery, ...] = (
    MetricQuery("aml-endpoint", "Azure ML endpoint latency and requests", "aml-endpoint", AML_ENDPOINT_TYPE,
                ("RequestLatency_P50", "RequestLatency_P90", "RequestLatency_P95", "RequestLatency_P99",
                 "RequestsPerMinute", "ConnectionsActive"), ("Average",)),
    MetricQuery("aml-deployment", "Azure ML deployment utilization and instances", "aml-deployment", AML_DEPLOYMENT_TYPE,
                ("CpuUtilizationPercentage", "CpuMemoryUtilizationPercentage", "GpuUtilizationPercentage",
                 "GpuMemoryUtilizationPercentage", "DeploymentCapacity"), ("Average", "Minimum", "Maximum")),
    MetricQuery("openai-requests", "Azure OpenAI requests", "openai", OPENAI_TYPE, ("AzureOpenAIRequests",), ("Total",), STATUS_SPLIT,
                fallback=(("ModelRequests", "AzureOpenAIRequests"),)),
    MetricQuery("openai-tokens", "Azure OpenAI tokens", "openai", OPENAI_TYPE, ("ProcessedPromptTokens", "GeneratedTokens"), ("Total",),
                DEPLOYMENT_SPLIT,
                fallback=(("InputTokens", "ProcessedPromptTokens"), ("OutputTokens", "GeneratedTokens"))),
    MetricQuery("openai-latency", "Azure OpenAI latency and PTU utilization", "openai", OPENAI_TYPE,
                ("AzureOpenAITimeToResponse", "AzureOpenAITTLTInMS", "AzureOpenAIProvisionedManagedUtilizationV2",
                 "AzureOpenAIContextTokensCacheMatchRate"), ("Average", "Maximum"), DEPLOYMENT_SPLIT),
    # generation speed of streaming responses (a query of its own: recordings of the four above stay valid)
    MetricQuery("openai-streaming", "Azure OpenAI time between tokens", "openai", OPENAI_TYPE, ("AzureOpenAINormalizedTBTInMS",), ("Average",),
                DEPLOYMENT_SPLIT),
)


def fallback_query(query: MetricQuery) -> MetricQuery:
    return MetricQuery(query.key + "-foundry", query.title + " (Foundry metric names)", query.kind, query.namespace, tuple(new for new, _ in query.fallback),
                       query.aggregations, query.filter)

