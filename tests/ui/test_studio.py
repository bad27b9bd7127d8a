"""The Studio through streamlit.testing.v1.AppTest: figures, what-if edits, options, display modes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.catalog.loader import library_names
from app.charts.format import money
from app.cli.main import cli
from tests.ui.charts import figures
from tests.ui.conftest import metrics, open_app, option_rows, shown, texts


def _cli_json(name: str) -> dict:
    result = CliRunner().invoke(cli, ["evaluate", name, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _table(at) -> list[dict]:
    return option_rows(at)


@pytest.mark.parametrize("name", library_names())
def test_studio_shows_the_same_figures_as_capplan_evaluate_json(name):
    expected = _cli_json(name)
    at = open_app(scenario=name)
    assert not at.exception
    assert shown(at.title[0].value) == expected["scenario"]
    rows = {row["Option"].removeprefix("★ "): row for row in _table(at)}
    assert list(rows) == [o["name"] for o in expected["options"]]
    for option in expected["options"]:
        row = rows[option["name"]]
        assert row["Monthly cost"] == money(option["monthly_cost"], expected["currency"])
        assert row["Per 1k requests"] == money(option["cost_per_1k_requests"], expected["currency"])
        p95 = option["latency_ms"]["p95"] if option["latency_ms"] else None
        assert row["p95 latency"] == ("–" if p95 is None else f"{p95:,.0f} ms")
        failed = list(dict.fromkeys(f["constraint"] for f in option["constraints_failed"]))
        met = [n for n, v in (("latency", option["meets_slo"]), ("deadline", option["meets_deadline"])) if v]
        assert row["Constraints"] == ("❌ " + ", ".join(failed) if failed else
                                      "✅ meets " + " and ".join(met) if met else "–")
        assert row["Warnings"] == (f"⚠ {len(option['warnings'])}" if option["warnings"] else "")
        ttft = option["ttft_ms"]["p95"] if option["ttft_ms"] else None
        assert row["p95 first token"] == ("–" if ttft is None else f"{ttft:,.0f} ms")

    headline = metrics(at)
    if expected["recommended"]:
        best = next(o for o in expected["options"] if o["name"] == expected["recommended"])
        assert headline["Recommended"] == expected["recommended"]
        assert headline["Monthly cost"] == money(best["monthly_cost"])
        starred = [row["Option"].removeprefix("★ ") for row in _table(at) if row["Option"].startswith("★ ")]
        assert starred == [expected["recommended"]]
    else:
        assert "No option is feasible" in texts(at)
    # Every warning stands out as its own warning box, every failed constraint as an error box.
    warnings = [w.value.replace("\\", "") for w in at.warning]
    errors = [e.value.replace("\\", "") for e in at.error]
    for option in expected["options"]:
        for warning in option["warnings"]:
            assert any(warning in w for w in warnings), warning
        for failure in option["constraints_failed"]:
            assert any(failure["message"] in e for e in errors), failure
    # The chart is the cost-by-option definition: one stacked trace per cost component.
    figure = figures(at)[0]
    assert figure["layout"]["barmode"] == "stack"
    assert "as_of 2026-11-01" in texts(at)


def _section(at, label):
    """Open an editor tab (only the open tab's widgets are drawn)."""
    at.session_state["studio_section"] = label
    at.run()
    assert [t.label for t in at.tabs][:3] == ["Traffic & tokens", "Latency & constraints", "Options"]
    return at


def _slider(at, label_start):
    return next(s for s in at.slider if s.label.startswith(label_start))


def test_moving_a_slider_recomputes_and_updates_the_link():
    at = open_app()
    # SPEC section 4 figure ×1.10: Data Zone Standard (the EU data-residency requirement rules out Global)
    assert metrics(at)["Monthly cost"] == "$8,181.25"
    _slider(at, "Prompt-cache hit rate").set_value(0.0).run()
    # No cache: input 1e6 · 1500 · 2.75 / 1M = 4,125 + output 1e6 · 500 · 11 / 1M = 5,500.
    assert metrics(at)["Monthly cost"] == "$9,625.00"
    assert at.query_params["scenario"] == "rag-knowledge-base"
    assert at.query_params["prompt_cache"] == "0"


def test_a_copied_link_reproduces_the_numbers():
    at = open_app(scenario="onnx-cpu-vs-gpu")
    next(n for n in at.number_input if n.label.startswith("Requests per month")).set_value(150_000_000.0).run()
    _slider(at, "Peak-to-average").set_value(2.0).run()
    before = _table(at)
    params = dict(at.query_params)
    assert params == {"scenario": "onnx-cpu-vs-gpu", "requests": "150000000", "peak": "2"}
    again = open_app(**params)
    assert _table(again) == before
    assert metrics(again) == metrics(at)


def test_editing_an_option_travels_in_the_link_as_state():
    at = _section(open_app(), "Options")
    at.selectbox(key="g0_edit").set_value(2).run()
    at.toggle(key="g0_o2_ptu_auto").set_value(False).run()
    at.number_input(key="g0_o2_ptu").set_value(30).run()
    row = _table(at)[2]
    assert row["Capacity"].startswith("deployed 30 PTU")
    assert row["Monthly cost"].startswith("$")
    params = dict(at.query_params)
    assert set(params) == {"scenario", "state"}
    again = open_app(**params)
    assert _table(again) == _table(at)


def test_add_and_remove_an_option():
    at = _section(open_app(), "Options")
    count = len(_table(at))
    at.selectbox(key="studio_new_kind").set_value("aml-online").run()
    next(b for b in at.button if b.label == "Add option").click().run()
    assert at.error, "an online endpoint needs a service time"
    assert "service_time_ms" in texts(at)
    assert at.text_input[0].value == "Azure ML managed online endpoint"  # the new option is open for editing
    _section(at, "Latency & constraints")
    assert not at.text_input, "only the open tab's widgets are drawn"
    next(n for n in at.number_input if n.label.startswith("Service time")).set_value(20.0).run()
    assert len(_table(at)) == count + 1
    assert _table(at)[-1]["Kind"] == "aml-online"
    _section(at, "Options")
    assert at.text_input[0].value == "Azure ML managed online endpoint", "the option being edited is remembered"
    remove = [b for b in at.button if b.label == "Remove this option"]
    remove[-1].click().run()
    assert len(_table(at)) == count


def test_a_fixed_ptu_off_the_increment_gets_a_message_not_a_traceback():
    at = _section(open_app(), "Options")
    at.selectbox(key="g0_edit").set_value(2).run()
    at.toggle(key="g0_o2_ptu_auto").set_value(False).run()
    at.number_input(key="g0_o2_ptu").set_value(17).run()
    assert not at.exception
    assert "not a multiple of the 5-PTU increment" in texts(at)


def test_blank_scenario_then_back_to_the_library():
    at = open_app()
    at.selectbox(key="studio_pick").set_value("(blank scenario)").run()
    assert shown(at.title[0].value) == "New scenario"
    assert metrics(at)["Recommended"] == "Global Standard"
    assert _table(at)[0]["Constraints"] == "✅ meets latency"  # it starts interactive: latency targets filled in
    at.selectbox(key="studio_pick").set_value("steady-ptu-sizing").run()
    assert shown(at.title[0].value) == "Steady high-volume PTU sizing"
    assert at.query_params["scenario"] == "steady-ptu-sizing"


def test_presentation_mode_hides_editing_and_enlarges_type():
    at = open_app(present="1")
    assert not at.slider and not at.number_input
    assert metrics(at)["Monthly cost"] == "$8,181.25"
    assert at.toggle(key="capplan_presentation").value is True
    assert any("font-size: 20px" in h.proto.body for h in at.get("html"))
    layout = figures(at)[0]["layout"]
    assert (layout["height"], layout["template"]["layout"]["font"]["size"]) == (540, 17)  # a larger chart
    at.toggle(key="capplan_presentation").set_value(False).run()
    assert at.slider
    layout = figures(at)[0]["layout"]
    assert (layout["height"], layout["template"]["layout"]["font"]["size"]) == (430, 13)


def test_sessions_share_no_state():
    first = open_app()
    _slider(first, "Prompt-cache hit rate").set_value(0.0).run()
    assert metrics(first)["Monthly cost"] == "$9,625.00"
    second = open_app()
    assert metrics(second)["Monthly cost"] == "$8,181.25"
    assert "prompt_cache" not in second.query_params


def test_blank_scenario_compares_batch_only_when_results_can_wait():
    at = open_app()
    at.selectbox(key="studio_pick").set_value("(blank scenario)").run()
    _section(at, "Options")
    at.selectbox(key="studio_new_kind").set_value("aoai-batch").run()
    next(b for b in at.button if b.label == "Add option").click().run()
    batch = _table(at)[-1]
    assert batch["Kind"] == "aoai-batch" and batch["Constraints"] == "❌ interactive use"
    assert metrics(at)["Recommended"] == "Global Standard"  # the Batch API is half price but cannot answer a chat
    assert any("cannot answer interactive requests" in e.value for e in at.error)
    _section(at, "Latency & constraints")
    wait = next(r for r in at.radio if r.label == "Can results wait?")
    assert wait.value.startswith("No")
    wait.set_value(wait.options[1]).run()
    assert next(n for n in at.number_input if n.label == "Deadline (hours)").value == 24.0
    assert _table(at)[-1]["Constraints"] == "✅ meets deadline"
    assert metrics(at)["Recommended"].startswith("Azure OpenAI Batch API")
    assert at.query_params["state"]


def test_data_residency_and_short_prompts_in_the_studio():
    at = _section(open_app(scenario="consumer-chatbot-result-cache"), "Latency & constraints")
    at.selectbox(key="g0_w_residency").set_value("region").run()
    assert "No option is feasible" in texts(at)
    assert "data residency" in _table(at)[0]["Constraints"]
    _section(at, "Traffic & tokens")
    next(n for n in at.number_input if n.label.startswith("Prompt tokens")).set_value(800.0).run()
    assert "are not cached: this hit rate does not apply" in texts(at)
    assert any("below the 1,024-token minimum" in i.value.replace("\\", "") for i in at.info)
    assert _slider(at, "Prompt-cache hit rate").max == 0.95


def test_granted_quota_and_measured_latency_of_an_option():
    at = _section(open_app(), "Options")
    at.selectbox(key="g0_edit").set_value(1).run()  # Data Zone Standard
    at.number_input(key="g0_o1_tpm_quota").set_value(100_000.0).run()
    assert _table(at)[1]["Constraints"] == "❌ quota"
    assert "HTTP 429 at the busiest hour" in texts(at)
    assert "No option is feasible" in texts(at)  # the only option that met the EU residency now gets 429s
    at.number_input(key="g0_o1_tpm_quota").set_value(None).run()
    assert _table(at)[1]["Constraints"] == "✅ meets latency"
    # measured medians: 300 ms to first token, 200 tokens/s: p50 = 300 + 500 / 200 s = 2,800 ms
    at.number_input(key="g0_o1_latency_ttft").set_value(300.0).run()
    assert "Give both medians" in texts(at)
    at.number_input(key="g0_o1_latency_speed").set_value(200.0).run()
    assert _table(at)[1]["p95 first token"] == f"{300 * 2.2760:,.0f} ms"
    assert "state" in at.query_params  # the edited option travels in the link
