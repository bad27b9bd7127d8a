"""Run `capplan` in-process (click's CliRunner) and return what a terminal would show."""

from __future__ import annotations

from dataclasses import dataclass

from click.testing import CliRunner

from app.cli.main import cli  # imported before a case forks, so the capped child only runs it


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    internal: str  # an exception that escaped the CLI's own handling ("" when none)


def capplan(*args: str) -> Outcome:
    result = CliRunner().invoke(cli, list(args), color=True)  # as a terminal: click keeps escape sequences
    escaped = "" if result.exception is None or isinstance(result.exception, SystemExit) else repr(result.exception)
    return Outcome(result.exit_code, result.stdout, result.stderr, escaped)
