"""Telemetry speed: summarizing the demo recording, and a 30-day, 1-minute, 20-resource × 10-metric
recording replayed through the real SDK and summarized, side by side with a bare json.loads of the
same bytes (target: at most 4×).

Run with `make bench`; the synthetic recording is built once per session in a temporary folder.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from app.telemetry.config import TelemetryConfig
from app.telemetry.recording import RecordingMeta, RecordingWriter
from app.telemetry.sources import DEMO_DIR, replay
from app.telemetry.summary import summary_json

SUB = "3f2a9c1e-5b7d-4e2a-9c8f-0d1e2f3a4b5c"
START = datetime(2026, 9, 1, tzinfo=UTC)
DAYS, RESOURCES = 30, 20
METRICS = ("RequestLatency_P50", "RequestLatency_P90", "RequestLatency_P95", "RequestLatency_P99",
           "RequestsPerMinute", "ConnectionsActive")
DEPLOYMENT_METRICS = ("CpuUtilizationPercentage", "CpuMemoryUtilizationPercentage", "GpuUtilizationPercentage",
                      "GpuMemoryUtilizationPercentage")  # 6 + 4 = 10 metrics per endpoint (and its deployment)


def _body(ids: list[str], names: tuple[str, ...], aggs: tuple[str, ...], rng: np.random.Generator) -> bytes:
    """A getBatch body in Azure's REST shape, written as text (building 8.6M dicts would dominate the run)."""
    n = DAYS * 1440
    stamps = [(START + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(n)]
    keys = [a.lower() for a in aggs]
    values = []
    for rid in ids:
        metrics = []
        for name in names:
            column = np.round(rng.uniform(1, 100, n), 2).tolist()
            points = ",".join('{"timeStamp":"' + t + '",' + ",".join(f'"{k}":{v}' for k in keys) + "}"
                              for t, v in zip(stamps, column, strict=True))
            head = json.dumps({"id": f"{rid}/providers/Microsoft.Insights/metrics/{name}",
                               "type": "Microsoft.Insights/metrics", "name": {"value": name, "localizedValue": name},
                               "displayDescription": "", "unit": "Count", "errorCode": "Success"})[:-1]
            metrics.append(head + ',"timeseries":[{"metadatavalues":[],"data":[' + points + "]}]}")
        item = json.dumps({"starttime": stamps[0], "endtime": stamps[-1], "interval": "PT1M", "namespace": "x",
                           "resourceregion": "eastus", "resourceid": rid})[:-1]
        values.append(item + ',"value":[' + ",".join(metrics) + "]}")
    return ('{"values":[' + ",".join(values) + "]}").encode()


@pytest.fixture(scope="session")
def big_recording(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[bytes]]:
    """Recorded by running the real pull against a server answering with synthetic bodies."""
    import io

    import requests
    import urllib3
    from requests.adapters import BaseAdapter, HTTPAdapter

    from app.telemetry.pull import pull
    from app.telemetry.sources import ReplayCredential
    from app.telemetry.transport import recording_transport

    rng = np.random.default_rng(1)
    endpoints = [f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/"
                 f"onlineEndpoints/ep{i:02d}" for i in range(RESOURCES)]
    config = TelemetryConfig.model_validate({"window_days": float(DAYS), "granularity": "PT1M", "groups": [
        {"region": "eastus", "aml_endpoints": [{"resource_id": e, "deployments": ["d"]} for e in endpoints]}]})
    bodies: list[bytes] = []

    class Synthetic(BaseAdapter):
        def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
            ids = json.loads(request.body)["resourceids"]
            url = request.url or ""
            if "deployments" in url:
                body = _body(ids, DEPLOYMENT_METRICS, ("Average", "Minimum", "Maximum"), rng)
            else:
                body = _body(ids, METRICS, ("Average",), rng)
            bodies.append(body)
            raw = urllib3.HTTPResponse(body=io.BytesIO(body), status=200, preload_content=False,
                                       headers={"Content-Type": "application/json"})
            return HTTPAdapter().build_response(request, raw)

        def close(self) -> None:
            pass

    folder = tmp_path_factory.mktemp("telemetry") / "big"
    writer = RecordingWriter(folder)
    end = START + timedelta(days=DAYS)
    pull(config, START, end, ReplayCredential(), transport_factory=lambda: recording_transport(writer, Synthetic()))
    writer.finish(RecordingMeta("live", end.isoformat(), START.isoformat(), end.isoformat(),
                                config.model_dump(mode="json", exclude_none=True)))
    return folder, bodies


def test_summarize_demo_recording(benchmark: pytest.FixtureRequest) -> None:
    result = benchmark(lambda: summary_json(replay(DEMO_DIR)))
    assert result["source"] == "demo"


def test_bare_json_loads_demo(benchmark: pytest.FixtureRequest) -> None:
    import gzip
    bodies = [gzip.decompress(p.read_bytes()) for p in sorted(DEMO_DIR.glob("*.json.gz"))]
    benchmark(lambda: [json.loads(b) for b in bodies])


def test_summarize_30d_1min_20x10(benchmark: pytest.FixtureRequest, big_recording: tuple[Path, list[bytes]]) -> None:
    folder, _ = big_recording
    result = benchmark.pedantic(lambda: summary_json(replay(folder)), rounds=3, iterations=1)
    assert len(result["rows"]) == 2 * RESOURCES


def test_bare_json_loads_30d_1min_20x10(benchmark: pytest.FixtureRequest, big_recording: tuple[Path, list[bytes]]) -> None:
    _, bodies = big_recording
    def load_each() -> None:
        for body in bodies:
            json.loads(body)  # one body at a time, as the pull handles them

    benchmark.pedantic(load_each, rounds=3, iterations=1)
