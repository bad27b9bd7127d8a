"""Names reach the terminal, the PDF and JSON as text: no escape sequence, forged line, mathtext or Infinity."""

from __future__ import annotations

import io
import json
import shutil

import pypdf

import app.charts.matplotlib_render
import app.report  # noqa: F401 - loaded before a case forks (the PDF stack is imported on first use)
from app.charts.plotly_render import to_plotly_dict
from app.charts.spec import Axis, Chart, Marker, ReferenceLine, Series
from app.cli.terminal import json_text, safe
from tests.security.cli_run import capplan
from tests.security.conftest import HUGE_NAME, LINK_NAME, ROOT, capped

CLEAR_SCREEN = "\x1b[2J\x1b[H"
FORGED = "\nerror: forged by the price sheet"


def test_terminal_never_prints_a_control_character_from_a_sheet(sandbox):
    """A price sheet's region carries ESC[2J (clear screen) and a newline that would forge an "error:" line."""
    prices = sandbox.inputs / "prices"
    shutil.copytree(ROOT / "pricing", prices)
    sheet = prices / "azure-openai.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("region: eastus", 'region: "eastus\\e[2J\\e[H\\nerror: forged by the price sheet"', 1),
                     encoding="utf-8")
    out = capped(capplan, "evaluate", "rag-knowledge-base", "--prices", str(prices), timeout_s=60)
    assert out.exit_code == 0, out.stderr
    shown = out.stdout + out.stderr
    assert "\x1b" not in shown
    assert not any(line.startswith("error: forged") for line in shown.splitlines())
    assert "eastus\\x1b[2J\\x1b[H\\nerror: forged by the price sheet" in out.stdout  # visible, harmless


def test_terminal_errors_quote_hostile_paths_harmlessly(sandbox):
    name = sandbox.inputs / f"bad{FORGED}\x1b[2J.yaml"  # a file name may hold a newline and ESC
    name.write_text("name: [unclosed\n", encoding="utf-8")
    out = capped(capplan, "validate", str(name), timeout_s=60)
    assert out.exit_code == 2
    lines = out.stderr.splitlines()
    assert "\x1b" not in out.stderr and all(line.startswith(("error: ", "1 of 1")) for line in lines), lines


def test_safe_shows_every_control_character_as_an_escape():
    assert safe("a\x1b[2Jb\nc\rd\u202eE\x00") == "a\\x1b[2Jb\\nc\\rd\\u202eE\\x00"
    assert safe("Montréal — Ωmega ✓") == "Montréal — Ωmega ✓"


def test_json_output_is_never_infinity_or_nan():
    text = json_text({"a": float("inf"), "b": [float("nan"), 1.5], "c": {"d": -float("inf")}})
    assert json.loads(text) == {"a": None, "b": [None, 1.5], "c": {"d": None}}
    assert "Infinity" not in text and "NaN" not in text


def test_a_report_with_dollar_signs_in_names_renders_them_as_text(sandbox):
    """matplotlib read "Budget $5k to $8k" as mathtext and failed the report."""
    path = sandbox.inputs / "budget.yaml"
    path.write_text("""name: Budget $5k to $8k a month
workload:
  requests_per_month: 1000000
  tokens: {prompt: 1500, completion: 500}
options:
  - {name: "Budget $5k to $8k", kind: aoai-standard, model: gpt-4o}
  - {name: "Batch $_{x}^{y}$ \\\\frac{1}{0}", kind: aoai-batch, model: gpt-4o}
  - {name: "<img src='/etc/passwd'/> <a href='http://127.0.0.1:1/p'>x</a>", kind: aoai-standard, model: gpt-4o,
     deployment: data-zone}
""", encoding="utf-8")
    pdf = sandbox.data / "budget.pdf"
    out = capped(capplan, "report", str(path), "-o", str(pdf), memory_mb=500, timeout_s=120)
    assert out.exit_code == 0, out.stderr
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    flat = " ".join(text.split())
    assert "Budget $5k to $8k" in flat
    assert "<img src='/etc/passwd'/>" in flat or "img src=" in flat  # the name, as text


def test_plotly_figures_carry_names_html_escaped():
    chart = Chart("c", LINK_NAME, Axis("<b>x</b>"), Axis("y"),
                  (Series(HUGE_NAME, "bar", (LINK_NAME, HUGE_NAME), (1.0, 2.0), hover=(LINK_NAME, "ok")),),
                  lines=(ReferenceLine(1.0, "<i>line</i>"),), markers=(Marker(LINK_NAME, 1.0, "<sup>m</sup>"),))
    figure = json.dumps(to_plotly_dict(chart))
    for tag in ("<a ", "<span", "<b>", "<i>", "<sup>"):
        assert tag not in figure, tag
    assert "&lt;a href=" in figure and "&lt;span style=" in figure
