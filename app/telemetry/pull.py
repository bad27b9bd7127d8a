"""Pull metrics and logs for a telemetry configuration through the real Azure SDK clients.

Metrics: `azure.monitor.querymetrics.MetricsClient.query_resources` against the regional endpoint
of each group, at most 50 resources of one subscription and type per call, aggregated server-side
at the configured granularity. Logs: `azure.monitor.query.LogsQueryClient.query_workspace` with the
KQL `summarize` queries of the configuration. Each failure becomes an issue naming what failed and
what to do; what arrived stays usable. Only a missing or refused credential stops the pull.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from azure.core.exceptions import ClientAuthenticationError
from azure.core.pipeline.transport import HttpTransport
from azure.monitor.query import LogsQueryClient, LogsQueryPartialResult
from azure.monitor.querymetrics import MetricsClient

from app.telemetry.catalogue import (
    MAX_RESOURCES_PER_CALL,
    MAX_SERIES_PER_METRIC,
    QUERIES,
    MetricQuery,
    fallback_query,
)
from app.telemetry.config import TelemetryConfig, subscription_of
from app.telemetry.data import ResourceKind, Series, Source, TelemetryData
from app.telemetry.failures import (
    RetryPolicy,
    TelemetryError,
    call_with_retries,
    describe_failure,
    quiet_azure_logging,
)
from app.telemetry.identity import METRICS_SCOPE, QueryCache, identity_from_token
from app.telemetry.parse import logs_frame, metric_series

Resource = tuple[str, str, ResourceKind, str | None]  # resource_id, short name, kind, deployment
LOG_COLUMNS = {
    "cached_tokens": ("TimeGenerated", "Deployment", "Requests", "PromptTokens", "CompletionTokens", "CachedTokens"),
    "consumer_tokens": ("Consumer", "Deployment", "Requests", "PromptTokens", "CompletionTokens", "CachedTokens"),
}


@dataclass
class PullControls:
    """How a pull reports progress and learns it should stop (the page's Stop button, Ctrl-C)."""

    progress: Callable[[int, int, str], None] = lambda done, total, label: None
    should_stop: Callable[[], bool] = lambda: False
    sleep: Callable[[float], None] = time.sleep
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout_seconds: float = 60.0


def resources_of(config: TelemetryConfig, kind: ResourceKind, group_index: int) -> list[Resource]:
    group = config.groups[group_index]
    if kind == "aml-endpoint":
        return [(e.resource_id, e.name, kind, None) for e in group.aml_endpoints]
    if kind == "aml-deployment":
        return [(f"{e.resource_id}/deployments/{d}", e.name, kind, d) for e in group.aml_endpoints for d in e.deployments]
    return [(a.resource_id, a.name, kind, None) for a in group.openai_accounts]


def batches(resources: list[Resource]) -> Iterator[list[Resource]]:
    """At most 50 resources per call, all of one subscription (the type is one per query)."""
    by_subscription: dict[str, list[Resource]] = {}
    for resource in resources:
        by_subscription.setdefault(subscription_of(resource[0]), []).append(resource)
    for _, members in sorted(by_subscription.items()):
        for i in range(0, len(members), MAX_RESOURCES_PER_CALL):
            yield members[i:i + MAX_RESOURCES_PER_CALL]


def plan_calls(config: TelemetryConfig) -> list[tuple[int, MetricQuery, list[Resource]]]:
    calls = []
    for g in range(len(config.groups)):
        for query in QUERIES:
            for batch in batches(resources_of(config, query.kind, g)):
                calls.append((g, query, batch))
    return calls


class _Puller:
    def __init__(self, config: TelemetryConfig, start: datetime, end: datetime, credential: Any,
                 transport_factory: Callable[[], HttpTransport] | None, cache: QueryCache | None,
                 controls: PullControls, identity: str | None):
        self.config, self.start, self.end = config, start, end
        self.credential, self.transport_factory = credential, transport_factory
        self.cache, self.controls, self.identity = cache, controls, identity
        self.grain = timedelta(minutes=config.granularity_minutes)
        self.issues: list[str] = []
        self.requests = 0
        self.metrics_clients: dict[str, MetricsClient] = {}

    def _client_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"retry_total": 0, "logging_enable": False,
                                  "connection_timeout": self.controls.timeout_seconds,
                                  "read_timeout": self.controls.timeout_seconds}
        if self.transport_factory is not None:
            kwargs["transport"] = self.transport_factory()
        return kwargs

    def metrics_client(self, region: str) -> MetricsClient:
        if region not in self.metrics_clients:
            self.metrics_clients[region] = MetricsClient(f"https://{region}.metrics.monitor.azure.com", self.credential,
                                                         **self._client_kwargs())
        return self.metrics_clients[region]

    def close(self) -> None:
        for client in self.metrics_clients.values():
            client.close()

    def _retry(self, call: Callable[[], Any]) -> Any:
        def counted() -> Any:
            self.requests += 1
            return call()
        result, _ = call_with_retries(counted, self.controls.retry, sleep=self.controls.sleep,
                                      should_stop=self.controls.should_stop)
        return result

    def metrics(self, region: str, query: MetricQuery, batch: list[Resource],
                names: dict[str, str]) -> tuple[list[Series], list[str]]:
        key = ("metrics", region, query.namespace, tuple(r[0].lower() for r in batch), query.metrics,
               query.aggregations, query.filter, self.start, self.end, self.config.granularity)
        cached = self.cache.get(self.identity, key) if self.cache is not None else None
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        client = self.metrics_client(region)
        captured: dict[str, Any] = {}

        def keep_body(pipeline_response: Any, body_chunks: Any, headers: Any) -> dict[str, list[Any]]:
            # stream=True: the SDK has checked the status and mapped errors; the body is decoded
            # here and parsed columnar by app.telemetry.parse (see its docstring for why)
            captured["body"] = json.loads(b"".join(body_chunks))
            return {"values": []}

        self._retry(lambda: client.query_resources(
            resource_ids=[r[0] for r in batch], metric_namespace=query.namespace, metric_names=list(query.metrics),
            timespan=(self.start, self.end), granularity=self.grain, aggregations=list(query.aggregations),
            filter=query.filter, max_results=MAX_SERIES_PER_METRIC if query.filter else None, cls=keep_body,
            stream=True))
        result = metric_series(captured.get("body") or {}, batch, query.aggregations, names)
        if self.cache is not None:
            self.cache.put(self.identity, key, result)
        return result

    def logs(self, name: str, kql: str) -> Any:
        la = self.config.log_analytics
        if la is None:
            raise TelemetryError("no log_analytics workspace is configured, so there is nothing to query")
        key = ("logs", la.workspace_id, kql, self.start, self.end)
        cached = self.cache.get(self.identity, key) if self.cache is not None else None
        if cached is not None:
            return cached
        with LogsQueryClient(self.credential, **self._client_kwargs()) as client:
            result = self._retry(lambda: client.query_workspace(la.workspace_id, kql, timespan=(self.start, self.end),
                                                                server_timeout=int(self.controls.timeout_seconds)))
        if isinstance(result, LogsQueryPartialResult):
            frame, problems = logs_frame(result.partial_data, LOG_COLUMNS[name], name)
            error = result.partial_error
            problems.insert(0, f"{name}: partial result from Log Analytics ({getattr(error, 'code', '')}: "
                               f"{getattr(error, 'message', '')}); the rows that arrived are used")
        else:
            frame, problems = logs_frame(result.tables, LOG_COLUMNS[name], name)
            if self.cache is not None and not problems:
                self.cache.put(self.identity, key, (frame, problems))
        return frame, problems


def _empty_issue(query: MetricQuery, empty: list[str], batch: list[Resource], asked: tuple[str, ...]) -> list[str]:
    """An issue per resource for which every metric of the query came back without data."""
    issues = []
    for rid, name, _, deployment in batch:
        missing = [m for m in asked if f"{m}@{rid}" in empty]
        if len(missing) == len(asked):
            label = f"{name}/{deployment}" if deployment else name
            issues.append(f"{query.kind} {label}: Azure Monitor returned no data for {', '.join(asked)} in the window "
                          "(no traffic, or metrics not emitted yet)")
    return issues


def pull(config: TelemetryConfig, start: datetime, end: datetime, credential: Any, *,
         transport_factory: Callable[[], HttpTransport] | None = None, cache: QueryCache | None = None,
         controls: PullControls | None = None, source: Source = "live", origin: str = "Azure Monitor") -> TelemetryData:
    """Every metric query of the plan and the two Log Analytics queries, for [start, end)."""
    quiet_azure_logging()
    controls = controls or PullControls()
    try:
        identity = identity_from_token(credential.get_token(METRICS_SCOPE).token)
    except ClientAuthenticationError as exc:
        raise TelemetryError(no_credential_message(exc)) from None
    puller = _Puller(config, start, end, credential, transport_factory, cache, controls, identity)
    series: list[Series] = []
    calls = plan_calls(config)
    total = len(calls) + (2 if config.log_analytics else 0)
    done = 0
    try:
        for g, query, batch in calls:
            if controls.should_stop():
                puller.issues.append("stopped before every query ran; the data shown is what arrived")
                break
            region = config.groups[g].region
            controls.progress(done, total, f"{query.key} ({len(batch)} resources, {region})")
            what = f"{query.key} metrics for {', '.join(sorted({r[1] for r in batch}))} ({region})"
            try:
                got, empty = puller.metrics(region, query, batch, {m: m for m in query.metrics})
                series.extend(got)
                if query.fallback:
                    lacking = [r for r in batch if all(f"{m}@{r[0]}" in empty for m in query.metrics)]
                    if lacking:
                        fb = fallback_query(query)
                        more, empty_fb = puller.metrics(region, fb, lacking, dict(query.fallback))
                        series.extend(more)
                        puller.issues.extend(_empty_issue(query, empty_fb, lacking, fb.metrics))
                else:
                    puller.issues.extend(_empty_issue(query, empty, batch, query.metrics))
            except ClientAuthenticationError as exc:
                raise TelemetryError(describe_failure(exc, what)) from None
            except Exception as exc:
                puller.issues.append(describe_failure(exc, what))
            done += 1
        la = config.log_analytics
        logs = {}
        if la is not None and not controls.should_stop():
            for name, kql in (("cached_tokens", la.cached_kql), ("consumer_tokens", la.consumer_kql)):
                controls.progress(done, total, f"Log Analytics: {name}")
                try:
                    frame, problems = puller.logs(name, kql)
                    logs[name] = frame
                    puller.issues.extend(problems)
                except Exception as exc:
                    puller.issues.append(describe_failure(exc, f"Log Analytics {name}", logs=True))
                done += 1
        controls.progress(total, total, "done")
    finally:
        puller.close()
    return TelemetryData(source, start, end, config.granularity_minutes, config, series, logs, puller.issues,
                         puller.requests, origin)


def no_credential_message(exc: BaseException) -> str:
    from app.telemetry.failures import redact
    first = redact(str(exc)).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return ("No usable Azure credential: " + first + ". Sign in with `az login`, set AZURE_TENANT_ID, AZURE_CLIENT_ID "
            "and AZURE_CLIENT_SECRET for a service principal, or run with a managed identity; the identity needs "
            "Monitoring Reader and Log Analytics Reader. Without Azure, use --replay DIR or the demo data.")
