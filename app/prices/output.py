"""Writing refreshed sheets: readable YAML, a versioned folder by default, atomic replacement.

By default a refresh writes to `<data_dir>/pricing/<as_of>/` (`-2`, `-3` ... when that exists), so
nothing is overwritten. With `--out DIR` the folder is replaced as a unit: the new one is staged
beside it and swapped in with one rename (`write_atomically`), so a failure or a kill -9 never
leaves a mix of old and new sheets, nor a temporary file inside DIR.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.catalog.yaml_source import read_yaml_file
from app.errors import InputError

DIFF_TEXT = "price-diff.txt"
DIFF_JSON = "price-diff.json"
MAX_DIFF_BYTES = 16 * 1024 * 1024  # a refresh record of every meter is well under 1 MiB
_STAGING = "staging"
_AT_FDCWD = -100
_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2


def sheet_yaml(data: dict[str, Any], header: str) -> str:
    """The sheet as YAML: block style, one flow mapping per leaf entry, keys in the sheet's order."""
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100_000, allow_unicode=True)
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comments + body


def versioned_folder(base: Path, as_of: dt.date) -> Path:
    """The first free name `base/<as_of>`, or `base/<as_of>-N` if taken (write_atomically creates it)."""
    base.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        candidate = base / (as_of.isoformat() if n == 1 else f"{as_of.isoformat()}-{n}")
        if not candidate.exists():
            return candidate
    raise OSError(f"too many price versions for {as_of} in {base}")


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """Linux renameat2(2): True when done, False where the C library or the file system lacks it."""
    libc = ctypes.CDLL(None, use_errno=True)
    call = getattr(libc, "renameat2", None)
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(target))


def _sweep_leftovers(folder: Path) -> None:
    """Remove staging folders a killed refresh left beside `folder` (their process is gone)."""
    for leftover in folder.parent.glob(f".{folder.name}.{_STAGING}-*"):
        pid = leftover.name.rsplit("-", 2)[-2]
        if pid.isdigit() and (int(pid) == os.getpid() or not _alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_atomically(folder: Path, files: dict[str, str]) -> list[Path]:
    """Replace `folder` as a unit: readers see all the old files or all the new ones, never a mix.

    The new folder is staged beside it (`.<name>.staging-<pid>-<token>`: the files given, plus
    every other entry of the old folder copied over), then swapped in with one rename (Linux
    renameat2 RENAME_EXCHANGE; a new folder: one rename that never replaces). Nothing is ever
    written inside `folder` itself, so a kill -9 at any moment leaves it whole; the staging folder
    such a kill leaves behind is removed by the next refresh. Where the file system cannot
    exchange, the old folder is renamed aside first (two renames).
    """
    folder = folder.absolute()
    folder.parent.mkdir(parents=True, exist_ok=True)
    _sweep_leftovers(folder)
    staged = folder.parent / f".{folder.name}.{_STAGING}-{os.getpid()}-{secrets.token_hex(4)}"
    staged.mkdir()
    try:
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.name in files:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, staged / entry.name, symlinks=True)
                else:
                    shutil.copy2(entry, staged / entry.name, follow_symlinks=False)
        for name, text in files.items():
            with open(staged / name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        _fsync_folder(staged)
        if not folder.exists():
            if not _renameat2(staged, folder, _RENAME_NOREPLACE):
                os.rename(staged, folder)
        elif not _renameat2(staged, folder, _RENAME_EXCHANGE):
            aside = staged.with_name(staged.name + "-old")
            os.rename(folder, aside)
            os.rename(staged, folder)
            staged = aside
        _fsync_folder(folder.parent)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # the old folder after an exchange, or a failed stage
    return [folder / name for name in files]


@dataclass(frozen=True)
class SheetVersion:
    """One folder of price sheets, as listed on the Prices page."""

    folder: Path
    as_of: str
    sheets: tuple[str, ...]
    has_diff: bool


def _as_of(path: Path) -> str:
    """The sheet's as_of, read with the safe loader (size, alias and nesting limits); "?" when unreadable."""
    try:
        data = read_yaml_file(path).data
    except InputError:
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
        if path.stat().st_size > MAX_DIFF_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None
