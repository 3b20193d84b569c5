"""Serialisations of the graph, one function per file, all deterministic and written atomically.

``EXPORTERS`` maps a format name to its files: ``{file name in exports/: function}``;
a function takes the graph and returns the file's bytes. Most formats are one
file; ``csv`` is two (``nodes.csv`` and ``edges.csv``). Adding a format is one
function and one line.

* RDF (``turtle``, ``ntriples``, ``trig``, ``nquads``, ``jsonld``) carries the
  whole graph: ontology, entities, facts and their statement nodes, claims,
  counts, sources and passages. kg uses no named graphs, so TriG and N-Quads
  put everything in the one named graph :data:`GRAPH_IRI`.
* ``graphml`` and ``csv`` are the networkx projection of :mod:`kg.network`
  with claims and events (claims only as edges with status ``claimed`` or
  ``disputed``).
* ``stix`` is a STIX 2.1 bundle (:mod:`kg.stix`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter
from rdflib import Dataset, Graph, URIRef

from kg.errors import ExportError
from kg.network import to_networkx
from kg.ontology import REPO
from kg.stix import to_stix
from kg.store import MemoryStore
from kg.vocab import BASE

Exporter = Callable[[Graph], bytes]

GRAPH_IRI = URIRef(BASE + "graph")
"""The named graph that holds the whole graph in TriG and N-Quads."""

CONTEXT = REPO / "ontology" / "context.jsonld"
"""The JSON-LD context: kg's prefixes and a short name for every property."""

NODE_COLUMNS = ["id", "label", "type", "kind", "aliases", "description", "date", "start", "end"]
"""Columns of ``nodes.csv`` (GraphML node attributes, ``id`` being the node's id), in order."""

EDGE_COLUMNS = ["statement", "from", "to", "relation", "status", "source", "paragraph",
                "paragraphs", "confidence", "date", "start", "end", "role", "note", "claim",
                "claimant"]
"""Columns of ``edges.csv`` (GraphML edge attributes plus the two ends), in order."""


# --- RDF ---

def to_turtle(graph: Graph) -> bytes:
    """Turtle with kg's prefixes; rdflib sorts subjects and predicates, so output is stable."""
    return graph.serialize(format="turtle", encoding="utf-8")


def to_ntriples(graph: Graph) -> bytes:
    """N-Triples, one triple a line, lines sorted."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))


def to_nquads(graph: Graph) -> bytes:
    """N-Quads: every triple in the named graph :data:`GRAPH_IRI`, lines sorted."""
    suffix = f" {GRAPH_IRI.n3()} .\n".encode()
    return b"".join(line.rstrip()[:-1].rstrip() + suffix
                    for line in to_ntriples(graph).splitlines())


def to_trig(graph: Graph) -> bytes:
    """TriG: the whole graph as the named graph :data:`GRAPH_IRI`, with kg's prefixes."""
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, override=True)
    named = dataset.graph(GRAPH_IRI)
    for triple in graph:
        named.add(triple)
    return dataset.serialize(format="trig", encoding="utf-8")


@cache
def jsonld_context() -> dict:
    """The JSON-LD context of ``ontology/context.jsonld`` (the value of its ``@context``)."""
    return json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]


def to_jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with kg's context inline; nodes sorted by id, values sorted, keys sorted."""
    context = jsonld_context()
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data])
    for node in nodes:
        node.pop("@context", None)
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=_sort_key)
    document = {"@context": context, "@graph": sorted(nodes, key=lambda n: n["@id"])}
    return _json(document)


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _json(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


# --- the networkx projection: GraphML and CSV ---

def projection(graph: Graph) -> nx.MultiDiGraph:
    """The entity network of :func:`kg.network.to_networkx`, with claims and events."""
    return to_networkx(MemoryStore(graph), claims=True, events=True)


def to_graphml(graph: Graph) -> bytes:
    """GraphML of the projection: typed node and edge attributes, node ids are kg ids.

    Each edge carries its statement id as the ``statement`` attribute rather than
    as a GraphML edge id, which igraph 1.0 misreads.
    """
    net = projection(graph)
    out = nx.MultiDiGraph()
    for node, attrs in net.nodes(data=True):
        out.add_node(node, **{k: v for k, v in attrs.items() if k != "id"})
    for source, target, key, attrs in net.edges(keys=True, data=True):
        out.add_edge(source, target, key=key, statement=key, **attrs)
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
    rows = [{"id": node, **attrs} for node, attrs in sorted(net.nodes(data=True))]
    return _csv(rows, NODE_COLUMNS)


def edges_csv(graph: Graph) -> bytes:
    """One row per edge of the projection, columns :data:`EDGE_COLUMNS` (then any others)."""
    net = projection(graph)
    rows = [{"statement": key, "from": source, "to": target, **attrs}
            for source, target, key, attrs in net.edges(keys=True, data=True)]
    return _csv(sorted(rows, key=lambda r: (r["statement"], r["from"], r["to"])), EDGE_COLUMNS)


def _csv(rows: list[dict[str, object]], columns: list[str]) -> bytes:
    extra = sorted({key for row in rows for key in row} - set(columns))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns + extra, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


EXPORTERS: dict[str, dict[str, Exporter]] = {
    "turtle": {"graph.ttl": to_turtle},
    "ntriples": {"graph.nt": to_ntriples},
    "trig": {"graph.trig": to_trig},
    "nquads": {"graph.nq": to_nquads},
    "jsonld": {"graph.jsonld": to_jsonld},
    "graphml": {"graph.graphml": to_graphml},
    "csv": {"nodes.csv": nodes_csv, "edges.csv": edges_csv},
    "stix": {"graph.stix.json": to_stix},
}
"""Format name -> {file name under exports/: exporter}."""


def export_names() -> list[str]:
    """What ``kg export --format`` accepts: every format name, then every file name."""
    return sorted(EXPORTERS) + sorted(name for files in EXPORTERS.values() for name in files)


def export(graph: Graph, fmt: str) -> dict[str, bytes]:
    """The files of format ``fmt`` by name; ``fmt`` may also name one file (``edges.csv``)."""
    if fmt in EXPORTERS:
        return {name: exporter(graph) for name, exporter in EXPORTERS[fmt].items()}
    for files in EXPORTERS.values():
        if fmt in files:
            return {fmt: files[fmt](graph)}
    raise ExportError(f"unknown format '{fmt}' (known: {', '.join(export_names())})")


def save(files: dict[str, bytes], output: Path) -> list[Path]:
    """Write the files into the folder ``output``, or one file to the file ``output``.

    ``output`` is taken as a folder when it is one, or when there are several files.
    """
    if len(files) == 1 and not output.is_dir():
        [data] = files.values()
        write_atomic(output, data)
        return [output]
    if output.exists() and not output.is_dir():
        raise ExportError(f"{output} is a file: {' and '.join(sorted(files))} go into a folder")
    for name, data in sorted(files.items()):
        write_atomic(output / name, data)
    return [output / name for name in sorted(files)]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def single(files: dict[str, bytes], fmt: str) -> bytes:
    """The one file of an export, for standard output; a format of several files needs a folder."""
    if len(files) != 1:
        names = sorted(files)
        raise ExportError(f"{fmt} is {len(names)} files ({' and '.join(names)}): give -o FOLDER, "
                          f"or --format {' or '.join(names)}")
    [data] = files.values()
    return data
