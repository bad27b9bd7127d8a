"""Azure's own words, and what to do about them: error chains, per-metric errors, Log Analytics errors.

Azure nests the cause of a failure: a Log Analytics 400 says "The request had some invalid
properties" at the top and names the missing table three levels down (`innererror.innererror`:
`SEM0100 ... Failed to resolve table or column expression named '...'`); a partial result keeps
its engine error under `details[].innererror`; a metrics:getBatch 200 can mark one metric with
`errorCode`/`errorMessage`. These helpers flatten such chains into "code: message" text (Azure's
words, unchanged apart from token redaction) and add the advice that fits the code.

Sources: the Log Analytics query API error shape (azure-sdk-for-python, azure-monitor-query live
recording `test_logs_single_query_with_non_200`); API Management's log categories
(https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-apimanagement-service-logs:
GatewayLlmLogs -> ApiManagementGatewayLlmLog, GatewayLogs -> ApiManagementGatewayLogs) and the
how-to https://learn.microsoft.com/azure/api-management/api-management-howto-llm-logs; the batch
metrics API's 93-day retention (https://learn.microsoft.com/azure/azure-monitor/metrics/migrate-to-batch-api).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

MAX_WORDS = 600  # characters of Azure's text kept per message
_BEARER = re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]+")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_UNRESOLVED = re.compile(r"Failed to resolve (?:table or column|table|column|scalar) expression named '([^']+)'")

# Log Analytics tables the query presets read, and the API Management diagnostic category that fills each
PRESET_TABLES = {
    "apim-llm-log": {"ApiManagementGatewayLlmLog": "GatewayLlmLogs ('Logs related to generative AI gateway')",
                     "ApiManagementGatewayLogs": "GatewayLogs ('Logs related to ApiManagement Gateway')"},
    "appinsights-token-metrics": {"AppMetrics": "the Application Insights resource the emit-token-metric "
                                                "policy writes to (workspace-based)"},
}


def redact(text: str) -> str:
    """Text without bearer tokens or anything shaped like a JWT, before it reaches a log, an exception or the page."""
    return _JWT.sub("[redacted token]", _BEARER.sub("Bearer [redacted]", text))


def _get(node: Any, key: str) -> Any:
    if isinstance(node, Mapping):
        return node.get(key)
    return getattr(node, key, None)


def error_chain(node: Any, depth: int = 0) -> list[tuple[str, str]]:
    """(code, message) of an error and of every inner error and detail under it, outermost first."""
    if node is None or depth > 8:
        return []
    code, message = _get(node, "code"), _get(node, "message")
    out: list[tuple[str, str]] = []
    if code or message:
        out.append((str(code or ""), str(message or "")))
    for detail in _get(node, "details") or []:
        out.extend(error_chain(detail, depth + 1))
    out.extend(error_chain(_get(node, "innererror"), depth + 1))
    return out


def azure_words(chain: Iterable[tuple[str, str]]) -> str:
    """'Code: message; Inner: message' with repeats dropped, redacted and bounded."""
    seen: list[str] = []
    for code, message in chain:
        text = f"{code}: {message}" if code and message else (code or message)
        text = " ".join(text.split()).rstrip(". ")
        if text and text not in seen:
            seen.append(text)
    words = redact("; ".join(seen)).rstrip(". ")
    return words if len(words) <= MAX_WORDS else words[:MAX_WORDS - 1] + "…"


def unresolved_name(chain: Iterable[tuple[str, str]]) -> str | None:
    """The table or column a KQL semantic error (SEM0100) could not resolve."""
    for _, message in chain:
        found = _UNRESOLVED.search(message)
        if found:
            return found.group(1)
    return None


def log_query_advice(chain: list[tuple[str, str]], preset: str | None, custom_query: bool) -> str:
    """What to do about a Log Analytics error, from its innermost codes."""
    codes = {code for code, _ in chain}
    missing = unresolved_name(chain)
    if missing is not None:
        tables = PRESET_TABLES.get(preset or "", {})
        if custom_query or not tables:
            return ("Check the table and column names of your query in the telemetry configuration (log_analytics), "
                    "and that the diagnostic setting that fills that table sends its logs to this workspace.")
        needs = "; ".join(f"{table} is filled by the diagnostic category {category}" for table, category in tables.items())
        if preset == "apim-llm-log":
            how = ("In the API Management instance, add a diagnostic setting (Monitoring > Diagnostic settings) that "
                   "sends both categories to this workspace with the destination table 'Resource specific'; the "
                   "tables appear once the gateway has logged requests.")
        else:
            how = ("Connect the API Management instance to workspace-based Application Insights and apply the "
                   "emit-token-metric policy with a Deployment dimension.")
        return (f"The {preset} queries read {' and '.join(tables)} ({needs}). {how} If your logs live elsewhere, set log_analytics.preset or "
                "the two queries in the telemetry configuration.")
    if any(code.startswith("SYN") or code == "SyntaxError" for code in codes):
        return "The query does not parse: fix the KQL in the telemetry configuration (log_analytics)."
    if any(code.startswith("SEM") or code == "SemanticError" for code in codes):
        return ("The query refers to something the workspace does not have: check the tables, columns and "
                "functions the query uses against the workspace.")
    if "PartialError" in codes or any("E_OVERFLOW" in message or "limit" in message.lower() for _, message in chain):
        return ("Totals from these rows may be incomplete: shorten the window (--days) or simplify the query, and "
                "pull again before relying on them.")
    return "Check the workspace ID and the query in the telemetry configuration (log_analytics)."


# Per-metric error codes of a metrics:getBatch 200 (Metric.errorCode) and what to do about them
METRIC_ERROR_ADVICE = {
    "InvalidSamplingType": ("Azure Monitor does not support the aggregation capplan asked for ({aggregations}) on this "
                            "metric for this resource, so the metric is left out. Check that the resource is of the "
                            "type the telemetry configuration says (a provisioned deployment for PTU utilization) "
                            "and that the metric is listed for it in Azure Monitor's supported-metrics reference."),
    "MetricNotFound": ("The resource does not emit this metric: check the resource type and the metric's name in "
                       "Azure Monitor's supported-metrics reference."),
}
DEFAULT_METRIC_ADVICE = ("The other metrics of the query are used. Check the metric in Azure Monitor's "
                         "supported-metrics reference for this resource type, and pull again later if Azure "
                         "reported a transient problem.")


def metric_error_advice(code: str, aggregations: Iterable[str]) -> str:
    template = METRIC_ERROR_ADVICE.get(code, DEFAULT_METRIC_ADVICE)
    return template.format(aggregations=", ".join(a.capitalize() for a in aggregations))


def request_advice(status: int, chain: list[tuple[str, str]], logs: bool) -> str:
    """What to do about a refused request (4xx other than 401/403/404/429), from Azure's words."""
    text = " ".join(message for _, message in chain).lower()
    if "retention" in text:
        return ("Azure Monitor keeps platform metrics 93 days: choose a window within the last 93 days "
                "(--days, or window_days in the telemetry configuration).")
    if logs:
        return "Check the workspace ID and the query in the telemetry configuration (log_analytics)."
    return ("Check the resource IDs, their region group and the window in the telemetry configuration; every resource "
            "of one region group must be in that Azure region.")


def describe_body_shape(body: Any) -> str:
    """Why a 200 body is not a metrics:getBatch response (it has no `values` list)."""
    if not isinstance(body, Mapping):
        return f"the body is a JSON {type(body).__name__}, not an object with a `values` list"
    keys = ", ".join(sorted(str(k) for k in body)[:8]) or "none"
    if "value" in body and "timespan" in body:
        return (f"the body has no `values` list (its keys: {keys}); it looks like a single-resource ARM metrics "
                "response, not a metrics:getBatch answer")
    if "error" in body:
        return f"the body has no `values` list but an error: {azure_words(error_chain(body['error']))}"
    return f"the body has no `values` list (its keys: {keys})"
