"""`capplan bench`: run (with --json), list, show, export, delete, bad input, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import cli
from app.settings import get_settings
from tests.bench.tiny_models import write_string_input_model


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAPPLAN_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_run_list_show_export_delete(data_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["bench", "run", "--model", "magika", "--iterations", "20", "--warmup", "2", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["status"] == "complete" and "samples_ms" not in record["results"]["single_stream"]
    run_id = record["run_id"]

    listed = runner.invoke(cli, ["bench", "list"])
    assert run_id in listed.output and "single-stream p50" in listed.output
    shown = runner.invoke(cli, ["bench", "show", run_id])
    assert "single_stream" in shown.output and "machine:" in shown.output
    exported = runner.invoke(cli, ["bench", "export", run_id, "--format", "csv"])
    assert exported.output.splitlines()[0].startswith("run_id,status")
    assert runner.invoke(cli, ["bench", "delete", run_id]).exit_code == 0
    assert "no stored runs" in runner.invoke(cli, ["bench", "list"]).output


def test_server_mode_table(data_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["bench", "run", "--model", "magika", "--mode", "server", "--qps", "20",
                                      "--iterations", "15", "--warmup", "1"])
    assert result.exit_code == 0, result.output
    assert "server" in result.output and "20.0" in result.output


def test_bad_input_exits_2_with_a_message_and_stores_nothing(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["bench", "run", "--mode", "server"])
    assert result.exit_code == 2 and "needs a target rate: --qps" in result.output
    bad = write_string_input_model(tmp_path / "strings.onnx")
    result = runner.invoke(cli, ["bench", "run", "--file", str(bad), "--iterations", "3"])
    assert result.exit_code == 2 and "has type STRING" in result.output
    result = runner.invoke(cli, ["bench", "run", "--model", "resnet"])
    assert result.exit_code == 2 and "unknown model 'resnet'" in result.output
    assert "no stored runs" in runner.invoke(cli, ["bench", "list"]).output
