"""The demo recording: a synthetic Azure Monitor answering the real SDK, recorded like a live pull.

`generate_demo(folder)` runs the normal pull against `DemoAzureMonitor`, an HTTP adapter that
answers metrics:getBatch and Log Analytics queries in Azure's REST shapes from the seeded estate in
`demo_world`, and records every exchange (gzipped bodies). Same seed, same bytes.
"""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import requests
import urllib3
from requests.adapters import BaseAdapter, HTTPAdapter

from app.telemetry.config import PRESETS, TelemetryConfig
from app.telemetry.demo_world import (
    AOAI_ACCOUNT,
    END,
    GRAIN_MINUTES,
    OPENAI,
    SEED,
    START,
    TEAMS,
    World,
    build_world,
    demo_config,
)
from app.telemetry.pull import pull
from app.telemetry.recording import RecordingMeta, RecordingWriter
from app.telemetry.sources import ReplayCredential
from app.telemetry.transport import recording_transport

UNITS = {"RequestsPerMinute": "Count", "ConnectionsActive": "Count", "DeploymentCapacity": "Count",
         "AzureOpenAIRequests": "Count", "ProcessedPromptTokens": "Count", "GeneratedTokens": "Count",
         "ModelRequests": "Count", "InputTokens": "Count", "OutputTokens": "Count"}


def _unit(metric: str) -> str:
    if metric in UNITS:
        return UNITS[metric]
    if "Latency" in metric or metric.endswith("InMS") or metric == "AzureOpenAITimeToResponse":
        return "MilliSeconds"
    return "Percent"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: float, metric: str) -> float:
    return float(round(value)) if _unit(metric) == "Count" and metric != "ConnectionsActive" else round(value, 2)


class DemoAzureMonitor(BaseAdapter):
    """Answers like Azure Monitor, from a World."""

    def __init__(self, world: World):
        super().__init__()
        self.world = world
        self.stamps = [_iso(t) for t in world.times]

    def _reply(self, request: requests.PreparedRequest, status: int, body: Any) -> requests.Response:
        data = json.dumps(body, separators=(",", ":")).encode()
        raw = urllib3.HTTPResponse(body=io.BytesIO(data), status=status, preload_content=False,
                                   headers={"Content-Type": "application/json; charset=utf-8",
                                            "Content-Length": str(len(data))})
        return HTTPAdapter().build_response(request, raw)

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        url = urlsplit(request.url or "")
        body = json.loads(request.body or b"{}")
        if url.path.endswith("metrics:getBatch"):
            return self._reply(request, 200, self.metrics(dict(parse_qsl(url.query)), body["resourceids"]))
        if "/workspaces/" in url.path and url.path.endswith("/query"):
            return self._reply(request, 200, self.logs(body["query"]))
        return self._reply(request, 404, {"error": {"code": "NotFound", "message": "not part of the demo"}})

    def _timeseries(self, rid: str, metric: str, filt: str, aggs: list[str]) -> list[dict[str, Any]]:
        split_dep = "ModelDeploymentName" in filt
        split_status = "StatusCode" in filt
        out = []
        for (srid, smetric, dep, status), values in sorted(self.world.series.items(), key=lambda kv: str(kv[0])):
            if srid != rid.lower() or smetric != metric or (dep is not None) != split_dep:
                continue
            if (status is not None) != split_status:
                continue
            meta = []
            if dep is not None:
                meta.append({"name": {"value": "modeldeploymentname", "localizedValue": "modeldeploymentname"},
                             "value": dep})
            if status is not None:
                meta.append({"name": {"value": "statuscode", "localizedValue": "statuscode"}, "value": status})
            points = []
            columns = [(a.lower(), values.get(a.lower())) for a in aggs]
            for i, stamp in enumerate(self.stamps):
                point: dict[str, Any] = {"timeStamp": stamp}
                for name, column in columns:
                    if column is not None and not np.isnan(column[i]):
                        point[name] = _number(float(column[i]), metric)
                points.append(point)
            out.append({"metadatavalues": meta, "data": points})
        return out

    def metrics(self, query: dict[str, str], resource_ids: list[str]) -> dict[str, Any]:
        aggs = query.get("aggregation", "Average").split(",")
        filt = query.get("filter", "")
        values = []
        for rid in resource_ids:
            metrics = []
            for metric in query["metricnames"].split(","):
                metrics.append({"id": f"{rid}/providers/Microsoft.Insights/metrics/{metric}",
                                "type": "Microsoft.Insights/metrics",
                                "name": {"value": metric, "localizedValue": metric},
                                "displayDescription": "", "unit": _unit(metric), "errorCode": "Success",
                                "timeseries": self._timeseries(rid, metric, filt, aggs)})
            values.append({"starttime": query["starttime"], "endtime": query["endtime"],
                           "interval": query.get("interval", "PT5M"), "namespace": query["metricnamespace"].lower(),
                           "resourceregion": "eastus", "resourceid": rid, "value": metrics})
        return {"values": values}

    def _token_columns(self, dep: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        get = self.world.lookup
        ok = np.nan_to_num(get(AOAI_ACCOUNT, "AzureOpenAIRequests", dep, "200")["total"])  # type: ignore[index]
        prompt = np.nan_to_num(get(AOAI_ACCOUNT, "ProcessedPromptTokens", dep, None)["total"])  # type: ignore[index]
        completion = np.nan_to_num(get(AOAI_ACCOUNT, "GeneratedTokens", dep, None)["total"])  # type: ignore[index]
        cached = np.round(prompt * OPENAI[dep][3])
        return ok, prompt, completion, cached

    def logs(self, kql: str) -> dict[str, Any]:
        cached_kql, consumer_kql = PRESETS["apim-llm-log"]
        per_hour = 60 // GRAIN_MINUTES
        if kql == cached_kql:
            columns = [("Deployment", "string"), ("TimeGenerated", "datetime"), ("Requests", "long"),
                       ("PromptTokens", "long"), ("CompletionTokens", "long"), ("CachedTokens", "long")]
            rows = []
            for hour in range(len(self.stamps) // per_hour):
                for dep in OPENAI:
                    cols = [c[hour * per_hour:(hour + 1) * per_hour].sum() for c in self._token_columns(dep)]
                    rows.append([dep, self.stamps[hour * per_hour], *(int(c) for c in cols)])
        elif kql == consumer_kql:
            columns = [("Consumer", "string"), ("Deployment", "string"), ("Requests", "long"),
                       ("PromptTokens", "long"), ("CompletionTokens", "long"), ("CachedTokens", "long")]
            rows = []
            for dep in OPENAI:
                # each team's share differs a little by deployment so the split is not uniform; the
                # teams' counts add up exactly to the deployment's (every request has a subscription)
                tilts = np.array([share * (1.15 if (dep == "rag-gpt4o-ptu") == (team in ("team-research", "team-legal"))
                                           else 0.9) for team, share in TEAMS.items()])
                split = [_split_exactly(int(c.sum()), tilts / tilts.sum()) for c in self._token_columns(dep)]
                rows.extend([team, dep, *(int(part[i]) for part in split)] for i, team in enumerate(TEAMS))
            rows.sort(key=lambda row: (TEAM_ORDER[row[0]], row[1]))
        else:
            return {"tables": [{"name": "PrimaryResult", "columns": [], "rows": []}]}
        return {"tables": [{"name": "PrimaryResult", "columns": [{"name": n, "type": t} for n, t in columns],
                            "rows": rows}]}


TEAM_ORDER = {team: i for i, team in enumerate(TEAMS)}


def _split_exactly(total: int, shares: np.ndarray) -> np.ndarray:
    """Integers proportional to `shares` that sum to `total` exactly (largest remainder)."""
    raw = total * shares
    parts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - parts), kind="stable")
    parts[order[: total - int(parts.sum())]] += 1
    return parts


def generate_demo(folder: Path) -> Path:
    """Write the demo recording into `folder` (replacing its recording files)."""
    if folder.exists():
        for path in folder.iterdir():
            if path.name == "index.json" or path.name.endswith(".json.gz"):
                path.unlink()
    staging = folder.with_name(folder.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    writer = RecordingWriter(staging, compress=True)
    config = TelemetryConfig.model_validate(demo_config())
    world = build_world()
    pull(config, START, END, ReplayCredential(),
         transport_factory=lambda: recording_transport(writer, DemoAzureMonitor(world)), source="demo")
    writer.finish(RecordingMeta(source="demo", recorded_at=END.isoformat(), start=START.isoformat(),
                                end=END.isoformat(), config=demo_config(),
                                note="Synthetic demo estate (app/telemetry/demo_world.py, seed "
                                     f"{SEED}); not real data"))
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(staging.iterdir()):
        shutil.move(str(path), folder / path.name)
    staging.rmdir()
    return folder
