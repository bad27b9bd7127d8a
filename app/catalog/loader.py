"""Load price sheets and scenarios into the engine's types, with every cross-reference checked.

Every problem becomes an InputError whose issues name the file, the line and the field path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.bundled import FOLDERS, bundled_folder
from app.catalog.option_schemas import OptionEntry
from app.catalog.price_schema import SHEET_SCHEMAS, ComputeSheetFile, OpenAISheetFile
from app.catalog.scenario_schema import ScenarioFile
from app.catalog.validation import validate_document
from app.catalog.yaml_source import YamlDocument, parse_yaml, read_yaml_file
from app.engine.comparison import evaluate
from app.engine.errors import ModelInputError
from app.engine.prices import PriceBook
from app.engine.registry import option_kind
from app.engine.results import Evaluation
from app.engine.scenario import Scenario
from app.engine.traffic import hourly_shape
from app.errors import InputError, InputIssue
from app.settings import PROJECT_ROOT, get_settings

SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
YAML_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """A path as the user should see it: a bundled sheet or scenario as `pricing/…` or `scenarios/…`
    (wherever capplan is installed), anything else relative to the working directory or the project."""
    resolved = path.resolve()
    for name in FOLDERS:
        try:
            return str(Path(name) / resolved.relative_to(bundled_folder(name).resolve()))
        except ValueError:
            continue
    for base in (Path.cwd(), PROJECT_ROOT):
        try:
            return str(resolved.relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


# --- price sheets -------------------------------------------------------------------------------

def parse_price_sheet(doc: YamlDocument) -> OpenAISheetFile | ComputeSheetFile:
    if not isinstance(doc.data, dict):
        raise InputError(doc.issue((), "expected a mapping of keys (kind, region, as_of, source, ...)"))
    kind = doc.data.get("kind")
    schema = SHEET_SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        raise InputError(doc.issue(("kind",), f"expected one of {', '.join(SHEET_SCHEMAS)}, got {kind!r}"))
    return validate_document(schema, doc)


def load_price_book(directory: Path | None = None) -> PriceBook:
    """Every *.yaml sheet in `directory` (default: the pricing folder), at most one per kind."""
    directory = directory or get_settings().pricing_dir
    if not directory.is_dir():
        raise InputError(InputIssue(display_path(directory), None, "", "price folder not found"))
    files = sorted(p for p in directory.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
    if not files:
        raise InputError(InputIssue(display_path(directory), None, "", "no price sheets (*.yaml) in this folder"))
    openai = compute = None
    issues: list[InputIssue] = []
    seen: dict[str, str] = {}
    for path in files:
        shown = display_path(path)
        try:
            sheet = parse_price_sheet(read_yaml_file(path, shown))
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        if sheet.kind in seen:
            issues.append(InputIssue(shown, 1, "kind", f"a second {sheet.kind} sheet (the first is {seen[sheet.kind]}); "
                                     "keep one per folder"))
            continue
        seen[sheet.kind] = shown
        if isinstance(sheet, OpenAISheetFile):
            openai = sheet.to_engine(shown)
        else:
            compute = sheet.to_engine(shown)
    if issues:
        raise InputError(issues)
    return PriceBook(openai=openai, compute=compute)


# --- scenarios ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario: the typed file (for editing and saving) and the engine's view of it."""

    file: ScenarioFile
    scenario: Scenario
    source: str


def _cross_reference_issues(doc: YamlDocument, parsed: ScenarioFile, prices: PriceBook) -> list[InputIssue]:
    """Everything that needs the price sheets: models, levels, SKUs, PTU sizes, shape reachability."""
    issues: list[InputIssue] = []
    workload = parsed.workload
    try:
        hourly_shape(workload.traffic.shape, workload.traffic.peak_to_average, parsed.hours_per_month)
    except ModelInputError as exc:
        issues.append(doc.issue(("workload", "traffic", "peak_to_average"), str(exc)))
    names: dict[str, int] = {}
    for i, option in enumerate(parsed.options):
        where = ("options", i)
        if option.name in names:
            issues.append(doc.issue((*where, "name"), f"option name {option.name!r} is already used by options[{names[option.name]}]; "
                                    "names must be unique"))
        names.setdefault(option.name, i)
        try:
            issues.extend(_option_issues(doc, option, where, parsed, prices))
        except ModelInputError as exc:
            issues.append(doc.issue(where, str(exc)))
    return issues


def _option_issues(doc: YamlDocument, option: OptionEntry, where: tuple[str | int, ...], parsed: ScenarioFile,
                   prices: PriceBook) -> Iterable[InputIssue]:
    """The option's kind checks its prices (its `price_issues` hook); a kind that needs the service
    time gets it checked here."""
    spec = option.to_spec()
    kind = option_kind(spec.kind)
    workload = parsed.workload.to_engine()
    for issue in kind.price_issues(spec, prices, workload):
        yield doc.issue((*where, *issue.field), issue.message)
    if kind.uses_service_time and workload.service_time_ms is None:
        yield doc.issue(("workload", "service_time_ms"),
                        f"required by option {option.name!r} ({spec.kind}): the mean time of one request on one instance")


def scenario_from_document(doc: YamlDocument, prices: PriceBook) -> LoadedScenario:
    """Validate a parsed YAML document as a scenario against the price book."""
    if not isinstance(doc.data, dict):
        raise InputError(doc.issue((), "expected a mapping with name, workload and options"))
    parsed = validate_document(ScenarioFile, doc)
    issues = _cross_reference_issues(doc, parsed, prices)
    if issues:
        raise InputError(issues)
    scenario = parsed.to_engine()
    return LoadedScenario(file=parsed, scenario=scenario, source=doc.source)


def parse_scenario_text(text: str | bytes, source: str, prices: PriceBook) -> LoadedScenario:
    """Validate scenario YAML given as text (an upload or a URL state)."""
    return scenario_from_document(parse_yaml(text, source), prices)


def resolve_scenario_path(ref: str, scenarios_dir: Path | None = None) -> Path:
    """SCENARIO is a path to a file, or the name of a file in scenarios/ (with or without .yaml)."""
    scenarios_dir = scenarios_dir or get_settings().scenarios_dir
    candidate = Path(ref)
    if candidate.suffix in YAML_SUFFIXES and candidate.is_file():
        return candidate
    stem = ref[: -len(candidate.suffix)] if candidate.suffix in YAML_SUFFIXES else ref
    if SCENARIO_NAME.match(stem):
        for suffix in YAML_SUFFIXES:
            in_library = scenarios_dir / f"{stem}{suffix}"
            if in_library.is_file():
                return in_library
    if candidate.is_file():
        return candidate
    known = ", ".join(library_names(scenarios_dir)) or "none"
    raise InputError(InputIssue(ref, None, "", f"no such scenario file, and no scenario of that name in "
                                f"{display_path(scenarios_dir)}/ (library: {known})"))


def library_names(scenarios_dir: Path | None = None) -> list[str]:
    """File stems of the scenario library, sorted."""
    scenarios_dir = scenarios_dir or get_settings().scenarios_dir
    if not scenarios_dir.is_dir():
        return []
    return sorted(p.stem for p in scenarios_dir.iterdir() if p.suffix in YAML_SUFFIXES and SCENARIO_NAME.match(p.stem))


def load_scenario(ref: str | Path, prices: PriceBook, scenarios_dir: Path | None = None) -> LoadedScenario:
    path = ref if isinstance(ref, Path) else resolve_scenario_path(ref, scenarios_dir)
    return scenario_from_document(read_yaml_file(path, display_path(path)), prices)


def evaluate_loaded(loaded: LoadedScenario, prices: PriceBook) -> Evaluation:
    """Evaluate, turning any remaining model error into an issue that names the file."""
    try:
        return evaluate(loaded.scenario, prices)
    except ModelInputError as exc:
        raise InputError(InputIssue(loaded.source, None, "", str(exc))) from None


def validate_file(path: Path, prices_dir: Path | None = None) -> str:
    """Validate one scenario or price sheet; returns what it was ('scenario' or the sheet kind)."""
    shown = display_path(path)
    doc = read_yaml_file(path, shown)
    if isinstance(doc.data, dict) and "kind" in doc.data and "options" not in doc.data:
        sheet = parse_price_sheet(doc)
        return sheet.kind
    prices = load_price_book(prices_dir)
    loaded = scenario_from_document(doc, prices)
    evaluate_loaded(loaded, prices)
    return "scenario"
