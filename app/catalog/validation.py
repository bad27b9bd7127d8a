"""Turn pydantic validation errors into messages a person can act on.

Shared by every typed loader: each issue names the file, the line, the field path and what was
expected, e.g. ``scenarios/rag.yaml:14: options[1].ptu: expected an integer or 'auto', got 'lots'``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.catalog.yaml_source import YamlDocument
from app.errors import InputError

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected text",
    "dict_type": "expected a mapping of keys",
    "model_type": "expected a mapping of keys",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "finite_number": "expected a finite number",
}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _clean_location(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """Drop the tags pydantic inserts for tagged unions and function validators."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and node.get("kind") == part:
            continue  # the discriminator value of a tagged union
        elif isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue  # e.g. "function-after[...]" or "union[...]"
        elif path and not isinstance(node, dict | list):
            continue  # below a scalar: the name of a union member, e.g. "constrained-int"
        else:
            path.append(part)
            node = None
    return tuple(path)


def _message(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; a typo must not silently change a plan)"
    if kind == "missing":
        return "required field is missing"
    if kind == "union_tag_invalid":
        return f"unknown kind {_show(ctx.get('tag'))}; expected one of: {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"missing {ctx.get('discriminator', 'kind')}: it says which type this entry is"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {_show(given)}"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        sign = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<", "less_than_equal": "≤"}[kind]
        bound = next(iter(ctx.values())) if ctx else "?"
        return f"expected a number {sign} {bound}, got {_show(given)}"
    if kind in {"string_too_short", "too_short"}:
        return f"must not be empty, got {_show(given)}"
    if kind in {"string_too_long", "too_long"}:
        return f"is too long ({ctx.get('max_length')} at most)"
    if kind == "string_pattern_mismatch":
        return f"expected text matching {ctx.get('pattern')}, got {_show(given)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "assertion_error":
        return str(error["msg"]).removeprefix("Assertion failed, ")
    expected = _EXPECTED.get(kind)
    if expected:
        return f"{expected}, got {_show(given)}"
    return f"{error['msg']}, got {_show(given)}"


def validate_document(model: type[M], doc: YamlDocument, prefix: tuple[str | int, ...] = ()) -> M:
    """Validate `doc.data` (or the part at `prefix`) against a pydantic model, or raise InputError."""
    data = doc.data
    for part in prefix:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        by_path: dict[tuple[str | int, ...], list[str]] = {}
        for error in exc.errors(include_url=False):
            path = (*prefix, *_clean_location(tuple(error["loc"]), data))
            message = _message(error)
            if message not in by_path.setdefault(path, []):
                by_path[path].append(message)
        raise InputError([doc.issue(path, _merge(messages)) for path, messages in by_path.items()]) from None


def _merge(messages: list[str]) -> str:
    """One message per field: the members of a union ("'auto'" or a whole number) become one line."""
    if len(messages) == 1:
        return messages[0]
    expected = [m.removeprefix("expected ").rsplit(", got ", 1) for m in messages]
    if all(m.startswith("expected ") for m in messages) and len({e[-1] for e in expected}) == 1 and all(
            len(e) == 2 for e in expected):
        return "expected " + " or ".join(e[0] for e in expected) + ", got " + expected[0][1]
    return "; ".join(messages)
