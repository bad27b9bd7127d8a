"""`capplan evaluate --json` for every library scenario equals its golden file (tests/golden/evaluate/).

After a deliberate model change: `make golden`, then review the diff of tests/golden/evaluate/ line by line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.catalog.loader import library_names
from app.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "evaluate"
LIBRARY = library_names(ROOT / "scenarios")


def test_the_library_has_at_least_six_scenarios():
    assert len(LIBRARY) >= 6


@pytest.mark.parametrize("name", LIBRARY)
def test_evaluate_json_matches_golden(name):
    result = CliRunner().invoke(cli, ["evaluate", name, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    actual = json.loads(result.output)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    assert path.exists(), f"no golden file for {name}: run `make golden` and review it"
    assert actual == json.loads(path.read_text())


def test_every_golden_file_has_a_scenario():
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == LIBRARY
