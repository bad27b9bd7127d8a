"""Explore, Library and Prices through AppTest, and embed mode on every page."""

from __future__ import annotations

import pytest

from app.catalog.loader import library_names, load_price_book, load_scenario
from app.catalog.scenario_yaml import scenario_to_yaml
from tests.ui.charts import figures
from tests.ui.conftest import metrics, open_app, option_rows, shown, texts

PAGES = ["views/studio.py", "views/explore.py", "views/library.py", "views/prices.py"]


def test_explore_shows_break_even_cache_sensitivity_and_ptu():
    at = open_app("views/explore.py")
    assert not at.exception
    titles = [c["layout"]["title"]["text"] for c in figures(at)]
    assert any(t.startswith("Break-even") for t in titles)
    assert any(t.startswith("Prompt-cache") for t in titles)
    assert any(t.startswith("Sensitivity of Data Zone Standard") for t in titles)  # the recommended option
    assert any(t.startswith("PTU count") for t in titles)
    assert "no Azure ML online endpoint" in texts(at)
    # Only Data Zone Standard meets the EU residency and latency targets, up to where it outgrows its tier-1
    # quota: 300,000 TPM = N / 730 · 3 / 60 · 2,000 tokens, N = 2,190,000 requests/month (next grid point 2.37M).
    assert "The recommended option is the same wherever one is feasible" in texts(at)
    assert "no option is feasible: each fails a constraint" in texts(at)
    steady = open_app("views/explore.py", scenario="steady-ptu-sizing")
    assert "is cheaper than" in texts(steady)  # a crossover is stated in words
    break_even = next(c for c in figures(at) if c["layout"]["title"]["text"].startswith("Break-even"))
    assert break_even["layout"]["xaxis"]["type"] == "log"


def test_explore_instances_chart_for_an_online_endpoint_and_option_choice():
    at = open_app("views/explore.py", scenario="onnx-cpu-vs-gpu")
    titles = [c["layout"]["title"]["text"] for c in figures(at)]
    assert any(t.startswith("Instances against p95 latency") for t in titles)
    assert "no Azure OpenAI Standard or PTU option" in texts(at)
    at.selectbox(key="explore_online_option").set_value("T4 GPU fixed 3").run()
    titles = [c["layout"]["title"]["text"] for c in figures(at)]
    assert any("T4 GPU fixed 3" in t for t in titles)


def test_explore_follows_a_studio_edit():
    at = open_app()
    next(s for s in at.slider if s.label.startswith("Prompt-cache")).set_value(0.0).run()
    at.switch_page("views/explore.py").run()
    cache = next(c for c in figures(at) if c["layout"]["title"]["text"].startswith("Prompt-cache"))
    current = next(s for s in cache["layout"]["shapes"] if s["x0"] == s["x1"])
    assert current["x0"] == 0.0
    assert at.query_params["prompt_cache"] == "0"


def test_library_lists_every_scenario_with_its_cheapest_option_and_opens_one():
    at = open_app("views/library.py")
    table = at.dataframe[0].value
    assert list(table["File"]) == library_names()
    assert table["Cheapest option"].str.contains(r"\$").all()
    at.selectbox(key="library_open_choice").set_value("steady-ptu-sizing").run()
    next(b for b in at.button if b.label == "Open in Studio").click().run()
    assert shown(at.title[0].value) == "Steady high-volume PTU sizing"


def test_upload_of_a_malformed_yaml_shows_the_errors_inline():
    at = open_app("views/library.py")
    bad = b"name: Broken\nworkload:\n  requests_per_month: -3\noptions:\n  - {name: A, kind: aoai-standard, model: gpt-9}\n"
    at.file_uploader(key="library_upload").upload("broken.yaml", bad, "application/x-yaml").run()
    assert not at.exception
    shown = texts(at)
    assert "upload broken.yaml" in shown and "workload.requests_per_month" in shown and ":3" in shown
    at.switch_page("views/studio.py").run()
    assert metrics(at)["Monthly cost"] == "$8,181.25"  # nothing was lost


@pytest.mark.parametrize("name", library_names())
def test_download_then_upload_gives_the_same_numbers(name):
    """The download button serves scenario_to_yaml(current file); uploading it reproduces the view."""
    at = open_app(scenario=name)
    before = option_rows(at)
    text = scenario_to_yaml(load_scenario(name, load_price_book()).file)
    at.switch_page("views/library.py").run()
    assert at.download_button(key="library_download").label == "Download as YAML"
    at.file_uploader(key="library_upload").upload(f"{name}.yaml", text.encode(), "application/x-yaml").run()
    assert "Loaded" in texts(at)
    at.switch_page("views/studio.py").run()
    assert option_rows(at) == before
    assert "state" in at.query_params  # an upload is not a library file: the link carries it


def test_saving_needs_a_writable_library(fresh_settings, tmp_path):
    at = open_app("views/library.py")
    assert "Saving into scenarios/ is off" in texts(at)
    state = _state_of("rag-knowledge-base")
    fresh_settings.setenv("CAPPLAN_SCENARIOS_DIR", str(tmp_path))
    fresh_settings.setenv("CAPPLAN_LIBRARY_WRITABLE", "1")
    from app.settings import get_settings

    get_settings.cache_clear()
    at = open_app("views/library.py", state=state)
    at.text_input[0].set_value("../escape")
    at.button[-1].click().run()
    assert "not a plain name" in texts(at)
    assert not list(tmp_path.parent.glob("escape*"))
    at.text_input[0].set_value("my-copy")
    at.button[-1].click().run()
    assert (tmp_path / "my-copy.yaml").is_file()
    assert "Saved my-copy.yaml" in texts(at)


def _state_of(name: str) -> str:
    from app.ui.scenario_state import encode_state

    return encode_state(scenario_to_yaml(load_scenario(name, load_price_book()).file))


def test_prices_page_shows_every_sheet_with_as_of_and_source():
    at = open_app("views/prices.py")
    shown = texts(at)
    assert "pricing/azure-openai.yaml" in shown and "pricing/azure-ml.yaml" in shown
    assert shown.count("as_of 2026-11-01") == 2 or shown.count("2026-11-01") >= 2
    assert "Source: Azure Retail Prices API" in shown
    tokens = at.dataframe[0].value
    row = tokens[(tokens["Model"] == "gpt-4o") & (tokens["Deployment"] == "global") & (tokens["Billing"] == "Standard")]
    assert float(row["Input /1M"].iloc[0]) == 2.5 and float(row["Output /1M"].iloc[0]) == 10.0
    at.multiselect(key="prices_models").set_value(["gpt-4o-mini"]).run()
    assert set(at.dataframe[0].value["Model"]) == {"gpt-4o-mini"}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_embed_and_presentation_mode(page):
    at = open_app(page, embed="true", present="1")
    assert not at.exception
    # the only red boxes are the options' failed constraints (the default scenario rules out Global deployments)
    assert all(" fails " in e.value for e in at.error), [e.value for e in at.error]
    assert at.title


def test_explore_choices_travel_in_the_link_and_bad_ones_get_a_message():
    at = open_app("views/explore.py", scenario="onnx-cpu-vs-gpu")
    at.selectbox(key="explore_online_option").set_value("T4 GPU fixed 3").run()
    params = dict(at.query_params)
    assert params["endpoint"] == "T4 GPU fixed 3" and params["scenario"] == "onnx-cpu-vs-gpu"
    again = open_app("views/explore.py", **params)
    assert again.selectbox(key="explore_online_option").value == "T4 GPU fixed 3"
    assert any("T4 GPU fixed 3" in c["layout"]["title"]["text"] for c in figures(again))
    assert "Ignored unknown link parameter" not in texts(again)
    bad = open_app("views/explore.py", scenario="onnx-cpu-vs-gpu", endpoint="../../etc/passwd", tornado="nope")
    assert not bad.exception
    assert "endpoint='../../etc/passwd', which is not one of this scenario's choices" in texts(bad)
    assert "tornado='nope'" in texts(bad)
    assert bad.query_params["endpoint"] == bad.selectbox(key="explore_online_option").value != "../../etc/passwd"
