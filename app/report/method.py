"""Method: each formula in words with its source, taken from the engine modules' own docstrings.

The engine documents every formula once, in the docstring of the module that computes it, with the
source it comes from. The report prints those docstrings, so the method section cannot drift from
the code. Which modules apply is found by following the imports of each option kind's evaluator.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterable
from types import ModuleType

from reportlab.platypus import Flowable, KeepTogether, Paragraph

import app.engine.comparison
import app.engine.constraints
import app.engine.traffic
import app.engine.workload
from app.engine.registry import option_kind
from app.report.context import esc
from app.report.styles import styles

# Plumbing, not formulas: never listed in the method section. The time-series simulation has a page
# and a command of its own; a kind's `simulation` hook does not make its modules part of the plan.
_NOT_FORMULAS = {"app.engine.registry", "app.engine.results", "app.engine.errors", "app.engine.prices",
                 "app.engine.scenario", "app.engine.levels", "app.engine.vocabulary", "app.engine.option_fields",
                 "app.engine.price_checks", "app.engine.price_lines"}
_NOT_FORMULA_PACKAGES = ("app.engine.kinds", "app.engine.simulation")
_FIRST = (app.engine.traffic, app.engine.workload)
_LAST = (app.engine.constraints, app.engine.comparison)


def _engine_imports(module: ModuleType) -> list[ModuleType]:
    found: list[ModuleType] = []
    for value in vars(module).values():
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
        if not isinstance(name, str) or not name.startswith("app.engine.") or name in _NOT_FORMULAS:
            continue
        if name.startswith(_NOT_FORMULA_PACKAGES) or name == module.__name__:
            continue
        imported = sys.modules.get(name)
        if imported is not None and imported not in found:
            found.append(imported)
    return found


def formula_modules(kinds: Iterable[str]) -> list[ModuleType]:
    """Engine modules whose formulas the given option kinds use (transitively), in reading order."""
    ordered: list[ModuleType] = list(_FIRST)
    pending: list[ModuleType] = []
    for kind in kinds:
        pending += _engine_imports(sys.modules[option_kind(kind).evaluate.__module__])
    while pending:
        module = pending.pop(0)
        if module in ordered or module in _LAST:
            continue
        ordered.append(module)
        pending += _engine_imports(module)
    return ordered + list(_LAST)


def _member_docs(module: ModuleType) -> list[str]:
    """Docstrings of the functions and properties a module defines (for modules that keep their
    formulas there rather than in the module docstring)."""
    docs: list[str] = []
    for value in vars(module).values():
        if getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value) and value.__doc__ and not value.__name__.startswith("_"):
            docs.append(inspect.cleandoc(value.__doc__))
        elif inspect.isclass(value):
            for attr in vars(value).values():
                if isinstance(attr, property) and attr.__doc__:
                    docs.append(inspect.cleandoc(attr.__doc__))
    return docs


def _module_path(module: ModuleType) -> str:
    return module.__name__.replace(".", "/") + ".py"


def _formula_line(line: str) -> str:
    stripped = line.rstrip()
    indent = len(stripped) - len(stripped.lstrip(" "))
    body = esc(stripped.lstrip(" "))
    body = re.sub(r" {2,}", lambda m: "&nbsp;" * len(m.group(0)), body)
    return "&nbsp;" * max(0, indent - 4) + body


def docstring_flowables(doc: str) -> list[Flowable]:
    """Paragraphs, bullets ("- ") and indented formula lines of a docstring, as report text."""
    s = styles()
    out: list[Flowable] = []
    blocks = re.split(r"\n\s*\n", doc.strip("\n"))
    for block in blocks:
        lines = block.split("\n")
        if all(line.startswith("    ") or not line.strip() for line in lines):
            out += [Paragraph(_formula_line(line), s.formula) for line in lines if line.strip()]
            continue
        bullet: list[str] | None = None
        text: list[str] = []
        for line in lines:
            if line.startswith("- "):
                if bullet is not None:
                    out.append(Paragraph(esc(" ".join(bullet)), s.bullet, bulletText="•"))
                elif text:
                    out.append(Paragraph(esc(" ".join(text)), s.body))
                    text = []
                bullet = [line[2:].strip()]
            elif line.startswith("    ") and bullet is None:
                if text:
                    out.append(Paragraph(esc(" ".join(text)), s.body))
                    text = []
                out.append(Paragraph(_formula_line(line), s.formula))
            elif bullet is not None:
                bullet.append(line.strip())
            else:
                text.append(line.strip())
        if bullet is not None:
            out.append(Paragraph(esc(" ".join(bullet)), s.bullet, bulletText="•"))
        if text:
            out.append(Paragraph(esc(" ".join(text)), s.body))
    return out


def method(kinds: Iterable[str]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [Paragraph("Method", s.h1), Paragraph(
        "How each figure is computed, in the words of the planning engine that computes it, with the source "
        "of each formula. Notation: N requests a month, H hours a month, P and C mean prompt and completion "
        "tokens, h the prompt-cache hit rate, r the result-cache hit rate, N_m = N·(1 − r) requests reaching "
        "the model, S the mean service time.", s.body)]
    for module in formula_modules(kinds):
        doc = (module.__doc__ or "").strip()
        if not doc:
            continue
        title, _, rest = doc.partition("\n")
        head: list[Flowable] = [Paragraph(esc(title.rstrip(".")), s.h2),
                                Paragraph(esc(_module_path(module)), s.muted)]
        body = docstring_flowables(rest) if rest.strip() else [
            Paragraph(esc(doc), s.bullet, bulletText="•") for doc in _member_docs(module)]
        story.append(KeepTogether(head + body[:2]))
        story += body[2:]
    return story
