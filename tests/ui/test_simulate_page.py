"""The Simulate page through Streamlit's AppTest: defaults, editing a variant, bad input."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.ui.charts import figures

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "ui" / "views" / "simulate.py")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_default_view_shows_the_monday_burst_outrunning_the_slow_rule() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception and not at.error
    metrics = _metrics(at)
    slow = int(metrics["Slow rule as deployed: SLO-violating minutes"].replace(",", ""))
    fast = int(metrics["Cooldown 5 min and minimum 8: SLO-violating minutes"].replace(",", ""))
    assert slow > 60 and fast < slow  # the burst outruns the slow rule
    assert len(figures(at)) == 5


def test_changing_cooldown_and_minimum_changes_slo_minutes_and_cost() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    before = _metrics(at)
    at.number_input(key="monday-morning-autoscale-v0-cool").set_value(1)
    at.number_input(key="monday-morning-autoscale-v0-min").set_value(6).run()
    assert not at.exception and not at.error
    after = _metrics(at)
    key_slo = "Slow rule as deployed: SLO-violating minutes"
    key_cost = "Slow rule as deployed: cost"
    assert int(after[key_slo].replace(",", "")) < int(before[key_slo].replace(",", ""))
    assert after[key_cost] != before[key_cost]


def test_minimum_above_maximum_is_a_message_not_a_traceback() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.number_input(key="monday-morning-autoscale-v0-min").set_value(40).run()
    assert not at.exception
    assert any("minimum 40 exceeds maximum 30" in e.value for e in at.error)


def test_replay_scenario_loads_the_demo_recording_on_request() -> None:
    at = AppTest.from_file(PAGE, default_timeout=240).run()
    at.selectbox[0].select("replay-demo-ticket-classifier").run()
    assert any("replays recorded telemetry" in i.value for i in at.info)
    assert not at.metric  # nothing is simulated before the recording is loaded
    at.button(key="replay-demo-ticket-classifier-replay-button").click().run()
    assert not at.exception and not at.error
    metrics = _metrics(at)
    assert float(metrics["Minutes with the recorded instance count"].rstrip("%")) > 95
    assert len(figures(at)) == 7
