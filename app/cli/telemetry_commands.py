"""`capplan telemetry`: pull (and record), replay, summarize, calibrate, chargeback, demo."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
import yaml

from app.catalog.loader import display_path, load_price_book
from app.cli.terminal import json_text, safe
from app.telemetry.calibrate import calibrate
from app.telemetry.config import load_telemetry_config
from app.telemetry.costing import chargeback_rows
from app.telemetry.data import TelemetryData
from app.telemetry.pull import PullControls
from app.telemetry.sources import DEMO_DIR, configured, pull_live, replay, replay_demo
from app.telemetry.summary import summary_json

_config_option = click.option("--config", "config_path", type=click.Path(path_type=Path),
                              help="telemetry.yaml to pull live (default: $CAPPLAN_TELEMETRY_CONFIG).")
_replay_option = click.option("--replay", "replay_dir", type=click.Path(path_type=Path),
                              help="Recording folder to replay instead of calling Azure.")
_days_option = click.option("--days", type=click.FloatRange(min=0.01, max=93), default=None,
                            help="Window length in days (default: window_days of the configuration).")


def _progress(done: int, total: int, label: str) -> None:
    click.echo(f"[{done}/{total}] {label}", err=True)


def _load(config_path: Path | None, replay_dir: Path | None, days: float | None = None,
          record_dir: Path | None = None) -> TelemetryData:
    if config_path is not None and replay_dir is not None:
        raise click.UsageError("give --config or --replay, not both")
    controls = PullControls(progress=_progress)
    if replay_dir is not None:
        return replay(replay_dir, controls)
    config = load_telemetry_config(config_path, display_path(config_path)) if config_path else configured()
    if config is None:
        if record_dir is not None:
            raise click.UsageError("--record needs --config (or CAPPLAN_TELEMETRY_CONFIG)")
        click.echo("No telemetry configuration: showing the demo recording (Demo data).", err=True)
        return replay_demo(controls)
    return pull_live(config, days=days, record_dir=record_dir, controls=controls)


def _print_summary(data: TelemetryData, as_json: bool) -> None:
    summary = summary_json(data)
    if as_json:
        click.echo(json_text(summary, indent=2, sort_keys=False))
        return
    label = {"demo": "Demo data", "recording": "Recording", "live": "Live"}[data.source]
    click.echo(f"{label}: {safe(data.describe_window())}")
    for row in summary["rows"]:
        name = f"{row['resource']}/{row['deployment']}" if row["deployment"] else row["resource"]
        figures = ", ".join(f"{k}={v:,}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()
                            if k not in ("kind", "resource", "deployment") and v is not None)
        click.echo(safe(f"  {row['kind']:<14} {name}: {figures}"))
    for issue in summary["issues"]:
        click.echo(f"warning: {safe(issue)}", err=True)


@click.group("telemetry")
def telemetry() -> None:
    """Azure Monitor telemetry: pull, record, replay, summarize, calibrate and charge back.

    Needs Monitoring Reader (metrics) and Log Analytics Reader (logs); credentials come from
    DefaultAzureCredential (az login, environment, managed identity). Without a configuration the
    demo recording is used.
    """


@telemetry.command("pull")
@_config_option
@_replay_option
@click.option("--record", "record_dir", type=click.Path(path_type=Path),
              help="Keep every raw response in this (new, empty) folder, with an index.")
@_days_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def pull_command(config_path: Path | None, replay_dir: Path | None, record_dir: Path | None, days: float | None,
                 as_json: bool) -> None:
    """Pull metrics and logs (or replay a recording) and print the summary."""
    data = _load(config_path, replay_dir, days, record_dir)
    if record_dir is not None:
        click.echo(f"recorded {data.requests_made} requests in {record_dir}", err=True)
    _print_summary(data, as_json)


@telemetry.command("summary")
@_config_option
@_replay_option
@_days_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object: source, window, rows, issues.")
def summary_command(config_path: Path | None, replay_dir: Path | None, days: float | None, as_json: bool) -> None:
    """Per resource and deployment: requests, latency, utilization, instances, tokens, cache, 429s, PTU."""
    _print_summary(_load(config_path, replay_dir, days), as_json)


@telemetry.command("calibrate")
@_config_option
@_replay_option
@click.option("--resource", required=True, help="Online endpoint or Azure OpenAI account name.")
@click.option("--deployment", default=None, help="Azure OpenAI deployment (required for an account).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write the scenario YAML here.")
def calibrate_command(config_path: Path | None, replay_dir: Path | None, resource: str, deployment: str | None,
                      output: Path | None) -> None:
    """Write a scenario whose workload follows the observed telemetry of one resource."""
    result = calibrate(_load(config_path, replay_dir), resource, deployment)
    text = yaml.safe_dump(result.scenario.model_dump(mode="json", exclude_none=True), sort_keys=False, width=100)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@telemetry.command("chargeback")
@_config_option
@_replay_option
@click.option("--prices", "prices_dir", type=click.Path(path_type=Path), default=None, help="Price sheet folder.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), default=None, help="Write CSV here (default: stdout).")
def chargeback_command(config_path: Path | None, replay_dir: Path | None, prices_dir: Path | None,
                       csv_path: Path | None) -> None:
    """Tokens and cost per consumer (APIM subscription or team), priced from the price sheets."""
    rows, problems = chargeback_rows(_load(config_path, replay_dir), load_price_book(prices_dir))
    for problem in problems:
        click.echo(f"warning: {safe(problem)}", err=True)
    if not rows:
        return
    handle = csv_path.open("w", newline="", encoding="utf-8") if csv_path else sys.stdout
    writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    if csv_path:
        handle.close()


@telemetry.command("demo")
@click.option("--out", type=click.Path(path_type=Path), default=DEMO_DIR, show_default=True,
              help="Folder for the demo recording.")
def demo_command(out: Path) -> None:
    """Regenerate the demo recording from its seeded generator (byte-for-byte reproducible)."""
    from app.telemetry.demo import generate_demo
    generate_demo(out)
    click.echo(f"wrote the demo recording to {out}")


commands = [telemetry]
