"""Link parameters are validated like YAML input: a message, the default view, no file outside scenarios/."""

from __future__ import annotations

import pytest

from app.ui.scenario_state import decode_state, encode_state
from tests.ui.conftest import metrics, open_app, shown, texts

DEFAULT_COST = "$8,181.25"  # rag-knowledge-base, the default scenario (Data Zone Standard)


@pytest.mark.parametrize("name", [
    "no-such-scenario", "../pricing/azure-openai", "../../etc/passwd", "/etc/passwd", "%2e%2e%2fpricing%2fazure-openai",
    "..%2F..%2Fetc%2Fpasswd", "rag-knowledge-base.yaml", "scenarios/rag-knowledge-base", "C:\\Windows\\win.ini",
    "rag-knowledge-base\x00", "x" * 5000,
])
def test_a_bad_scenario_name_gives_a_message_and_the_default_view(name):
    at = open_app(scenario=name)
    assert not at.exception
    assert "not in the library" in texts(at)
    assert metrics(at)["Monthly cost"] == DEFAULT_COST


def test_a_valid_scenario_file_outside_the_library_is_never_read(tmp_path):
    outside = tmp_path / "evil.yaml"
    outside.write_text("name: Outside\nworkload: {requests_per_month: 5}\n"
                       "options: [{name: X, kind: aoai-standard, model: gpt-4o}]\n")
    for ref in (str(outside), str(outside.with_suffix("")), f"../../../../../../{outside}"):
        at = open_app(scenario=ref)
        assert shown(at.title[0].value) != "Outside"
        assert "not in the library" in texts(at)


@pytest.mark.parametrize(("param", "value", "says"), [
    ("requests", "-5", "requests_per_month"),
    ("requests", "nan", "finite"),
    ("requests", "1e400", "finite"),
    ("prompt_cache", "1.5", "prompt_cache_hit_rate"),
    ("peak", "abc", "expected a number"),
    ("shape", "../../etc", "shape"),
    ("peak", "500", "peak_to_average"),
])
def test_out_of_range_values_are_not_applied(param, value, says):
    at = open_app(scenario="rag-knowledge-base", **{param: value})
    assert not at.exception
    assert "not applied" in texts(at) and says in texts(at)
    assert metrics(at)["Monthly cost"] == DEFAULT_COST


def test_garbage_state_and_unknown_parameters_give_messages():
    at = open_app(state="not-base64!!", color="red")
    assert "could not be used" in texts(at)
    assert "Ignored unknown link parameter" in texts(at) and "color" in texts(at)
    assert metrics(at)["Monthly cost"] == DEFAULT_COST


def test_state_is_bounded_and_round_trips():
    text = "name: a\n"
    assert decode_state(encode_state(text)) == text
    bomb = encode_state("a" * (2 * 1024 * 1024))  # compresses to a few KB, expands past the limit
    at = open_app(state=bomb)
    assert "could not be used" in texts(at)
    assert metrics(at)["Monthly cost"] == DEFAULT_COST


def test_a_state_with_an_invalid_scenario_names_the_field():
    bad = encode_state("name: x\nworkload: {requests_per_month: 10}\noptions: [{name: A, kind: aoai-standard, "
                       "model: gpt-4o, colour: red}]\n")
    at = open_app(state=bad)
    assert "options[0].colour" in texts(at) or "colour" in texts(at)
