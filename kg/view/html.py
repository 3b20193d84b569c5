"""The page of a view: how nodes and edges are drawn, vis-network's options, and the HTML.

Every node falls in a drawing category (:data:`CATEGORIES`: shape and colour) and
every edge in a relation family (:data:`FAMILIES`: colour) and a status (dashes).
:func:`page_data` turns a graph into everything the page shows; :func:`render_html`
hands the nodes, edges and options to a :class:`pyvis.network.Network`, which
renders kg's own template (``kg/templates/view.html``) rather than pyvis's (those
link Bootstrap and other CDNs). The page is offline: vis-network's script, the copy
pyvis ships, is included from pyvis's templates folder, nothing is linked, and the
data sits in a ``<script type="application/json">`` block the page reads with
``JSON.parse`` and writes into the DOM only as text, so no label, alias or note can
run code.

Output is deterministic: sorted data, a fixed layout seed, no timestamps.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from kg import ontology, resources
from kg.errors import ViewError
from kg.report import relation_label


@dataclass(frozen=True)
class Style:
    """How one category of node is drawn and named in the legend."""

    label: str
    shape: str
    colour: str


CATEGORIES: dict[str, Style] = {
    "armed group": Style("armed group", "diamond", "#d62728"),
    "state": Style("state", "square", "#1f77b4"),
    "government body": Style("government body", "triangle", "#6baed6"),
    "organisation": Style("other organisation", "hexagon", "#9467bd"),
    "person": Style("person", "dot", "#f2b134"),
    "media outlet": Style("media outlet", "star", "#e377c2"),
    "place": Style("place", "triangleDown", "#8c6d31"),
    "event": Style("event", "box", "#ffd8b0"),
    "document": Style("document", "square", "#bdbdbd"),
}
"""Node category -> style, in legend order."""

FAMILIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "alliance": (
        "alliance and support",
        "#2ca02c",
        ("alliedWith", "affiliatedWith", "branchOf", "cooperatesWith", "supports", "supplies", "trains", "shelters"),
    ),
    "hostility": ("hostility", "#d62728", ("rivalOf", "targets", "aimsToDestabilise", "criticises")),
    "organisation": (
        "organisation and people",
        "#4e79a7",
        ("partOf", "memberOf", "leads", "holdsRoleIn", "worksFor", "nationalOf", "authoredBy"),
    ),
    "geography": (
        "geography and presence",
        "#9a9a9a",
        ("operatesIn", "basedIn", "locatedIn", "hosts", "operatedBy", "borders", "separates"),
    ),
    "event": (
        "event roles",
        "#f28e2b",
        (
            "perpetrator",
            "target",
            "respondingForce",
            "victim",
            "participant",
            "place",
            "fromPlace",
            "toPlace",
            "subEventOf",
        ),
    ),
}
"""Relation family -> (legend label, edge colour, relations); edges are coloured by family."""

OTHER_FAMILY = ("other", "#555555")

DASHES: dict[str, bool | list[int]] = {"fact": False, "claimed": [8, 6], "disputed": [2, 5]}
"""Edge status -> vis-network dash pattern; disputed edges also carry a bar at their middle."""

LARGE = 1000
"""Above this many nodes (or four times as many edges) the page trades polish for speed."""

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

PROMINENT = frozenset({"armed group", "state"})
"""Categories whose names are drawn larger: the actors a reader looks for first."""

SCRIPTS = 3
"""The ``<script>`` elements of a page: its data, vis-network and its own code."""


def category(attrs: dict) -> str:
    """The drawing category of a node (a key of :data:`CATEGORIES`)."""
    if attrs.get("kind") in ("event", "document"):
        return str(attrs["kind"])
    if attrs.get("type") in CATEGORIES:
        return str(attrs["type"])
    return "place" if attrs.get("kind") == "place" else "organisation"


# --- nodes and edges ---


def _darker(colour: str, factor: float = 0.7) -> str:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * factor):02x}" for c in rgb)


@cache
def _families() -> dict[str, tuple[str, str]]:
    return {rel: (label, colour) for label, colour, rels in FAMILIES.values() for rel in rels}


@cache
def _symmetric() -> frozenset[str]:
    return frozenset(ontology.local(p) for p in ontology.symmetric_relations())


_relation_label = cache(relation_label)
"""A relation's label, looked up in the ontology once per relation rather than once per edge."""


def node_size(degree: int) -> float:
    """A node's drawn size: grows with the square root of its degree, capped."""
    return round(min(10 + 4 * math.sqrt(degree), 40), 1)


def label_size(degree: int, prominent: bool = False) -> int:
    """A node's label size in pixels: hubs, armed groups and states are named larger."""
    return min(12 + round(2 * math.sqrt(degree)), 22) + (4 if prominent else 0)


def _vis_node(node: str, attrs: dict, degree: int) -> dict:
    style = CATEGORIES[category(attrs)]
    border = "#cc0000" if attrs.get("disputed_by") else _darker(style.colour)
    colour = {"background": style.colour, "border": border}
    drawn = {
        "id": node,
        "label": attrs["label"],
        "shape": style.shape,
        "color": colour | {"highlight": colour, "hover": colour},
    }
    if attrs.get("disputed_by"):  # an event a claim disputes: a thick red border
        drawn["borderWidth"] = 3
    if style.shape == "box":
        drawn |= {"widthConstraint": {"maximum": 120}, "margin": 4, "font": {"strokeWidth": 0, "size": 11}}
    else:
        drawn |= {"size": node_size(degree), "font": {"size": label_size(degree, category(attrs) in PROMINENT)}}
    return drawn


def _curves(net: nx.MultiDiGraph) -> dict[str, dict]:
    """Parallel edges between two nodes, bent apart so each can be seen and hovered."""
    pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for u, v, key in net.edges(keys=True):
        pairs[(min(u, v), max(u, v))].append((u, v, key))
    curves = {}
    for edges in pairs.values():
        if len(edges) < 2:
            continue
        offsets = [0] if len(edges) % 2 else []
        step = 1
        while len(offsets) < len(edges):
            offsets += [step, -step]
            step += 1
        for (u, v, key), offset in zip(sorted(edges, key=lambda e: e[2]), offsets, strict=False):
            if offset == 0:
                continue
            clockwise = (offset > 0) == (u < v)
            curves[key] = {
                "enabled": True,
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": round(0.25 * abs(offset), 2),
            }
    return curves


def edge_label(attrs: dict) -> str:
    """The label an edge shows while it or one of its ends is selected."""
    label = _relation_label(attrs["relation"])
    qualifiers = [q for q in (attrs.get("qualifier"), None if attrs["status"] == "fact" else attrs["status"]) if q]
    return f"{label} ({', '.join(qualifiers)})" if qualifiers else label


def _vis_edge(u: str, v: str, key: str, attrs: dict, curve: dict | None) -> dict:
    _, colour = _families().get(attrs["relation"], OTHER_FAMILY)
    status = attrs["status"]
    drawn = {
        "id": key,
        "from": u,
        "to": v,
        "dashes": DASHES.get(status, False),
        "color": {"color": colour, "highlight": _darker(colour), "hover": _darker(colour)},
        "arrows": {
            "to": {"enabled": attrs["relation"] not in _symmetric(), "scaleFactor": 0.5},
            "middle": {"enabled": status == "disputed", "type": "bar", "scaleFactor": 0.8},
        },
    }
    if curve:
        drawn["smooth"] = curve
    return drawn


# --- what hovering or clicking shows ---


def _paragraph_text(numbers: Iterable[int]) -> str:
    return "¶ " + ", ".join(map(str, sorted(numbers)))


def _node_sources(net: nx.MultiDiGraph) -> dict[str, list[list[str]]]:
    """Each node's passages as [outlet, source, paragraphs]: its own and its edges'."""
    found: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    outlets: dict[str, str] = {}
    for node, attrs in net.nodes(data=True):
        if attrs.get("source"):
            outlets[attrs["source"]] = attrs.get("outlet", "")
            found[node][attrs["source"]].update(attrs.get("paragraphs", ()))
    for u, v, attrs in net.edges(data=True):
        if not attrs["source"]:  # the curator's knowledge: no passage
            continue
        outlets[attrs["source"]] = attrs.get("outlet", "")
        for node in (u, v):
            found[node][attrs["source"]].update(attrs["paragraphs"])
    return {
        node: [[outlets[source], source, _paragraph_text(paras)] for source, paras in sorted(by_source.items())]
        for node, by_source in found.items()
    }


def _node_details(node: str, attrs: dict, degree: int, sources: list[list[str]]) -> dict:
    rows = [["id", node]]
    if attrs.get("aliases"):
        rows.append(["aliases", ", ".join(attrs["aliases"])])
    if attrs.get("description"):
        rows.append(["description", attrs["description"]])
    for key in ("date", "start", "end"):
        if attrs.get(key):
            rows.append([key, attrs[key]])
    if attrs.get("disputed_by"):
        rows.append(["disputed by", ", ".join(attrs["disputed_by"])])
    rows.append(["connections", str(degree)])
    return {"title": attrs["label"], "subtitle": attrs["type"], "rows": rows, "sources": sources}


def _edge_details(net: nx.MultiDiGraph, u: str, v: str, attrs: dict) -> dict:
    relation = _relation_label(attrs["relation"])
    arrow = "↔" if attrs["relation"] in _symmetric() else "→"
    labels = {n: net.nodes[n]["label"] for n in (u, v)}
    firmness = f" ({attrs['qualifier']})" if attrs.get("qualifier") else ""
    if attrs["status"] == "fact":
        subtitle = "fact" + firmness + (", on the curator's knowledge" if "basis" in attrs else "")
    else:
        who = ", ".join(attrs.get("claimants") or attrs.get("claimant", ()))
        subtitle = f"{'disputed ' if attrs['status'] == 'disputed' else ''}claim by {who}"
    rows = [["relation", attrs["relation"]], ["status", attrs["status"] + firmness]]
    if attrs.get("summary"):
        rows.append(["claim", attrs["summary"]])
    if attrs.get("claim"):
        rows.append(["claim id", attrs["claim"]])
    for key, name in (("reported_by", "reported by"), ("via", "via")):
        if attrs.get(key):
            rows.append([name, attrs[key]])
    for key in ("date", "start", "end", "role", "note", "confidence"):
        if attrs.get(key) is not None:
            rows.append([key, str(attrs[key])])
    if "basis" in attrs:
        rows.append(["rests on", "curator's knowledge" + (f": {attrs['basis']}" if attrs["basis"] else "")])
        sources = []
    else:
        sources = [[attrs.get("outlet", ""), attrs["source"], _paragraph_text(attrs["paragraphs"])]]
    return {
        "title": f"{labels[u]} {arrow} {relation} {arrow} {labels[v]}",
        "subtitle": subtitle,
        "rows": rows,
        "sources": sources,
    }


def _legend(net: nx.MultiDiGraph) -> dict:
    present = {category(a) for _, a in net.nodes(data=True)}
    nodes = [[s.label, s.shape, s.colour, _darker(s.colour)] for key, s in CATEGORIES.items() if key in present]
    relations = {a["relation"] for _, _, a in net.edges(data=True)}
    edges = []
    for label, colour, members in FAMILIES.values():
        shown = [_relation_label(r) for r in members if r in relations]
        if shown:
            edges.append([label, colour, ", ".join(shown)])
    others = sorted(relations - set(_families()))
    if others:
        edges.append([OTHER_FAMILY[0], OTHER_FAMILY[1], ", ".join(others)])
    statuses = {a["status"] for _, _, a in net.edges(data=True)}
    status = [[s, DASHES[s]] for s in DASHES if s in statuses]
    return {"nodes": nodes, "edges": edges, "status": status}


# --- the page ---


def spring_length(nodes: int) -> int:
    """Rest length of edges: long in small views, which would otherwise huddle in the middle."""
    return max(80, 160 - round(1.6 * nodes))


def options(nodes: int, large: bool) -> dict:
    """vis-network options: a seeded layout, physics that stabilises and is then switched off."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "minVelocity": 1,
            "timestep": 0.5,
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.015,
                "springLength": spring_length(nodes),
                "springConstant": 0.08,
                "damping": 0.4,
                "avoidOverlap": 0.6,
            },
            "stabilization": {"enabled": True, "iterations": 250 if large else 1000, "updateInterval": 25, "fit": True},
        },
        "interaction": {
            "hover": True,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "tooltipDelay": 100,
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1.5,
            "font": {"size": 14, "face": FONT, "color": "#1a1a1a", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 4}},
        },
        "edges": {
            "width": 1.6,
            "selectionWidth": 1.5,
            "hoverWidth": 1,
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "font": {
                "size": 10,
                "face": FONT,
                "color": "#555555",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "middle",
            },
        },
    }


def page_data(net: nx.MultiDiGraph, title: str, subtitle: str = "") -> dict:
    """Everything the page draws, as JSON-ready data (sorted, so pages are reproducible)."""
    large = net.number_of_nodes() > LARGE or net.number_of_edges() > 4 * LARGE
    degree = dict(net.degree())
    sources = _node_sources(net)
    curves = _curves(net)
    nodes, edges, node_details, edge_details, labels = [], [], {}, {}, {}
    for node, attrs in sorted(net.nodes(data=True)):
        nodes.append(_vis_node(node, attrs, degree[node]))
        node_details[node] = _node_details(node, attrs, degree[node], sources.get(node, []))
    for u, v, key, attrs in sorted(net.edges(keys=True, data=True), key=lambda e: e[2]):
        if key in edge_details:
            raise ViewError(f"two edges share the id '{key}'")
        edges.append(_vis_edge(u, v, key, attrs, curves.get(key)))
        edge_details[key] = _edge_details(net, u, v, attrs)
        labels[key] = edge_label(attrs)
    counts = f"{len(nodes)} entities, {len(edges)} relationships"
    return {
        "title": title,
        "subtitle": "; ".join(p for p in (counts, subtitle) if p),
        "large": large,
        "nodes": nodes,
        "edges": edges,
        "details": {"nodes": node_details, "edges": edge_details},
        "edgeLabels": labels,
        "claimEdges": [e["id"] for e in edges if net.edges[e["from"], e["to"], e["id"]]["status"] != "fact"],
        "legend": _legend(net),
        "options": options(len(nodes), large),
    }


def script_json(data: object) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/json">``.

    Keys are sorted, and ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so no text in the
    data can end the script or be read as markup; a page parses it with ``JSON.parse``.
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)


def page_json(page: dict, nodes: list[dict], edges: list[dict], options: str) -> Markup:
    """The page's data block: kg's ``page`` data with pyvis's nodes, edges and options (the
    options as the JSON text pyvis hands its templates), as :func:`script_json`."""
    return script_json({**page, "nodes": nodes, "edges": edges, "options": json.loads(options)})


class _Compiled(jinja2.BytecodeCache):
    """Templates compiled once per process and shared by the pages' environments: lexing
    vis-network's half-megabyte script again would take some 20 ms a page."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


def _environment(pyvis_templates: jinja2.BaseLoader, page: dict) -> jinja2.Environment:
    """The Jinja environment pyvis renders one page with: kg's template folder (package data),
    then pyvis's own (for the scripts it ships), autoescaping, and kg's ``page`` data.

    One environment per page, so that ``page`` is a global of this page's only.
    """
    folder, _ = resources.VIEW_TEMPLATE
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader("kg", folder), pyvis_templates]),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_COMPILED,
    )
    env.globals["page"] = page
    env.filters["page_json"] = page_json
    return env


def render_html(net: nx.MultiDiGraph, title: str, subtitle: str = "") -> bytes:
    """The self-contained HTML page drawing ``net`` (an annotated projection or part of one)."""
    page = page_data(net, title, subtitle)
    drawing = Network(directed=True, heading=title, cdn_resources="in_line")
    # The node and edge lists are set in one go: add_node looks each id up in a list, and
    # add_edge looks both ends up in it, so thousands of edges would take quadratic time.
    # The options dict is set as is: set_options would strip the spaces from font names.
    drawing.nodes, drawing.edges = page.pop("nodes"), page.pop("edges")
    drawing.node_ids = [node["id"] for node in drawing.nodes]
    drawing.node_map = {node["id"]: node for node in drawing.nodes}
    drawing.options = page.pop("options")
    drawing.templateEnv = _environment(drawing.templateEnv.loader, page)
    drawing.path = resources.VIEW_TEMPLATE[-1]
    text = drawing.generate_html()
    if text.lower().count("</script") != SCRIPTS:
        raise ViewError("vis-network's script contains '</script' and cannot be inlined")
    return text.encode("utf-8")
