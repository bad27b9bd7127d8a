"""`capplan report`: writes the PDF; an invalid scenario prints what `capplan validate` prints and writes nothing."""

from __future__ import annotations

import io
import shutil

import pypdf
from click.testing import CliRunner

from app.catalog.loader import load_scenario
from app.cli.main import cli
from app.report import build_pdf, report_file_name
from app.settings import PROJECT_ROOT
from tests.report.conftest import pdf_text


def test_writes_a_pdf_by_library_name(tmp_path):
    out = tmp_path / "rag.pdf"
    result = CliRunner().invoke(cli, ["report", "rag-knowledge-base", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "RAG knowledge-base chatbot" in pdf_text(out.read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == ["rag.pdf"]  # no temporary file left behind


def test_letter_paper_and_other_prices(tmp_path):
    prices = tmp_path / "prices"
    shutil.copytree(PROJECT_ROOT / "pricing", prices)
    out = tmp_path / "letter.pdf"
    scenario = PROJECT_ROOT / "scenarios" / "nightly-document-classification.yaml"
    result = CliRunner().invoke(cli, ["report", str(scenario), "-o", str(out), "--prices", str(prices),
                                      "--paper", "letter"])
    assert result.exit_code == 0, result.output
    page = pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612.0, 792.0)


def test_invalid_scenario_same_message_as_validate_and_no_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (PROJECT_ROOT / "scenarios" / "rag-knowledge-base.yaml").read_text()
    bad.write_text(text.replace("model: gpt-4o,", "model: gpt-9,", 1).replace("requests_per_month:", "requests_per_mnth:"))
    out = tmp_path / "bad.pdf"
    previous = b"an earlier report"
    out.write_bytes(previous)
    runner = CliRunner()
    validate = runner.invoke(cli, ["validate", str(bad)])
    report = runner.invoke(cli, ["report", str(bad), "-o", str(out)])
    assert validate.exit_code == report.exit_code == 2
    errors = [line for line in validate.stderr.splitlines() if line.startswith("error: ")]
    assert errors
    assert [line for line in report.stderr.splitlines() if line.startswith("error: ")] == errors
    assert "Traceback" not in report.output
    assert out.read_bytes() == previous  # an existing file is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.pdf", "bad.yaml"]


def test_unknown_scenario_name_and_missing_folder(tmp_path):
    runner = CliRunner()
    unknown = runner.invoke(cli, ["report", "no-such-scenario", "-o", str(tmp_path / "x.pdf")])
    assert unknown.exit_code == 2
    assert "no such scenario file" in unknown.stderr
    missing = runner.invoke(cli, ["report", "rag-knowledge-base", "-o", str(tmp_path / "nope" / "x.pdf")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_help_lists_the_options():
    result = CliRunner().invoke(cli, ["report", "--help"])
    assert result.exit_code == 0
    for option in ("-o, --output", "--prices", "--paper [a4|letter]", "SOURCE_DATE_EPOCH"):
        assert option in result.output




def test_download_file_name_is_safe_and_keeps_letters():
    assert report_file_name("Søknadsbehandling for kommunen") == "Søknadsbehandling-for-kommunen.pdf"
    assert report_file_name("../../etc/passwd") == "etc-passwd.pdf"
    assert report_file_name("///") == "scenario.pdf"


def test_a_scenario_file_from_the_dashboard_builds(prices):
    loaded = load_scenario("rag-knowledge-base", prices)
    data = build_pdf(loaded.file, prices, "a4")  # a ScenarioFile as edited on the Studio page
    assert "from the dashboard" in pdf_text(data)
