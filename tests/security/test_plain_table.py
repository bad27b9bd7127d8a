"""`plain_table` (app/ui/common.py): st.table's Markdown cells shown as text, the table's layout kept."""

from __future__ import annotations

import pandas as pd

from app.ui.common import plain, plain_table
from tests.security.conftest import LINK_NAME, MARKDOWN_NAME
from tests.security.test_hostile_pages import RENDER


def test_text_cells_and_labels_are_escaped_numbers_and_a_default_index_are_kept():
    frame = pd.DataFrame({"Consumer": [LINK_NAME, "team-legal"], "Requests": [12, 7], "Share (%)": [1.5, None]})
    shown = plain_table(frame)
    assert list(shown["Consumer"]) == [plain(LINK_NAME), plain("team-legal")]
    assert list(shown["Requests"]) == [12, 7] and shown["Share (%)"].isna().tolist() == [False, True]
    assert isinstance(shown.index, pd.RangeIndex)  # st.table hides only a default index
    assert list(shown.columns) == ["Consumer", "Requests", "Share (%)"]  # the page's own words, kept for formats


def test_text_index_and_named_columns_are_escaped_when_they_are_names():
    frame = pd.DataFrame({MARKDOWN_NAME: ["1.5"]}, index=pd.Index([LINK_NAME], name="Option"))
    shown = plain_table(frame, header=True)
    assert list(shown.index) == [plain(LINK_NAME)] and shown.index.name == "Option"
    assert list(shown.columns) == [plain(MARKDOWN_NAME)]
    rendered = " ".join(RENDER.render(label) for label in [*shown.columns, *shown.index])  # as st.table reads them
    assert "<a " not in rendered and "<img" not in rendered, rendered
