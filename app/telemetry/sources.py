"""Where telemetry comes from: a live pull (optionally recorded), a recording, or the demo recording."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from azure.core.credentials import AccessToken

from app.errors import InputError, InputIssue
from app.settings import get_settings
from app.telemetry.config import TelemetryConfig, load_telemetry_config
from app.telemetry.data import TelemetryData
from app.telemetry.identity import QueryCache
from app.telemetry.pull import PullControls, pull
from app.telemetry.recording import RecordingMeta, RecordingWriter, load_recording
from app.telemetry.transport import recording_transport, replay_transport

DEMO_DIR = Path(__file__).resolve().parent / "demo"


class ReplayCredential:
    """Stands in for Azure credentials when a recording answers: its token is never a real one."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("replay-not-a-token", int(time.time()) + 3600)


def default_window(config: TelemetryConfig, now: datetime | None = None,
                   days: float | None = None) -> tuple[datetime, datetime]:
    """The last `days` (default: the config's window_days) ending at the last whole interval."""
    now = now or datetime.now(UTC)
    grain = config.granularity_minutes * 60
    end = datetime.fromtimestamp(int(now.timestamp()) // grain * grain, tz=UTC)
    return end - timedelta(days=days if days is not None else config.window_days), end


def replay(folder: Path, controls: PullControls | None = None) -> TelemetryData:
    """Serve a recording back to the real SDK and parse it exactly as a live pull."""
    recording = load_recording(folder)
    try:
        config = TelemetryConfig.model_validate(recording.meta.config)
        start = datetime.fromisoformat(recording.meta.start)
        end = datetime.fromisoformat(recording.meta.end)
    except ValueError as exc:
        raise InputError(InputIssue(str(folder), None, "", f"the recording's configuration or window is invalid: "
                                    f"{str(exc).splitlines()[0]}")) from None
    source = "demo" if recording.meta.source == "demo" else "recording"
    # A replay never sleeps: a recorded 429's Retry-After (or backoff) is answered at once by the
    # next recorded response, so a recording of throttling replays in moments, not hours.
    controls = dataclasses.replace(controls or PullControls(), sleep=_no_wait)
    return pull(config, start, end, ReplayCredential(), transport_factory=lambda: replay_transport(recording),
                controls=controls, source=source, origin=str(folder))


def _no_wait(seconds: float) -> None:
    """The sleep of a replay: the recording already holds what came after the wait."""


def replay_demo(controls: PullControls | None = None) -> TelemetryData:
    return replay(DEMO_DIR, controls)


def pull_live(config: TelemetryConfig, *, credential: Any | None = None, days: float | None = None,
              record_dir: Path | None = None, cache: QueryCache | None = None,
              controls: PullControls | None = None, transport_inner: Any = None) -> TelemetryData:
    """Pull from Azure Monitor with DefaultAzureCredential; with record_dir, keep every response."""
    if credential is None:
        from azure.identity import DefaultAzureCredential
        credential = DefaultAzureCredential()
    start, end = default_window(config, days=days)
    writer = RecordingWriter(record_dir) if record_dir is not None else None
    factory = (lambda: recording_transport(writer, transport_inner)) if writer is not None else None
    data = pull(config, start, end, credential, transport_factory=factory, cache=None if writer else cache,
                controls=controls)
    if writer is not None:
        writer.finish(RecordingMeta(source="live", recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
                                    start=start.isoformat(), end=end.isoformat(),
                                    config=config.model_dump(mode="json", exclude_none=True)))
        data.origin = str(record_dir)
    return data


def configured() -> TelemetryConfig | None:
    """The configuration named by CAPPLAN_TELEMETRY_CONFIG, or None (then the demo recording is used)."""
    path = get_settings().telemetry_config
    return load_telemetry_config(path) if path is not None else None

