import pytest

from app.engine.errors import MissingPriceError
from app.engine.prices import TokenRates
from app.engine.token_billing import token_cost_breakdown, token_cost_per_request


def test_spec_example_global_standard():
    # SPEC 4: 1M requests, 1,500 prompt (70% cached) + 500 completion tokens on gpt-4o Global.
    costs = token_cost_breakdown(1_000_000, 1500, 500, 0.7, TokenRates(2.50, 1.25, 10.00))
    assert costs["input"] == pytest.approx(1_000_000 * 1500 * 0.3 * 2.50 / 1e6)  # = 1125.0
    assert costs["input"] == pytest.approx(1125.0)
    assert costs["cached_input"] == pytest.approx(1_000_000 * 1500 * 0.7 * 1.25 / 1e6)  # = 1312.5
    assert costs["output"] == pytest.approx(1_000_000 * 500 * 10.00 / 1e6)  # = 5000.0
    assert sum(costs.values()) == pytest.approx(7437.5)


def test_null_cached_price_bills_cached_tokens_at_the_input_price():
    # Batch: cached_input null -> no discount: 1e6 * 1500 * 0.7 * 1.25 / 1e6 = 1312.5
    costs = token_cost_breakdown(1_000_000, 1500, 500, 0.7, TokenRates(1.25, None, 5.00))
    assert costs["cached_input"] == pytest.approx(1312.5)
    assert costs["input"] == pytest.approx(562.5)  # 1e6 * 1500 * 0.3 * 1.25 / 1e6
    assert costs["output"] == pytest.approx(2500.0)  # 1e6 * 500 * 5 / 1e6


def test_embeddings_have_no_output_price():
    # 40M chunks x 400 tokens x 0.02 / 1M = 320.0
    costs = token_cost_breakdown(40_000_000, 400, 0, 0.0, TokenRates(0.02, None, None))
    assert costs == {"input": pytest.approx(320.0), "cached_input": 0.0, "output": 0.0}


def test_completion_tokens_without_an_output_price_is_an_error_not_a_zero():
    with pytest.raises(MissingPriceError, match="no output-token price"):
        token_cost_breakdown(1000, 400, 10, 0.0, TokenRates(0.02, None, None), "text-embedding-3-small")


def test_cost_per_request():
    # 1500*0.3*2.5/1e6 + 1500*0.7*1.25/1e6 + 500*10/1e6 = 0.001125 + 0.0013125 + 0.005
    assert token_cost_per_request(1500, 500, 0.7, TokenRates(2.5, 1.25, 10)) == pytest.approx(0.0074375)
