"""Page layout: A4 or Letter, a cover page, header and footer with "Page X of Y" on every page."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate

from app.report.cover import REPORT_TITLE
from app.report.fonts import REGULAR
from app.report.styles import MUTED, RULE

PAPER_SIZES: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
CREATOR = "capplan (Inference Cost & Capacity Planner)"


def paper_size(paper: str) -> tuple[float, float]:
    try:
        return PAPER_SIZES[paper.lower()]
    except KeyError:
        raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}, got {paper!r}") from None


def frame_width(paper: str) -> float:
    return paper_size(paper)[0] - 2 * MARGIN_X


def _fit(text: str, width: float, size: float) -> str:
    """Shorten `text` with an ellipsis so it fits `width` points."""
    if stringWidth(text, REGULAR, size) <= width:
        return text
    while text and stringWidth(text + "…", REGULAR, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _time_stamp(created: datetime) -> TimeStamp:
    """reportlab's document time stamp set to `created` (UTC)."""
    stamp = TimeStamp(invariant=1)
    utc = created.astimezone(UTC)
    stamp.t = utc.timestamp()
    stamp.lt = utc.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


class _NumberedCanvas(Canvas):
    """Defers each page so the footer can say "Page X of Y" once the page count is known.

    The document is built in reportlab's invariant mode (its ID does not depend on the clock), then
    given `created` as its creation date: the same input gives the same bytes apart from that date.
    """

    header_left = ""
    footer_left = ""
    created = datetime(2000, 1, 1, tzinfo=UTC)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._doc._timeStamp = _time_stamp(self.created)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        width, height = self._pagesize
        size = 7.5
        self.saveState()
        self.setFont(REGULAR, size)
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        if number > 1:  # the cover carries no running header
            top = height - MARGIN_TOP + 8
            right = REPORT_TITLE
            self.drawRightString(width - MARGIN_X, top + 4, right)
            room = width - 2 * MARGIN_X - stringWidth(right, REGULAR, size) - 16
            self.drawString(MARGIN_X, top + 4, _fit(self.header_left, room, size))
            self.line(MARGIN_X, top, width - MARGIN_X, top)
        bottom = MARGIN_BOTTOM - 10
        self.line(MARGIN_X, bottom + 9, width - MARGIN_X, bottom + 9)
        page = f"Page {number} of {total}"
        self.drawRightString(width - MARGIN_X, bottom, page)
        room = width - 2 * MARGIN_X - stringWidth(page, REGULAR, size) - 16
        self.drawString(MARGIN_X, bottom, _fit(self.footer_left, room, size))
        self.restoreState()


def render_document(story: Sequence[Flowable], cover: Sequence[Flowable], *, paper: str, title: str,
                    subject: str, header_left: str, footer_left: str, created: datetime) -> bytes:
    """Lay out the cover and the story into PDF bytes."""
    size = paper_size(paper)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=size, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=title, author=CREATOR, subject=subject, creator=CREATOR,
                          producer=CREATOR, invariant=1, lang="en", initialFontName=REGULAR, initialFontSize=9)
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, size[0] - 2 * MARGIN_X, size[1] - MARGIN_TOP - MARGIN_BOTTOM,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="cover", frames=[frame]), PageTemplate(id="body", frames=[frame])])
    canvas_class: Callable[..., Canvas] = type("ReportCanvas", (_NumberedCanvas,),
                                               {"header_left": header_left, "footer_left": footer_left,
                                                "created": created})
    doc.build([*cover, NextPageTemplate("body"), PageBreak(), *story], canvasmaker=canvas_class)
    return buffer.getvalue()
