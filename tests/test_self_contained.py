"""The product is self-contained: nothing a user gets names the team's internal documents.

The team's working material (the product spec, the architecture notes, the reference notes and the
real-data folder one level above the repository) is not part of capplan. Code, docstrings printed
in the PDF, help texts, captions, price sheets, scenarios, the README and docs/ cite the public
sources (docs/sources.md) instead. This test reads every text file of those folders, every
command's --help, a downloaded scenario and a rendered PDF, and fails naming each place.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("app", "docs", "README.md", "pricing", "scenarios")
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".txt", ".toml", ".cfg", ".js", ""}
INTERNAL = re.compile(
    r"\bSPEC\b|SPEC\.md|\bARCHITECTURE\.md|pricing-capacity|catalog-2026|(?<![\w-])azure-monitor\.md"
    r"|benchmarking\.md|environment\.md|\.\./shared|shared/(?:reference|realdata|hooks)|\bMAD\b")


def internal_names(text: str) -> list[str]:
    return sorted({m.group(0) for m in INTERNAL.finditer(text)})


def _files() -> list[Path]:
    found = []
    for name in CHECKED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        found += [p for p in candidates if p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts]
    return found


def test_the_pattern_finds_what_it_must():
    assert internal_names("see SPEC section 3 and ../shared/reference/pricing-capacity.md") == [
        "../shared", "SPEC", "pricing-capacity"]
    assert internal_names("in shared/realdata/x.json") == ["shared/realdata"]
    assert internal_names("ARCHITECTURE.md, catalog-2026.md, MAD articles/x.md") == [
        "ARCHITECTURE.md", "MAD", "catalog-2026"]
    assert internal_names("a chart spec (app/charts/spec.py), docs/architecture.md") == []


def test_no_product_file_names_an_internal_document():
    offending = []
    for path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if names := internal_names(line):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {', '.join(names)}")
    assert _files(), "nothing was checked"
    assert not offending, "internal documents named in the product:\n" + "\n".join(offending)


def _all_commands() -> list[list[str]]:
    import click

    from app.cli.main import cli

    paths: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            paths.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli, [])
    return paths


def test_no_help_text_names_an_internal_document():
    from app.cli.main import cli

    offending = []
    for path in _all_commands():
        result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, (path, result.output)
        if names := internal_names(result.output):
            offending.append(f"capplan {' '.join(path)} --help: {', '.join(names)}")
    assert not offending, "\n".join(offending)


@pytest.mark.slow
def test_a_downloaded_scenario_and_the_pdf_name_no_internal_document():
    from app.catalog.loader import load_price_book, load_scenario
    from app.catalog.scenario_yaml import scenario_to_yaml
    from app.report import build_pdf

    prices = load_price_book()
    loaded = load_scenario("rag-knowledge-base", prices)
    assert internal_names(scenario_to_yaml(loaded.file)) == []
    pdf = pypdf.PdfReader(io.BytesIO(build_pdf(loaded, prices)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Method" in text and "Source" in text
    assert internal_names(text) == []
