"""Fixtures of the price-refresh tests: the replay server on 127.0.0.1 and isolated settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from replay_server import ReplayServer

from app.settings import get_settings

HERE = Path(__file__).parent
RECORDING = HERE / "recordings" / "eastus.json"
EXPECTED = HERE / "expected"
AS_OF = "2026-12-01"


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with ReplayServer.from_file(RECORDING) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh CAPPLAN_DATA_DIR, with the settings re-read."""
    folder = tmp_path / "data"
    monkeypatch.setenv("CAPPLAN_DATA_DIR", str(folder))
    monkeypatch.delenv("CAPPLAN_PRICING_DIR", raising=False)
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()
