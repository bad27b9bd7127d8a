"""Build the scenario PDF: gather the context, lay out every section, write atomically."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from app.catalog.loader import LoadedScenario, evaluate_loaded
from app.catalog.scenario_schema import ScenarioFile
from app.engine.prices import PriceBook
from app.report.appendix import appendix
from app.report.assumptions import assumptions
from app.report.charts_section import charts
from app.report.context import ReportContext, creation_time
from app.report.cover import REPORT_TITLE, cover
from app.report.document import frame_width, paper_size, render_document
from app.report.formatting import long_date
from app.report.method import method
from app.report.options_section import options
from app.report.summary import summary

Progress = Callable[[str, float], None]


def _as_loaded(scenario: LoadedScenario | ScenarioFile) -> LoadedScenario:
    if isinstance(scenario, LoadedScenario):
        return scenario
    return LoadedScenario(file=scenario, scenario=scenario.to_engine(), source="the dashboard")


def report_context(scenario: LoadedScenario | ScenarioFile, prices: PriceBook, *,
                   generated_at: datetime | None = None, data_sources: Sequence[str] = ()) -> ReportContext:
    """Evaluate the scenario (errors are InputError/CapplanError with the user's message)."""
    loaded = _as_loaded(scenario)
    evaluation = evaluate_loaded(loaded, prices)
    return ReportContext(scenario=loaded.scenario, source=loaded.source, prices=prices, evaluation=evaluation,
                         generated_at=creation_time(generated_at), data_sources=tuple(data_sources))


def build_pdf(scenario: LoadedScenario | ScenarioFile, prices: PriceBook, paper: str = "a4", *,
              generated_at: datetime | None = None, data_sources: Sequence[str] = (),
              progress: Progress | None = None) -> bytes:
    """The scenario report as PDF bytes (A4 or Letter).

    `scenario` is a validated LoadedScenario (from `load_scenario`/`parse_scenario_text`) or a
    ScenarioFile as edited in the dashboard. `data_sources` lists telemetry windows or benchmark
    runs the scenario's figures came from (shown on the cover). `generated_at` defaults to now, or
    to SOURCE_DATE_EPOCH when set. `progress(step, fraction)` is called between sections.
    """
    paper_size(paper)  # reject an unknown paper before any work
    report = progress or (lambda step, fraction: None)
    report("evaluating the scenario", 0.05)
    ctx = report_context(scenario, prices, generated_at=generated_at, data_sources=data_sources)
    width = frame_width(paper)
    report("writing the summary", 0.2)
    story = [*summary(ctx, width), *assumptions(ctx, width), *options(ctx, width)]
    report("drawing the charts", 0.4)
    story += charts(ctx, width)
    report("writing the method and appendix", 0.6)
    story += [*method(spec.kind for spec in ctx.scenario.options), *appendix(ctx, width)]
    report("laying out the pages", 0.7)
    sheets = " · ".join(f"{ref.kind} {ref.region} as of {ref.as_of}" for ref in ctx.sheets())
    pdf = render_document(
        story, cover(ctx, width), paper=paper, title=f"{ctx.scenario.name}: {REPORT_TITLE.lower()}",
        subject=ctx.scenario.description.strip() or REPORT_TITLE, header_left=ctx.scenario.name,
        footer_left=f"Prepared {long_date(ctx.generated_at)} · prices: {sheets}", created=ctx.generated_at)
    report("done", 1.0)
    return pdf


def report_file_name(scenario_name: str) -> str:
    """A safe download name: "Søknadsbehandling for kommunen" -> "Søknadsbehandling-for-kommunen.pdf"."""
    stem = re.sub(r"[^\w.-]+", "-", scenario_name, flags=re.UNICODE).strip("-.")[:80]
    return f"{stem or 'scenario'}.pdf"


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a partial file at `path`."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_pdf(path: Path, scenario: LoadedScenario | ScenarioFile, prices: PriceBook, paper: str = "a4", *,
              generated_at: datetime | None = None, data_sources: Sequence[str] = ()) -> None:
    """Build the report, then write it atomically to `path` (nothing is written when building fails)."""
    data = build_pdf(scenario, prices, paper, generated_at=generated_at, data_sources=data_sources)
    write_atomically(path, data)
