"""Write a validated scenario back to YAML that reads back to the same scenario (download, save,
share). The inverse of `loader.parse_scenario_text` for a `ScenarioFile`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.catalog.loader import SCENARIO_NAME
from app.catalog.scenario_schema import ScenarioFile
from app.errors import InputError, InputIssue


def scenario_data(file: ScenarioFile) -> dict[str, Any]:
    """Plain data (dicts, lists, scalars) of the scenario; unset optional fields are left out."""
    return file.model_dump(mode="python", exclude_none=True)


def scenario_to_yaml(file: ScenarioFile) -> str:
    """YAML text in the library's key order; floats keep every digit, so numbers round-trip exactly."""
    header = "# capplan scenario (the format: capplan's docs/scenarios.md); check with `capplan validate FILE`\n"
    return header + yaml.safe_dump(scenario_data(file), sort_keys=False, allow_unicode=True, width=100)


def save_to_library(file: ScenarioFile, stem: str, scenarios_dir: Path, overwrite: bool = False) -> Path:
    """Write the scenario as `<stem>.yaml` in the library folder. The stem is a plain name
    (letters, digits, - and _), never a path; an existing file is kept unless `overwrite`."""
    if not SCENARIO_NAME.match(stem):
        raise InputError(InputIssue("file name", None, "", f"{stem[:60]!r} is not a plain name: use letters, digits, "
                                    "'-' and '_' (up to 100), starting with a letter or digit"))
    target = scenarios_dir / f"{stem}.yaml"
    if target.resolve().parent != scenarios_dir.resolve():
        raise InputError(InputIssue("file name", None, "", "the file must be directly in the scenarios folder"))
    if target.exists() and not overwrite:
        raise InputError(InputIssue(f"{stem}.yaml", None, "", "already in the library; tick 'replace' to overwrite it"))
    target.write_text(scenario_to_yaml(file), encoding="utf-8")
    return target
