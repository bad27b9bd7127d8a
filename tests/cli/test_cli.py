"""The capplan command as a user runs it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli.main", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_every_shipped_file_validates():
    files = sorted(str(p.relative_to(ROOT)) for p in [*ROOT.glob("scenarios/*.yaml"), *ROOT.glob("pricing/*.yaml")])
    result = run("validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok: ") == len(files)


def test_validate_reports_file_line_and_field_and_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "scenarios" / "rag-knowledge-base.yaml").read_text().replace("ptu: auto", "ptu: 12"))
    result = run("validate", str(bad), "scenarios/rag-knowledge-base.yaml")
    assert result.returncode == 2
    assert "options[2].ptu: gpt-4o global: 12 PTU is below the minimum deployment of 15 PTU" in result.stderr
    assert f"{bad}:24:" in result.stderr or "bad.yaml:24:" in result.stderr
    assert "ok: scenarios/rag-knowledge-base.yaml" in result.stdout
    assert "1 of 2 file(s) failed validation" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_evaluate_unknown_scenario_lists_the_library():
    result = run("evaluate", "no-such-scenario")
    assert result.returncode == 2
    assert "no such scenario file, and no scenario of that name in scenarios/" in result.stderr
    assert "rag-knowledge-base" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_with_a_missing_price_folder(tmp_path):
    result = run("evaluate", "rag-knowledge-base", "--prices", str(tmp_path / "none"))
    assert result.returncode == 2
    assert "price folder not found" in result.stderr


def test_evaluate_with_other_prices(tmp_path):
    # The same sheets with gpt-4o at twice the price: Global Standard doubles.
    text = (ROOT / "pricing" / "azure-openai.yaml").read_text().replace(
        "global:    {input: 2.5, cached_input: 1.25, output: 10.0}", "global:    {input: 5.0, cached_input: 2.5, output: 20.0}")
    (tmp_path / "azure-openai.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["evaluate", "rag-knowledge-base", "--json", "--prices", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["options"][0]["monthly_cost"] == 2 * 7437.5


def test_evaluate_table_shows_costs_recommendation_and_warnings():
    result = CliRunner().invoke(cli, ["evaluate", "rag-knowledge-base"])
    assert result.exit_code == 0
    assert "Data Zone Standard *" in result.output
    assert "7,437.50" in result.output  # Global Standard, cheaper but outside the EU data zone
    assert "recommended (*): Data Zone Standard" in result.output
    assert "Global Standard: data residency: Global Standard may process requests in any Azure region" in result.output
    assert "prices: azure-openai eastus as_of 2026-11-01" in result.output
    assert "cannot answer interactive requests" in result.output


def test_evaluate_accepts_a_path():
    result = CliRunner().invoke(cli, ["evaluate", "scenarios/steady-ptu-sizing.yaml", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["scenario"] == "Steady high-volume PTU sizing"


@pytest.mark.parametrize("command", [[], ["validate"], ["evaluate"], ["serve"]])
def test_help(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
