"""Hostile names from Azure Monitor (a recording, or a live pull of someone's estate) on the Telemetry page.

A deployment and an APIM consumer named with Markdown and HTML reach the page's summary tables (the
transposed ones are headed by resource names), the chargeback table, its captions and warnings. The
page runs through Streamlit's AppTest in a capped child; every text Streamlit renders as Markdown,
table column headers included, must build no link, image or raw HTML, and the charts must carry the
names HTML-escaped.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import yaml
from streamlit.testing.v1 import AppTest

from tests.security.conftest import LINK_NAME, MARKDOWN_NAME, ROOT, capped
from tests.security.test_hostile_pages import RENDER, assert_shown_as_text, markdown_texts
from tests.security.test_hostile_recordings import copy_demo
from tests.ui.charts import figures

PAGE = str(ROOT / "app" / "ui" / "views" / "telemetry.py")
HOSTILE_DEPLOYMENT = MARKDOWN_NAME
HOSTILE_CONSUMER = LINK_NAME


def _page_report(folder: str, config_path: str) -> dict[str, Any]:
    from app.settings import get_settings
    from app.telemetry.sources import replay
    from app.ui.views.telemetry import DATA_KEY

    os.environ["CAPPLAN_TELEMETRY_CONFIG"] = config_path
    get_settings.cache_clear()
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state[DATA_KEY] = replay(Path(folder))  # as after "Pull from Azure Monitor"
    at.run()
    texts = markdown_texts(at)
    for table in at.table:  # st.table renders its column headers as Markdown too
        texts += [str(c) for c in table.value.columns]
    return {"exception": [str(e.value) for e in at.exception], "texts": texts,
            "html": [RENDER.render(t) for t in texts], "figures": json.dumps(figures(at))}


def test_hostile_names_from_azure_are_shown_as_text_on_the_telemetry_page(sandbox):
    folder = copy_demo(sandbox.inputs / "names")
    for body in folder.glob("*.json.gz"):
        text = gzip.decompress(body.read_bytes()).decode("utf-8")
        if '"team-support"' in text:  # the gateway logs: a hostile consumer on a priced deployment
            text = text.replace('"team-support"', json.dumps(HOSTILE_CONSUMER))
        else:  # the metrics: a hostile deployment name, a column header of the transposed summary
            text = text.replace('"chat-gpt4o"', json.dumps(HOSTILE_DEPLOYMENT))
        body.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    config_path = sandbox.inputs / "telemetry.yaml"
    config_path.write_text(yaml.safe_dump(index["meta"]["config"]), encoding="utf-8")

    report = capped(_page_report, str(folder), str(config_path), memory_mb=800, timeout_s=180)
    assert_shown_as_text(report)
    joined = "\n".join(report["texts"])
    # the names are on the page, as text: in a transposed summary's column header and in the chargeback
    assert "\\!\\[b\\]\\(http" in joined, joined[:2000]
    assert "\\<a href\\=" in joined, joined[-3000:]
    assert any(t.startswith("Total effective cost") for t in report["texts"]), "the chargeback table is shown"
