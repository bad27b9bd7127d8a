"""Shared fixtures: one data folder per test session with MiniLM built once (about 10 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bench.models import ensure_minilm


@pytest.fixture(scope="session")
def built_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("capplan-data")
    ensure_minilm(data_dir / "models")
    return data_dir
