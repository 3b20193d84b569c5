"""The RDF graph projected to a networkx graph of entities and their relationships.

The projection (used by GraphML and CSV exports, paths, ranking and views):

* nodes: every entity with an ``id:`` IRI — actors, places, documents and
  (unless ``events=False``) events — with ``id``, ``label``, ``type`` (the
  most specific kg class label), ``kind`` (actor, place, document, event),
  ``aliases`` (``|``-separated) and ``description``, and for events ``date``,
  ``start`` and ``end`` where known;
* edges: one per ``kg:Fact`` statement node, subject -> object, keyed by the
  statement's id, with ``relation``, ``status`` = ``fact``, ``source``,
  ``paragraph`` (the first, an int) and ``paragraphs`` (all), and the
  ``confidence``, ``date``, ``start``, ``end``, ``role`` and ``note`` qualifiers
  where present;
* with ``claims=True``, one edge per statement a claim asserts, with ``status``
  ``claimed`` (or ``disputed`` when another claim disputes it), ``claim`` and
  ``claimant``. Claims never become ``fact`` edges.

Claims themselves, sources, passages and counts are not nodes.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import RDFS, Literal, URIRef

from kg import ontology
from kg.store import PROLOGUE, Store
from kg.vocab import ID, KG, STMT

_NODES = """
SELECT ?e ?class ?label ?description ?date ?start ?end WHERE {
    ?e a ?class ; rdfs:label ?label ; dcterms:identifier ?id .
    FILTER (STRSTARTS(STR(?e), STR(id:)) && STRSTARTS(STR(?class), STR(kg:)))
    FILTER NOT EXISTS { ?e a kg:Claim }
    OPTIONAL { ?e dcterms:description ?description }
    OPTIONAL { ?e dcterms:date ?date }
    OPTIONAL { ?e kg:startDate ?start }
    OPTIONAL { ?e kg:endDate ?end }
}
"""

_ALIASES = """
SELECT ?e ?alias WHERE { ?e skos:altLabel ?alias . FILTER (STRSTARTS(STR(?e), STR(id:))) }
"""

_FACTS = """
SELECT ?st ?s ?p ?o ?source ?confidence ?date ?start ?end ?role ?note
       (GROUP_CONCAT(DISTINCT STR(?para); SEPARATOR=",") AS ?paras) WHERE {
    ?st a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        dcterms:source/dcterms:identifier ?source ;
        prov:wasDerivedFrom/kg:paragraph ?para .
    OPTIONAL { ?st kg:confidence ?confidence }
    OPTIONAL { ?st dcterms:date ?date }
    OPTIONAL { ?st kg:startDate ?start }
    OPTIONAL { ?st kg:endDate ?end }
    OPTIONAL { ?st kg:roleTitle ?role }
    OPTIONAL { ?st skos:note ?note }
} GROUP BY ?st ?s ?p ?o ?source ?confidence ?date ?start ?end ?role ?note
"""

_CLAIMS = """
SELECT ?st ?s ?p ?o ?claim ?source ?confidence ?date ?disputed
       (GROUP_CONCAT(DISTINCT STR(?para); SEPARATOR=",") AS ?paras)
       (GROUP_CONCAT(DISTINCT STR(?who); SEPARATOR="|") AS ?claimants) WHERE {
    ?claim a kg:Claim ; kg:asserts ?st ; prov:wasAttributedTo ?who ;
           dcterms:source/dcterms:identifier ?source ;
           prov:wasDerivedFrom/kg:paragraph ?para .
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?claim kg:confidence ?confidence }
    OPTIONAL { ?claim dcterms:date ?date }
    BIND (EXISTS { ?other kg:disputes ?claim } AS ?disputed)
} GROUP BY ?st ?s ?p ?o ?claim ?source ?confidence ?date ?disputed
"""


def local_id(iri: URIRef) -> str:
    """The kg id of an ``id:`` or ``stmt:`` IRI, or the local name of a ``kg:`` term."""
    text = str(iri)
    for namespace in (str(ID), str(STMT), str(KG._NS)):
        if text.startswith(namespace):
            return text[len(namespace):]
    return text


def _paragraphs(text: Literal) -> tuple[int, str]:
    numbers = sorted(int(p) for p in str(text).split(",") if p)
    return numbers[0], ",".join(map(str, numbers))


def _qualifiers(row: dict) -> dict[str, object]:
    attrs: dict[str, object] = {}
    for key in ("date", "start", "end", "role", "note"):
        if row.get(key) is not None:
            attrs[key] = str(row[key])
    if row.get("confidence") is not None:
        attrs["confidence"] = float(row["confidence"])
    return attrs


def _kind(cls: URIRef) -> str:
    name = ontology.local(cls)
    for kind, members in (("event", ontology.event_types()), ("document", ontology.document_types()),
                          ("actor", ontology.actor_types()), ("place", ontology.place_types())):
        if name in members:
            return kind
    return "other"


def _nodes(store: Store) -> dict[str, dict[str, object]]:
    """Entity attributes by id, typed by each entity's most specific kg class."""
    vocab = ontology.ontology_graph()
    classes: dict[URIRef, set[URIRef]] = defaultdict(set)
    rows: dict[URIRef, dict] = {}
    for row in store.query(PROLOGUE + _NODES).dicts():
        classes[row["e"]].add(row["class"])
        rows[row["e"]] = row
    aliases: dict[URIRef, set[str]] = defaultdict(set)
    for row in store.query(PROLOGUE + _ALIASES).dicts():
        aliases[row["e"]].add(str(row["alias"]))
    nodes = {}
    for iri, row in rows.items():
        found = classes[iri]
        specific = sorted(c for c in found if not any(
            o != c and (o, RDFS.subClassOf, c) in vocab for o in found))
        cls = specific[0]
        attrs = {"id": local_id(iri), "label": str(row["label"]),
                 "type": str(vocab.value(cls, RDFS.label) or ontology.local(cls)),
                 "kind": _kind(cls), "aliases": "|".join(sorted(aliases[iri]))}
        for key in ("description", "date", "start", "end"):
            if row[key] is not None:
                attrs[key] = str(row[key])
        nodes[attrs["id"]] = attrs
    return nodes


def to_networkx(store: Store, claims: bool = False, events: bool = True) -> nx.MultiDiGraph:
    """Project the store's graph to a MultiDiGraph of entities (see the module docstring)."""
    net = nx.MultiDiGraph()
    for ident, attrs in sorted(_nodes(store).items()):
        if attrs["kind"] == "event" and not events:
            continue
        net.add_node(ident, **attrs)
    for row in sorted(store.query(PROLOGUE + _FACTS).dicts(), key=lambda r: str(r["st"])):
        _add_edge(net, row, {"status": "fact"})
    if claims:
        for row in sorted(store.query(PROLOGUE + _CLAIMS).dicts(), key=lambda r: str(r["st"])):
            status = "disputed" if row["disputed"] and row["disputed"].toPython() else "claimed"
            _add_edge(net, row, {"status": status, "claim": local_id(row["claim"]),
                                 "claimant": "|".join(sorted(local_id(URIRef(c)) for c in
                                                             str(row["claimants"]).split("|")))})
    return net


def _add_edge(net: nx.MultiDiGraph, row: dict, extra: dict[str, object]) -> None:
    source, target = local_id(row["s"]), local_id(row["o"])
    if source not in net or target not in net:
        return  # an end was filtered out (e.g. an event when events=False)
    first, paragraphs = _paragraphs(row["paras"])
    attrs = {"relation": local_id(row["p"]), **extra, "source": str(row["source"]),
             "paragraph": first, "paragraphs": paragraphs, **_qualifiers(row)}
    net.add_edge(source, target, key=local_id(row["st"]), **attrs)
