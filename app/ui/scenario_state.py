"""The scenario a session is looking at, and the link that reproduces it.

Each session keeps its own scenario as plain data in st.session_state (nothing global that one
user's edit could change for another). Every change goes through the same validation as a YAML
file (`scenario_from_document`), and evaluations are memoized per session by the scenario's
canonical JSON.

The link: `?scenario=<library name>` plus compact overrides of the workload (e.g. `requests=2e6`,
`prompt_cache=0.5`); when options, name or hours differ from the library file, the whole scenario
travels as `state=` (zlib + base64url of its YAML). Link parameters are validated like an upload:
a name must be one of the library's file names (never a path), numbers must be finite and pass
the scenario schema; anything else gives a message and the default view.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import math
import zlib
from dataclasses import dataclass
from typing import Any

import streamlit as st

from app.catalog.loader import LoadedScenario, evaluate_loaded, parse_scenario_text, scenario_from_document
from app.catalog.scenario_yaml import scenario_data, scenario_to_yaml
from app.catalog.yaml_source import YamlDocument
from app.engine.results import Evaluation
from app.errors import InputError, InputIssue
from app.ui import data

STATE_KEY = "capplan_scenario"
MEMO_KEY = "capplan_memo"
MESSAGES_KEY = "capplan_link_messages"
MEMO_SIZE = 24
MAX_STATE_CHARS = 16_000
MAX_STATE_BYTES = 256 * 1024
LINK_SOURCE = "link"

# Short link names for workload fields; the schema checks their ranges.
WORKLOAD_PARAMS: dict[str, tuple[str, ...]] = {
    "requests": ("requests_per_month",),
    "shape": ("traffic", "shape"),
    "peak": ("traffic", "peak_to_average"),
    "prompt": ("tokens", "prompt"),
    "completion": ("tokens", "completion"),
    "prompt_cache": ("caching", "prompt_cache_hit_rate"),
    "result_cache": ("caching", "result_cache_hit_rate"),
    "service_ms": ("service_time_ms",),
    "service_cv": ("service_time_cv",),
    "slo_ms": ("latency_slo_ms",),
    "deadline_h": ("deadline_hours",),
}
TEXT_PARAMS = {"shape"}
OPTIONAL_PARAMS = {"service_ms", "slo_ms", "deadline_h"}  # "none" clears them
PAGE_PARAMS = {"tornado", "ptu_for", "endpoint"}  # Explore's chart choices, checked by that page
KNOWN_PARAMS = {"scenario", "state", "present", "embed", "embed_options", *WORKLOAD_PARAMS, *PAGE_PARAMS}


@dataclass(frozen=True)
class Current:
    """The session's scenario, validated and evaluated."""

    data: dict[str, Any]
    base: str | None  # the library file it started from
    key: str  # canonical JSON of the data: the memo key for results of this scenario
    loaded: LoadedScenario
    evaluation: Evaluation

    @property
    def text(self) -> str:
        """Its YAML (what a download gives; reads back to the same numbers)."""
        return scenario_to_yaml(self.loaded.file)


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    if value is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def encode_state(text: str) -> str:
    return base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")


def decode_state(value: str) -> str:
    """The YAML text in a `state=` parameter; InputError when it is not one we wrote."""
    if len(value) > MAX_STATE_CHARS:
        raise InputError(_issue("state", f"is {len(value):,} characters; the limit is {MAX_STATE_CHARS:,}"))
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        inflater = zlib.decompressobj()
        text = inflater.decompress(raw, MAX_STATE_BYTES)
        if inflater.unconsumed_tail:
            raise InputError(_issue("state", f"expands beyond {MAX_STATE_BYTES:,} bytes"))
        return text.decode("utf-8")
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise InputError(_issue("state", "is not a scenario written by capplan (copy the whole link again)")) from None


def _issue(param: str, message: str) -> InputIssue:
    return InputIssue(LINK_SOURCE, None, param, message)


def validate_plain(scenario: dict[str, Any], source: str) -> LoadedScenario:
    """The same validation as a file (schema, then prices and cross-references), without writing and
    re-reading YAML: messages name the field path (there are no lines in a form)."""
    return scenario_from_document(YamlDocument(source=source, data=copy.deepcopy(scenario)), data.price_book())


def parse_overrides(params: dict[str, str]) -> dict[tuple[str, ...], Any]:
    """Workload overrides from link parameters; InputError naming the parameter for bad values."""
    overrides: dict[tuple[str, ...], Any] = {}
    issues = []
    for name, path in WORKLOAD_PARAMS.items():
        if name not in params:
            continue
        raw = params[name].strip()
        if name in TEXT_PARAMS:
            overrides[path] = raw
            continue
        if name in OPTIONAL_PARAMS and raw.lower() == "none":
            overrides[path] = None
            continue
        try:
            value = float(raw)
        except ValueError:
            issues.append(_issue(name, f"expected a number, got {raw[:40]!r}"))
            continue
        if not math.isfinite(value):
            issues.append(_issue(name, f"expected a finite number, got {raw[:40]!r}"))
            continue
        overrides[path] = value
    if issues:
        raise InputError(issues)
    return overrides


def from_link(params: dict[str, str]) -> tuple[dict[str, Any], str | None, list[str]]:
    """(scenario data, library base, messages) for a session opened with these link parameters."""
    messages: list[str] = []
    unknown = sorted(k for k in params if k not in KNOWN_PARAMS)
    if unknown:
        messages.append("Ignored unknown link parameter(s): " + ", ".join(repr(k[:40]) for k in unknown))
    name = params.get("scenario")
    base: str | None = None
    if name is not None:
        if data.library_path(name) is not None:
            base = name
        else:
            known = ", ".join(data.library_paths()) or "none"
            messages.append(f"The link names scenario {name[:80]!r}, which is not in the library (library: {known}); "
                            "showing the default scenario instead.")
    scenario: dict[str, Any] | None = None
    if "state" in params:
        try:
            loaded, _ = validate_data_text(decode_state(params["state"]))
            scenario = scenario_data(loaded.file)
        except InputError as exc:
            messages.append("The scenario in the link could not be used: " + "; ".join(str(i) for i in exc.issues))
    if scenario is None:
        base = base or data.default_scenario_name()
        if base is None:
            return blank_scenario(), None, messages
        library = data.library_scenario(base)
        if library is None:  # removed since the folder was listed
            messages.append(f"{base} is no longer in the library; a blank scenario opened instead.")
            return blank_scenario(), None, messages
        scenario = scenario_data(library.file)
    try:
        overrides = parse_overrides(params)
        edited = copy.deepcopy(scenario)
        for path, value in overrides.items():
            _set(edited["workload"], path, value)
        if overrides:
            validate_plain(edited, LINK_SOURCE)
            scenario = edited
    except InputError as exc:
        messages.append("Some link parameters were out of range and were not applied: "
                        + "; ".join(str(i) for i in exc.issues))
    return scenario, base, messages


def validate_data_text(text: str) -> tuple[LoadedScenario, str]:
    loaded = parse_scenario_text(text, f"{LINK_SOURCE} (state)", data.price_book())
    return loaded, scenario_to_yaml(loaded.file)


def link_params(scenario: dict[str, Any], base: str | None) -> dict[str, str]:
    """The shortest link parameters that reproduce `scenario`."""
    reference = _library_reference(base) if base else None
    if reference is not None:
        same_shell = all(scenario.get(k) == reference.get(k) for k in ("name", "description", "hours_per_month", "options"))
        if same_shell:
            params = {"scenario": base or ""}
            for name, path in WORKLOAD_PARAMS.items():
                mine, theirs = _get(scenario["workload"], path), _get(reference["workload"], path)
                if mine != theirs:
                    if mine is None:
                        params[name] = "none"
                    elif isinstance(mine, str):
                        params[name] = mine
                    else:
                        params[name] = _number_text(mine)
            return params
    evaluated = memo().get(("evaluation", json.dumps(scenario, sort_keys=True)))  # validated by current()
    loaded = evaluated[0] if evaluated is not None else validate_plain(scenario, LINK_SOURCE)
    params = {"state": encode_state(scenario_to_yaml(loaded.file))}
    if base:
        params = {"scenario": base, **params}
    return params


def _library_reference(base: str) -> dict[str, Any] | None:
    """The library file's scenario as plain data, kept in this session's memo while the file is unchanged
    (read-only here: link_params only compares against it)."""
    key = ("library-data", base, data.library_stamp(base))
    store = memo()
    if key not in store:
        library = data.library_scenario(base)
        store[key] = scenario_data(library.file) if library is not None else None
    reference: dict[str, Any] | None = store[key]
    return reference


def blank_scenario() -> dict[str, Any]:
    return {
        "name": "New scenario",
        "description": "",
        "workload": {"requests_per_month": 1_000_000.0, "traffic": {"shape": "flat", "peak_to_average": 1.0},
                     "tokens": {"prompt": 1000.0, "completion": 300.0}},
        "options": [{"kind": "aoai-standard", "name": "Global Standard", "model": "gpt-4o", "deployment": "global"}],
    }


# --- the session's scenario ------------------------------------------------------------------------

def _state() -> dict[str, Any]:
    if STATE_KEY not in st.session_state:
        scenario, base, messages = from_link(st.query_params.to_dict())
        st.session_state[STATE_KEY] = {"data": scenario, "base": base, "generation": 0}
        st.session_state[MESSAGES_KEY] = messages
    state: dict[str, Any] = st.session_state[STATE_KEY]
    return state


def generation() -> int:
    """Bumped whenever the scenario is replaced (open, upload, blank): widgets then start afresh."""
    return int(_state()["generation"])


def scenario_data_now() -> dict[str, Any]:
    return copy.deepcopy(_state()["data"])


def base_name() -> str | None:
    return _state()["base"]  # type: ignore[no-any-return]


def replace_scenario(scenario: dict[str, Any], base: str | None) -> None:
    state = _state()
    st.session_state[STATE_KEY] = {"data": copy.deepcopy(scenario), "base": base,
                                   "generation": int(state["generation"]) + 1}


def edit_scenario(scenario: dict[str, Any]) -> None:
    """An edit from the Studio's widgets (widgets keep their keys)."""
    state = _state()
    state["data"] = copy.deepcopy(scenario)


def pop_link_messages() -> list[str]:
    _state()
    messages: list[str] = st.session_state.get(MESSAGES_KEY, [])
    st.session_state[MESSAGES_KEY] = []
    return messages


def memo() -> dict[Any, Any]:
    """This session's memo of results keyed by (what, scenario YAML, ...); bounded."""
    store: dict[Any, Any] = st.session_state.setdefault(MEMO_KEY, {})
    while len(store) > MEMO_SIZE:
        store.pop(next(iter(store)))
    return store


def current() -> Current:
    """Validate and evaluate the session's scenario (memoized). InputError when it does not pass."""
    state = _state()
    scenario = state["data"]
    key = json.dumps(scenario, sort_keys=True)
    store = memo()
    if ("evaluation", key) not in store:
        loaded = validate_plain(scenario, "Studio")
        store[("evaluation", key)] = (loaded, evaluate_loaded(loaded, data.price_book()))
    loaded, evaluation = store[("evaluation", key)]
    return Current(data=scenario, base=state["base"], key=key, loaded=loaded, evaluation=evaluation)


def sync_link(extra: dict[str, str] | None = None) -> None:
    """Make the address bar reproduce the current view (called by every scenario page)."""
    state = _state()
    base = state["base"]
    memo_key = ("link", base, data.library_stamp(base) if base else None, json.dumps(state["data"], sort_keys=True))
    store = memo()
    if memo_key not in store:
        try:
            store[memo_key] = link_params(state["data"], base)
        except InputError:
            return  # an invalid edit: keep the last good link
    params = dict(store[memo_key])
    if st.session_state.get("capplan_presentation"):
        params["present"] = "1"
    params.update(extra or {})
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
