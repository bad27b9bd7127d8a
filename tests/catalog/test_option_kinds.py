"""Each registered option kind describes itself completely and truthfully.

A kind's descriptors are what every surface shows, so they must match what its evaluator reports:
every capacity key and cost component of every library scenario has a descriptor, every template
is a valid option of its schema, every editor field edits a key the schema has.
"""

from __future__ import annotations

import pytest

from app.catalog.loader import evaluate_loaded, library_names, load_price_book, load_scenario
from app.catalog.option_schemas import option_schemas
from app.engine.registry import option_kind, option_kinds

KINDS = list(option_kinds())


def test_every_engine_kind_has_a_schema_and_every_schema_a_kind():
    assert list(option_schemas()) == ["aoai-standard", "aoai-batch", "aoai-provisioned", "aml-online", "aml-batch"]
    assert sorted(option_schemas()) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_the_template_is_a_valid_option_of_the_kind(kind):
    schema = option_schemas()[kind]
    entry = schema.model_validate({"kind": kind, "name": "new", **option_kind(kind).template})
    spec = entry.to_spec()
    assert spec.kind == kind and spec.name == "new"


@pytest.mark.parametrize("kind", KINDS)
def test_editor_fields_edit_keys_of_the_schema(kind):
    keys = set(option_schemas()[kind].model_fields)
    for field in option_kind(kind).editor_fields:
        edited = {"instances", "autoscale"} if field.widget == "scale" else {field.key}
        assert edited & keys, f"{kind}: editor field {field.key!r} edits no key of the schema"
        if field.widget == "choice":
            assert field.choices, f"{kind}: choice field {field.key!r} has no choices"


def test_models_used():
    from app.engine.kinds.aml_batch import AmlBatchSpec
    from app.engine.kinds.aml_online import AmlOnlineSpec
    from app.engine.kinds.aoai_batch import AoaiBatchSpec
    from app.engine.kinds.aoai_provisioned import AoaiProvisionedSpec
    from app.engine.kinds.aoai_standard import AoaiStandardSpec

    specs = (AoaiStandardSpec("a", "gpt-4.1"), AoaiBatchSpec("b", "gpt-5"), AoaiProvisionedSpec("c", "o3"),
             AmlOnlineSpec("d", "Standard_DS3_v2", instances=3), AmlBatchSpec("e", "Standard_DS3_v2"))
    assert [option_kind(s.kind).models_used(s) for s in specs] == [("gpt-4.1",), ("gpt-5",), ("o3",), (), ()]


@pytest.mark.parametrize("name", library_names())
def test_every_reported_figure_has_a_descriptor(name):
    prices = load_price_book()
    evaluation = evaluate_loaded(load_scenario(name, prices), prices)
    for result in evaluation.options:
        kind = option_kind(result.kind)
        assert set(result.capacity) == {f.key for f in kind.capacity_fields}, result.kind
        assert set(result.cost_breakdown) <= {c.key for c in kind.cost_components}, result.kind
        assert set(result.price_sheets) <= {"azure-openai", "azure-ml-compute"}
