"""kg.shapes: SHACL on the built graph rejects relationships and facts without a source passage."""

from __future__ import annotations

import pytest
from conftest import DATA
from rdflib import RDF
from rdflib.namespace import PROV

from kg.errors import ShapeViolation
from kg.pipeline import compile_graph
from kg.shapes import check_shapes
from kg.vocab import ID, KG


def test_shacl_rejects_a_relationship_without_a_source():
    graph = compile_graph(DATA / "mini", shapes=False)
    graph.add((ID["red-hand"], KG.alliedWith, ID["freeland"]))
    with pytest.raises(ShapeViolation) as info:
        check_shapes(graph)
    assert info.value.messages == [
        "id:red-hand: relationship kg:alliedWith to id:freeland has no source: no kg:Fact with a passage (or the curator's knowledge) backs it"
    ]


def test_shacl_rejects_a_fact_without_a_passage():
    graph = compile_graph(DATA / "mini", shapes=False)
    fact = sorted(graph.subjects(RDF.type, KG.Fact))[0]
    graph.remove((fact, PROV.wasDerivedFrom, None))
    with pytest.raises(ShapeViolation) as info:
        check_shapes(graph)
    assert any("a fact must point to a source passage" in m for m in info.value.messages)
