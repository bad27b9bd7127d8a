"""The Prices-page panel (`render_price_refresh_panel`) in Streamlit's AppTest, over the replay server."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from replay_server import ReplayServer
from streamlit.testing.v1 import AppTest

from app.settings import get_settings

SCRIPT = "from app.ui.price_refresh_panel import render_price_refresh_panel\nrender_price_refresh_panel()\n"


def panel() -> AppTest:
    app = AppTest.from_string(SCRIPT, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    parts = [e.value for e in (*app.caption, *app.markdown, *app.success, *app.error, *app.text)]
    return "\n".join(str(p) for p in parts)


def test_no_refresh_button_unless_allowed(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAPPLAN_ALLOW_PRICE_REFRESH", raising=False)
    get_settings.cache_clear()
    app = panel()
    assert len(app.button) == 0
    assert "CAPPLAN_ALLOW_PRICE_REFRESH=1" in texts(app)
    versions = app.dataframe[0].value
    assert list(versions["folder"]) == ["pricing"] and bool(versions["in use"].iloc[0])
    assert "No refresh yet" in texts(app)


def test_refresh_button_writes_a_version_and_shows_the_diff(replay: ReplayServer, data_dir: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPPLAN_ALLOW_PRICE_REFRESH", "1")
    monkeypatch.setenv("CAPPLAN_PRICES_ENDPOINT", replay.url)
    get_settings.cache_clear()
    app = panel()
    app.button(key="price_refresh_button").click().run()
    assert not app.exception, app.exception
    assert "files in" in app.success[0].value
    assert "2916 -> 2652" in app.code[0].value and "Unmapped meters (1)" in app.code[0].value
    folders = list((data_dir / "pricing").iterdir())
    assert len(folders) == 1 and (folders[0] / "azure-openai.yaml").is_file()
    assert any("[11/11] Standard_NC24ads_A100_v4" in str(t.value) for t in app.text)  # progress lines
    app = panel()  # next visit: the new version and its diff
    versions = app.dataframe[0].value
    assert len(versions) == 2 and not bool(versions["in use"].iloc[0])
    changes = app.dataframe[1].value
    row = changes[changes["price"] == "ptu_rates.regional.yearly"].iloc[0]
    assert (row["old"], row["new"], row["change (%)"]) == (2916, 2652, -9.1)
    assert "1 unmapped meters" in texts(app) and "1 ambiguous prices" in texts(app)


def test_unreachable_endpoint_is_a_message_not_a_traceback(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CAPPLAN_ALLOW_PRICE_REFRESH", "1")
    monkeypatch.setenv("CAPPLAN_PRICES_ENDPOINT", f"http://127.0.0.1:{port}/api/retail/prices")
    get_settings.cache_clear()
    app = panel()
    app.button(key="price_refresh_button").click().run()
    assert not app.exception
    assert "No network?" in app.error[0].value
    assert not (data_dir / "pricing").exists()
