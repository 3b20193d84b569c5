"""The RDF graph projected to a networkx graph of entities and their relationships.

The projection (used by GraphML and CSV exports, ranking and views; ``kg show``,
``kg path`` and ``kg neighbors`` build the same projection of a neighbourhood only,
:mod:`kg.neighbourhood`) keeps attributes as native Python values, as networkx
does; only the writers in :mod:`kg.export.tabular` flatten them into strings.

Nodes: every entity with an ``id:`` IRI (actors, places, documents and, unless
``events=False``, events), keyed by its kg id, with

* ``id`` (str): the kg id again, ``ttp``;
* ``label`` (str): its ``rdfs:label``;
* ``type`` (str): the label of its most specific kg class, ``armed group``;
* ``kind`` (str): ``actor``, ``place``, ``document``, ``event`` or ``other``;
* ``aliases`` (tuple of str): its ``skos:altLabel`` values, sorted; ``()`` if none;
* ``description`` (str), ``date``, ``start`` and ``end`` (str, ISO 8601 at the
  precision known: ``2018``, ``2018-11``, ``2018-11-06``, ``--01-28``), only where
  known (the dates are mostly events').

Edges: one per ``kg:Fact`` statement node, subject -> object, keyed by the
statement's id (str), with

* ``relation`` (str): the relation's local name, ``alliedWith``;
* ``status`` (str): ``fact``;
* ``source`` (str): the id of the source it rests on (``""`` for a fact on the
  curator's knowledge);
* ``paragraph`` (int): the first of ``paragraphs`` (tuple of int, ascending), the
  paragraphs of that source it rests on (``()``, and no ``paragraph``, for a fact on
  the curator's knowledge);
* ``basis`` (str): for a fact on the curator's knowledge only, the curator's reason;
* ``qualifier`` (str): ``suspected``, ``alleged`` or ``confirmed``, where the statement
  has a ``kg:status``;
* ``confidence`` (float, 0 to 1), ``date``, ``start``, ``end``, ``role`` and ``note``
  (str), only where the statement has them.

With ``claims=True``, also one edge per statement a claim asserts, keyed by that
statement's id (the claim's id and a number, ``zubov-is-airlift.1``), with the
claim's ``source``, ``paragraph``, ``paragraphs``, ``confidence`` and ``date``,
``status`` ``claimed`` (or ``disputed`` when another claim disputes it), ``claim``
(str: the claim's id) and ``claimant`` (tuple of str: the ids of those who made
it, sorted). Claims never become ``fact`` edges.

Claims themselves, sources, passages and counts are not nodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import networkx as nx
from rdflib import RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg import ontology
from kg.errors import BadParameter, KgError
from kg.stores import Store, as_iri, as_literal
from kg.stores.values import decimal, integer
from kg.vocab import DEFAULT, KG, Namespaces

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
SELECT ?st ?s ?p ?o ?source (GROUP_CONCAT(DISTINCT STR(?para); SEPARATOR=",") AS ?paras) WHERE {
    ?st a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        dcterms:source/dcterms:identifier ?source ;
        prov:wasDerivedFrom/kg:paragraph ?para .
} GROUP BY ?st ?s ?p ?o ?source
"""

# Facts on the curator's knowledge rest on no passage: a query of their own, so the one
# above keeps its plain join.
_CURATOR_FACTS = """
SELECT ?st ?s ?p ?o ?why WHERE {
    ?st a kg:Fact ; kg:basis kg:curatorKnowledge ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?st skos:editorialNote ?why }
}
"""

# Qualifiers in a query of their own: six OPTIONALs beside the GROUP BY above make
# Virtuoso's planner estimate hours and refuse the query.
_QUALIFIERS = """
SELECT ?st ?key ?value WHERE {
    VALUES (?key ?property) { ("confidence" kg:confidence) ("date" dcterms:date)
        ("start" kg:startDate) ("end" kg:endDate) ("role" kg:roleTitle) ("note" skos:note)
        ("qualifier" kg:status) }
    ?st a kg:Fact ; ?property ?value .
}
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


def local_id(iri: URIRef, ns: Namespaces = DEFAULT) -> str:
    """The kg id of an ``id:`` or ``stmt:`` IRI (of the namespaces ``ns``), or the local name
    of a ``kg:`` term."""
    text = str(iri)
    for namespace in (str(ns.id), str(ns.stmt), str(KG._NS)):
        if text.startswith(namespace):
            return text[len(namespace) :]
    return text


def paragraph_numbers(text: Literal, node: Node | None = None) -> tuple[int, ...]:
    """Paragraph numbers a query concatenated with commas (of ``node``'s passages), ascending:
    ``"10,9"`` -> ``(9, 10)``; one that is not an integer is :class:`~kg.errors.NotKgGraph`."""
    return tuple(sorted(integer(p, node, KG.paragraph) for p in str(text).split(",") if p))


def qualifiers(row: dict) -> dict[str, object]:
    """The qualifiers of a statement row as edge attributes: strings, and confidence a float."""
    attrs: dict[str, object] = {}
    for key in ("date", "start", "end", "role", "note"):
        if row.get(key) is not None:
            attrs[key] = str(row[key])
    if row.get("qualifier") is not None:
        attrs["qualifier"] = ontology.local(as_iri(row["qualifier"]))
    if row.get("confidence") is not None:
        attrs["confidence"] = decimal(row["confidence"], row.get("st"), KG.confidence)
    return attrs


def _kind(cls: URIRef) -> str:
    name = ontology.local(cls)
    for kind, members in (
        ("event", ontology.event_types()),
        ("document", ontology.document_types()),
        ("actor", ontology.actor_types()),
        ("place", ontology.place_types()),
    ):
        if name in members:
            return kind
    return "other"


def within(query: str, fragment: str) -> str:
    """``query`` with ``fragment`` (a VALUES block, a pattern) first in its WHERE clause."""
    return query.replace("WHERE {", "WHERE {\n    " + fragment, 1) if fragment else query


def values(var: str, terms: Iterable[URIRef]) -> str:
    """A ``VALUES ?var { <a> <b> }`` block of IRIs."""
    return f"VALUES ?{var} {{ {' '.join(t.n3() for t in terms)} }}"


def node_attributes(store: Store, only: Iterable[URIRef] | None = None) -> dict[str, dict[str, object]]:
    """Entity attributes by id (of the entities ``only``, if given), typed by each entity's
    most specific kg class."""
    vocab = ontology.ontology_graph()
    classes: dict[URIRef, set[URIRef]] = defaultdict(set)
    rows: dict[URIRef, dict] = {}
    restrict = "" if only is None else values("e", only)
    for row in store.query(store.namespaces.prologue + within(_NODES, restrict)).dicts():
        classes[as_iri(row["e"])].add(as_iri(row["class"]))
        rows[as_iri(row["e"])] = row
    aliases: dict[URIRef, set[str]] = defaultdict(set)
    for row in store.query(store.namespaces.prologue + within(_ALIASES, restrict)).dicts():
        aliases[as_iri(row["e"])].add(str(row["alias"]))
    nodes = {}
    for iri, row in rows.items():
        found = classes[iri]
        specific = sorted(c for c in found if not any(o != c and (o, RDFS.subClassOf, c) in vocab for o in found))
        cls = specific[0]
        ident = local_id(iri, store.namespaces)
        attrs: dict[str, object] = {
            "id": ident,
            "label": str(row["label"]),
            "type": str(vocab.value(cls, RDFS.label) or ontology.local(cls)),
            "kind": _kind(cls),
            "aliases": tuple(sorted(aliases[iri])),
        }
        for key in ("description", "date", "start", "end"):
            if row[key] is not None:
                attrs[key] = str(row[key])
        nodes[ident] = attrs
    return nodes


_QUALIFIER_KEYS = {
    KG.confidence: "confidence",
    DCTERMS.date: "date",
    KG.startDate: "start",
    KG.endDate: "end",
    KG.roleTitle: "role",
    SKOS.note: "note",
    KG.status: "qualifier",
}

# The qualifiers of given statements: a FILTER rather than the VALUES pairs above, which
# rdflib joins with the statements' VALUES as a cross product (0.5 s for 60 statements).
_QUALIFIERS_OF = """
SELECT ?st ?property ?value WHERE {
    ?st ?property ?value . FILTER (?property IN (kg:confidence, dcterms:date, kg:startDate, kg:endDate,
        kg:roleTitle, skos:note, kg:status))
}
"""


def fact_qualifiers(
    store: Store, statements: Iterable[URIRef] | None = None
) -> dict[URIRef, dict[str, Literal | URIRef]]:
    """Each fact's qualifiers by key (``date``, ``role``...); the least value where several.

    ``statements``: only those fact statements, if given.
    """
    found: dict[URIRef, dict[str, Literal | URIRef]] = defaultdict(dict)
    if statements is None:
        result = store.query(store.namespaces.prologue + _QUALIFIERS)
        rows = cast("list[tuple[URIRef, Literal, Literal]]", result.rows)  # the query binds all three
    else:
        query = within(_QUALIFIERS_OF, values("st", statements))
        rows = [
            (st, Literal(_QUALIFIER_KEYS[as_iri(p)]), value)
            for st, p, value in cast(
                "list[tuple[URIRef, URIRef, Literal]]", store.query(store.namespaces.prologue + query).rows
            )
        ]
    for st, key, value in sorted(rows, key=lambda r: tuple(t.n3() for t in r), reverse=True):
        found[st][str(key)] = value
    return found


def fact_rows(store: Store, restrict: str = "") -> list[dict]:
    """The rows of every fact statement (of those ``restrict`` lets through), by statement; a
    fact on the curator's knowledge has no ``source`` or ``paras``, and its reason as ``why``."""
    prologue = store.namespaces.prologue
    rows = store.query(prologue + within(_FACTS, restrict)).dicts()
    rows += store.query(prologue + within(_CURATOR_FACTS, restrict)).dicts()
    return sorted(rows, key=lambda r: str(r["st"]))


def claim_rows(store: Store, restrict: str = "") -> list[dict]:
    """The rows of every statement a claim asserts (of those ``restrict`` lets through)."""
    return sorted(
        store.query(store.namespaces.prologue + within(_CLAIMS, restrict)).dicts(), key=lambda r: str(r["st"])
    )


def add_claim_edge(net: nx.MultiDiGraph, row: dict, ns: Namespaces) -> None:
    """Add the edge of one row of :func:`claim_rows` (claimed, or disputed) to ``net``."""
    status = "disputed" if row["disputed"] and as_literal(row["disputed"]).toPython() else "claimed"
    extra: dict[str, object] = {
        "status": status,
        "claim": local_id(as_iri(row["claim"]), ns),
        "claimant": tuple(sorted(local_id(URIRef(c), ns) for c in str(row["claimants"]).split("|"))),
    }
    add_edge(net, row, extra, ns)


def to_networkx(store: Store, claims: bool = False, events: bool = True) -> nx.MultiDiGraph:
    """Project the store's graph to a MultiDiGraph of entities (see the module docstring)."""
    net: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for ident, attrs in sorted(node_attributes(store).items()):
        if attrs["kind"] == "event" and not events:
            continue
        net.add_node(ident, **attrs)
    ns = store.namespaces
    found = fact_qualifiers(store)
    for row in fact_rows(store):
        add_edge(net, {**row, **found.get(as_iri(row["st"]), {})}, {"status": "fact"}, ns)
    if claims:
        for row in claim_rows(store):
            add_claim_edge(net, row, ns)
    return net


def add_edge(net: nx.MultiDiGraph, row: dict, extra: dict[str, object], ns: Namespaces) -> None:
    """Add the edge of one statement row to ``net``, unless an end is not one of its nodes."""
    source, target = local_id(row["s"], ns), local_id(row["o"], ns)
    if source not in net or target not in net:
        return  # an end was filtered out (e.g. an event when events=False)
    attrs: dict[str, object] = {"relation": local_id(row["p"], ns), **extra}
    if row.get("source") is None:  # the curator's knowledge
        attrs.update(source="", paragraphs=(), basis=str(row.get("why") or ""))
    else:
        paragraphs = paragraph_numbers(row["paras"], row["st"])
        attrs.update(source=str(row["source"]), paragraph=paragraphs[0], paragraphs=paragraphs)
    net.add_edge(source, target, key=local_id(row["st"], ns), **attrs, **qualifiers(row))


# --- paths, neighbours and ranking over the projection ---


@dataclass(frozen=True)
class Link:
    """One edge of the projection: a sourced relationship (or, with claims, a claimed one)."""

    subject: str
    relation: str
    object: str
    status: str
    source: str
    paragraphs: tuple[int, ...]
    claim: str | None = None
    role: str | None = None
    when: str | None = None
    qualifier: str | None = None
    """How firmly the source ties it: ``suspected``, ``alleged``, ``confirmed`` (None: stated plainly)."""
    basis: str | None = None
    """For a fact on the curator's knowledge (no source), the curator's reason."""


@dataclass(frozen=True)
class Step:
    """One step of a path, from ``start`` to ``end``, by every relationship between the two."""

    start: str
    end: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Neighbour:
    """An entity within reach: how far, and the links from entities one step nearer."""

    id: str
    distance: int
    via: tuple[Link, ...]


@dataclass(frozen=True)
class Ranked:
    """An actor and its centrality score."""

    id: str
    score: float


RANKINGS = ("degree", "betweenness", "pagerank")
"""Centrality measures :func:`rank` computes."""


def links_between(net: nx.MultiDiGraph, a: str, b: str, relations: frozenset[str] | None = None) -> tuple[Link, ...]:
    """Every edge between ``a`` and ``b``, either way, sorted (optionally of ``relations`` only)."""
    found = []
    for u, v in ((a, b), (b, a)):
        for attrs in (net.get_edge_data(u, v) or {}).values():
            if relations is None or attrs["relation"] in relations:
                found.append(
                    Link(
                        u,
                        attrs["relation"],
                        v,
                        attrs["status"],
                        attrs["source"],
                        attrs["paragraphs"],
                        attrs.get("claim"),
                        attrs.get("role"),
                        _when(attrs),
                        attrs.get("qualifier"),
                        attrs.get("basis"),
                    )
                )
    return tuple(sorted(found, key=lambda link: (link.relation, link.subject, link.source, link.claim or "")))


def _when(attrs: dict) -> str | None:
    if "date" in attrs:
        return str(attrs["date"])
    if "start" in attrs or "end" in attrs:
        return f"{attrs.get('start', '')}/{attrs.get('end', '')}"
    return None


def _walkable(net: nx.MultiDiGraph, relations: frozenset[str] | None, avoid: frozenset[str] = frozenset()) -> nx.Graph:
    """The projection as an undirected simple graph (of ``relations`` only, if given), without
    the nodes ``avoid``."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(n for n in net.nodes if n not in avoid))
    for u, v, attrs in net.edges(data=True):
        if u != v and u not in avoid and v not in avoid and (relations is None or attrs["relation"] in relations):
            graph.add_edge(u, v)
    return graph


def shortest_paths(
    net: nx.MultiDiGraph,
    a: str,
    b: str,
    limit: int = 10,
    avoid: frozenset[str] = frozenset(),
    max_length: int | None = None,
) -> list[list[Step]]:
    """The shortest chains of relationships linking ``a`` to ``b``, whatever their direction.

    Paths are sorted by the ids along them; at most ``limit`` are returned. They pass
    through none of the nodes ``avoid`` and have at most ``max_length`` steps, if given.

    >>> net = nx.MultiDiGraph()
    >>> net.add_edge("a", "b", relation="alliedWith", status="fact", source="001", paragraphs=(3,))
    0
    >>> [[(s.start, s.end) for s in p] for p in shortest_paths(net, "b", "a")]
    [[('b', 'a')]]
    """
    graph = _walkable(net, None, avoid - {a, b})
    try:
        paths = sorted(nx.all_shortest_paths(graph, a, b))[:limit]
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    if max_length is not None and paths and len(paths[0]) - 1 > max_length:
        return []
    return [[Step(u, v, links_between(net, u, v)) for u, v in zip(path, path[1:], strict=False)] for path in paths]


def of_types(net: nx.MultiDiGraph, types: Iterable[str]) -> frozenset[str]:
    """The nodes of ``net`` whose type is one of ``types`` (labels, :func:`kg.names.find_type`)
    or a narrower one: ``place`` covers districts and villages."""
    labels = subtype_labels(types)
    return frozenset(n for n, t in net.nodes(data="type") if t in labels)


TYPE_ROOTS = ("actor", "place")
"""Type names beside the entity and event types that :func:`subtype_labels` takes (their roots)."""


def subtype_labels(types: Iterable[str]) -> frozenset[str]:
    """The labels of the kg classes labelled ``types`` and of every class below them."""
    vocab = ontology.ontology_graph()
    wanted = set(types)
    classes = ontology.entity_types() | ontology.event_types() | {"Actor": KG.Actor, "Place": KG.Place}
    roots = [c for local, c in classes.items() if local in wanted or str(vocab.value(c, RDFS.label)) in wanted]
    found = {c for root in roots for c in vocab.transitive_subjects(RDFS.subClassOf, root)}
    return frozenset(str(vocab.value(c, RDFS.label) or ontology.local(c)) for c in found if isinstance(c, URIRef))


def neighbors(net: nx.MultiDiGraph, x: str, depth: int = 1, relations: frozenset[str] | None = None) -> list[Neighbour]:
    """Entities within ``depth`` steps of ``x`` (by ``relations`` only, if given), nearest first."""
    graph = _walkable(net, relations)
    distances = nx.single_source_shortest_path_length(graph, x, cutoff=depth)
    found = []
    for node, distance in distances.items():
        if node == x:
            continue
        via = tuple(
            link
            for other in sorted(graph.neighbors(node))
            if distances.get(other) == distance - 1
            for link in links_between(net, other, node, relations)
        )
        found.append(Neighbour(node, distance, via))
    return sorted(found, key=lambda n: (n.distance, n.id))


def actor_network(net: nx.MultiDiGraph) -> nx.Graph:
    """Actors and their relationships, undirected, each edge weighted by its number of links.

    The projection's nodes of kind ``actor`` (armed groups, states, bodies, people,
    outlets...) and the edges between two of them, whatever their direction; events,
    places and documents, and the links through them, are left out.
    """
    graph: nx.Graph[str] = nx.Graph()
    actors = sorted(n for n, attrs in net.nodes(data=True) if attrs.get("kind") == "actor")
    graph.add_nodes_from(actors)
    for u, v in sorted(net.edges()):
        if u != v and u in graph and v in graph:
            weight = graph.edges[u, v]["weight"] + 1 if graph.has_edge(u, v) else 1
            graph.add_edge(u, v, weight=weight)
    return graph


def rank(net: nx.MultiDiGraph, by: str = "degree", top: int = 10, types: Iterable[str] = ()) -> list[Ranked]:
    """The ``top`` most central actors of :func:`actor_network`, by ``by``, ties by id.

    degree: the number of other actors it has a relationship with; betweenness: the
    share of shortest paths between other actors through it (normalised); pagerank:
    PageRank on the network weighted by the number of links. With ``types`` (labels, as
    :func:`kg.names.find_type` gives them), only actors of those types or narrower ones
    are listed, scored on the whole actor network.
    """
    if types and not subtype_labels(types) & subtype_labels(["actor"]):
        raise BadParameter(f"kg rank ranks actors, and no {' or '.join(types)} is one")
    graph = actor_network(net)
    if by == "degree":
        scores: dict[str, float] = {n: float(d) for n, d in graph.degree()}
    elif by == "betweenness":
        scores = nx.betweenness_centrality(graph)
    elif by == "pagerank":
        scores = nx.pagerank(graph, weight="weight")
    else:
        raise KgError(f"unknown ranking '{by}' (use one of {', '.join(RANKINGS)})")
    if types:
        kept = of_types(net, types)
        scores = {n: s for n, s in scores.items() if n in kept}
    ordered = sorted(scores.items(), key=lambda item: (-round(item[1], 12), item[0]))
    return [Ranked(node, score) for node, score in ordered[:top]]
