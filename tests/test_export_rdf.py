"""kg.export.rdf: Turtle, N-Triples, TriG, N-Quads and JSON-LD, read back by pyoxigraph as kg's graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from conftest import REPO
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.export.rdf import GRAPH_IRI, jsonld_context
from kg.vocab import KG

S000 = "000_c8205b38d0f11d5b"
LEADS = f"{S000}.andrey-novikov.leads.cis-anti-terrorism-centre"


def _term(term: object) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("graph.ttl", ox.RdfFormat.TURTLE),
        ("graph.nt", ox.RdfFormat.N_TRIPLES),
        ("graph.trig", ox.RdfFormat.TRIG),
        ("graph.nq", ox.RdfFormat.N_QUADS),
        ("graph.jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_rdf_export_parses_with_pyoxigraph_to_the_same_graph(
    graph: Graph, files: dict[str, bytes], name: str, fmt: ox.RdfFormat
) -> None:
    quads = list(ox.parse(files[name], format=fmt))
    read = Graph()
    for quad in quads:
        read.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    graphs = {str(q.graph_name) for q in quads}
    expected = {f"<{GRAPH_IRI}>"} if fmt.supports_datasets and fmt != ox.RdfFormat.JSON_LD else {"DEFAULT"}
    assert graphs == expected
    assert not any(isinstance(t, BNode) for triple in read for t in triple)
    assert len(read) == len(graph)
    assert isomorphic(read, graph)


def test_ntriples_and_nquads_lines_are_sorted(files: dict[str, bytes]) -> None:
    for name in ("graph.nt", "graph.nq"):
        lines = files[name].decode().splitlines()
        assert lines == sorted(lines)
    assert files["graph.nq"].count(b"\n") == files["graph.nt"].count(b"\n")


def test_jsonld_is_compact_with_the_committed_context(files: dict[str, bytes]) -> None:
    document = json.loads(files["graph.jsonld"])
    committed = json.loads((REPO / "ontology" / "context.jsonld").read_text())
    assert document["@context"] == committed["@context"]
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert nodes["id:ttp"]["@type"] == "ArmedGroup"
    assert nodes["id:ttp"]["label"] == "Tehrik-e-Taliban Pakistan"
    fact = nodes[f"stmt:{LEADS}"]
    assert (fact["subject"], fact["predicate"], fact["object"], fact["roleTitle"]) == (
        "id:andrey-novikov",
        "leads",
        "id:cis-anti-terrorism-centre",
        "head",
    )
    assert fact["derivedFrom"] == f"src:{S000}-p6"
    full = {key for node in document["@graph"] for key in node if "://" in key}
    full |= {
        value
        for node in document["@graph"]
        for key, value in node.items()
        if key in ("@id", "@type") and "://" in str(value)
    }
    assert full == {"https://w3id.org/kg-armed-actors/ontology"}  # the ontology's own IRI


def test_context_names_every_object_property_as_an_iri(graph: Graph) -> None:
    context = jsonld_context()
    kg_properties = {str(p) for p in graph.subjects(RDF.type, KG.RelationshipProperty)}
    kg_properties |= {str(p) for p in graph.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#ObjectProperty"))}
    named = {
        context[k]["@id"].replace("kg:", str(KG._NS)): k
        for k in context
        if isinstance(context[k], dict) and context[k].get("@type") in ("@id", "@vocab")
    }
    assert sorted(kg_properties - set(named)) == []
