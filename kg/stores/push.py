"""Uploading the graph to a SPARQL server, replacing one named graph.

Three ways, all standard SPARQL 1.1:

* ``gsp``: Graph Store Protocol, ``PUT URL?graph=IRI`` with the graph as Turtle
  (Virtuoso: ``/sparql-graph-crud-auth``; Fuseki: ``/DATASET/data``). Atomic where the
  server makes a PUT atomic; Virtuoso 7.2 does not: a PUT failing half-way leaves a
  half-written graph.
* ``gsp`` with an Update URL (``update_url``): the graph is PUT into a fresh
  ``urn:uuid:`` graph, then one ``MOVE`` puts it in place. The named graph changes
  in one operation or not at all, on Virtuoso too (Update: ``/sparql-auth``).
* ``update``: Update alone: ``INSERT DATA`` in chunks into a fresh graph, then the same
  ``MOVE``. Virtuoso 7.2 cannot read ``xsd:time`` literals in SPARQL text; use ``gsp``.

Whatever fails, the fresh graph is dropped and the named graph is left as it was.
"""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rdflib import BNode, Graph, URIRef

from kg.errors import EndpointError, StoreError
from kg.stores import GRAPH
from kg.stores.answers import is_iri, printable
from kg.stores.http import Endpoint, Limits, mask, request

Protocol = Literal["gsp", "update"]
PROTOCOLS: tuple[Protocol, ...] = ("gsp", "update")

CHUNK = 500
"""Triples per INSERT DATA request (servers limit the size of one update)."""


@dataclass
class PushResult:
    """What was sent where: the triple count, the named graph, the server, and how."""

    triples: int
    graph: str
    url: str
    method: str


def _ntriples(graph: Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def put_graph(endpoint: Endpoint, graph: Graph, iri: str) -> None:
    """Graph Store Protocol: replace graph ``iri`` with ``graph`` (as N-Triples, which is Turtle)."""
    separator = "&" if "?" in endpoint.url else "?"
    url = endpoint.url + separator + urllib.parse.urlencode({"graph": iri})
    request(endpoint, "PUT", url, _ntriples(graph), {"Content-Type": "text/turtle; charset=utf-8"})


def update(endpoint: Endpoint, text: str) -> None:
    """Send one SPARQL Update request."""
    body = urllib.parse.urlencode({"update": text}).encode("utf-8")
    request(endpoint, "POST", endpoint.url, body, {"Content-Type": "application/x-www-form-urlencoded"})


def insert_requests(graph: Graph, iri: str) -> list[str]:
    """``INSERT DATA`` requests that add ``graph`` to graph ``iri``, ``CHUNK`` triples each.

    Blank nodes are local to one request, so a graph with any is sent in one request.
    """
    lines = _ntriples(graph).decode("utf-8").splitlines(keepends=True)
    size = len(lines) if any(isinstance(n, BNode) for n in graph.all_nodes()) else CHUNK
    name = URIRef(iri).n3()
    return [
        f"INSERT DATA {{ GRAPH {name} {{\n{''.join(lines[i : i + size])}}} }}"
        for i in range(0, len(lines), max(size, 1))
    ]


def _staged(updates: Endpoint, fill: Callable[[str], None], iri: str, triples: int) -> None:
    staging = uuid.uuid4().urn
    try:
        fill(staging)
        if triples:
            update(updates, f"MOVE SILENT GRAPH <{staging}> TO GRAPH {URIRef(iri).n3()}")
        else:
            update(updates, f"DROP SILENT GRAPH {URIRef(iri).n3()}")
    except EndpointError:
        try:
            update(updates, f"DROP SILENT GRAPH <{staging}>")
        except EndpointError:
            pass  # the first error is the one to report
        raise


def push(
    graph: Graph,
    url: str,
    iri: str = GRAPH,
    protocol: Protocol = "gsp",
    update_url: str | None = None,
    limits: Limits | None = None,
) -> PushResult:
    """Replace the named graph ``iri`` at the server ``url`` with ``graph`` (see the module).

    Each request is bounded by ``limits`` (default: :meth:`Limits.from_environment`).
    """
    limits = limits or Limits.from_environment()
    endpoint = Endpoint.parse(url, limits)
    if not is_iri(iri):
        raise StoreError(f"the named graph must be an IRI such as {GRAPH}, not {printable(iri)!r}")
    if protocol not in PROTOCOLS:
        raise EndpointError(endpoint.shown, f"unknown protocol {protocol!r} (use gsp or update)")
    if protocol == "update":

        def fill(staging: str) -> None:
            for text in insert_requests(graph, staging):
                update(endpoint, text)

        _staged(endpoint, fill, iri, len(graph))
        method = "SPARQL Update into a fresh graph, then MOVE"
    elif update_url:
        _staged(
            Endpoint.parse(update_url, limits), lambda staging: put_graph(endpoint, graph, staging), iri, len(graph)
        )
        method = "Graph Store PUT into a fresh graph, then MOVE"
    else:
        put_graph(endpoint, graph, iri)
        method = "Graph Store PUT"
    return PushResult(len(graph), iri, mask(endpoint.url), method)
