"""User models uploaded through the dashboard, kept in `<data_dir>/uploads/` after they pass the checks.

Names are reduced to a safe file name inside that folder, so an upload can never write elsewhere. A
file that fails the checks is removed and never listed.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from app.bench.user_model import MAX_MODEL_BYTES, ModelInfo, check_size, inspect_model
from app.errors import CapplanError

CHUNK = 1 << 20


def uploads_dir(data_dir: Path) -> Path:
    return data_dir / "uploads"


def safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).stem).strip("._") or "model"
    return f"{stem[:80]}.onnx"


def save_upload(name: str, size: int, stream: BinaryIO, data_dir: Path) -> tuple[Path, ModelInfo]:
    """Copy an uploaded model into the uploads folder, check it, and keep it only if it passes."""
    if not name.lower().endswith(".onnx"):
        raise CapplanError(f"{name} is not an .onnx file; export your model to ONNX first")
    check_size(size, name)
    folder = uploads_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(name)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".onnx", dir=folder)
    try:
        written = 0
        with os.fdopen(fd, "wb") as handle:
            while block := stream.read(CHUNK):
                written += len(block)
                if written > MAX_MODEL_BYTES:
                    raise CapplanError(f"{name} is larger than 1 GB; the lab takes models up to 1 GB")
                handle.write(block)
        info = inspect_model(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target, ModelInfo(target, info.size_bytes, info.opsets, info.inputs)


def list_uploads(data_dir: Path) -> list[Path]:
    folder = uploads_dir(data_dir)
    return sorted(p for p in folder.glob("*.onnx") if p.is_file()) if folder.is_dir() else []


def upload_path(data_dir: Path, name: str) -> Path:
    """The stored upload called `name` (a bare file name from list_uploads), never a path elsewhere."""
    path = uploads_dir(data_dir) / safe_name(name)
    if not path.is_file():
        raise CapplanError(f"no uploaded model {name}; upload it again")
    return path
