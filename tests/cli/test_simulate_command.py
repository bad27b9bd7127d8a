"""`capplan simulate` through click: the table, the JSON, and errors with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from app.cli.main import cli


def test_table_compares_the_variants() -> None:
    result = CliRunner().invoke(cli, ["simulate", "monday-morning-autoscale", "--days", "1"])
    assert result.exit_code == 0, result.output
    assert "Slow rule as deployed" in result.output and "Cooldown 5 min and minimum 8" in result.output
    assert "SLO-violating min" in result.output and "pricing/azure-ml.yaml (as_of" in result.output


def test_json_has_totals_events_and_series() -> None:
    result = CliRunner().invoke(cli, ["simulate", "monday-morning-autoscale", "--days", "1", "--step", "60",
                                      "--json", "--series"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["settings"]["step_seconds"] == 60 and doc["settings"]["days"] == 1
    slow, fast = doc["variants"]
    assert slow["totals"]["slo_violating_minutes"] > fast["totals"]["slo_violating_minutes"]
    assert slow["events"][0]["event"] == "scale-out" and slow["events"][0]["at"].startswith("Mon 08:")
    assert len(slow["series_per_minute"]["instances"]) == 1440
    t = slow["totals"]
    assert abs(t["requests"] - (t["served"] + t["dropped_503"] + t["still_queued"])) < 1e-6 * t["requests"]


def test_bad_block_exits_2_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nworkload: {requests_per_month: 1000, service_time_ms: 5}\noptions:\n"
                    "  - {name: a, kind: aml-online, sku: Standard_DS3_v2, instances: 2}\n"
                    "simulation:\n  days: 0\n")
    result = CliRunner().invoke(cli, ["simulate", str(path)])
    assert result.exit_code == 2
    assert "bad.yaml:6: simulation.days: expected a number > 0" in result.output
