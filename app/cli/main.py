"""`capplan`: the command-line entry point.

Command modules register themselves here by name in COMMAND_MODULES; each exposes `commands`, a
list of click commands or groups. Errors a user can cause print their message and exit 2; no
traceback reaches the user unless CAPPLAN_DEBUG=1.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from app import __version__
from app.cli.terminal import safe, safe_lines
from app.errors import CapplanError, InputError

COMMAND_MODULES = [
    "app.cli.scenario_commands",  # validate, evaluate
    "app.cli.serve_command",  # serve
    "app.cli.report_command",  # report
    "app.cli.prices_commands",  # prices refresh, prices diff
    "app.cli.bench_commands",  # bench run/list/show/compare/delete/export/models
    "app.cli.telemetry_commands",  # telemetry pull/summary/calibrate/chargeback/demo
    "app.cli.simulate_command",  # simulate
]


class CapplanGroup(click.Group):
    """A click group that turns CapplanError into a clean message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CapplanError as exc:
            lines = [str(i) for i in exc.issues] if isinstance(exc, InputError) else str(exc).split("\n")
            for line in lines:  # one "error:" line per issue; data in a message cannot break a line
                click.echo(f"error: {safe(line)}", err=True)
            sys.exit(2)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("CAPPLAN_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {safe_lines(exc)}\n"
                       "This is a bug in capplan; rerun with CAPPLAN_DEBUG=1 for the details.", err=True)
            sys.exit(1)


@click.group(cls=CapplanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="capplan")
def cli() -> None:
    """Plan the cost and capacity of AI inference on Azure.

    Compare Azure OpenAI Standard, Provisioned (PTU) and Batch API with Azure ML online and batch
    endpoints for a workload described in a scenario YAML, priced from YAML price sheets.
    """


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(_name).commands:
        cli.add_command(_command)


if __name__ == "__main__":
    cli()
