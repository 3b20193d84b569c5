"""Choosing what a view draws: the projection annotated for a reader, narrowed by a ViewSpec.

:func:`annotated` is :func:`kg.network.to_networkx` with claims, plus what a reader
needs beside each edge and event (the outlet of its source, a claim's summary, an
event's own passages); :func:`select` keeps the part a :class:`kg.view.ViewSpec`
asks for, and :func:`describe` names it. Relations and types are found by
:mod:`kg.names`, as every other command finds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
from rdflib.term import Node

from kg import ontology
from kg.dates import parse_date
from kg.errors import BadDate, ViewError
from kg.names import find_relation, find_type
from kg.network import local_id, paragraph_numbers, to_networkx
from kg.report import relation_label
from kg.stores import Store, as_iri, as_literal
from kg.view.html import CATEGORIES, category

if TYPE_CHECKING:
    from kg.view import ViewSpec

KINDS = ("actor", "place", "event", "document")
"""The kinds of node ``--type`` accepts beside the classes and the drawing categories."""

_SOURCES = """
SELECT ?id ?outlet WHERE {
    ?s a kg:Source ; dcterms:identifier ?id .
    OPTIONAL { ?s dcterms:publisher/rdfs:label ?outlet }
}
"""

_EVENTS = """
SELECT ?e ?source ?date ?start ?end
       (GROUP_CONCAT(DISTINCT STR(?para); SEPARATOR=",") AS ?paras) WHERE {
    ?e dcterms:source/dcterms:identifier ?source ; prov:wasDerivedFrom/kg:paragraph ?para .
    FILTER (STRSTARTS(STR(?e), STR(id:)))
    FILTER NOT EXISTS { ?e a kg:Claim }
    OPTIONAL { ?e dcterms:date ?date }
    OPTIONAL { ?e kg:startDate ?start }
    OPTIONAL { ?e kg:endDate ?end }
} GROUP BY ?e ?source ?date ?start ?end
"""

_CLAIMS = """
SELECT ?id ?summary ?by ?via WHERE {
    ?c a kg:Claim ; dcterms:identifier ?id .
    OPTIONAL { ?c dcterms:description ?summary }
    OPTIONAL { ?c kg:reportedBy ?by }
    OPTIONAL { ?c kg:reportedVia ?via }
}
"""

_DISPUTED_EVENTS = """
SELECT ?e ?claim ?who WHERE {
    ?c kg:disputes ?e ; dcterms:identifier ?claim .
    FILTER NOT EXISTS { ?e a kg:Claim }
    OPTIONAL { ?c prov:wasAttributedTo ?who }
}
"""


def annotated(store: Store) -> nx.MultiDiGraph:
    """The projection with claims, plus what a reader needs beside each edge and node.

    Each edge gets its ``outlet`` (str); a claim's edge its ``summary`` (str), ``claimants``
    (tuple of their labels), ``reported_by`` and ``via`` (labels, where given); the projection's
    ``qualifier`` (suspected...) and ``basis`` (a fact on the curator's knowledge) stay. Each
    event gets its ``source`` (str), ``paragraphs`` (tuple of int), ``outlet``, and
    ``disputed_by`` (tuple of str: ``claim (by Claimant)``) where a claim disputes it.
    """
    ns = store.namespaces
    net = to_networkx(store, claims=True)
    outlets = {str(r["id"]): str(r["outlet"] or "") for r in _rows(store, _SOURCES)}
    for row in sorted(_rows(store, _EVENTS), key=lambda r: str(r["e"])):
        ident = local_id(as_iri(row["e"]), ns)
        if ident not in net:
            continue
        attrs = net.nodes[ident]
        attrs.update(
            {
                "source": str(row["source"]),
                "paragraphs": paragraph_numbers(as_literal(row["paras"])),
                "outlet": outlets.get(str(row["source"]), ""),
            }
        )
        attrs.update({k: str(row[k]) for k in ("date", "start", "end") if row[k] is not None})

    def label(iri: Node) -> str:
        ident = local_id(as_iri(iri), ns)
        return str(net.nodes[ident]["label"]) if ident in net else ident

    claims = {str(r["id"]): r for r in _rows(store, _CLAIMS)}
    for _, _, attrs in net.edges(data=True):
        attrs["outlet"] = outlets.get(attrs["source"], "")
        claim = claims.get(attrs.get("claim", ""))
        if claim is None:
            continue
        if claim["summary"] is not None:
            attrs["summary"] = str(claim["summary"])
        attrs["claimants"] = tuple(label(ns.id[c]) for c in attrs.get("claimant", ()))
        for name, column in (("reported_by", "by"), ("via", "via")):
            if claim[column] is not None:
                attrs[name] = label(claim[column])
    disputes: dict[str, set[str]] = {}
    for row in _rows(store, _DISPUTED_EVENTS):
        who = f" (by {label(row['who'])})" if row["who"] is not None else ""
        disputes.setdefault(local_id(as_iri(row["e"]), ns), set()).add(f"{row['claim']}{who}")
    for ident, found in disputes.items():
        if ident in net:
            net.nodes[ident]["disputed_by"] = tuple(sorted(found))
    return net


def _rows(store: Store, query: str) -> list[dict]:
    return store.query(store.namespaces.prologue + query).dicts()


# --- the filters ---


def relation(name: str) -> str:
    """The local name of the relation ``name`` names (see :func:`kg.names.find_relation`)."""
    return ontology.local(find_relation(name))


def node_type(name: str) -> str:
    """What ``--type name`` keeps: a class's label, a drawing category or a kind, as
    :func:`kg.names.find_type` finds it (``ArmedGroup`` -> ``armed group``)."""
    return find_type(name, also=(*CATEGORIES, *KINDS))


def _type_matches(attrs: dict, wanted: set[str]) -> bool:
    return bool(wanted & {attrs["type"], category(attrs), attrs["kind"]})


def _bound(text: str | None, end: int) -> str | None:
    if text is None:
        return None
    try:
        date = parse_date(text)
    except BadDate as err:
        raise ViewError(str(err)) from None
    if date.precision == "month-day":
        raise ViewError(f"'{text}' has no year: give YYYY, YYYY-MM or YYYY-MM-DD")
    return _span(date.text)[end]


def _span(text: str) -> tuple[str, str]:
    """The first and last day a date may denote (``2018`` -> 2018-01-01, 2018-12-31)."""
    parts = text.count("-")
    if parts == 0:
        return f"{text}-01-01", f"{text}-12-31"
    if parts == 1:
        return f"{text}-01", f"{text}-31"
    return text, text


def in_window(attrs: dict, since: str | None, until: str | None) -> bool:
    """Whether a dated node or edge may fall between ``since`` and ``until`` (ISO days).

    A ``date`` is a span at its precision; ``start``/``end`` bound an interval, open
    where missing. Undated things and dates without a year are never filtered out.
    """
    dated = {
        k: _span(str(attrs[k])) for k in ("date", "start", "end") if attrs.get(k) and not str(attrs[k]).startswith("--")
    }
    first: str | None
    last: str | None
    if "date" in dated:
        first, last = dated["date"]
    else:
        first = dated["start"][0] if "start" in dated else None
        last = dated["end"][1] if "end" in dated else None
    return (since is None or last is None or last >= since) and (until is None or first is None or first <= until)


# --- choosing and naming ---


def select(net: nx.MultiDiGraph, spec: ViewSpec) -> nx.MultiDiGraph:
    """The part of an annotated projection that ``spec`` asks for, as a new graph.

    ``spec.entity``, if given, is the id of a node of ``net`` (:func:`kg.view.view`
    finds it by name).
    """
    focus = spec.entity
    if focus is not None and focus not in net:
        raise ViewError(f"'{focus}' is not a node of the graph to draw")
    relations = {relation(r) for r in spec.relations}
    types = {node_type(t) for t in spec.types}
    since, until = _bound(spec.since, 0), _bound(spec.until, 1)
    if since is not None and until is not None and since > until:
        raise ViewError(f"--since {spec.since} is after --until {spec.until}: nothing could be drawn")
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, attrs in sorted(net.nodes(data=True)):
        if node == focus or ((not types or _type_matches(attrs, types)) and in_window(attrs, since, until)):
            out.add_node(node, **attrs)
    for u, v, key, attrs in sorted(net.edges(keys=True, data=True), key=lambda e: e[2]):
        if (
            u in out
            and v in out
            and (spec.claims or attrs["status"] == "fact")
            and (not relations or attrs["relation"] in relations)
            and in_window(attrs, since, until)
        ):
            out.add_edge(u, v, key=key, **attrs)
    if focus is not None:
        near = nx.single_source_shortest_path_length(out.to_undirected(as_view=True), focus, cutoff=spec.depth)
        out.remove_nodes_from([n for n in list(out) if n not in near])
    elif relations or since or until:
        out.remove_nodes_from([n for n in list(out) if out.degree(n) == 0])
    if out.number_of_nodes() == 0:
        raise ViewError("nothing to draw: no entity matches the filters")
    return out


def describe(net: nx.MultiDiGraph, spec: ViewSpec) -> tuple[str, str]:
    """A view's title and the line of filters under it (``spec.entity`` as for :func:`select`)."""
    if spec.entity:
        title = f"{net.nodes[spec.entity]['label']}: neighbourhood, depth {spec.depth}"
    else:
        title = "Network of armed actors"
    parts = []
    if spec.relations:
        parts.append("relations " + ", ".join(relation_label(relation(r)) for r in spec.relations))
    if spec.types:
        parts.append("types " + ", ".join(spec.types))
    if spec.since:
        parts.append(f"since {spec.since}")
    if spec.until:
        parts.append(f"until {spec.until}")
    parts.append("facts and claims" if spec.claims else "facts only")
    return title, "; ".join(parts)
