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

from app.telemetry.advice import azure_words, error_chain, log_query_advice, metric_error_advice
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
from app.telemetry.parse import ParsedMetrics, logs_frame, metric_series

Resource = tuple[str, str, ResourceKind, str | None]  # resource_id, short name, kind, deployment
LOG_QUERIES = {"cached_tokens": "cached-token query", "consumer_tokens": "per-consumer query"}  # as users read them
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
        self.log_status: dict[str, str] = {}
        self.log_failures: dict[str, str] = {}
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
                names: dict[str, str]) -> ParsedMetrics:
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
        result = metric_series(captured.get("body"), batch, query.aggregations, names)
        if self.cache is not None and result.body_problem is None and not result.failed:
            self.cache.put(self.identity, key, result)
        return result

    def _custom(self, name: str) -> bool:
        la = self.config.log_analytics
        if la is None:
            return False
        return (la.cached_tokens_query if name == "cached_tokens" else la.consumer_tokens_query) is not None

    def logs(self, name: str, kql: str) -> Any:
        la = self.config.log_analytics
        if la is None:
            raise TelemetryError("no log_analytics workspace is configured, so there is nothing to query")
        key = ("logs", la.workspace_id, kql, self.start, self.end)
        cached = self.cache.get(self.identity, key) if self.cache is not None else None
        if cached is not None:
            self.log_status[name] = "ok"
            return cached
        with LogsQueryClient(self.credential, **self._client_kwargs()) as client:
            result = self._retry(lambda: client.query_workspace(la.workspace_id, kql, timespan=(self.start, self.end),
                                                                server_timeout=int(self.controls.timeout_seconds)))
        if isinstance(result, LogsQueryPartialResult):
            frame, problems = logs_frame(result.partial_data, LOG_COLUMNS[name], f"Log Analytics {LOG_QUERIES[name]}")
            chain = error_chain(result.partial_error)
            problems.insert(0, f"Log Analytics {LOG_QUERIES[name]}: partial result: Azure answered part of the query and reported "
                               f"an error. Azure: {azure_words(chain)}. The rows that arrived are used. "
                               f"{log_query_advice(chain, la.preset, self._custom(name))}")
            self.log_status[name] = "partial"
            self.log_failures[name] = problems[0]
        else:
            frame, problems = logs_frame(result.tables, LOG_COLUMNS[name], f"Log Analytics {LOG_QUERIES[name]}")
            self.log_status[name] = "incomplete" if problems else "ok"
            if problems:
                self.log_failures[name] = "; ".join(problems)
            if self.cache is not None and not problems:
                self.cache.put(self.identity, key, (frame, problems))
        return frame, problems


KIND_LABELS = {"aml-endpoint": "Azure ML endpoint", "aml-deployment": "Azure ML deployment",
               "openai": "Azure OpenAI account"}


def _label(resource: Resource) -> str:
    name = f"{resource[1]}/{resource[3]}" if resource[3] else resource[1]
    return f"{KIND_LABELS[resource[2]]} {name}"


def metric_issues(query: MetricQuery, parsed: ParsedMetrics, batch: list[Resource], what: str,
                  asked: tuple[str, ...]) -> list[str]:
    """Every way a getBatch answer fell short, each in Azure's words where Azure gave any, with what to do.

    A metric that Azure marked with an error or left out of the answer is named as such, never read as
    "no traffic"; only metrics answered with Success and no time series count as empty."""
    if parsed.body_problem is not None:
        return [f"{what}: Azure Monitor answered HTTP 200, but {parsed.body_problem}. Nothing from this query is "
                "used. Check that no proxy or gateway between capplan and Azure Monitor rewrites the request or the "
                "answer (capplan calls the regional metrics:getBatch API, 2024-02-01), then pull again."]
    issues = []
    for failure in parsed.failed:
        issues.append(f"{KIND_LABELS[query.kind]} {failure.label}: Azure Monitor could not return {failure.metric}. Azure: "
                      f"{azure_words([(failure.code, failure.message)])}. "
                      f"{metric_error_advice(failure.code, query.aggregations)}")
    by_id = {r[0]: r for r in batch}
    for rid, metrics in parsed.absent.items():
        resource = by_id.get(rid)
        if resource is None:
            continue
        if len(metrics) == len(asked):
            issues.append(f"{_label(resource)}: Azure Monitor's answer holds no entry for this resource "
                          f"(asked for {', '.join(metrics)}). Check the resource ID and its region group in the "
                          "telemetry configuration.")
        else:
            issues.append(f"{_label(resource)}: Azure Monitor's answer leaves out {', '.join(metrics)} "
                          "(asked for, not returned). The resource may not emit "
                          f"{'it' if len(metrics) == 1 else 'them'}: check the name in Azure Monitor's "
                          f"supported-metrics reference for {query.namespace}.")
    if parsed.unexpected:
        issues.append(f"{what}: Azure Monitor's answer holds resources that were not asked for "
                      f"({', '.join(parsed.unexpected[:3])}{', …' if len(parsed.unexpected) > 3 else ''}); they are "
                      "ignored. Check that no proxy or gateway rewrites the request or the answer.")
    failed = {f"{f.metric}@{f.resource_id}" for f in parsed.failed}
    for resource in batch:
        rid = resource[0]
        answered_empty = [m for m in asked if f"{m}@{rid}" in parsed.empty]
        others = [m for m in asked if f"{m}@{rid}" in failed or m in parsed.absent.get(rid, [])]
        if answered_empty and len(answered_empty) + len(others) == len(asked):
            issues.append(f"{_label(resource)}: Azure Monitor returned no data for "
                          f"{', '.join(answered_empty)} in the window (no traffic, or metrics not emitted yet)")
    return issues


def lacking_every_metric(parsed: ParsedMetrics, batch: list[Resource], asked: tuple[str, ...]) -> list[Resource]:
    """Resources whose every metric came back empty (Success, no series): candidates for the Foundry names."""
    return [r for r in batch if all(f"{m}@{r[0]}" in parsed.empty for m in asked)]


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
            controls.progress(done, total, f"{query.title} ({len(batch)} resources, {region})")
            what = f"{query.title} for {', '.join(sorted({r[1] for r in batch}))} ({region})"
            try:
                parsed = puller.metrics(region, query, batch, {m: m for m in query.metrics})
                series.extend(parsed.series)
                lacking = lacking_every_metric(parsed, batch, query.metrics) if query.fallback else []
                if lacking:
                    # the older Azure OpenAI names answered empty: ask the Foundry names, and report on those
                    fb = fallback_query(query)
                    more = puller.metrics(region, fb, lacking, dict(query.fallback))
                    series.extend(more.series)
                    lacking_ids = {r[0] for r in lacking}
                    parsed.empty = [e for e in parsed.empty if e.rsplit("@", 1)[1] not in lacking_ids]
                    puller.issues.extend(metric_issues(fb, more, lacking, what, fb.metrics))
                puller.issues.extend(metric_issues(query, parsed, [r for r in batch if r not in lacking], what,
                                                   query.metrics))
            except ClientAuthenticationError as exc:
                raise TelemetryError(describe_failure(exc, what)) from None
            except Exception as exc:
                puller.issues.append(describe_failure(exc, what))
            done += 1
        la = config.log_analytics
        logs = {}
        if la is not None and not controls.should_stop():
            for name, kql in (("cached_tokens", la.cached_kql), ("consumer_tokens", la.consumer_kql)):
                controls.progress(done, total, f"Log Analytics {LOG_QUERIES[name]}")
                try:
                    frame, problems = puller.logs(name, kql)
                    logs[name] = frame
                    puller.issues.extend(problems)
                except Exception as exc:  # authentication included: the metrics may have arrived
                    message = describe_failure(exc, f"Log Analytics {LOG_QUERIES[name]}", logs=True, preset=la.preset,
                                               custom_query=puller._custom(name))
                    puller.issues.append(message)
                    puller.log_status[name] = "failed"
                    puller.log_failures[name] = message
                done += 1
        controls.progress(total, total, "done")
    finally:
        puller.close()
    return TelemetryData(source, start, end, config.granularity_minutes, config, series, logs, puller.issues,
                         puller.requests, origin, log_status=puller.log_status, log_failures=puller.log_failures)


def no_credential_message(exc: BaseException) -> str:
    from app.telemetry.failures import redact
    first = redact(str(exc)).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return ("No usable Azure credential: " + first + ". Sign in with `az login`, set AZURE_TENANT_ID, AZURE_CLIENT_ID "
            "and AZURE_CLIENT_SECRET for a service principal, or run with a managed identity; the identity needs "
            "Monitoring Reader and Log Analytics Reader. Without Azure, use --replay DIR or the demo data.")
