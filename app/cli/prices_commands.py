"""`capplan prices refresh` and `capplan prices diff`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from app.catalog.loader import display_path, parse_price_sheet
from app.catalog.yaml_source import read_yaml_file
from app.cli.terminal import safe, safe_lines
from app.errors import InputError, InputIssue
from app.prices.client import DEFAULT_ENDPOINT
from app.prices.diff import diff_sheets, format_diff
from app.prices.refresh import RefreshOptions, refresh_prices
from app.settings import get_settings


@click.group()
def prices() -> None:
    """Refresh the price sheets from the Azure Retail Prices API, and compare sheets."""


@prices.command()
@click.option("--region", default="eastus", show_default=True, help="armRegionName to price.")
@click.option("--currency", default="USD", show_default=True, help="currencyCode (USD is the authoritative price).")
@click.option("--endpoint", default=DEFAULT_ENDPOINT, show_default=True,
              help="The API URL (a mirror or a local recording).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the sheets here, replacing files of the same name (atomically). "
                   "Default: a new folder <data dir>/pricing/<date>/; nothing is overwritten.")
@click.option("--base", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The current sheets to refresh (PTU parameters and SKU specs are carried from them). "
                   "Default: the pricing folder in use (pricing/ or CAPPLAN_PRICING_DIR).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The as_of date of the new sheets (default: today, UTC).")
def refresh(region: str, currency: str, endpoint: str, out: Path | None, base: Path | None,
            as_of: dt.datetime | None) -> None:
    """Build new azure-openai.yaml and azure-ml.yaml sheets from the Azure Retail Prices API.

    Queries Foundry Models (Azure OpenAI, GPT5, Reasoning and Embedding products, PTU meters and
    reservations) and Virtual Machines (each SKU of the compute sheet), maps every meter to a sheet
    price, and writes the sheets with the old -> new diff (price-diff.txt, price-diff.json) beside
    them. Unmapped or ambiguous meters are reported, never priced as 0; prices the API no longer
    lists keep their old value, flagged in the sheet's notes. Ctrl-C stops with nothing written.
    """
    currency = currency.upper()
    options = RefreshOptions(region=region, currency=currency, endpoint=endpoint, out=out, base=base,
                             as_of=as_of.date() if as_of else None)
    click.echo(f"Refreshing prices for {region} in {currency} from {endpoint}", err=True)
    try:
        result = refresh_prices(options, progress=lambda line: click.echo(safe(line), err=True))
    except KeyboardInterrupt:
        click.echo("\nstopped: nothing was written", err=True)
        sys.exit(130)
    click.echo(safe_lines(result.diff_text))
    if result.report_text:
        click.echo("")
        click.echo(safe_lines(result.report_text))
    click.echo("")
    click.echo(f"Wrote {len(result.files)} files to {display_path(result.folder)}/: "
               + ", ".join(p.name for p in result.files))
    if out is None:
        click.echo(f"Use them with --prices {display_path(result.folder)} (or CAPPLAN_PRICING_DIR), or replace the "
                   f"current sheets with --out {display_path(get_settings().pricing_dir)}.")


def _sheets(path: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """kind -> (shown path, raw data) for a sheet file or every sheet in a folder."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files or not all(p.is_file() for p in files):
        raise InputError(InputIssue(display_path(path), None, "", "no price sheet here (a .yaml file or a folder of them)"))
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for file in files:
        doc = read_yaml_file(file, display_path(file))
        sheet = parse_price_sheet(doc)
        found.setdefault(sheet.kind, (doc.source, doc.data))
    return found


@prices.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
def diff(old: Path, new: Path) -> None:
    """Compare two price sheets (files, or folders of sheets): old -> new per price, with % change."""
    before, after = _sheets(old), _sheets(new)
    changes = []
    for kind in [*before, *(k for k in after if k not in before)]:
        if kind not in before or kind not in after:
            click.echo(f"note: only {'NEW' if kind in after else 'OLD'} has a {kind} sheet", err=True)
            continue
        changes += diff_sheets(before[kind][1], after[kind][1])
    click.echo(safe_lines(format_diff(changes, display_path(old), display_path(new))))


commands = [prices]
