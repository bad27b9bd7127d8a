"""`capplan report`: the scenario PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.catalog.loader import display_path, load_price_book, load_scenario
from app.cli.scenario_commands import PRICES_OPTION
from app.cli.terminal import safe
from app.errors import InputError
from app.report import write_pdf


@click.command()
@click.argument("scenario")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF (written to a temporary file, then renamed).")
@PRICES_OPTION
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4", show_default=True,
              help="Page size.")
def report(scenario: str, output: Path, prices_dir: Path | None, paper: str) -> None:
    """Write the scenario report for SCENARIO (a path, or the name of a file in scenarios/) as a PDF.

    Cover with the price sheets and their dates, executive summary, assumptions, each option's cost
    breakdown, capacity, latency and constraints, charts, method and the price lines used. The same
    input gives the same bytes apart from the creation date (set SOURCE_DATE_EPOCH to fix it). An
    invalid scenario prints the same errors as `capplan validate` and writes nothing.
    """
    if not output.parent.is_dir():
        raise click.BadParameter(f"folder {display_path(output.parent)} does not exist", param_hint="-o/--output")
    try:
        prices = load_price_book(prices_dir)
        loaded = load_scenario(scenario, prices)
        write_pdf(output, loaded, prices, paper.lower())
    except InputError as exc:
        for issue in exc.issues:
            click.echo(f"error: {safe(issue)}", err=True)
        click.echo(f"no report written to {display_path(output)}", err=True)
        sys.exit(2)
    click.echo(f"wrote {display_path(output)} ({paper.upper() if paper.lower() == 'a4' else 'Letter'})")


commands = [report]
