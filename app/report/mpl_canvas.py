"""A matplotlib renderer that draws straight onto a reportlab canvas: charts stay vector in the PDF.

matplotlib lays the figure out (at 72 dpi, so one pixel is one PDF point); this renderer turns its
paths into PDF paths and its text into real PDF text in the embedded DejaVu font (the same font
matplotlib measures with), so the labels stay sharp, selectable and searchable. Mathtext falls back
to glyph outlines. No browser, no raster step, nothing outside PyPI wheels.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2DBase, Bbox
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.report.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts

POINTS_PER_INCH = 72.0
_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


def _font_name(prop: FontProperties) -> str:
    weight = prop.get_weight()
    bold = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold", "demi") or (
        isinstance(weight, int | float) and weight >= 600)
    italic = prop.get_style() in ("italic", "oblique")
    return {(False, False): REGULAR, (True, False): BOLD, (False, True): ITALIC, (True, True): BOLD_ITALIC}[(bold, italic)]


class ReportlabRenderer(RendererBase):
    """Renderer for one figure drawn at the canvas origin (y up, points)."""

    def __init__(self, canvas: Canvas, width: float, height: float) -> None:
        super().__init__()
        self.canv = canvas
        self.width = width
        self.height = height

    # --- geometry ------------------------------------------------------------------------------
    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: Any) -> Any:
        return points  # 72 dpi: a pixel is a point

    def get_text_width_height_descent(self, s: str, prop: FontProperties, ismath: Any) -> tuple[float, float, float]:
        """Text extents from FreeType (as the Agg renderer measures them, unhinted), in points.

        The base renderer converts every string to glyph outlines to measure it: correct but slow."""
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)  # type: ignore[no-any-return]
        font = get_font(fontManager.findfont(prop))
        font.clear()
        font.set_size(prop.get_size_in_points(), POINTS_PER_INCH)
        font.set_text(s, 0.0, flags=LoadFlags.NO_HINTING)
        width, height = font.get_width_height()
        descent = font.get_descent()
        return width / 64.0, height / 64.0, descent / 64.0

    def _path(self, path: MplPath, transform: Affine2DBase) -> Any:
        pdf_path = self.canv.beginPath()
        last = (0.0, 0.0)
        for vertices, code in path.iter_segments(transform, remove_nans=True, simplify=False):
            if code == MplPath.MOVETO:
                last = (float(vertices[0]), float(vertices[1]))
                pdf_path.moveTo(*last)
            elif code == MplPath.LINETO:
                last = (float(vertices[0]), float(vertices[1]))
                pdf_path.lineTo(*last)
            elif code == MplPath.CURVE3:  # quadratic -> cubic
                (qx, qy), end = (vertices[0], vertices[1]), (float(vertices[2]), float(vertices[3]))
                c1 = (last[0] + 2 / 3 * (qx - last[0]), last[1] + 2 / 3 * (qy - last[1]))
                c2 = (end[0] + 2 / 3 * (qx - end[0]), end[1] + 2 / 3 * (qy - end[1]))
                pdf_path.curveTo(c1[0], c1[1], c2[0], c2[1], end[0], end[1])
                last = end
            elif code == MplPath.CURVE4:
                pdf_path.curveTo(*(float(v) for v in vertices[:6]))
                last = (float(vertices[4]), float(vertices[5]))
            elif code == MplPath.CLOSEPOLY:
                pdf_path.close()
        return pdf_path

    def _clip(self, gc: GraphicsContextBase) -> None:
        rect: Bbox | None = gc.get_clip_rectangle()
        if rect is not None:
            x0, y0, w, h = rect.bounds
            clip = self.canv.beginPath()
            clip.rect(x0, y0, w, h)
            self.canv.clipPath(clip, stroke=0, fill=0)
        clip_path, clip_transform = gc.get_clip_path()
        if clip_path is not None:
            self.canv.clipPath(self._path(clip_path, clip_transform), stroke=0, fill=0)

    def _stroke_style(self, gc: GraphicsContextBase) -> bool:
        r, g, b, a = gc.get_rgb()
        alpha = gc.get_alpha() if gc.get_forced_alpha() else a
        width = gc.get_linewidth()
        if width <= 0 or alpha <= 0:
            return False
        self.canv.setStrokeColorRGB(r, g, b, alpha=alpha)
        self.canv.setLineWidth(width)
        self.canv.setLineCap(_CAPS.get(gc.get_capstyle(), 0))
        self.canv.setLineJoin(_JOINS.get(gc.get_joinstyle(), 0))
        offset, dashes = gc.get_dashes()
        if dashes is not None and len(dashes):
            self.canv.setDash([float(d) for d in dashes], float(offset or 0))
        return True

    def _fill_style(self, gc: GraphicsContextBase, rgb_face: Any) -> bool:
        if rgb_face is None:
            return False
        r, g, b = (float(v) for v in rgb_face[:3])
        alpha = float(rgb_face[3]) if len(rgb_face) > 3 else 1.0
        if gc.get_forced_alpha():
            alpha = gc.get_alpha()
        if alpha <= 0:
            return False
        self.canv.setFillColorRGB(r, g, b, alpha=alpha)
        return True

    # --- drawing -------------------------------------------------------------------------------
    def draw_path(self, gc: GraphicsContextBase, path: MplPath, transform: Affine2DBase, rgbFace: Any = None) -> None:
        self.canv.saveState()
        self._clip(gc)
        stroke = self._stroke_style(gc)
        fill = self._fill_style(gc, rgbFace)
        if stroke or fill:
            self.canv.drawPath(self._path(path, transform), stroke=int(stroke), fill=int(fill), fillMode=0)
        self.canv.restoreState()

    def draw_text(self, gc: GraphicsContextBase, x: float, y: float, s: str, prop: FontProperties, angle: float,
                  ismath: Any = False, mtext: Any = None) -> None:
        if ismath:
            self._draw_text_as_path(gc, x, y, s, prop, angle, ismath)
            return
        r, g, b, a = gc.get_rgb()
        self.canv.saveState()
        self._clip(gc)
        self.canv.setFillColorRGB(r, g, b, alpha=gc.get_alpha() if gc.get_forced_alpha() else a)
        self.canv.translate(x, y)
        if angle:
            self.canv.rotate(angle)
        self.canv.setFont(_font_name(prop), prop.get_size_in_points())
        self.canv.drawString(0, 0, s)
        self.canv.restoreState()

    def draw_image(self, gc: GraphicsContextBase, x: float, y: float, im: Any, transform: Any = None) -> None:
        raise NotImplementedError("raster images are not used in report charts")

    def new_gc(self) -> GraphicsContextBase:
        return GraphicsContextBase()


class FigureFlowable(Flowable):
    """A matplotlib figure placed in the story, drawn as vector paths and text when the page is drawn."""

    def __init__(self, figure: Figure) -> None:
        super().__init__()
        register_fonts()
        self.figure = figure
        self.width, self.height = (float(v) * 72.0 for v in figure.get_size_inches())
        figure.set_dpi(72)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        renderer = ReportlabRenderer(self.canv, self.width, self.height)
        self.figure.draw(renderer)
