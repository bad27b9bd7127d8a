"""The PDF says what the Studio and the CLI say: failed constraints in words, why nothing is
recommended, latency figures with their sources, and the prompt-cache minimum."""

from __future__ import annotations

from app.report import build_pdf
from tests.report.conftest import FIXED_TIME, pdf_text, scenario_from_text

NOTHING_FEASIBLE = """name: EU chatbot on global deployments
workload:
  requests_per_month: 1000000
  tokens: {prompt: 800, completion: 300}
  caching: {prompt_cache_hit_rate: 0.6}
  latency_slo_ms: 8000
  data_residency: data-zone
options:
  - {name: Global Standard, kind: aoai-standard, model: gpt-4o, deployment: global}
  - {name: Global Batch, kind: aoai-batch, model: gpt-4o, deployment: global}
"""


def test_no_feasible_option_and_short_prompts(prices):
    text = pdf_text(build_pdf(scenario_from_text(NOTHING_FEASIBLE, prices), prices, "a4", generated_at=FIXED_TIME))
    assert "No option is feasible, so none is recommended" in text
    assert "fails the data-residency requirement" in text
    assert "cannot answer interactive requests (no deadline stated)" in text
    # the failures under each option, with the numbers
    assert "data residency: Global Standard may process requests in any Azure region" in text
    assert "interactive use: The Batch API returns results in up to 24.0 h" in text
    # 800-token prompts are not cached: the summary, the assumptions and the method say so
    assert "prompts of 800 tokens are below the 1,024-token minimum" in text
    assert "60.0% stated, 0% applied" in text
    assert "Which prompts Azure OpenAI can serve from its prompt cache" in text


def test_latency_figures_and_their_sources(library_pdf):
    text = pdf_text(library_pdf("rag-knowledge-base"))
    # Data Zone Standard, gpt-4o: p50 770 + 500 / 115 s = 5,117.8 ms; p95 8,311.9 ms; first token p95 1,752.5 ms
    for figure in ("5,117.8", "8,311.9", "1,752.5"):
        assert figure in text
    assert "Time to first token p95" in text
    assert "artificialanalysis.ai/models/gpt-4o-2024-05-13/providers" in text
    assert "'99% > 25 Tokens Per Second'" in text
    assert "a p95 time to first token of at most 2,000 ms" in text
    assert "Latency of Azure OpenAI deployments: time to first token plus completion tokens over output speed" in text
    assert "azure-openai-service" in text
