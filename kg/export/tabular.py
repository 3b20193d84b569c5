"""The networkx projection of :mod:`kg.network` as GraphML and CSV (``nodes.csv``, ``edges.csv``),
and the claims and sources as tables of their own (``claims.csv``, ``sources.csv``).

Claims and events are included in the projection; a claim is an edge with status ``claimed``
or ``disputed``. The projection's tuples (aliases, paragraphs, claimants) are joined into one
string per attribute here, and only here: GraphML and CSV cells hold no lists.

``nodes.csv`` and ``edges.csv`` use the column names Gephi's spreadsheet import (Data
Laboratory, "Import Spreadsheet") recognises: ``Id`` and ``Label`` for nodes; ``Id``,
``Source``, ``Target``, ``Type`` (``Directed``, or ``Undirected`` for a symmetric relation),
``Kind`` (the relation, and ``(claimed)`` or ``(disputed)`` after it for a claim, so that two
relations between the same pair, or a fact and a claim, stay two edges),
``Label`` and ``Weight`` for edges; every other column is an attribute. No other column
repeats one of those names in another case, which Gephi refuses.

Both are safe to open whatever the data holds. GraphML is always well-formed XML: a
character XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF, a lone surrogate) becomes
U+FFFD, and a carriage return is written as ``&#13;`` so that it reads back as itself.
In CSV, a text cell that a spreadsheet would evaluate as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return: OWASP's rule for CSV injection)
starts with a single quote ``'`` and is quoted; so is such an item of a pipe-separated
list (``RH|'=cmd``). Numbers are numbers and stay as they are (``-0.5``); dates are text,
so a date with no year, ``--03-15``, is written ``"'--03-15"`` (a spreadsheet would
otherwise compute it to -12).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from kg import ontology
from kg.network import to_networkx
from kg.stores import values
from kg.stores.memory import MemoryStore
from kg.vocab import KG, Namespaces

NODE_COLUMNS = ["Id", "Label", "type", "kind", "aliases", "description", "date", "start", "end"]
"""Columns of ``nodes.csv`` in order: Gephi's ``Id`` and ``Label``, then the GraphML node attributes."""

NODE_NAMES = {"id": "Id", "label": "Label"}
"""Projection attribute -> ``nodes.csv`` column, where they differ."""

EDGE_COLUMNS = [
    "Id",
    "Source",
    "Target",
    "Type",
    "Kind",
    "Label",
    "Weight",
    "relation",
    "status",
    "qualifier",
    "basis",
    "source_id",
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
"""Columns of ``edges.csv`` in order: Gephi's (``Id`` the statement, ``Source`` and ``Target`` the
ends, ``Kind`` the relation, with the status after it for a claim, ``alliedWith (claimed)``, so that
Gephi never merges a claim into a fact; ``Label`` the relation's label, likewise; ``Weight`` 1, so
that Gephi merging parallel edges of one kind counts them), then the GraphML edge attributes
(``source`` as ``source_id``, which ``Source`` would shadow), with the fact's ``qualifier``
(suspected, alleged, confirmed) and ``basis`` (the curator's knowledge, and why) of
:func:`projection`."""

EDGE_NAMES = {"source": "source_id"}
"""Projection attribute -> ``edges.csv`` column, where they differ."""

CLAIM_COLUMNS = [
    "id",
    "label",
    "type",
    "summary",
    "claimants",
    "claimant_ids",
    "reported_by",
    "via",
    "date",
    "asserts",
    "concerns",
    "disputes",
    "disputed_by",
    "supports",
    "confidence",
    "source_id",
    "source_outlet",
    "source_date",
    "source_title",
    "paragraphs",
]
"""Columns of ``claims.csv``, one row per claim: who made it (labels, and ids), who reported and
relayed it, what it asserts (``subject relation object`` labels) or concerns, what it disputes and
what disputes it (ids of claims or events), and where it was printed."""

SOURCE_COLUMNS = ["id", "title", "outlet", "date", "authors", "cites", "facts", "events", "claims", "counts"]
"""Columns of ``sources.csv``, one row per source: its outlet, date and authors (labels) and how
many facts, events, claims and reported counts rest on it."""

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


_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 cannot hold, escaped or not."""


def xml_text(text: str) -> str:
    r"""``text`` with every character XML 1.0 forbids replaced by U+FFFD.

    >>> xml_text("Red\x1bHand\ufffe") == "Red\ufffdHand\ufffd"
    True
    """
    return _NOT_XML.sub("\ufffd", text)


def xml_safe(value: object) -> object:
    """An attribute value for GraphML: a string :func:`xml_text`, anything else as it is."""
    return xml_text(value) if isinstance(value, str) else value


_SURROGATE = re.compile(r"[\ud800-\udfff]")

FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""How a cell starts that a spreadsheet evaluates (OWASP's CSV injection rule)."""


def neutral(value: object) -> object:
    r"""A text a spreadsheet would evaluate, with ``'`` before it; other values as they are.

    >>> neutral('=HYPERLINK("http://x")'), neutral("--03-15"), neutral(-0.5), neutral("Red Hand")
    ('\'=HYPERLINK("http://x")', "'--03-15", -0.5, 'Red Hand')
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA) else value


def projection(graph: Graph) -> nx.MultiDiGraph:
    """The entity network of :func:`kg.network.to_networkx`, with claims and events; a fact on
    the curator's knowledge has ``basis`` ``curator's knowledge: WHY``."""
    net = to_networkx(MemoryStore(graph), claims=True, events=True)
    for _, _, attrs in net.edges(data=True):
        if "basis" in attrs:
            attrs["basis"] = f"curator's knowledge: {attrs['basis']}" if attrs["basis"] else "curator's knowledge"
    return net


def to_graphml(graph: Graph) -> bytes:
    """GraphML of the projection: typed node and edge attributes, node ids are kg ids.

    Each edge carries its statement id as the ``statement`` attribute rather than
    as a GraphML edge id, which igraph 1.0 misreads.
    """
    net = projection(graph)
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, attrs in net.nodes(data=True):
        out.add_node(xml_text(node), **{k: xml_safe(v) for k, v in flat(attrs).items() if k != "id"})
    for source, target, key, attrs in net.edges(keys=True, data=True):
        safe = {k: xml_safe(v) for k, v in flat(attrs).items()}
        out.add_edge(xml_text(source), xml_text(target), key=key, statement=xml_text(key), **safe)
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(out)
    for edge in writer.xml.iter("edge"):
        del edge.attrib["id"]
    buffer = io.BytesIO()
    writer.dump(buffer)
    # ElementTree escapes a carriage return in attributes, not in text, where a parser would
    # read it as a line feed; the writer's own line breaks are line feeds
    return buffer.getvalue().replace(b"\r", b"&#13;")


def nodes_csv(graph: Graph) -> bytes:
    """One row per node of the projection, columns :data:`NODE_COLUMNS` (then any others)."""
    net = projection(graph)
    rows = [
        _renamed({"id": node, **flat(_neutral_items(attrs))}, NODE_NAMES)
        for node, attrs in sorted(net.nodes(data=True))
    ]
    return _csv(rows, NODE_COLUMNS)


def edges_csv(graph: Graph) -> bytes:
    """One row per edge of the projection, columns :data:`EDGE_COLUMNS` (then any others)."""
    net = projection(graph)
    relations, vocab = ontology.relations(), ontology.ontology_graph()
    rows = []
    for source, target, key, attrs in net.edges(keys=True, data=True):
        prop = relations[str(attrs["relation"])]
        gephi = {
            "Id": key,
            "Source": source,
            "Target": target,
            "Type": "Undirected" if prop in ontology.symmetric_relations() else "Directed",
            "Kind": _with_status(str(attrs["relation"]), attrs),
            "Label": _with_status(str(vocab.value(prop, RDFS.label) or attrs["relation"]), attrs),
            "Weight": 1,
        }
        rows.append({**gephi, **_renamed(flat(_neutral_items(attrs)), EDGE_NAMES)})
    return _csv(sorted(rows, key=lambda r: (r["Id"], r["Source"], r["Target"])), EDGE_COLUMNS)


def claims_csv(graph: Graph) -> bytes:
    """One row per claim, columns :data:`CLAIM_COLUMNS`, by claim id."""
    ns = Namespaces.of_graph(graph)
    rows = []
    for claim in sorted(_iris(graph.subjects(RDF.type, KG.Claim))):
        types = [t for t in _iris(graph.objects(claim, RDF.type)) if t != KG.Claim and str(t).startswith(str(KG._NS))]
        claimants = sorted(_iris(graph.objects(claim, PROV.wasAttributedTo)))
        source = graph.value(claim, DCTERMS.source)
        asserted = []
        for content in sorted(_iris(graph.objects(claim, KG.asserts))):
            s, p, o = (graph.value(content, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            asserted.append(" ".join(_label(graph, x) for x in (s, p, o)))
        rows.append(
            {
                "id": _id(ns, claim),
                "label": _label(graph, claim),
                "type": _join(_label(graph, t) for t in types),
                "summary": _text(graph.value(claim, DCTERMS.description)),
                "claimants": _join(_label(graph, c) for c in claimants),
                "claimant_ids": _join(_id(ns, c) for c in claimants),
                "reported_by": _labels(graph, graph.objects(claim, KG.reportedBy)),
                "via": _labels(graph, graph.objects(claim, KG.reportedVia)),
                "date": _text(graph.value(claim, DCTERMS.date)),
                "asserts": _join(asserted),
                "concerns": _ids(ns, graph.objects(claim, KG.concerns)),
                "disputes": _ids(ns, graph.objects(claim, KG.disputes)),
                "disputed_by": _ids(ns, graph.subjects(KG.disputes, claim)),
                "supports": _ids(ns, graph.objects(claim, KG.supportsClaim)),
                "confidence": _number(graph.value(claim, KG.confidence), claim, KG.confidence),
                **_source_cells(graph, source),
                "paragraphs": ",".join(str(n) for n in _paragraphs(graph, claim)),
            }
        )
    return _csv(rows, CLAIM_COLUMNS)


def sources_csv(graph: Graph) -> bytes:
    """One row per source, columns :data:`SOURCE_COLUMNS`, by source id."""
    rows: list[dict[str, object]] = []
    for source in sorted(_iris(graph.subjects(RDF.type, KG.Source))):
        resting = set(graph.subjects(DCTERMS.source, source))

        def count(cls: URIRef, resting: set[Node] = resting) -> int:
            return sum(1 for node in resting if (node, RDF.type, cls) in graph)

        event_types = set(ontology.event_types().values())
        events = sum(1 for node in resting if event_types & set(graph.objects(node, RDF.type)))
        rows.append(
            {
                "id": _text(graph.value(source, DCTERMS.identifier)),
                "title": _text(graph.value(source, DCTERMS.title)),
                "outlet": _labels(graph, graph.objects(source, DCTERMS.publisher)),
                "date": _text(graph.value(source, DCTERMS.date)),
                "authors": _labels(graph, graph.objects(source, DCTERMS.creator)),
                "cites": _labels(graph, graph.objects(source, KG.citesOutlet)),
                "facts": count(KG.Fact),
                "events": events,
                "claims": count(KG.Claim),
                "counts": count(KG.ReportedCount),
            }
        )
    return _csv(rows, SOURCE_COLUMNS)


def _with_status(name: str, attrs: dict[str, object]) -> str:
    """``name``, with `` (claimed)`` or `` (disputed)`` after it for an edge that is no fact."""
    return name if attrs["status"] == "fact" else f"{name} ({attrs['status']})"


def _renamed(attrs: dict[str, object], names: dict[str, str]) -> dict[str, object]:
    return {names.get(key, key): value for key, value in attrs.items()}


def _iris(nodes: Iterable[Node]) -> list[URIRef]:
    return sorted(n for n in nodes if isinstance(n, URIRef))


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _number(value: Node | None, node: Node, prop: URIRef) -> float | None:
    return None if value is None else values.decimal(value, node, prop)


def _local(node: Node | None) -> str | None:
    return None if node is None else ontology.local(URIRef(str(node)))


def _label(graph: Graph, node: Node | None) -> str:
    return "" if node is None else str(graph.value(node, RDFS.label) or node)


def _join(items: Iterable[str]) -> str | None:
    """Items sorted and joined with ``|``, each :func:`neutral`; None for none."""
    return "|".join(str(neutral(item)) for item in sorted(items)) or None


def _labels(graph: Graph, nodes: Iterable[Node]) -> str | None:
    return _join(_label(graph, n) for n in nodes)


def _id(ns: Namespaces, node: Node) -> str:
    return str(node)[len(str(ns.id)) :] if str(node).startswith(str(ns.id)) else str(node)


def _ids(ns: Namespaces, nodes: Iterable[Node]) -> str | None:
    return _join(_id(ns, n) for n in nodes)


def _paragraphs(graph: Graph, node: Node) -> list[int]:
    return sorted(
        values.integer(graph.value(p, KG.paragraph), p, KG.paragraph) for p in graph.objects(node, PROV.wasDerivedFrom)
    )


def _source_cells(graph: Graph, source: Node | None) -> dict[str, object]:
    """A source as its id, outlet, date and title."""
    if source is None:
        return {}
    return {
        "source_id": _text(graph.value(source, DCTERMS.identifier)),
        "source_outlet": _labels(graph, graph.objects(source, DCTERMS.publisher)),
        "source_date": _text(graph.value(source, DCTERMS.date)),
        "source_title": _text(graph.value(source, DCTERMS.title)),
    }


def _neutral_items(attrs: dict[str, object]) -> dict[str, object]:
    """Attributes with each item of a list :func:`neutral`, so that no item of a joined cell
    reads as a formula once split (``RH|'=cmd``)."""
    return {key: tuple(map(neutral, value)) if isinstance(value, tuple) else value for key, value in attrs.items()}


def _csv(rows: list[dict[str, object]], columns: list[str]) -> bytes:
    """CSV as :mod:`csv` writes it (a cell quoted only where it must be), with every cell
    :func:`neutral`, and quoted if that changed it; a lone surrogate (no UTF-8 has one) as U+FFFD."""
    names = columns + sorted({key for row in rows for key in row} - set(columns))
    lines = [",".join(map(_cell, names))]
    lines += [",".join(_cell(row.get(name)) for name in names) for row in rows]
    return _SURROGATE.sub("\ufffd", "".join(line + "\n" for line in lines)).encode("utf-8")


def _cell(value: object) -> str:
    formula = isinstance(value, str) and value.startswith(FORMULA)
    text = "" if value is None else str(neutral(value))
    if formula or any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
