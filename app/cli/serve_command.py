"""`capplan serve`: start the Streamlit dashboard."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

MAIN = Path(__file__).resolve().parent.parent / "ui" / "main.py"


@click.command()
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="TCP port to listen on.")
@click.option("--address", default="localhost", show_default=True,
              help="Address to bind; use 0.0.0.0 to serve a workshop on the local network.")
def serve(port: int, address: str) -> None:
    """Start the dashboard (on the embedded price sheets and scenario library unless configured)."""
    args = [sys.executable, "-m", "streamlit", "run", str(MAIN), "--server.port", str(port),
            "--server.address", address, "--server.headless", "true", "--browser.gatherUsageStats", "false", "--runner.magicEnabled", "false",
            "--runner.postScriptGC", "false",
            "--server.enableStaticServing", "true"]  # app/ui/static: the plotly.js bundle charts draw with
    click.echo(f"capplan dashboard on http://{address}:{port}  (Ctrl-C stops)")
    os.execvp(args[0], args)


commands = [serve]
