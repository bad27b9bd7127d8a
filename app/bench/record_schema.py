"""The shape of a stored benchmark record, checked when it is read back.

A record is a JSON file in the data folder: valid JSON of the wrong shape (edited by hand, written
by another version, or planted) must give "unreadable: delete it", not a KeyError in `bench list`
or a traceback on the Benchmark page. Only what the CLI, the page and the exports read is checked;
other keys pass through (records carry more provenance than any view shows).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.bench.session import EXECUTION_MODES, OPT_LEVELS

Number = float  # pydantic accepts ints for floats; bools are refused by strict mode below
Count = int


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, allow_inf_nan=True)


class Summary(_Loose):
    count: Count
    mean: Number
    stdev: Number
    cv: Number
    p50: Number
    p90: Number
    p95: Number
    p99: Number
    p999: Number


class StreamPart(_Loose):
    batch_size: Count = 1
    throughput_per_s: Number | None = None
    summary: Summary
    samples_ms: list[Number] = Field(default_factory=list)


class OfflinePart(_Loose):
    sweep: list[StreamPart]
    best_batch: Count | None = None


class ServerPart(_Loose):
    qps_target: Number
    qps_achieved: Number
    workers: Count
    summary: Summary | None = None
    samples_ms: list[Number] = Field(default_factory=list)


class SearchPart(_Loose):
    slo_ms: Number
    max_qps: Number | None = None


class CheckRow(_Loose):
    load: Number
    error_p95_pct: Number | None = None


class ModelCheckPart(_Loose):
    service_time_ms: Number
    service_cv: Number
    servers: Count
    model: str
    rows: list[CheckRow]


class OperatorShare(_Loose):
    op: str
    share: Number
    total_ms: Number


class Results(_Loose):
    single_stream: StreamPart | None = None
    offline: OfflinePart | None = None
    server: list[ServerPart] = Field(default_factory=list)
    search: SearchPart | None = None
    model_check: ModelCheckPart | None = None
    profile: list[OperatorShare] | None = None


class KnobsEntry(BaseModel):
    """Exactly the fields of app.bench.session.Knobs (the page rebuilds Knobs from them)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    intra_op_threads: Count = 1
    inter_op_threads: Count = 1
    graph_optimization: str = "all"
    execution_mode: str = "sequential"
    allow_spinning: bool = False


class RuntimeEntry(_Loose):
    knobs: KnobsEntry


class ModelEntry(_Loose):
    name: str


class RecordEntry(_Loose):
    run_id: str
    status: str
    mode: str
    created_at: str = ""
    model: ModelEntry
    runtime: RuntimeEntry
    machine: dict[str, Any] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)
    results: Results


def record_problem(record: Any) -> str | None:
    """Why `record` is not a benchmark record this version can show, or None when it is."""
    if not isinstance(record, dict):
        return f"it holds {type(record).__name__}, not a benchmark record"
    try:
        parsed = RecordEntry.model_validate(record)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the record"
        return f"{where}: {first['msg'].lower()}"
    knobs = parsed.runtime.knobs
    if knobs.graph_optimization not in OPT_LEVELS or knobs.execution_mode not in EXECUTION_MODES:
        return "runtime.knobs: unknown optimization level or execution mode"
    return None
