"""`capplan validate` and `capplan evaluate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.catalog.loader import evaluate_loaded, load_price_book, load_scenario, validate_file
from app.cli.table import evaluation_table
from app.cli.terminal import json_text, safe
from app.errors import InputError

PRICES_OPTION = click.option(
    "--prices", "prices_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder of price sheets to use instead of pricing/ (every *.yaml in it; without an "
         "azure-openai-service sheet, the bundled one gives latency figures and quotas).")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@PRICES_OPTION
def validate(files: tuple[Path, ...], prices_dir: Path | None) -> None:
    """Check scenario and price-sheet files. Exit 0 when all pass, 2 otherwise.

    Scenarios are checked against the price sheets (--prices, default pricing/): every model,
    deployment level and SKU must have a price.
    """
    failed = 0
    for path in files:
        try:
            what = validate_file(path, prices_dir)
        except InputError as exc:
            failed += 1
            for issue in exc.issues:
                click.echo(f"error: {safe(issue)}", err=True)
            continue
        click.echo(f"ok: {safe(path)} ({what})")
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) failed validation", err=True)
        sys.exit(2)


@click.command()
@click.argument("scenario")
@PRICES_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table (its keys: docs/cli.md).")
def evaluate(scenario: str, prices_dir: Path | None, as_json: bool) -> None:
    """Evaluate SCENARIO: a path, or the name of a file in scenarios/.

    Prints each option's monthly cost, cost per 1k requests, capacity, latency (end to end and time
    to first token) and the constraints it fails, in words, and the recommended option: the cheapest
    that fails no constraint (stated ones: latency SLO, time to first token, deadline, data residency;
    and always: stability, throttling, quotas, batch only with a deadline). When none is feasible, it
    says what each option fails.
    """
    prices = load_price_book(prices_dir)
    loaded = load_scenario(scenario, prices)
    result = evaluate_loaded(loaded, prices)
    if as_json:
        click.echo(json_text(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(evaluation_table(result, loaded.scenario))


commands = [validate, evaluate]
