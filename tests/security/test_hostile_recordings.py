"""Hostile telemetry recordings: a gzip bomb, a recording of 429s, an index of the wrong shape and
names that carry escape sequences; each replayed through the real SDK under a memory cap."""

from __future__ import annotations

import gzip
import json
import shutil
import struct
import time
import zlib
from pathlib import Path

from app.telemetry.recording import MAX_BODY_BYTES
from app.telemetry.sources import DEMO_DIR
from tests.security.cli_run import capplan
from tests.security.conftest import capped

HOSTILE_DEPLOYMENT = "chat\x1b[2J\nerror: forged <a href='http://127.0.0.1:1/p'>x</a>"


def copy_demo(target: Path) -> Path:
    shutil.copytree(DEMO_DIR, target)
    return target


def index_of(folder: Path) -> dict:
    return json.loads((folder / "index.json").read_text(encoding="utf-8"))


def write_index(folder: Path, index: dict) -> None:
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")


def gzip_of_zeros(path: Path, mebibytes: int) -> None:
    """A valid gzip member of `mebibytes` MiB of zeros (about 1 KB per MiB): one deflate block of a MiB
    of zeros, ended by a full flush so it stands alone, repeated; then the CRC-32 and size trailer."""
    zeros = bytes(1024 * 1024)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    with path.open("wb") as handle:
        handle.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")  # gzip header: deflate, no name, mtime 0
        handle.write(block * mebibytes)
        handle.write(zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush())  # the final (empty) block
        handle.write(struct.pack("<II", crc, (mebibytes * len(zeros)) & 0xFFFFFFFF))


def test_a_gzip_bomb_in_a_recording_is_refused_not_inflated(sandbox):
    """0.6 MB of gzip that inflates to 600 MiB took `telemetry summary --replay` to 1.5 GB."""
    folder = copy_demo(sandbox.inputs / "bomb")
    gzip_of_zeros(folder / "0001.json.gz", 600)
    assert (folder / "0001.json.gz").stat().st_size < 1_000_000
    gzip_of_zeros(probe := sandbox.inputs / "probe.gz", 3)
    assert gzip.decompress(probe.read_bytes()) == bytes(3 * 1024 * 1024)  # the generator writes valid gzip
    out = capped(capplan, "telemetry", "summary", "--replay", str(folder), memory_mb=400, timeout_s=120)
    shown = out.stdout + out.stderr
    assert out.internal == "" and "internal error" not in shown, shown
    assert f"body file 0001.json.gz holds more than {MAX_BODY_BYTES // 2**20} MiB" in shown, shown


def test_a_recording_of_429s_replays_without_sleeping(sandbox):
    """Every response a 429 asking for an hour's wait: the replay answers at once, with the message."""
    folder = copy_demo(sandbox.inputs / "throttled")
    index = index_of(folder)
    throttled = folder / "throttled.json"
    throttled.write_text(json.dumps({"error": {"code": "TooManyRequests", "message": "Rate limit exceeded"}}))
    for exchange in index["exchanges"]:
        exchange.update(status=429, headers={"content-type": "application/json", "retry-after": "3600"},
                        body_file="throttled.json")
    write_index(folder, index)
    began = time.monotonic()
    out = capped(capplan, "telemetry", "summary", "--replay", str(folder), memory_mb=300, timeout_s=90)
    took = time.monotonic() - began
    shown = out.stdout + out.stderr
    assert out.internal == "" and "internal error" not in shown, shown
    assert "429" in shown or "throttl" in shown.lower(), shown
    assert took < 60, f"the replay took {took:.0f} s: it slept"


def test_a_body_file_that_is_a_number_gets_a_message(sandbox):
    folder = copy_demo(sandbox.inputs / "numbered")
    index = index_of(folder)
    index["exchanges"][0]["body_file"] = 12
    write_index(folder, index)
    out = capped(capplan, "telemetry", "summary", "--replay", str(folder), timeout_s=60)
    assert out.exit_code == 2 and out.internal == "", out.stdout + out.stderr
    assert "index.json: exchanges[0].body_file is 12, expected a file name in the recording folder or null" in out.stderr


def test_hostile_telemetry_names_reach_the_terminal_as_text(sandbox):
    folder = copy_demo(sandbox.inputs / "names")
    for body in folder.glob("*.json.gz"):
        text = gzip.decompress(body.read_bytes()).decode("utf-8")
        text = text.replace('"chat-gpt4o"', json.dumps(HOSTILE_DEPLOYMENT))
        body.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    out = capped(capplan, "telemetry", "summary", "--replay", str(folder), memory_mb=400, timeout_s=120)
    shown = out.stdout + out.stderr
    assert out.internal == "" and "internal error" not in shown, shown
    assert "\x1b" not in shown and not any(line.startswith("error: forged") for line in shown.splitlines())
    assert "chat\\x1b[2J\\nerror: forged" in out.stdout, out.stdout
