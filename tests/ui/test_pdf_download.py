"""The Download PDF control on the Studio and Explore pages builds the scenario as edited."""

from __future__ import annotations

from tests.ui.conftest import open_app


def _download_buttons(at):
    return [el for el in at.get("download_button")]


def test_studio_builds_a_pdf_of_the_edited_scenario():
    at = open_app(scenario="rag-knowledge-base")
    assert not at.exception
    assert not _download_buttons(at)
    assert [e.label for e in at.expander if e.label == "PDF report"], "the PDF panel is offered, folded"
    at.session_state["studio_pdf_panel"] = True  # unfold it (its content is drawn only when open)
    at.run()
    at.button(key="studio_pdf_prepare").click().run(timeout=120)
    assert not at.exception
    assert [b.proto.label for b in _download_buttons(at)] == ["Download PDF"]


def test_explore_offers_the_pdf_too():
    at = open_app(scenario="steady-ptu-sizing", page="views/explore.py")
    assert not at.exception
    at.button(key="explore_pdf_prepare").click().run(timeout=120)
    assert not at.exception
    assert [b.proto.label for b in _download_buttons(at)] == ["Download PDF"]
