"""`capplan telemetry`: pull (and record), replay, summarize, calibrate, chargeback, demo."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from app.catalog.loader import display_path, load_price_book
from app.cli.terminal import json_text, safe, safe_lines
from app.telemetry.calibrate import calibrate
from app.telemetry.config import load_telemetry_config
from app.telemetry.costing import chargeback
from app.telemetry.data import TelemetryData
from app.telemetry.pull import PullControls
from app.telemetry.sources import DEMO_DIR, configured, pull_live, replay, replay_demo
from app.telemetry.summary import summary_json
from app.telemetry.summary_text import summary_text

_config_option = click.option("--config", "config_path", type=click.Path(path_type=Path),
                              help="telemetry.yaml to pull live (default: $CAPPLAN_TELEMETRY_CONFIG).")
_replay_option = click.option("--replay", "replay_dir", type=click.Path(path_type=Path),
                              help="Recording folder to replay instead of calling Azure.")
_days_option = click.option("--days", type=click.FloatRange(min=0.01, max=93), default=None,
                            help="Window length in days (default: window_days of the configuration).")


def _progress(done: int, total: int, label: str) -> None:
    click.echo(safe(f"[{done}/{total}] {label}"), err=True)


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
    if as_json:
        click.echo(json_text(summary_json(data), indent=2, sort_keys=False))
    else:
        click.echo(safe_lines(summary_text(data)))  # names from Azure or a recording: no control characters
    for issue in data.issues:
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
@click.option("--json", "as_json", is_flag=True, help="One JSON object: source, window, rows, issues (units in the keys).")
def summary_command(config_path: Path | None, replay_dir: Path | None, days: float | None, as_json: bool) -> None:
    """Per resource and deployment, a table per kind with units: requests, latency, utilization,
    instances, tokens, cache, 429s, PTU, time to first token and output tokens per second.

    What Azure reported as failed, partial or missing is printed as warnings (stderr) in Azure's words."""
    _print_summary(_load(config_path, replay_dir, days), as_json)


@telemetry.command("calibrate")
@_config_option
@_replay_option
@click.option("--resource", required=True, help="Online endpoint or Azure OpenAI account name.")
@click.option("--deployment", default=None, help="Azure OpenAI deployment (required for an account).")
@click.option("--prices", "prices_dir", type=click.Path(path_type=Path), default=None,
              help="Price sheet folder (the online endpoint's check evaluates the calibrated option).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write the scenario YAML here.")
def calibrate_command(config_path: Path | None, replay_dir: Path | None, resource: str, deployment: str | None,
                      prices_dir: Path | None, output: Path | None) -> None:
    """Write a scenario whose workload follows the observed telemetry of one resource.

    Prints how each figure was derived (and, for an online endpoint, the check of the calibrated
    option against the observed instances and utilization) on stderr, the scenario YAML on stdout
    or into --output. For an Azure OpenAI deployment, every option gets the observed time to first
    token and output speed as its `latency` override. Exits with status 2, saying why, when the telemetry cannot support a
    calibration.
    """
    result = calibrate(_load(config_path, replay_dir), resource, deployment, load_price_book(prices_dir))
    text = yaml.safe_dump(result.scenario.model_dump(mode="json", exclude_none=True), sort_keys=False, width=100,
                          allow_unicode=True)
    click.echo(safe_lines(result.report()), err=True)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(safe(f"wrote {output}"), err=True)


@telemetry.command("chargeback")
@_config_option
@_replay_option
@click.option("--prices", "prices_dir", type=click.Path(path_type=Path), default=None, help="Price sheet folder.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), default=None, help="Write CSV here (default: stdout).")
def chargeback_command(config_path: Path | None, replay_dir: Path | None, prices_dir: Path | None,
                       csv_path: Path | None) -> None:
    """What each consumer (APIM subscription) owes for the window, as CSV.

    Standard deployments: each consumer's tokens at the deployment's own token rates. Provisioned
    deployments: the PTU cost of the window (a reservation amortized over its month) shared by each
    consumer's share of the deployment's capacity-weighted tokens. Columns carry units; list cost
    and effective cost follow the FinOps FOCUS vocabulary; the last row is the total, which equals
    the modelled bill of those deployments for the window. Exits with status 2, printing Azure's
    words and what to do, when the per-consumer usage cannot be read in full.
    """
    data = _load(config_path, replay_dir)
    result = chargeback(data, load_price_book(prices_dir))
    for warning in result.warnings:
        click.echo(f"warning: {safe(warning)}", err=True)
    if csv_path is None:
        click.echo(result.csv(terminal=True), nl=False)  # consumer names reach the terminal: controls escaped
    else:
        csv_path.write_text(result.csv(), encoding="utf-8")
        listed, effective = result.totals
        click.echo(safe(f"wrote {csv_path}: {len(result.lines)} lines, effective cost {effective:,.2f} {result.currency} "
                        f"(list {listed:,.2f}) for {data.describe_window()}"), err=True)


@telemetry.command("demo")
@click.option("--out", type=click.Path(path_type=Path), default=DEMO_DIR, show_default=True,
              help="Folder for the demo recording.")
def demo_command(out: Path) -> None:
    """Regenerate the demo recording from its seeded generator (byte-for-byte reproducible)."""
    from app.telemetry.demo import generate_demo
    generate_demo(out)
    click.echo(f"wrote the demo recording to {out}")


commands = [telemetry]
