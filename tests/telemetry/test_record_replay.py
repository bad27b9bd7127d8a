"""Record/replay, the demo recording (reproducible, golden summary), caching by identity, batching."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from app.cli.main import cli
from app.telemetry.config import TelemetryConfig
from app.telemetry.demo import generate_demo
from app.telemetry.demo_world import CPU_ENDPOINT, START, demo_config
from app.telemetry.identity import QueryCache
from app.telemetry.pull import PullControls, pull
from app.telemetry.recording import RecordingMeta, RecordingWriter, load_recording
from app.telemetry.sources import DEMO_DIR, replay
from app.telemetry.summary import summary_json
from app.telemetry.transport import recording_transport
from tests.telemetry.conftest import TEST_DAYS, JwtCredential, ScriptedAzure, factory

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "telemetry-demo-summary.json"
END = START + timedelta(days=TEST_DAYS)


def test_demo_summary_matches_golden():
    result = CliRunner().invoke(cli, ["telemetry", "summary", "--replay", str(DEMO_DIR), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(GOLDEN.read_text())


def test_demo_recording_is_reproducible(tmp_path):
    out = generate_demo(tmp_path / "demo")
    committed = load_recording(DEMO_DIR)
    fresh = load_recording(out)
    assert json.loads((out / "index.json").read_text()) == json.loads((DEMO_DIR / "index.json").read_text())
    for a, b in zip(committed.exchanges, fresh.exchanges, strict=True):
        assert gzip.decompress((DEMO_DIR / a.body_file).read_bytes()) == gzip.decompress((out / b.body_file).read_bytes())


def test_record_then_replay_gives_the_same_data(world, config, tmp_path):
    folder = tmp_path / "rec"
    writer = RecordingWriter(folder)
    scripted = ScriptedAzure(world, [("RequestLatency_P50", [(429, {"error": {"code": "Throttled"}}, {"Retry-After": "0"})])])
    live = pull(config, START, END, JwtCredential(), transport_factory=lambda: recording_transport(writer, scripted))
    writer.finish(RecordingMeta("live", "2026-10-07T00:00:00+00:00", START.isoformat(), END.isoformat(),
                                config.model_dump(mode="json", exclude_none=True)))
    index = (folder / "index.json").read_text()
    assert "Authorization" not in index and "Bearer" not in index
    assert [e.status for e in load_recording(folder).exchanges][:2] == [429, 200]
    replayed = replay(folder)
    assert replayed.source == "recording"
    assert summary_json(replayed)["rows"] == summary_json(live)["rows"]


def test_cache_is_keyed_by_identity(world, config):
    cache = QueryCache()
    adapter = ScriptedAzure(world)
    run = lambda cred: pull(config, START, END, cred, transport_factory=factory(adapter), cache=cache)  # noqa: E731
    run(JwtCredential("t1", "alice"))
    first = len(adapter.calls)
    run(JwtCredential("t1", "alice"))
    assert len(adapter.calls) == first  # served from the cache
    run(JwtCredential("t1", "bob"))
    assert len(adapter.calls) == 2 * first  # another principal: asked again
    run(JwtCredential("t2", "alice"))
    assert len(adapter.calls) == 3 * first  # another tenant: asked again


def test_at_most_50_resources_per_batch_call(world):
    raw = demo_config()
    group = raw["groups"][0]  # type: ignore[index]
    group["aml_endpoints"] = [{"resource_id": CPU_ENDPOINT[:-len("ticket-classifier")] + f"ep{i:03d}"}
                              for i in range(120)]
    group["openai_accounts"] = []
    config = TelemetryConfig.model_validate(raw | {"log_analytics": None})
    adapter = ScriptedAzure(world)
    pull(config, START, END, JwtCredential(), transport_factory=factory(adapter), controls=PullControls())
    sizes = [len(json.loads(c.body)["resourceids"]) for c in adapter.calls if "getBatch" in (c.url or "")]
    assert sizes == [50, 50, 20]
    assert all(c.url.startswith("https://eastus.metrics.monitor.azure.com/") for c in adapter.calls)
