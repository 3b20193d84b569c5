"""The networkx projection of :mod:`kg.network` as GraphML and CSV (``nodes.csv``, ``edges.csv``).

Claims and events are included; a claim is an edge with status ``claimed`` or ``disputed``.
The projection's tuples (aliases, paragraphs, claimants) are joined into one string per
attribute here, and only here: GraphML and CSV cells hold no lists.
"""

from __future__ import annotations

import csv
import io

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter
from rdflib import Graph

from kg.network import to_networkx
from kg.stores.memory import MemoryStore

NODE_COLUMNS = ["id", "label", "type", "kind", "aliases", "description", "date", "start", "end"]
"""Columns of ``nodes.csv`` (GraphML node attributes, ``id`` being the node's id), in order."""

EDGE_COLUMNS = [
    "statement",
    "from",
    "to",
    "relation",
    "status",
    "source",
    "paragraph",
    "paragraphs",
    "confidence",
    "date",
    "start",
    "end",
    "role",
    "note",
    "claim",
    "claimant",
]
"""Columns of ``edges.csv`` (GraphML edge attributes plus the two ends), in order."""

SEPARATORS = {"aliases": "|", "claimant": "|", "paragraphs": ","}
"""How each tuple attribute of the projection is joined: ``("RH", "Red Hand")`` -> ``RH|Red Hand``."""


def flat(attrs: dict[str, object]) -> dict[str, object]:
    """Node or edge attributes with each tuple joined by its separator (:data:`SEPARATORS`).

    >>> flat({"aliases": ("RH", "Red Hand"), "paragraph": 2, "paragraphs": (2, 3)})
    {'aliases': 'RH|Red Hand', 'paragraph': 2, 'paragraphs': '2,3'}
    """
    return {
        key: SEPARATORS[key].join(map(str, value)) if isinstance(value, tuple) else value
        for key, value in attrs.items()
    }


def projection(graph: Graph) -> nx.MultiDiGraph:
    """The entity network of :func:`kg.network.to_networkx`, with claims and events."""
    return to_networkx(MemoryStore(graph), claims=True, events=True)


def to_graphml(graph: Graph) -> bytes:
    """GraphML of the projection: typed node and edge attributes, node ids are kg ids.

    Each edge carries its statement id as the ``statement`` attribute rather than
    as a GraphML edge id, which igraph 1.0 misreads.
    """
    net = projection(graph)
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, attrs in net.nodes(data=True):
        out.add_node(node, **{k: v for k, v in flat(attrs).items() if k != "id"})
    for source, target, key, attrs in net.edges(keys=True, data=True):
        out.add_edge(source, target, key=key, statement=key, **flat(attrs))
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(out)
    for edge in writer.xml.iter("edge"):
        del edge.attrib["id"]
    buffer = io.BytesIO()
    writer.dump(buffer)
    return buffer.getvalue()


def nodes_csv(graph: Graph) -> bytes:
    """One row per node of the projection, columns :data:`NODE_COLUMNS` (then any others)."""
    net = projection(graph)
    rows = [{"id": node, **flat(attrs)} for node, attrs in sorted(net.nodes(data=True))]
    return _csv(rows, NODE_COLUMNS)


def edges_csv(graph: Graph) -> bytes:
    """One row per edge of the projection, columns :data:`EDGE_COLUMNS` (then any others)."""
    net = projection(graph)
    rows = [
        {"statement": key, "from": source, "to": target, **flat(attrs)}
        for source, target, key, attrs in net.edges(keys=True, data=True)
    ]
    return _csv(sorted(rows, key=lambda r: (r["statement"], r["from"], r["to"])), EDGE_COLUMNS)


def _csv(rows: list[dict[str, object]], columns: list[str]) -> bytes:
    extra = sorted({key for row in rows for key in row} - set(columns))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns + extra, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
