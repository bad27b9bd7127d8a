"""Regenerate the generated parts of docs/: the option kinds and their keys (from the registry and the
scenario schemas) and the `--help` of every capplan command.

    .venv/bin/python docs/generate.py          # rewrite the generated blocks in place (make docs)
    .venv/bin/python docs/generate.py --check  # exit 1 when a page is out of date (tests/test_docs.py)

A generated block sits between `<!-- generated: NAME -->` and `<!-- end generated: NAME -->` in a
page; everything outside the markers is written by hand.
"""

from __future__ import annotations

import os
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end generated: (?P=name) -->)", re.S)
HELP_WIDTH = 100


# --- option kinds and their keys ----------------------------------------------------------------------

def _number(value: float) -> str:
    return f"{value:,g}"


def _bounds(metadata: list[Any]) -> str:
    low = high = ""
    for item in metadata:
        for attr, sign in (("ge", ""), ("gt", ">")):
            if getattr(item, attr, None) is not None:
                low = f"{sign}{_number(getattr(item, attr))}"
        for attr in ("le", "lt"):
            if getattr(item, attr, None) is not None:
                high = _number(getattr(item, attr))
    if low and high:
        return f" {low}–{high}"
    return f" ≥ {low}" if low else (f" ≤ {high}" if high else "")


def describe_type(annotation: Any, metadata: list[Any]) -> str:
    """A field's allowed values in words: `a`, `b`; a whole number 1–100; `auto` or a whole number."""
    origin = get_origin(annotation)
    if origin is Literal:
        return ", ".join(f"`{v}`" for v in get_args(annotation))
    if origin is typing.Annotated:
        base, *extra = get_args(annotation)
        inner = [m for e in extra for m in (getattr(e, "metadata", None) or [e])]
        return describe_type(base, inner)
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in get_args(annotation) if a is not type(None)]
        return " or ".join(describe_type(a, metadata) for a in parts)
    if annotation is bool:
        return "`true` or `false`"
    if annotation is int:
        return "a whole number" + _bounds(metadata)
    if annotation is float:
        return "a number" + _bounds(metadata)
    if annotation is str:
        return "text"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        keys = ", ".join(f"`{name}`" for name in annotation.model_fields)
        return "{" + keys + "}: " + "; ".join(
            f"`{name}` {describe_type(f.annotation, f.metadata)}" + (f" (default {_default(f.default)})"
                                                                    if not f.is_required() else "")
            for name, f in annotation.model_fields.items())
    return str(annotation)


def _default(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float | int):
        return _number(value)
    return f"`{value}`"


def kinds_table() -> str:
    from app.catalog.option_schemas import option_schemas
    from app.engine.registry import option_kind

    lines = ["| kind | key | values | default |", "|---|---|---|---|"]
    for kind_name, schema in option_schemas().items():
        kind = option_kind(kind_name)
        widgets = {f.key: f.widget for f in kind.editor_fields}
        first = True
        for key, field in schema.model_fields.items():
            if key in ("kind", "name"):
                continue
            values = describe_type(field.annotation, field.metadata)
            if widgets.get(key) == "model":
                values = "a model the Azure OpenAI sheet prices for this kind"
            elif widgets.get(key) == "sku":
                values = "a VM size of the compute sheet"
            default = "required" if field.is_required() else ("–" if field.default is None else _default(field.default))
            label = f"`{kind_name}`<br>{kind.title}" if first else ""
            lines.append(f"| {label} | `{key}` | {values} | {default} |")
            first = False
        if schema.__doc__:
            lines.append(f"| | | *{' '.join(schema.__doc__.split())}* | |")
    return "\n".join(lines) + "\n"


def _unit(field: Any) -> str:
    from app.engine.vocabulary import capacity_unit_note

    what = capacity_unit_note(field)
    if field.format == "share":
        what = f"share {what}".strip()
    return f" ({what})" if what else ""


def figures_table() -> str:
    from app.engine.registry import option_kinds

    lines = ["| kind | `capacity` keys (how they read) | `cost_breakdown` keys | simulated |", "|---|---|---|---|"]
    for name, kind in option_kinds().items():
        capacity = "<br>".join(f"`{f.key}`: {f.label}" + _unit(f) for f in kind.capacity_fields) or "none"
        costs = "<br>".join(f"`{c.key}`: {c.label}" for c in kind.cost_components)
        simulated = "no" if kind.simulation is None else f"yes ({kind.simulation.system})"
        lines.append(f"| `{name}` | {capacity} | {costs} | {simulated} |")
    return "\n".join(lines) + "\n"


# --- capplan --help ------------------------------------------------------------------------------------

def _command_paths() -> list[list[str]]:
    import click

    from app.cli.main import cli

    paths: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name in sorted(group.commands):
            command = group.commands[name]
            paths.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli, [])
    return paths


def cli_help() -> str:
    from click.testing import CliRunner

    from app.cli.main import cli

    parts = []
    for path in _command_paths():
        result = CliRunner().invoke(cli, [*path, "--help"], prog_name="capplan", terminal_width=HELP_WIDTH)
        if result.exit_code != 0:
            raise RuntimeError(f"capplan {' '.join(path)} --help failed: {result.output}")
        title = " ".join(["capplan", *path])
        text = result.output.rstrip().replace(f"{ROOT}{os.sep}", "")  # defaults inside the package, machine-free
        parts.append(f"### `{title}`\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


GENERATORS = {"option-kinds": kinds_table, "option-figures": figures_table, "cli-help": cli_help}


def render(text: str) -> str:
    """The page with every generated block replaced by its current content."""
    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in GENERATORS:
            raise KeyError(f"unknown generated block {name!r}; known: {', '.join(GENERATORS)}")
        return f"{match.group(1)}{GENERATORS[name]()}{match.group(4)}"

    return BLOCK.sub(fill, text)


def pages() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if BLOCK.search(p.read_text(encoding="utf-8")))


def main(argv: list[str]) -> int:
    stale = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        fresh = render(text)
        if fresh != text:
            stale.append(page.name)
            if "--check" not in argv:
                page.write_text(fresh, encoding="utf-8")
    if stale:
        print(("out of date: " if "--check" in argv else "rewrote: ") + ", ".join(stale))
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
