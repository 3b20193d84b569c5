"""The networkx projection of :mod:`kg.network` as GraphML and CSV (``nodes.csv``, ``edges.csv``).

Claims and events are included; a claim is an edge with status ``claimed`` or ``disputed``.
The projection's tuples (aliases, paragraphs, claimants) are joined into one string per
attribute here, and only here: GraphML and CSV cells hold no lists.

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
    rows = [{"id": node, **flat(_neutral_items(attrs))} for node, attrs in sorted(net.nodes(data=True))]
    return _csv(rows, NODE_COLUMNS)


def edges_csv(graph: Graph) -> bytes:
    """One row per edge of the projection, columns :data:`EDGE_COLUMNS` (then any others)."""
    net = projection(graph)
    rows = [
        {"statement": key, "from": source, "to": target, **flat(_neutral_items(attrs))}
        for source, target, key, attrs in net.edges(keys=True, data=True)
    ]
    return _csv(sorted(rows, key=lambda r: (r["statement"], r["from"], r["to"])), EDGE_COLUMNS)


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
