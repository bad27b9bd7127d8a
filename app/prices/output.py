"""Writing refreshed sheets: readable YAML, a versioned folder by default, atomic replacement.

By default a refresh writes to `<data_dir>/pricing/<as_of>/` (`-2`, `-3` ... when that exists), so
nothing is overwritten. With `--out DIR` the files in DIR are replaced, all of them written to
temporary files first and then moved into place with `os.replace` (atomic per file), so a failure
never leaves a half-written sheet.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DIFF_TEXT = "price-diff.txt"
DIFF_JSON = "price-diff.json"


def sheet_yaml(data: dict[str, Any], header: str) -> str:
    """The sheet as YAML: block style, one flow mapping per leaf entry, keys in the sheet's order."""
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100_000, allow_unicode=True)
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comments + body


def versioned_folder(base: Path, as_of: dt.date) -> Path:
    """A new folder `base/<as_of>`, or `base/<as_of>-N` if taken. Created empty."""
    base.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        candidate = base / (as_of.isoformat() if n == 1 else f"{as_of.isoformat()}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise OSError(f"too many price versions for {as_of} in {base}")


def write_atomically(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write every file to a temporary name in `folder`, then move each into place."""
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in files.items():
            target = folder / name
            temporary = folder / f".{name}.tmp-{os.getpid()}"
            with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((temporary, target))
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [target for _, target in staged]


@dataclass(frozen=True)
class SheetVersion:
    """One folder of price sheets, as listed on the Prices page."""

    folder: Path
    as_of: str
    sheets: tuple[str, ...]
    has_diff: bool


def _as_of(path: Path) -> str:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return "?"
    if isinstance(data, dict) and data.get("kind") == "azure-openai-service":
        return ""  # latency figures and quotas, not prices: they do not date a version of the prices
    return str(data.get("as_of", "?")) if isinstance(data, dict) else "?"


def list_versions(folders: list[Path]) -> list[SheetVersion]:
    """The folders (and their subfolders, one level) that hold price sheets, newest first."""
    found: list[SheetVersion] = []
    for root in folders:
        if not root.is_dir():
            continue
        for folder in [root, *sorted((p for p in root.iterdir() if p.is_dir()), reverse=True)]:
            sheets = sorted(p for p in folder.glob("*.yaml") if p.is_file())
            if sheets:
                found.append(SheetVersion(folder, max(_as_of(p) for p in sheets), tuple(p.name for p in sheets),
                                          (folder / DIFF_JSON).is_file()))
    return sorted(found, key=lambda v: v.as_of, reverse=True)


def read_diff(folder: Path) -> dict[str, Any] | None:
    """The refresh record written beside a version's sheets, or None."""
    path = folder / DIFF_JSON
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
