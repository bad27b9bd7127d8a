"""One settings object, read once from the environment (`CAPPLAN_*`).

No secrets live here: Azure credentials come from `DefaultAzureCredential`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.bundled import bundled_folder

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    pricing_dir: Path
    scenarios_dir: Path
    data_dir: Path  # the user's data folder: benchmark results, built models, uploads
    library_writable: bool
    allow_price_refresh: bool
    telemetry_config: Path | None
    prices_endpoint: str = "https://prices.azure.com/api/retail/prices"  # CAPPLAN_PRICES_ENDPOINT


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    xdg = os.environ.get("XDG_DATA_HOME")
    default_data = (Path(xdg) if xdg else Path.home() / ".local" / "share") / "capplan"
    telemetry = os.environ.get("CAPPLAN_TELEMETRY_CONFIG")
    return Settings(
        pricing_dir=_path("CAPPLAN_PRICING_DIR", bundled_folder("pricing")),  # the sheets shipped with capplan
        scenarios_dir=_path("CAPPLAN_SCENARIOS_DIR", bundled_folder("scenarios")),  # and its scenario library
        data_dir=_path("CAPPLAN_DATA_DIR", default_data),
        library_writable=_flag("CAPPLAN_LIBRARY_WRITABLE"),
        allow_price_refresh=_flag("CAPPLAN_ALLOW_PRICE_REFRESH"),
        telemetry_config=Path(telemetry).expanduser() if telemetry else None,
        prices_endpoint=os.environ.get("CAPPLAN_PRICES_ENDPOINT") or Settings.prices_endpoint,
    )
