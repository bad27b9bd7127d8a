"""The results store: one JSON file per run under `<data_dir>/bench/runs/`, written atomically.

A run is saved when it starts (status "running"), and again when it ends ("complete", or
"incomplete" when stopped). A "running" record whose run no longer holds the benchmark lock was
interrupted (the process died) and is listed as incomplete. Records carry the provenance the
methodology asks for and the raw latency samples, so percentiles can be recomputed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.bench.record_schema import record_problem
from app.errors import CapplanError

MAX_RECORD_BYTES = 128 * 1024 * 1024  # a run of a million samples is ~20 MB
SCHEMA_VERSION = 1
RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]{1,40}-[0-9a-f]{6}$")
CSV_COLUMNS = ("run_id", "status", "created_at", "model", "mode", "part", "batch_size", "qps_target",
               "qps_achieved", "workers", "count", "mean_ms", "stdev_ms", "cv", "p50_ms", "p90_ms", "p95_ms",
               "p99_ms", "p999_ms", "throughput_per_s", "intra_op_threads", "cpu_model", "load_average_1m")


def new_run_id(model: str) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", model.lower()).strip("-")[:40] or "model"
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{slug}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    status: str
    created_at: str
    model: str
    mode: str
    headline: str  # e.g. "p95 8.1 ms" or "best 127/s at batch 32"


class ResultStore:
    def __init__(self, root: Path):
        self.root = root

    def _path(self, run_id: str) -> Path:
        if not RUN_ID.match(run_id):
            raise CapplanError(f"'{run_id}' is not a run id (see `capplan bench list`)")
        return self.root / f"{run_id}.json"

    def save(self, record: dict[str, Any]) -> Path:
        """Write the record atomically: a temporary file in the same folder, then a rename."""
        path = self._path(record["run_id"])
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".run-", suffix=".json", dir=self.root)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"schema": SCHEMA_VERSION, **record}, handle, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path

    def load(self, run_id: str, running_id: str | None = None) -> dict[str, Any]:
        path = self._path(run_id)
        try:
            if path.stat().st_size > MAX_RECORD_BYTES:
                raise CapplanError(f"the stored run {run_id} is larger than {MAX_RECORD_BYTES // 2**20} MiB; "
                                   "not a record capplan wrote: delete it")
            record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CapplanError(f"no benchmark run {run_id} (see `capplan bench list`)") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CapplanError(f"the stored run {run_id} is unreadable ({exc}); delete it") from exc
        except RecursionError:
            raise CapplanError(f"the stored run {run_id} is unreadable (nested too deeply); delete it") from None
        problem = record_problem(record)
        if problem:
            raise CapplanError(f"the stored run {run_id} is not a benchmark record this version can show "
                               f"({problem}); delete it")
        if record.get("status") == "running" and record.get("run_id") != running_id:
            record["status"] = "incomplete"
            record.setdefault("note", "interrupted: the process running it stopped before the end")
        return record

    def run_ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted((p.stem for p in self.root.glob("*.json") if RUN_ID.match(p.stem)), reverse=True)

    def list(self, running_id: str | None = None) -> list[RunSummary]:
        out = []
        for run_id in self.run_ids():
            try:
                record = self.load(run_id, running_id)
            except CapplanError:
                out.append(RunSummary(run_id, "unreadable", "", "", "", "delete it"))
                continue
            out.append(RunSummary(run_id, record["status"], record.get("created_at", ""),
                                  record.get("model", {}).get("name", ""), record.get("mode", ""), headline(record)))
        return out

    def delete(self, run_id: str) -> None:
        path = self._path(run_id)
        if not path.exists():
            raise CapplanError(f"no benchmark run {run_id} (see `capplan bench list`)")
        path.unlink()


def headline(record: dict[str, Any]) -> str:
    results = record.get("results", {})
    parts = []
    if "single_stream" in results:
        s = results["single_stream"]["summary"]
        parts.append(f"single-stream p50 {s['p50']:.2f} ms, p95 {s['p95']:.2f} ms")
    if "offline" in results and results["offline"].get("best_batch"):
        best = results["offline"]["best_batch"]
        rate = max(r["throughput_per_s"] for r in results["offline"]["sweep"])
        parts.append(f"offline best {rate:,.1f}/s at batch {best}")
    if "search" in results and results["search"].get("max_qps") is not None:
        parts.append(f"max {results['search']['max_qps']:.1f} QPS at p95 <= {results['search']['slo_ms']:g} ms")
    elif results.get("server"):
        run = results["server"][-1]
        parts.append(f"server {run['qps_target']:g} QPS p95 {run['summary']['p95']:.2f} ms")
    if "model_check" in results:
        errors = [abs(r["error_p95_pct"]) for r in results["model_check"]["rows"] if r.get("error_p95_pct") is not None]
        if errors:
            parts.append(f"model check max |p95 error| {max(errors):.0f}%")
    return "; ".join(parts) or "no results"


def table_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat rows (one per measured part) for CSV export and comparisons."""
    knobs = record.get("runtime", {}).get("knobs", {})
    machine = record.get("machine", {})
    load = machine.get("load_average_at_start") or [None]
    base = {"run_id": record["run_id"], "status": record["status"], "created_at": record.get("created_at"),
            "model": record.get("model", {}).get("name"), "mode": record.get("mode"),
            "intra_op_threads": knobs.get("intra_op_threads"), "cpu_model": machine.get("cpu_model"),
            "load_average_1m": load[0]}
    rows = []
    results = record.get("results", {})

    def summary_cols(s: dict[str, Any]) -> dict[str, Any]:
        return {"count": s["count"], "mean_ms": s["mean"], "stdev_ms": s["stdev"], "cv": s["cv"], "p50_ms": s["p50"],
                "p90_ms": s["p90"], "p95_ms": s["p95"], "p99_ms": s["p99"], "p999_ms": s["p999"]}

    if "single_stream" in results:
        part = results["single_stream"]
        rows.append({**base, "part": "single_stream", "batch_size": part.get("batch_size", 1),
                     "throughput_per_s": part.get("throughput_per_s"), **summary_cols(part["summary"])})
    for sweep in results.get("offline", {}).get("sweep", []):
        rows.append({**base, "part": "offline", "batch_size": sweep["batch_size"],
                     "throughput_per_s": sweep["throughput_per_s"], **summary_cols(sweep["summary"])})
    for run in results.get("server", []):
        if run.get("summary"):
            rows.append({**base, "part": run.get("part", "server"), "batch_size": run.get("batch_size", 1),
                         "qps_target": run["qps_target"], "qps_achieved": run["qps_achieved"],
                         "workers": run["workers"], **summary_cols(run["summary"])})
    return rows


def export_csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        for row in table_rows(record):
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def export_json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, indent=1)
