"""Safe YAML reading that remembers where every value came from.

Used by every loader of user files (scenarios, price sheets, telemetry configuration, the Prices
page's version list) so that each message can name the file, the line and the field path.
Refuses files over 1 MiB, duplicate keys, alias bombs, nesting deeper than 64 levels, integers of
more than 30 digits and YAML 1.1's surprises (`190:20:30` read as the base-60 number 685,230,
`010` read as the octal 8); never constructs anything but plain scalars, lists and mappings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.errors import InputError, InputIssue

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000  # counted with aliases expanded, so "billion laughs" is refused early
MAX_DEPTH = 64  # lists and mappings inside each other; PyYAML's composer recurses once per level
MAX_DIGITS = 30  # no figure of a plan has more; Python refuses to read over 4,300
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_OCTAL = re.compile(r"[-+]?0[0-9_]+")

PathKey = tuple[str | int, ...]
_PLAIN_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def format_path(path: Iterable[str | int]) -> str:
    """('options', 1, 'ptu') -> 'options[1].ptu'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class YamlDocument:
    """Plain data plus the 1-based line of every mapping key and list item."""

    source: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: Iterable[str | int]) -> int | None:
        """The line of the deepest known prefix of `path` (a missing key points at its parent)."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)

    def issue(self, path: Iterable[str | int], message: str) -> InputIssue:
        path = tuple(path)
        return InputIssue(self.source, self.line_of(path), format_path(path), message)


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a bound on nesting (its composer would hit Python's recursion limit)."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"lists and mappings nested more than {MAX_DEPTH} "
                                                  "levels deep; write the file out flatter",
                                                  self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _number_problem(node: ScalarNode) -> str | None:
    """Why a plain number would be misread (YAML 1.1) or cannot be read, or None."""
    if node.tag not in _NUMBER_TAGS or node.style is not None:
        return None
    text = node.value
    if ":" in text:
        return (f"{text} is a YAML 1.1 base-60 number (read as {_sexagesimal(text)}); write the number itself, "
                "or quote it if it is text")
    if node.tag.endswith(":int") and _OCTAL.fullmatch(text) and text.strip("+-0_"):
        return f"{text} has a leading zero, which YAML 1.1 reads as an octal number; write it without the zero"
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_DIGITS:
        return f"a number of {digits} digits; no figure here has more than {MAX_DIGITS}"
    return None


def _sexagesimal(text: str) -> str:
    try:
        value = 0.0
        for part in text.lstrip("+-").replace("_", "").split(":"):
            value = value * 60 + float(part)
        return f"{value:,.10g}"
    except ValueError:
        return "a base-60 number"


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.constructor = SafeConstructor()
        self.lines: dict[PathKey, int] = {}
        self.count = 0

    def build(self, node: Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(InputIssue(self.source, None, "", f"more than {MAX_NODES:,} values (are YAML aliases repeating a block?); "
                                        "write the file out plainly"))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if not isinstance(node, ScalarNode) and node.tag not in _PLAIN_TAGS:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise InputError(InputIssue(self.source, node.start_mark.line + 1, format_path(path),
                                        f"unsupported YAML tag {shown}; write plain values"))
        if isinstance(node, ScalarNode):
            problem = _number_problem(node)
            if problem:
                raise InputError(InputIssue(self.source, node.start_mark.line + 1, format_path(path), problem))
            return self.constructor.construct_object(node, deep=True)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise InputError(InputIssue(self.source, key_node.start_mark.line + 1, format_path(path),
                                                "a key must be a plain word, not a list or mapping"))
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError(InputIssue(self.source, key_node.start_mark.line + 1, format_path(path),
                                                "YAML merge keys (<<) are not supported; write the keys out"))
                problem = _number_problem(key_node)
                if problem:
                    raise InputError(InputIssue(self.source, key_node.start_mark.line + 1, format_path(path), problem))
                key = self.constructor.construct_object(key_node)
                key = key if isinstance(key, str | int) else str(key)
                if key in result:
                    raise InputError(InputIssue(self.source, key_node.start_mark.line + 1,
                                                format_path((*path, key)),
                                                "this key appears twice in the same block; keep one"))
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key))
            return result
        raise InputError(InputIssue(self.source, node.start_mark.line + 1, format_path(path), "unsupported YAML node"))


def parse_yaml(text: str | bytes, source: str) -> YamlDocument:
    """Parse one YAML document from text; every problem is an InputError naming `source`."""
    if len(text) > MAX_BYTES:
        raise InputError(InputIssue(source, None, "", f"file is {len(text):,} bytes; the limit is {MAX_BYTES:,} (1 MiB)"))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(InputIssue(source, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")) from None
    try:
        nodes = list(yaml.compose_all(text, Loader=_DepthLimitedLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(InputIssue(source, line, "", f"invalid YAML: {problem}")) from None
    except yaml.YAMLError as exc:
        raise InputError(InputIssue(source, None, "", f"invalid YAML: {exc}")) from None
    except RecursionError:  # a safety net: _DepthLimitedLoader stops well before Python's limit
        raise InputError(InputIssue(source, None, "", "nested too deeply to read; write the file out flatter")) from None
    if len(nodes) != 1 or nodes[0] is None:
        what = "empty" if not nodes or nodes[0] is None else f"{len(nodes)} YAML documents"
        raise InputError(InputIssue(source, None, "", f"expected one YAML document (a mapping of keys), found {what}"))
    builder = _Builder(source)
    try:
        data = builder.build(nodes[0], ())
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problem = str(exc.problem).replace("tag:yaml.org,2002:", "!!")
        raise InputError(InputIssue(source, line, "", f"unsupported value: {problem}; write plain values")) from None
    except (ValueError, OverflowError) as exc:  # e.g. a timestamp out of range
        raise InputError(InputIssue(source, None, "", f"unreadable value: {str(exc)[:120]}; write plain values")) from None
    return YamlDocument(source=source, data=data, lines=builder.lines)


def read_yaml_file(path: Path, source: str | None = None) -> YamlDocument:
    """Read and parse a YAML file, refusing files over 1 MiB before reading them."""
    shown = source or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(InputIssue(shown, None, "", "no such file")) from None
    except OSError as exc:
        raise InputError(InputIssue(shown, None, "", f"cannot read: {exc.strerror}")) from None
    if not path.is_file():
        raise InputError(InputIssue(shown, None, "", "not a file"))
    if size > MAX_BYTES:
        raise InputError(InputIssue(shown, None, "", f"file is {size:,} bytes; the limit is {MAX_BYTES:,} (1 MiB)"))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(InputIssue(shown, None, "", f"cannot read: {exc.strerror}")) from None
    return parse_yaml(raw, shown)
