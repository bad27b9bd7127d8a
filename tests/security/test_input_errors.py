"""Inputs that used to end in an internal error (or a silent misreading) now get a user error.

Each case writes one scenario or price sheet, runs the real `capplan` under a memory cap and a
timeout, and checks the message (file, line, field, what to do), the exit status 2, that no
traceback, `Infinity` or `NaN` reached the output, and that nothing was written outside the data folder.
"""

from __future__ import annotations

import shutil

import pytest

from tests.security.cli_run import capplan
from tests.security.conftest import ROOT, capped

SCENARIO = """name: Hostile volume
hours_per_month: {hours}
workload:
  requests_per_month: {requests}
  traffic: {{shape: {shape}, peak_to_average: {peak}}}
  tokens: {{prompt: {prompt}, completion: 500}}
options:
  - {{name: Global Standard, kind: aoai-standard, model: gpt-4o, deployment: global}}
  - {{name: PTU + spillover, kind: aoai-provisioned, model: gpt-4o, deployment: global, ptu: auto, spillover: true}}
"""


def scenario(**fields: object) -> str:
    values = {"hours": 730, "requests": 1000000, "shape": "business_hours", "peak": 3.0, "prompt": 1500}
    return SCENARIO.format(**{**values, **fields})


def refused(sandbox, text: str, *expected: str, memory_mb: int = 300) -> str:  # type: ignore[no-untyped-def]
    path = sandbox.inputs / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    out = capped(capplan, "evaluate", str(path), "--json", memory_mb=memory_mb, timeout_s=60)
    shown = out.stdout + out.stderr
    assert out.internal == "" and "internal error" not in shown and "Traceback" not in shown, shown
    assert out.exit_code == 2, shown
    assert "Infinity" not in shown and "NaN" not in shown
    for phrase in expected:
        assert phrase in out.stderr, out.stderr
    return out.stderr


@pytest.mark.parametrize(("case", "text", "expected"), [
    # requests_per_month 5e-324 passed `> 0` and --json printed Infinity per 1k requests
    ("denormal volume", scenario(requests="5.0e-324"),
     ("hostile.yaml:4: workload.requests_per_month: expected a number ≥ 1.0",)),
    # YAML 1.1 read 190:20:30 as 685,230 without a word
    ("sexagesimal", scenario(requests="190:20:30"),
     ("hostile.yaml:4: workload.requests_per_month: 190:20:30 is a YAML 1.1 base-60 number (read as 685,230)",)),
    ("leading-zero octal", scenario(prompt="0100"), ("hostile.yaml:6", "leading zero", "octal")),
    # a 5,000-digit integer: Python refuses to convert it (ValueError deep in PyYAML)
    ("integer past the digit limit", scenario(requests="9" * 5000),
     ("hostile.yaml:4: workload.requests_per_month: a number of 5000 digits",)),
    # 5,000 levels of nesting: PyYAML's composer recursed into a RecursionError
    ("deep nesting", scenario() + "x: " + "[" * 5000 + "]" * 5000 + "\n",
     ("hostile.yaml:10: invalid YAML: lists and mappings nested more than 64 levels deep",)),
    # business hours over 5 hours (Monday 00:00-05:00) is all zeros: the shape became NaN
    ("all-zero traffic shape", scenario(hours=5),
     ("workload.traffic.peak_to_average: a business_hours traffic shape has no peak within 5 hours",)),
    # the link case of the issue: 1e13 requests passed the checks and PTU sizing took 4.46 GB
    ("volume beyond the bound", scenario(requests="1.0e+13"),
     ("workload.requests_per_month: expected a number ≤ 1000000000000.0, got 10000000000000.0",)),
    ("prompt beyond the bound", scenario(prompt=30_000_000), ("workload.tokens.prompt: expected a number ≤ 2000000",)),
    ("infinite volume", scenario(requests=".inf"), ("workload.requests_per_month",)),
    ("NaN volume", scenario(requests=".nan"), ("workload.requests_per_month",)),
    ("escape sequence in a name", scenario().replace("name: Hostile volume", 'name: "Clear \\e[2J screen"'),
     ("hostile.yaml:1: name: must not contain control characters", "'\\x1b'")),
    ("forged error line in an option name",
     scenario().replace("name: Global Standard", 'name: "A\\nerror: forged by the file"'),
     ("options[0].name: must not contain control characters",)),
])
def test_refused_with_a_clear_message(sandbox, case, text, expected):
    stderr = refused(sandbox, text, *expected)
    assert "\x1b" not in stderr
    assert not any(line.startswith("error: forged") for line in stderr.splitlines())


def test_the_largest_volume_and_prompt_evaluate_within_the_cap(sandbox):
    """1e12 requests/month and 2M-token prompts (the bounds) evaluate in bounded memory: PTU sizing
    prices at most three counts per hour, not every count up to millions of PTUs."""
    path = sandbox.inputs / "largest.yaml"
    path.write_text(scenario(requests="1.0e+12", prompt=2_000_000), encoding="utf-8")
    out = capped(capplan, "evaluate", str(path), "--json", memory_mb=150, timeout_s=60)
    assert out.exit_code == 0, out.stderr
    assert '"recommended"' in out.stdout and "Infinity" not in out.stdout


@pytest.mark.parametrize(("case", "edit", "expected"), [
    # 1e308 was accepted: --json printed Infinity and the table recommended an option costing "inf"
    ("price of 1e308", ("input: 2.5,", "input: 1.0e+308,"),
     "azure-openai.yaml:{line}: models.gpt-4o.tokens.global.input: expected a number ≤ 100000.0, got 1e+308"),
    ("infinite price", ("input: 2.5,", "input: .inf,"), "azure-openai.yaml:{line}: models.gpt-4o.tokens.global.input"),
    ("NaN price", ("input: 2.5,", "input: .nan,"), "azure-openai.yaml:{line}: models.gpt-4o.tokens.global.input"),
    ("negative PTU rate", ("monthly: 260", "monthly: -260"), "ptu_rates.global.monthly: expected a number ≥ 0"),
])
def test_implausible_prices_are_refused_naming_the_line(sandbox, case, edit, expected):
    prices = sandbox.inputs / "prices"
    shutil.copytree(ROOT / "pricing", prices)
    sheet = prices / "azure-openai.yaml"
    text = sheet.read_text(encoding="utf-8")
    assert edit[0] in text
    line = text[: text.index(edit[0])].count("\n") + 1
    sheet.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    out = capped(capplan, "evaluate", "rag-knowledge-base", "--prices", str(prices), "--json", timeout_s=60)
    assert out.exit_code == 2 and out.internal == "", out.stdout + out.stderr
    assert expected.format(line=line) in out.stderr, out.stderr
    assert "Infinity" not in out.stdout and "inf" not in out.stdout
