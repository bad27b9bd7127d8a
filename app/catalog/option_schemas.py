"""The scenario schema of each option kind, found by its `kind` key.

Each kind's schema is a pydantic class that subclasses `OptionEntry`, declares
`kind: Literal["<kind>"]` and is registered with `@option_schema` (the built-in kinds' classes are
in scenario_schema.py; a new kind's may sit there too, or in any module that module imports). A
scenario's `options` are validated through `OptionEntryField`, which picks the class by `kind`, so
a new kind needs no edit here. `to_spec()` turns an entry into the engine's spec dataclass of the
same kind (app/engine/kinds/).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from app.safe_text import no_control_characters

# One line of plain text each (app/safe_text.py): an option's name, shown in tables, charts, the PDF
# and the terminal, and the model or SKU name a kind's schema looks up in the price sheets (`Word`),
# so no kind needs its own check.
OptionName = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(no_control_characters)]
Word = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(no_control_characters)]


class OptionEntry(BaseModel):
    """What every option entry has: its kind and a name unique in the scenario."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)

    kind: str
    name: OptionName

    def to_spec(self) -> Any:
        """The engine's spec dataclass of this kind."""
        raise NotImplementedError(f"{type(self).__name__} must turn itself into an engine spec")


E = TypeVar("E", bound=type[OptionEntry])
_SCHEMAS: dict[str, type[OptionEntry]] = {}


def _kind_of(schema: type[OptionEntry]) -> str:
    annotation = schema.model_fields["kind"].annotation
    values = get_args(annotation) if get_origin(annotation) is Literal else ()
    if len(values) != 1 or not isinstance(values[0], str):
        raise TypeError(f"{schema.__name__}.kind must be Literal['<kind>'], one string")
    return values[0]


def option_schema(schema: E) -> E:
    """Class decorator: register the schema of the kind named by its `kind` Literal."""
    kind = _kind_of(schema)
    if kind in _SCHEMAS:
        raise ValueError(f"option kind {kind!r} has a schema already ({_SCHEMAS[kind].__name__})")
    _SCHEMAS[kind] = schema
    return schema


def unregister_option_schema(kind: str) -> None:
    """Remove a kind's schema (tests that add a throwaway kind remove it again)."""
    _SCHEMAS.pop(kind, None)


def option_schemas() -> dict[str, type[OptionEntry]]:
    """Every registered schema by kind, in registration order."""
    from app.catalog import scenario_schema  # noqa: F401  (defines and registers the built-in kinds)

    return dict(_SCHEMAS)


def _validate_option(value: Any, handler: ValidatorFunctionWrapHandler) -> OptionEntry:
    """Validate one option with the schema of its kind (pydantic's tagged-union errors, same wording)."""
    if isinstance(value, OptionEntry):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError("model_type", "expected a mapping of keys")
    kind = value.get("kind")
    if kind is None:
        raise PydanticCustomError("union_tag_not_found", "missing kind", {"discriminator": "'kind'"})
    schemas = option_schemas()
    schema = schemas.get(kind) if isinstance(kind, str) else None
    if schema is None:
        raise PydanticCustomError("union_tag_invalid", "unknown kind {tag}",
                                  {"tag": kind if isinstance(kind, str) else repr(kind),
                                   "expected_tags": ", ".join(repr(k) for k in schemas)})
    return schema.model_validate(value)


OptionEntryField = Annotated[SerializeAsAny[OptionEntry], WrapValidator(_validate_option)]
