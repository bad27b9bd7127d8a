"""Benchmark page: run ONNX models on this server, inspect stored runs, carry a service time to the Studio.

Runs go to a background thread (app.bench.jobs) so other sessions stay responsive; one run at a
time per server, and everyone sees who holds the machine. Hand-over to the Studio:
st.session_state[HANDOVER_KEY] (see docs/benchmark-lab.md).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app.bench.jobs import current_job, start_job
from app.bench.lock import BenchLock, describe_holder
from app.bench.models import BUILTIN_MODELS
from app.bench.runner import MODES, RunRequest
from app.bench.session import EXECUTION_MODES, OPT_LEVELS, Knobs
from app.bench.store import ResultStore, export_csv, export_json, headline, table_rows
from app.bench.uploads import list_uploads, save_upload, upload_path
from app.charts import benchmark as charts
from app.charts.plotly_render import to_plotly_dict
from app.charts.spec import Chart
from app.engine.benchmark import sku_concurrency, sku_service_time_ms
from app.errors import CapplanError
from app.settings import get_settings
from app.ui import common
from app.ui import data as price_data
from app.ui.handovers import BENCHMARK_KEY as HANDOVER_KEY
from app.ui.plotly_component import plotly_chart

UPLOAD_PREFIX = "upload: "
REQUEST, KNOBS = RunRequest(), Knobs()  # a run's defaults, shared with `capplan bench run`

data_dir = get_settings().data_dir
store = ResultStore(data_dir / "bench" / "runs")
lock = BenchLock(data_dir / "bench" / "running.lock")

st.title("Benchmark lab")
st.caption("Real ONNX Runtime measurements on the machine this dashboard runs on, in MLPerf LoadGen terms. "
           "The cores are shared: figures vary run to run (±30% on a busy 2-core VM), so every run records the "
           "machine load, and tails and repeats matter more than one mean.")


def _dims(text: str) -> tuple[tuple[str, int], ...]:
    pairs = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, sep, size = part.partition("=")
        if not sep or not (size.strip().isascii() and size.strip().isdigit()):
            raise CapplanError(f"dimension '{part}': write NAME=SIZE, e.g. sequence=128")
        pairs.append((name.strip(), int(size)))
    return tuple(pairs)


def _request_form() -> RunRequest | None:
    uploads = [UPLOAD_PREFIX + p.name for p in list_uploads(data_dir)]
    with st.expander("Your own model (.onnx, up to 1 GB)"):
        uploaded = st.file_uploader("Upload an ONNX model", type=["onnx"], max_upload_size=1024)
        if uploaded is not None and st.button("Check and keep this model"):
            try:
                path, info = save_upload(uploaded.name, uploaded.size, uploaded, data_dir)
            except CapplanError as exc:
                st.error(common.plain(exc))
            else:
                st.success(common.plain(f"Kept {path.name}. Inputs: {info.describe_inputs()}"))
                uploads = [UPLOAD_PREFIX + p.name for p in list_uploads(data_dir)]
    left, middle, right = st.columns(3)
    model = left.selectbox("Model", list(BUILTIN_MODELS) + uploads,
                           help="; ".join(f"{k}: {v}" for k, v in BUILTIN_MODELS.items()))
    mode = middle.selectbox("Mode", list(MODES), format_func=lambda m: MODES[m], index=list(MODES).index(REQUEST.mode))
    dims_text = right.text_input("Symbolic dimensions (your model)", placeholder="sequence=128, width=224",
                                 disabled=not model.startswith(UPLOAD_PREFIX))
    a, b, c, d = st.columns(4)
    threads = a.number_input("Intra-op threads", 0, 64, KNOBS.intra_op_threads,
                             help="0 = ONNX Runtime's default (one per core)")
    inter = b.number_input("Inter-op threads", 0, 64, KNOBS.inter_op_threads)
    opt_level = c.selectbox("Graph optimization", OPT_LEVELS, index=OPT_LEVELS.index(KNOBS.graph_optimization))
    execution = d.selectbox("Execution mode", EXECUTION_MODES, index=EXECUTION_MODES.index(KNOBS.execution_mode))
    a, b, c, d = st.columns(4)
    batch = a.number_input("Batch size", 1, 1024, REQUEST.batch_size)
    seq_len = b.number_input("MiniLM sequence length", 8, 512, REQUEST.seq_len)
    warmup = c.number_input("Warm-up runs", 0, 1000, REQUEST.warmup)
    duration = d.number_input("Seconds per measured loop", 0.5, 600.0, 5.0 if mode != "check" else 60.0)
    a, b, c, d = st.columns(4)
    queries = a.number_input("Queries per loop (0 = by duration)", 0, 1_000_000, 300 if mode == "check" else 0,
                             help="The model check needs a few hundred queries per load for a stable p95")
    qps = b.number_input("Target QPS (server)", 0.1, 10_000.0, 20.0)
    workers = c.number_input("Workers (server)", 1, 16, 1)
    slo = d.number_input("p95 bound, ms (search)", 1.0, 100_000.0, 100.0)
    profile = st.checkbox("Per-operator time breakdown (ORT profiling)")
    try:
        file = upload_path(data_dir, model.removeprefix(UPLOAD_PREFIX)) if model.startswith(UPLOAD_PREFIX) else None
        return RunRequest(model="file" if file else model, mode=mode,
                          knobs=Knobs(int(threads), int(inter), opt_level, execution),
                          batch_size=int(batch), seq_len=int(seq_len), warmup=int(warmup),
                          iterations=int(queries) or None, duration_s=float(duration), qps=float(qps),
                          workers=int(workers), slo_ms=float(slo), profile=profile, file=file,
                          dims=_dims(dims_text), who="a dashboard session")
    except CapplanError as exc:
        st.error(common.plain(exc))
        return None


@st.fragment(run_every=1.0)
def _job_panel() -> None:
    job = current_job()
    holder = lock.holder()
    if job is not None and job.running:
        status = job.status
        st.progress(status.fraction, text=common.plain(f"{status.request.model} {status.request.mode}: {status.message}"))
        if st.button("Stop the benchmark", type="secondary"):
            job.stop()
            st.info("Stopping: the run is kept and marked incomplete.")
    elif holder is not None:
        st.warning(common.plain(f"Busy: {describe_holder(holder)}. Runs compete for the same cores, so one runs "
                                "at a time."))
    elif job is not None and job.status.state == "failed":
        st.error(common.plain(job.status.error or "the benchmark failed"))
    elif job is not None and job.status.run_id:
        st.success(common.plain(f"Last run {job.status.run_id}: {job.status.state}"))
        if st.session_state.get("bench_shown_run") != job.status.run_id:
            st.session_state["bench_shown_run"] = job.status.run_id
            st.rerun(scope="app")


def _start(request: RunRequest) -> None:
    try:
        start_job(request, data_dir)
    except CapplanError as exc:
        st.error(common.plain(exc))


def _provenance(record: dict[str, Any]) -> None:
    m, model = record.get("machine", {}), record.get("model", {})
    p = common.plain
    st.markdown(f"**{p(model.get('name'))}** · {p(record['mode'])} · status **{p(record['status'])}** · "
                f"{p(record.get('created_at'))}")
    if record.get("note"):
        st.warning(p(record["note"]))
    busy = m.get("cpu_busy_share_during_run")
    busy_text = "" if not isinstance(busy, int | float) else f", CPU {busy:.0%} busy during the run"
    st.caption(p(f"Machine: {m.get('cpu_model')} × {m.get('cores')} cores, load average {m.get('load_average_at_start')} "
                 f"at start{busy_text} · ONNX Runtime "
                 f"{m.get('onnxruntime')} ({m.get('execution_provider')}) · {Knobs(**record['runtime']['knobs']).describe()} · "
                 f"model sha256 {str(model.get('sha256'))[:12]}…, opsets {model.get('opsets')}, inputs {model.get('input_shapes')}"))


def _chart(chart: Chart) -> None:
    plotly_chart(to_plotly_dict(chart, height=380), key=f"bench.chart.{chart.chart_id}")
    if chart.caption:
        st.caption(common.plain(chart.caption))


def _results(record: dict[str, Any]) -> None:
    results = record["results"]
    rows = table_rows(record)
    if rows:
        st.dataframe(pd.DataFrame(rows).drop(columns=["run_id", "status", "created_at", "model", "mode", "cpu_model"]),
                     hide_index=True, width="stretch")
    if "single_stream" in results:
        _chart(charts.latency_distribution(results["single_stream"]["samples_ms"], "Single-stream latency"))
    if results.get("offline", {}).get("sweep"):
        _chart(charts.throughput_by_batch(results["offline"]["sweep"], results["offline"]["best_batch"]))
    if results.get("server"):
        check = results.get("model_check")
        slo = results.get("search", {}).get("slo_ms") or record.get("settings", {}).get("slo_ms")
        _chart(charts.latency_by_qps(results["server"], slo if record["mode"] == "search" else None,
                                     check["rows"] if check else None))
        if len(results["server"]) == 1 and results["server"][0].get("samples_ms"):
            _chart(charts.latency_distribution(results["server"][0]["samples_ms"], "Server-mode latency",
                                               "bench_server_latency"))
    if "search" in results:
        best = results["search"]["max_qps"]
        st.metric(f"Highest QPS with p95 ≤ {results['search']['slo_ms']:g} ms",
                  "none" if best is None else f"{best:.1f}")
    if "model_check" in results:
        check = results["model_check"]
        st.subheader("Model check: queueing model against measurement")
        st.caption(f"{common.plain(check['model'])}, from the single-stream service time S = {check['service_time_ms']:.2f} ms "
                   f"(CV {check['service_cv']:.2f}) with c = {check['servers']} worker(s). Error = (model − measured) "
                   "/ measured; the target is |error| ≤ 20% for p95 up to 70% load. The last columns feed the same "
                   "model the service time measured during each server run: when they agree better, the machine "
                   "slowed down between calibration and measurement (shared cores), not the model.")
        st.dataframe(pd.DataFrame(check["rows"]), hide_index=True, width="stretch")
    if results.get("profile"):
        _chart(charts.operator_breakdown(results["profile"]))


def _use_in_scenario(record: dict[str, Any]) -> None:
    single = record["results"].get("single_stream")
    if not single:
        return
    st.subheader("Use in scenario")
    try:
        compute = price_data.price_book().compute
    except CapplanError as exc:
        st.error(common.plain(f"The compute price sheet could not be loaded: {exc}"))
        return
    if compute is None:
        st.info("No Azure ML compute sheet is loaded (pricing/azure-ml.yaml).")
        return
    sku_name = st.selectbox("Target SKU", sorted(compute.skus))
    sku = compute.skus[sku_name]
    threads = int(record["runtime"]["knobs"]["intra_op_threads"]) or int(record["machine"].get("cores") or 1)
    local_ms, cv = float(single["summary"]["mean"]), float(single["summary"]["cv"])
    on_sku = sku_service_time_ms(local_ms, sku.relative_core_speed)
    concurrency = sku_concurrency(sku.vcpus, threads)
    st.markdown(f"Service time on {common.plain(sku_name)}: **{on_sku:.2f} ms** (CV {cv:.2f}), concurrency **{concurrency}** per instance.")
    st.caption(f"Assumption: each request keeps the {threads} intra-op thread(s) it had here, so service time = "
               f"{local_ms:.2f} ms × 1.0 (this machine) / relative_core_speed {sku.relative_core_speed:g} "
               f"({common.plain(compute.ref.describe())}; 1.0 means 'as fast per core as this machine'), and the "
               f"{sku.vcpus} vCPUs run {concurrency} requests at once.")
    if st.button("Use in scenario"):
        st.session_state[HANDOVER_KEY] = {
            "service_time_ms": on_sku, "service_time_cv": cv, "run_id": record["run_id"], "sku": sku_name,
            "concurrency": concurrency, "local_service_time_ms": local_ms, "threads_per_request": threads,
            "relative_core_speed": sku.relative_core_speed, "model": record["model"]["name"],
            "machine": record["machine"].get("cpu_model")}
        st.success(f"The Studio's Azure ML options will use {on_sku:.2f} ms (CV {cv:.2f}) from run "
                   f"{common.plain(record['run_id'])}.")


def _stored_runs() -> None:
    st.header("Stored runs")
    running_id = (lock.holder() or {}).get("run_id")  # the run in progress here or in a CLI
    runs = store.list(running_id)
    if not runs:
        st.info("No runs yet: choose a model and a mode above and press Start.")
        return
    ids = [r.run_id for r in runs]
    shown = st.session_state.get("bench_shown_run")
    choice = st.selectbox("Run", ids, index=ids.index(shown) if shown in ids else 0,
                          format_func=lambda i: next(f"{r.run_id} · {r.status} · {r.headline}" for r in runs if r.run_id == i))
    try:
        record = store.load(choice, running_id)
    except CapplanError as exc:
        st.error(common.plain(exc))
        return
    _provenance(record)
    _results(record)
    _use_in_scenario(record)
    a, b, c = st.columns(3)
    a.download_button("Export CSV", export_csv([record]), file_name=f"{choice}.csv", mime="text/csv")
    b.download_button("Export JSON", export_json([record]), file_name=f"{choice}.json", mime="application/json")
    if c.button("Delete this run", disabled=record["status"] == "running"):
        store.delete(choice)
        st.rerun()
    with st.expander("Compare runs"):
        picked = st.multiselect("Runs", ids, default=ids[:2])
        records = [store.load(i, running_id) for i in picked]
        st.dataframe(pd.DataFrame([{**row, "headline": headline(r)} for r in records for row in table_rows(r)]),
                     hide_index=True, width="stretch")


with common.page_guard("the Benchmark lab"):
    request = _request_form()
    if st.button("Start", type="primary", disabled=request is None) and request is not None:
        _start(request)
    _job_panel()
    _stored_runs()
