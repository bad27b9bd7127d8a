"""Unicode fonts for the PDF: the DejaVu TTFs that ship with matplotlib, embedded (subset) by reportlab.

The PDF base fonts (Helvetica) cover Latin-1 at best; scenario names in Norwegian, Swedish, Greek or
Cyrillic need an embedded TrueType font. matplotlib is a dependency anyway and carries DejaVu, so
the report needs no font installed on the machine.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR = "CapplanSans"
BOLD = "CapplanSans-Bold"
ITALIC = "CapplanSans-Oblique"
BOLD_ITALIC = "CapplanSans-BoldOblique"
MONO = "CapplanMono"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}


@cache
def register_fonts() -> None:
    """Register the DejaVu family with reportlab once per process (idempotent)."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
