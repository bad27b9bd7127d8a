"""The chart element: the vendored plotly.js bundle is the recorded one and is served; figures are strict JSON."""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from app.cli import serve_command
from app.cli.main import cli
from app.ui.plotly_component import BUNDLE, JS, figure_json

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "app" / "ui" / "static"


def _strict(text: str) -> object:
    """Parse as JavaScript's JSON.parse would: NaN and Infinity are errors there."""
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_the_vendored_bundle_is_the_recorded_npm_file():
    readme = (STATIC / "README.md").read_text()
    recorded = re.search(r"sha256 of the file: `([0-9a-f]{64})`", readme)
    assert recorded, "static/README.md records the bundle's sha256"
    bundle = (STATIC / "plotly-basic.min.js").read_bytes()
    assert hashlib.sha256(bundle).hexdigest() == recorded.group(1)
    assert "plotly.js-basic-dist-min` 4.1.1" in readme and b"plotly.js (basic - minified) v4.1.1" in bundle[:200]
    assert (STATIC / "plotly-basic.LICENSE").read_text().startswith("MIT License")


def test_the_component_loads_the_bundle_by_a_relative_url_that_static_serving_maps_to_the_file():
    assert not BUNDLE.startswith("/")  # relative: follows server.baseUrlPath
    assert BUNDLE.startswith("app/static/") and (STATIC / BUNDLE.removeprefix("app/static/")).is_file()
    assert f'"{BUNDLE}"' in JS and "Plotly.react" in JS and "Plotly.purge" in JS
    assert len(JS) < 2000  # sent with every chart on every rerun


def test_static_serving_is_on_in_the_config_and_in_capplan_serve(monkeypatch):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    started: list[list[str]] = []
    monkeypatch.setattr(serve_command.os, "execvp", lambda _file, args: started.append(args))
    result = CliRunner().invoke(cli, ["serve", "--port", "8599"])
    assert result.exit_code == 0, result.output
    args = started[0]
    assert args[args.index("--server.enableStaticServing") + 1] == "true"


def test_figure_json_is_strict_json_with_gaps_as_null():
    figure = {"data": [{"type": "scatter", "x": (1, 2, 3, 4), "y": [1.5, math.nan, math.inf, -math.inf]}],
              "layout": {"height": 430}}
    assert _strict(figure_json(figure)) == {"data": [{"type": "scatter", "x": [1, 2, 3, 4],
                                                      "y": [1.5, None, None, None]}], "layout": {"height": 430}}


def test_figure_json_takes_numpy_values_and_utc_times():
    when = datetime(2026, 10, 5, 12, 30, tzinfo=UTC)
    figure = {"data": [{"x": [when], "y": np.array([1.0, np.nan]), "z": np.float32(0.5), "n": np.int64(7),
                        "flag": np.bool_(True)}]}
    assert _strict(figure_json(figure)) == {"data": [{"x": ["2026-10-05T12:30:00+00:00"], "y": [1.0, None],
                                                      "z": 0.5, "n": 7, "flag": True}]}


def test_figure_json_refuses_what_it_cannot_draw():
    with pytest.raises(TypeError, match="object"):
        figure_json({"data": [{"x": [object()]}]})

