"""`telemetry.yaml`: which Azure resources to read, grouped by region, and the Log Analytics queries.

Validated like scenarios (app.catalog.validation): every problem names the file, the line and the
field path. Unknown keys are errors. The metrics endpoint is regional, so each group names its region.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.catalog.validation import validate_document
from app.catalog.yaml_source import YamlDocument, parse_yaml, read_yaml_file
from app.engine.levels import DeploymentLevel
from app.errors import InputError

AML_ENDPOINT_TYPE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints"
AML_DEPLOYMENT_TYPE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments"
OPENAI_TYPE = "Microsoft.CognitiveServices/accounts"

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_NAME = r"[A-Za-z0-9][A-Za-z0-9_.()-]{0,89}"
AML_ENDPOINT_ID = re.compile(
    rf"^/subscriptions/{_GUID}/resourceGroups/{_NAME}/providers/Microsoft\.MachineLearningServices/"
    rf"workspaces/{_NAME}/onlineEndpoints/{_NAME}$", re.IGNORECASE)
OPENAI_ID = re.compile(
    rf"^/subscriptions/{_GUID}/resourceGroups/{_NAME}/providers/Microsoft\.CognitiveServices/accounts/{_NAME}$",
    re.IGNORECASE)
REGION = re.compile(r"^[a-z][a-z0-9]{2,30}$")
DEPLOYMENT_NAME = re.compile(rf"^{_NAME}$")

# Defaults for API Management's LLM gateway log (diagnostic category GatewayLlmLogs). The table has
# PromptTokens/CompletionTokens/DeploymentName; cached tokens are read from the logged response's
# usage.prompt_tokens_details.cached_tokens (needs response logging on), and the consumer (the APIM
# subscription) from ApiManagementGatewayLogs through CorrelationId. Both are overridable.
APIM_CACHED_TOKENS_KQL = """ApiManagementGatewayLlmLog
| where SequenceNumber == 0
| extend CachedTokens = tolong(todynamic(tostring(ResponseMessages))[0].usage.prompt_tokens_details.cached_tokens)
| summarize Requests = count(), PromptTokens = sum(PromptTokens), CompletionTokens = sum(CompletionTokens),
    CachedTokens = sum(coalesce(CachedTokens, 0)) by Deployment = DeploymentName, TimeGenerated = bin(TimeGenerated, 1h)
| order by TimeGenerated asc"""

APIM_CONSUMER_TOKENS_KQL = """ApiManagementGatewayLlmLog
| where SequenceNumber == 0
| extend CachedTokens = tolong(todynamic(tostring(ResponseMessages))[0].usage.prompt_tokens_details.cached_tokens)
| join kind=leftouter (ApiManagementGatewayLogs | project CorrelationId, ApimSubscriptionId) on CorrelationId
| summarize Requests = count(), PromptTokens = sum(PromptTokens), CompletionTokens = sum(CompletionTokens),
    CachedTokens = sum(coalesce(CachedTokens, 0)) by Consumer = coalesce(ApimSubscriptionId, "(no subscription)"),
    Deployment = DeploymentName
| order by Consumer asc, Deployment asc"""

# Defaults for workspace-based Application Insights fed by APIM's azure-openai-emit-token-metric /
# llm-emit-token-metric policy (custom metrics "Prompt Tokens" / "Completion Tokens" with the
# default "Subscription ID" dimension and a "Deployment" dimension added in the policy). These
# metrics carry no cached-token count, so CachedTokens is null.
APPINSIGHTS_CACHED_TOKENS_KQL = """AppMetrics
| where Name in ("Prompt Tokens", "Completion Tokens")
| extend Deployment = tostring(Properties["Deployment"])
| summarize Requests = sumif(ItemCount, Name == "Prompt Tokens"), PromptTokens = sumif(Sum, Name == "Prompt Tokens"),
    CompletionTokens = sumif(Sum, Name == "Completion Tokens"), CachedTokens = long(null)
    by Deployment, TimeGenerated = bin(TimeGenerated, 1h)
| order by TimeGenerated asc"""

APPINSIGHTS_CONSUMER_TOKENS_KQL = """AppMetrics
| where Name in ("Prompt Tokens", "Completion Tokens")
| extend Consumer = tostring(Properties["Subscription ID"]), Deployment = tostring(Properties["Deployment"])
| summarize Requests = sumif(ItemCount, Name == "Prompt Tokens"), PromptTokens = sumif(Sum, Name == "Prompt Tokens"),
    CompletionTokens = sumif(Sum, Name == "Completion Tokens"), CachedTokens = long(null) by Consumer, Deployment
| order by Consumer asc, Deployment asc"""

PRESETS = {
    "apim-llm-log": (APIM_CACHED_TOKENS_KQL, APIM_CONSUMER_TOKENS_KQL),
    "appinsights-token-metrics": (APPINSIGHTS_CACHED_TOKENS_KQL, APPINSIGHTS_CONSUMER_TOKENS_KQL),
}
GRANULARITIES = {"PT1M": 1, "PT5M": 5, "PT15M": 15, "PT30M": 30, "PT1H": 60, "PT6H": 360, "PT12H": 720, "P1D": 1440}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _deployment_names(names: list[str]) -> list[str]:
    for name in names:
        if not DEPLOYMENT_NAME.match(name):
            raise ValueError(f"deployment name {name!r} has characters Azure does not allow")
    if len(set(names)) != len(names):
        raise ValueError("a deployment is listed twice")
    return names


class AmlEndpointEntry(_Strict):
    resource_id: str
    deployments: list[str] = Field(default_factory=list, max_length=50)
    sku: str | None = None  # the VM size of the deployments, for calibration (optional)
    # max_concurrent_requests_per_instance of the deployments (optional; calibration derives it otherwise)
    concurrency: int | None = Field(default=None, ge=1, le=1024)

    @field_validator("resource_id")
    @classmethod
    def _endpoint_id(cls, value: str) -> str:
        if not AML_ENDPOINT_ID.match(value):
            raise ValueError("expected an online endpoint resource ID: /subscriptions/<guid>/resourceGroups/<rg>/providers/"
                             "Microsoft.MachineLearningServices/workspaces/<ws>/onlineEndpoints/<name>")
        return value

    @field_validator("deployments")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        return _deployment_names(value)

    @property
    def name(self) -> str:
        return self.resource_id.rsplit("/", 1)[1]


class OpenAIDeploymentEntry(_Strict):
    """How a deployment is priced: the model in the price sheet, the deployment level, and for a
    provisioned deployment its PTU count and how they are bought (chargeback shares that cost)."""

    model: str
    level: DeploymentLevel = "global"
    type: Literal["standard", "provisioned"] = "standard"
    ptu: int | None = Field(default=None, ge=1, le=100_000)
    billing: Literal["hourly", "monthly", "yearly"] = "monthly"

    @model_validator(mode="after")
    def _ptu_only_when_provisioned(self) -> OpenAIDeploymentEntry:
        if self.ptu is not None and self.type != "provisioned":
            raise ValueError("ptu applies to provisioned deployments only (set type: provisioned)")
        return self


class OpenAIAccountEntry(_Strict):
    resource_id: str
    # Deployments are discovered through the ModelDeploymentName dimension; list them here to
    # price them (chargeback, calibration).
    deployments: dict[str, OpenAIDeploymentEntry] = Field(default_factory=dict)

    @field_validator("resource_id")
    @classmethod
    def _account_id(cls, value: str) -> str:
        if not OPENAI_ID.match(value):
            raise ValueError("expected an Azure OpenAI / Foundry account resource ID: /subscriptions/<guid>/resourceGroups/"
                             "<rg>/providers/Microsoft.CognitiveServices/accounts/<name>")
        return value

    @field_validator("deployments")
    @classmethod
    def _names(cls, value: dict[str, OpenAIDeploymentEntry]) -> dict[str, OpenAIDeploymentEntry]:
        _deployment_names(list(value))
        return value

    @property
    def name(self) -> str:
        return self.resource_id.rsplit("/", 1)[1]


class GroupEntry(_Strict):
    region: str
    aml_endpoints: list[AmlEndpointEntry] = Field(default_factory=list, max_length=1000)
    openai_accounts: list[OpenAIAccountEntry] = Field(default_factory=list, max_length=1000)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not REGION.match(value):
            raise ValueError(f"expected an Azure region name such as eastus or swedencentral, got {value!r}")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> GroupEntry:
        if not self.aml_endpoints and not self.openai_accounts:
            raise ValueError("a group needs at least one entry in aml_endpoints or openai_accounts")
        return self


class LogAnalyticsEntry(_Strict):
    workspace_id: str
    preset: Literal["apim-llm-log", "appinsights-token-metrics"] = "apim-llm-log"
    cached_tokens_query: str | None = Field(default=None, min_length=1, max_length=20_000)
    consumer_tokens_query: str | None = Field(default=None, min_length=1, max_length=20_000)

    @field_validator("workspace_id")
    @classmethod
    def _workspace(cls, value: str) -> str:
        if not re.fullmatch(_GUID, value):
            raise ValueError("expected the workspace ID (a GUID, shown as 'Workspace ID' on the workspace overview)")
        return value

    @property
    def cached_kql(self) -> str:
        return self.cached_tokens_query or PRESETS[self.preset][0]

    @property
    def consumer_kql(self) -> str:
        return self.consumer_tokens_query or PRESETS[self.preset][1]


class TelemetryConfig(_Strict):
    window_days: float = Field(default=14, gt=0, le=93)  # platform metrics are kept 93 days
    granularity: str = "PT5M"
    groups: list[GroupEntry] = Field(min_length=1, max_length=200)
    log_analytics: LogAnalyticsEntry | None = None

    @field_validator("granularity")
    @classmethod
    def _grain(cls, value: str) -> str:
        if value not in GRANULARITIES:
            raise ValueError(f"expected one of {', '.join(GRANULARITIES)}, got {value!r}")
        return value

    @model_validator(mode="after")
    def _unique_resources(self) -> TelemetryConfig:
        seen: set[str] = set()
        for group in self.groups:
            for rid in [e.resource_id for e in group.aml_endpoints] + [a.resource_id for a in group.openai_accounts]:
                if rid.lower() in seen:
                    raise ValueError(f"resource {rid} is listed twice")
                seen.add(rid.lower())
        return self

    @property
    def granularity_minutes(self) -> int:
        return GRANULARITIES[self.granularity]


def config_from_document(doc: YamlDocument) -> TelemetryConfig:
    if not isinstance(doc.data, dict):
        raise InputError(doc.issue((), "expected a mapping with groups (and optionally window_days, granularity, "
                                       "log_analytics)"))
    return validate_document(TelemetryConfig, doc)


def load_telemetry_config(path: Path, shown: str | None = None) -> TelemetryConfig:
    """Read and validate a telemetry.yaml; every problem is an InputError naming file, line and field."""
    return config_from_document(read_yaml_file(path, shown or str(path)))


def parse_telemetry_config(text: str | bytes, source: str) -> TelemetryConfig:
    return config_from_document(parse_yaml(text, source))


def subscription_of(resource_id: str) -> str:
    return resource_id.split("/")[2].lower()
