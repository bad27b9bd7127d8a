"""Meter names of the Retail Prices API read into model, version, direction, deployment level, mode.

The names follow no single pattern (docs/sources.md, "Azure Retail Prices API"): `gpt-4o-0806-Inp-glbl Tokens`,
`gpt 4o 0806 cached Inp glbl Tokens`, `GPT 5 Mini outpt Glbl 1M Tokens`, `5.4 cd inp Gl 1M Tokens`,
`o3 mini 0131 input glbl`, `text embedding 3 large DZ`. Direction words vary (Inp, Inpt, input /
Outp, outpt, opt, out), deployment words (glbl, Gl, global / DZone, Dz, DZ, Data Zone / regnl, rgnl)
and cached words (cached, cchd, cd). The parser splits the name into words, takes the words it
knows, and keeps the rest, in order, as the model name. A name with two directions, two levels, no
direction or no level is not guessed at: it comes back as a `MeterProblem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from app.engine.levels import DeploymentLevel

Direction = Literal["input", "cached_input", "output"]
Level = DeploymentLevel  # the one deployment-level type: app/engine/levels.py
Mode = Literal["standard", "batch", "priority", "long-context"]

_INPUT = {"inp", "inpt", "input", "in"}
_OUTPUT = {"outp", "outpt", "opt", "out", "output"}
_CACHED = {"cached", "cchd", "cd", "cache", "cachd"}
_LEVELS: dict[str, Level] = {
    "glbl": "global", "gl": "global", "global": "global", "glb": "global",
    "dzone": "data-zone", "dz": "data-zone", "datazone": "data-zone",
    "regnl": "regional", "rgnl": "regional", "regional": "regional", "reg": "regional",
}
_MODES: dict[str, Mode] = {"batch": "batch", "pp": "priority", "priority": "priority",
                           "longco": "long-context", "lc": "long-context"}
_NOISE = {"tokens", "token", "1m", "1k", "az"}
_VERSION = re.compile(r"^\d{4}$")  # 0806, 1120, 0131: month and day of the model version
_EMBEDDING = "text-embedding"


@dataclass(frozen=True)
class TokenMeter:
    """One token meter, read from its name."""

    model: str  # canonical, as in the sheets: gpt-4o, gpt-4.1-mini, o3-mini, text-embedding-3-small
    version: str | None  # e.g. "0806"; None when the name has none
    direction: Direction
    level: Level
    mode: Mode


@dataclass(frozen=True)
class MeterProblem:
    """A meter name the parser will not guess at, and why."""

    meter_name: str
    reason: str


def _words(meter_name: str) -> list[str]:
    text = re.sub(r"data\s*zone", "datazone", meter_name.strip().lower())
    text = re.sub(r"long\s*context", "longco", text)
    return [w for w in re.split(r"[\s_/-]+", text) if w]


def _split_joined(word: str) -> list[str]:
    """'gpt4o' -> ['gpt', '4o']; 'gpt-4' stays split by _words already."""
    joined = re.match(r"^(gpt)(\d.*)$", word)
    return [joined.group(1), joined.group(2)] if joined else [word]


def canonical_model(words: list[str]) -> str:
    """Model words to the sheet's name: ['gpt', '4o', 'mini'] -> 'gpt-4o-mini', ['5.4'] -> 'gpt-5.4'."""
    parts = [p for w in words for p in _split_joined(w)]
    if parts and parts[0][0].isdigit():
        parts.insert(0, "gpt")
    return "-".join(parts)


def parse_token_meter(meter_name: str) -> TokenMeter | MeterProblem:
    """Read one token meter name; see the module docstring for the accepted variations."""
    directions: set[str] = set()
    levels: set[Level] = set()
    modes: set[Mode] = set()
    cached = False
    version: str | None = None
    model_words: list[str] = []
    for word in _words(meter_name):
        if word in _INPUT:
            directions.add("input")
        elif word in _OUTPUT:
            directions.add("output")
        elif word in _CACHED:
            cached = True
        elif word in _LEVELS:
            levels.add(_LEVELS[word])
        elif word in _MODES:
            modes.add(_MODES[word])
        elif word in _NOISE:
            continue
        elif _VERSION.match(word) and model_words:
            if version is not None:
                return MeterProblem(meter_name, f"two version numbers ({version}, {word})")
            version = word
        else:
            model_words.append(word)
    model = canonical_model(model_words)
    if not model:
        return MeterProblem(meter_name, "no model name")
    if len(directions) > 1:
        return MeterProblem(meter_name, "both an input and an output word")
    if not directions:
        if cached:
            directions.add("input")
        elif model.startswith(_EMBEDDING):
            directions.add("input")  # embeddings bill input tokens only
        else:
            return MeterProblem(meter_name, "no direction word (input, output or cached)")
    if cached and "output" in directions:
        return MeterProblem(meter_name, "a cached output meter (only input tokens are cached)")
    if len(levels) != 1:
        what = "no deployment level word (glbl, DZ, regnl ...)" if not levels else "two deployment levels"
        return MeterProblem(meter_name, what)
    if len(modes) > 1:
        return MeterProblem(meter_name, f"several modes ({', '.join(sorted(modes))})")
    direction: Direction = "cached_input" if cached else ("input" if "input" in directions else "output")
    return TokenMeter(model=model, version=version, direction=direction, level=levels.pop(),
                      mode=modes.pop() if modes else "standard")


_PTU = re.compile(r"^provisioned\s+managed\s+(global|data\s*zone|regional)(\s+unit)?$", re.IGNORECASE)


def parse_ptu_sku(sku_or_meter_name: str) -> Level | None:
    """'Provisioned Managed Global' / '... Data Zone Unit' / '... Regional' -> the level; else None."""
    match = _PTU.match(sku_or_meter_name.strip())
    if not match:
        return None
    word = re.sub(r"\s+", "", match.group(1).lower())
    return _LEVELS[word]
