"""Interactive network views: the graph's networkx projection as one self-contained HTML page.

A view is :func:`kg.network.to_networkx` (claims included), annotated with what
a reader needs beside each edge (the outlet of its source, a claim's summary,
an event's date and passages), narrowed by a :class:`ViewSpec` and drawn with
vis-network. The page is offline by construction: vis-network's script (the
copy pyvis ships) is inlined, nothing else is linked, and the data sits in a
``<script type="application/json">`` block the page reads with ``JSON.parse``
and writes into the DOM only as text, so no label, alias or note can run code.
pyvis's own templates are not used: they link Bootstrap and other CDNs, and its
``add_edge`` scans every node per edge.

Output is deterministic: sorted data, a fixed layout seed, no timestamps.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import networkx as nx
from rdflib import RDFS, Graph

from kg import ontology
from kg.dates import parse_date
from kg.errors import BadDate, ViewError
from kg.names import names, suggest
from kg.network import local_id, to_networkx
from kg.stores import PROLOGUE, Store
from kg.stores.memory import MemoryStore


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
    "alliance": ("alliance and support", "#2ca02c",
                 ("alliedWith", "affiliatedWith", "branchOf", "cooperatesWith", "supports",
                  "supplies", "trains", "shelters")),
    "hostility": ("hostility", "#d62728", ("rivalOf", "targets", "aimsToDestabilise", "criticises")),
    "organisation": ("organisation and people", "#4e79a7",
                     ("partOf", "memberOf", "leads", "holdsRoleIn", "worksFor", "nationalOf",
                      "authoredBy")),
    "geography": ("geography and presence", "#9a9a9a",
                  ("operatesIn", "basedIn", "locatedIn", "hosts", "operatedBy", "borders",
                   "separates")),
    "event": ("event roles", "#f28e2b",
              ("perpetrator", "target", "respondingForce", "victim", "participant", "place",
               "fromPlace", "toPlace", "subEventOf")),
}
"""Relation family -> (legend label, edge colour, relations); edges are coloured by family."""

OTHER_FAMILY = ("other", "#555555")

DASHES: dict[str, bool | list[int]] = {"fact": False, "claimed": [8, 6], "disputed": [2, 5]}
"""Edge status -> vis-network dash pattern; disputed edges also carry a bar at their middle."""

LARGE = 1000
"""Above this many nodes (or four times as many edges) the page trades polish for speed."""

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

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
SELECT ?id ?summary WHERE { ?c a kg:Claim ; dcterms:identifier ?id ; dcterms:description ?summary }
"""


@dataclass(frozen=True)
class ViewSpec:
    """What to draw: the whole graph or an entity's neighbourhood, narrowed by filters."""

    entity: str | None = None
    depth: int = 1
    relations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    claims: bool = False


@dataclass(frozen=True)
class View:
    """A drawn view: the graph it shows, its page, and a file name for it."""

    graph: nx.MultiDiGraph
    html: bytes
    filename: str


# --- the annotated projection ---


def annotated(store: Store) -> nx.MultiDiGraph:
    """The projection with claims, plus each edge's ``outlet`` and claim ``summary``, and
    each event's ``date``/``start``/``end``, ``source`` and ``paragraphs``."""
    net = to_networkx(store, claims=True)
    outlets = {str(r["id"]): str(r["outlet"] or "") for r in store.query(PROLOGUE + _SOURCES).dicts()}
    summaries = {str(r["id"]): str(r["summary"]) for r in store.query(PROLOGUE + _CLAIMS).dicts()}
    for row in sorted(store.query(PROLOGUE + _EVENTS).dicts(), key=lambda r: str(r["e"])):
        ident = local_id(row["e"])
        if ident not in net:
            continue
        attrs = net.nodes[ident]
        paragraphs = sorted(int(p) for p in str(row["paras"]).split(",") if p)
        attrs.update({"source": str(row["source"]), "paragraphs": ",".join(map(str, paragraphs)),
                      "outlet": outlets.get(str(row["source"]), "")})
        attrs.update({k: str(row[k]) for k in ("date", "start", "end") if row[k] is not None})
    for _, _, attrs in net.edges(data=True):
        attrs["outlet"] = outlets.get(attrs["source"], "")
        if "claim" in attrs and attrs["claim"] in summaries:
            attrs["summary"] = summaries[attrs["claim"]]
    return net


# --- choosing what to draw ---


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def resolve_entity(net: nx.MultiDiGraph, name: str) -> str:
    """The id of the entity called ``name`` (its id, label or an alias, any case)."""
    if name in net:
        return name
    wanted = name.casefold()
    found = sorted(n for n, a in net.nodes(data=True)
                   if wanted in {a["label"].casefold(), *(x.casefold() for x in
                                                         a["aliases"].split("|") if x)})
    if len(found) == 1:
        return found[0]
    if found:
        raise ViewError(f"'{name}' names several entities: {', '.join(found)}")
    raise ViewError(f"unknown entity '{name}'{suggest(name, net.nodes)}")


@cache
def relation_labels() -> dict[str, str]:
    """Relation local name -> its label in the ontology (``alliedWith`` -> ``allied with``)."""
    graph = ontology.ontology_graph()
    return {name: str(graph.value(iri, RDFS.label) or name)
            for name, iri in ontology.relations().items()}


def resolve_relation(name: str) -> str:
    """The relation called ``name`` (local name or label, any case)."""
    by_norm = {_norm(k): k for k in relation_labels()}
    by_norm |= {_norm(label): k for k, label in relation_labels().items()}
    if _norm(name) in by_norm:
        return by_norm[_norm(name)]
    raise ViewError(f"unknown relation '{name}'{suggest(name, relation_labels())}")


def category(attrs: dict) -> str:
    """The drawing category of a node (a key of :data:`CATEGORIES`)."""
    if attrs.get("kind") in ("event", "document"):
        return str(attrs["kind"])
    if attrs.get("type") in CATEGORIES:
        return str(attrs["type"])
    return "place" if attrs.get("kind") == "place" else "organisation"


KINDS = ("actor", "place", "event", "document")


@cache
def _type_words() -> dict[str, str]:
    """Every word ``--type`` accepts (normalised) -> the normalised type, category or kind."""
    graph = ontology.ontology_graph()
    words = {"outlet": "mediaoutlet"}
    for name, iri in (ontology.entity_types() | ontology.event_types()).items():
        label = _norm(str(graph.value(iri, RDFS.label) or name))
        words |= {_norm(name): label, label: label}
    return words | {_norm(w): _norm(w) for w in (*CATEGORIES, *KINDS)}


def type_names() -> list[str]:
    """The type labels, categories and kinds ``--type`` accepts, for suggestions."""
    graph = ontology.ontology_graph()
    labels = {str(graph.value(iri, RDFS.label) or name)
              for name, iri in (ontology.entity_types() | ontology.event_types()).items()}
    return sorted(labels | set(CATEGORIES) | set(KINDS))


def resolve_type(name: str) -> str:
    """The normalised type ``name`` stands for: a class, its label, a category or a kind."""
    if _norm(name) in _type_words():
        return _type_words()[_norm(name)]
    raise ViewError(f"unknown type '{name}'{suggest(name, type_names())}")


def _type_matches(attrs: dict, wanted: set[str]) -> bool:
    return bool(wanted & {_norm(str(attrs["type"])), _norm(category(attrs)), _norm(attrs["kind"])})


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
    dated = {k: _span(str(attrs[k])) for k in ("date", "start", "end")
             if attrs.get(k) and not str(attrs[k]).startswith("--")}
    if "date" in dated:
        first, last = dated["date"]
    else:
        first = dated["start"][0] if "start" in dated else None
        last = dated["end"][1] if "end" in dated else None
    return ((since is None or last is None or last >= since)
            and (until is None or first is None or first <= until))


def select(net: nx.MultiDiGraph, spec: ViewSpec) -> nx.MultiDiGraph:
    """The part of an annotated projection that ``spec`` asks for, as a new graph."""
    focus = resolve_entity(net, spec.entity) if spec.entity else None
    relations = {resolve_relation(r) for r in spec.relations}
    types = {resolve_type(t) for t in spec.types}
    since, until = _bound(spec.since, 0), _bound(spec.until, 1)
    out = nx.MultiDiGraph()
    for node, attrs in sorted(net.nodes(data=True)):
        if node == focus or ((not types or _type_matches(attrs, types))
                             and in_window(attrs, since, until)):
            out.add_node(node, **attrs)
    for u, v, key, attrs in sorted(net.edges(keys=True, data=True), key=lambda e: e[2]):
        if (u in out and v in out and (spec.claims or attrs["status"] == "fact")
                and (not relations or attrs["relation"] in relations)
                and in_window(attrs, since, until)):
            out.add_edge(u, v, key=key, **attrs)
    if focus is not None:
        near = nx.single_source_shortest_path_length(out.to_undirected(as_view=True), focus,
                                                     cutoff=spec.depth)
        out.remove_nodes_from([n for n in list(out) if n not in near])
    elif relations or since or until:
        out.remove_nodes_from([n for n in list(out) if out.degree(n) == 0])
    if out.number_of_nodes() == 0:
        raise ViewError("nothing to draw: no entity matches the filters")
    return out


def describe(net: nx.MultiDiGraph, spec: ViewSpec) -> tuple[str, str]:
    """A view's title and the line of filters under it."""
    if spec.entity:
        focus = resolve_entity(net, spec.entity)
        title = f"{net.nodes[focus]['label']}: neighbourhood, depth {spec.depth}"
    else:
        title = "Network of armed actors"
    parts = []
    if spec.relations:
        parts.append("relations " + ", ".join(relation_labels()[resolve_relation(r)]
                                                for r in spec.relations))
    if spec.types:
        parts.append("types " + ", ".join(spec.types))
    if spec.since:
        parts.append(f"since {spec.since}")
    if spec.until:
        parts.append(f"until {spec.until}")
    parts.append("facts and claims" if spec.claims else "facts only")
    return title, "; ".join(parts)


# --- drawing ---


def _darker(colour: str, factor: float = 0.7) -> str:
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * factor):02x}" for c in rgb)


@cache
def _families() -> dict[str, tuple[str, str]]:
    return {rel: (label, colour) for label, colour, rels in FAMILIES.values() for rel in rels}


@cache
def _symmetric() -> frozenset[str]:
    return frozenset(ontology.local(p) for p in ontology.symmetric_relations())


def node_size(degree: int) -> float:
    """A node's drawn size: grows with the square root of its degree, capped."""
    return round(min(10 + 4 * math.sqrt(degree), 40), 1)


PROMINENT = frozenset({"armed group", "state"})
"""Categories whose names are drawn larger: the actors a reader looks for first."""


def label_size(degree: int, prominent: bool = False) -> int:
    """A node's label size in pixels: hubs, armed groups and states are named larger."""
    return min(12 + round(2 * math.sqrt(degree)), 22) + (4 if prominent else 0)


def _vis_node(node: str, attrs: dict, degree: int) -> dict:
    style = CATEGORIES[category(attrs)]
    border = _darker(style.colour)
    colour = {"background": style.colour, "border": border}
    drawn = {"id": node, "label": attrs["label"], "shape": style.shape,
             "color": colour | {"highlight": colour, "hover": colour}}
    if style.shape == "box":
        drawn |= {"widthConstraint": {"maximum": 120}, "margin": 4,
                  "font": {"strokeWidth": 0, "size": 11}}
    else:
        drawn |= {"size": node_size(degree),
                  "font": {"size": label_size(degree, category(attrs) in PROMINENT)}}
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
            curves[key] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                           "roundness": round(0.25 * abs(offset), 2)}
    return curves


def edge_label(attrs: dict) -> str:
    """The label an edge shows while it or one of its ends is selected."""
    label = relation_labels().get(attrs["relation"], attrs["relation"])
    return label if attrs["status"] == "fact" else f"{label} ({attrs['status']})"


def _vis_edge(u: str, v: str, key: str, attrs: dict, curve: dict | None) -> dict:
    _, colour = _families().get(attrs["relation"], OTHER_FAMILY)
    status = attrs["status"]
    drawn = {"id": key, "from": u, "to": v, "dashes": DASHES.get(status, False),
             "color": {"color": colour, "highlight": _darker(colour), "hover": _darker(colour)},
             "arrows": {"to": {"enabled": attrs["relation"] not in _symmetric(), "scaleFactor": 0.5},
                        "middle": {"enabled": status == "disputed", "type": "bar",
                                   "scaleFactor": 0.8}}}
    if curve:
        drawn["smooth"] = curve
    return drawn


def _ints(text: str) -> set[int]:
    return {int(p) for p in str(text).split(",") if p}


def _paragraphs(numbers: set[int] | str) -> str:
    numbers = _ints(numbers) if isinstance(numbers, str) else numbers
    return "¶ " + ", ".join(map(str, sorted(numbers)))


def _node_sources(net: nx.MultiDiGraph) -> dict[str, list[list[str]]]:
    """Each node's passages as [outlet, source, paragraphs]: its own and its edges'."""
    found: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    outlets: dict[str, str] = {}
    for node, attrs in net.nodes(data=True):
        if attrs.get("source"):
            outlets[attrs["source"]] = attrs.get("outlet", "")
            found[node][attrs["source"]] |= _ints(attrs.get("paragraphs", ""))
    for u, v, attrs in net.edges(data=True):
        outlets[attrs["source"]] = attrs.get("outlet", "")
        for node in (u, v):
            found[node][attrs["source"]] |= _ints(attrs["paragraphs"])
    return {node: [[outlets[source], source, _paragraphs(paras)]
                   for source, paras in sorted(by_source.items())]
            for node, by_source in found.items()}


def _node_details(node: str, attrs: dict, degree: int, sources: list[list[str]]) -> dict:
    rows = [["id", node]]
    if attrs.get("aliases"):
        rows.append(["aliases", ", ".join(a for a in attrs["aliases"].split("|") if a)])
    if attrs.get("description"):
        rows.append(["description", attrs["description"]])
    for key in ("date", "start", "end"):
        if attrs.get(key):
            rows.append([key, attrs[key]])
    rows.append(["connections", str(degree)])
    return {"title": attrs["label"], "subtitle": attrs["type"], "rows": rows, "sources": sources}


def _edge_details(net: nx.MultiDiGraph, u: str, v: str, attrs: dict) -> dict:
    relation = relation_labels().get(attrs["relation"], attrs["relation"])
    arrow = "↔" if attrs["relation"] in _symmetric() else "→"
    labels = {n: net.nodes[n]["label"] for n in (u, v)}
    if attrs["status"] == "fact":
        subtitle = "fact"
    else:
        who = ", ".join(net.nodes[c]["label"] if c in net else c
                        for c in attrs.get("claimant", "").split("|") if c)
        subtitle = f"{'disputed ' if attrs['status'] == 'disputed' else ''}claim by {who}"
    rows = [["relation", attrs["relation"]], ["status", attrs["status"]]]
    if attrs.get("summary"):
        rows.append(["claim", attrs["summary"]])
    if attrs.get("claim"):
        rows.append(["claim id", attrs["claim"]])
    for key in ("date", "start", "end", "role", "note", "confidence"):
        if attrs.get(key) is not None:
            rows.append([key, str(attrs[key])])
    sources = [[attrs.get("outlet", ""), attrs["source"], _paragraphs(attrs["paragraphs"])]]
    return {"title": f"{labels[u]} {arrow} {relation} {arrow} {labels[v]}",
            "subtitle": subtitle, "rows": rows, "sources": sources}


def _legend(net: nx.MultiDiGraph) -> dict:
    present = {category(a) for _, a in net.nodes(data=True)}
    nodes = [[s.label, s.shape, s.colour, _darker(s.colour)]
             for key, s in CATEGORIES.items() if key in present]
    relations = {a["relation"] for _, _, a in net.edges(data=True)}
    edges = []
    for label, colour, members in FAMILIES.values():
        shown = [relation_labels().get(r, r) for r in members if r in relations]
        if shown:
            edges.append([label, colour, ", ".join(shown)])
    others = sorted(relations - set(_families()))
    if others:
        edges.append([OTHER_FAMILY[0], OTHER_FAMILY[1], ", ".join(others)])
    statuses = {a["status"] for _, _, a in net.edges(data=True)}
    status = [[s, DASHES[s]] for s in DASHES if s in statuses]
    return {"nodes": nodes, "edges": edges, "status": status}


def spring_length(nodes: int) -> int:
    """Rest length of edges: long in small views, which would otherwise huddle in the middle."""
    return max(80, 160 - round(1.6 * nodes))


def options(nodes: int, large: bool) -> dict:
    """vis-network options: a seeded layout, physics that stabilises and is then switched off."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "physics": {
            "enabled": True, "solver": "forceAtlas2Based", "minVelocity": 1, "timestep": 0.5,
            "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.015,
                                 "springLength": spring_length(nodes), "springConstant": 0.08, "damping": 0.4,
                                 "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": 250 if large else 1000,
                              "updateInterval": 25, "fit": True},
        },
        "interaction": {"hover": True, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "tooltipDelay": 100, "keyboard": False},
        "nodes": {"borderWidth": 1.5,
                  "font": {"size": 14, "face": FONT, "color": "#1a1a1a", "strokeWidth": 4,
                           "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 4}}},
        "edges": {"width": 1.6, "selectionWidth": 1.5, "hoverWidth": 1,
                  "smooth": False if large else {"enabled": True, "type": "continuous",
                                                 "roundness": 0.3},
                  "font": {"size": 10, "face": FONT, "color": "#555555", "strokeWidth": 3,
                           "strokeColor": "#ffffff", "align": "middle"}},
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
    return {"title": title, "subtitle": "; ".join(p for p in (counts, subtitle) if p),
            "large": large, "nodes": nodes, "edges": edges,
            "details": {"nodes": node_details, "edges": edge_details}, "edgeLabels": labels,
            "legend": _legend(net), "options": options(len(nodes), large)}


def _json_for_script(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


@cache
def vis_network_js() -> str:
    """vis-network's standalone script, from the copy pyvis ships."""
    script = (resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(
        encoding="utf-8")
    if "</script" in script.lower():
        raise ViewError("vis-network's script contains '</script' and cannot be inlined")
    return script


@cache
def _template() -> str:
    return (resources.files("kg") / "templates" / "view.html").read_text(encoding="utf-8")


def render_html(net: nx.MultiDiGraph, title: str, subtitle: str = "") -> bytes:
    """The self-contained HTML page drawing ``net`` (an annotated projection or part of one)."""
    values = {"title": html.escape(title), "vis_network": vis_network_js(),
              "data": _json_for_script(page_data(net, title, subtitle))}
    return re.sub(r"\{\{ (\w+) \}\}", lambda m: values[m.group(1)], _template()).encode("utf-8")


def view(store: Store, spec: ViewSpec) -> View:
    """Draw the view ``spec`` asks for from ``store`` (ENTITY found as ``kg show`` finds it)."""
    full = annotated(store)
    if spec.entity is not None:
        found = names(store).find(spec.entity)
        if found not in full:
            raise ViewError(f"'{spec.entity}' is a claim, not a node: views draw entities and "
                            "events (a claim is an edge)")
        spec = replace(spec, entity=found)
    net = select(full, spec)
    title, subtitle = describe(full, spec)
    name = f"{resolve_entity(full, spec.entity)}.html" if spec.entity else "network.html"
    return View(net, render_html(net, title, subtitle), name)


GROUP_DEPTH = 1
"""Depth of the per-group pages ``kg build`` writes."""


def render_views(graph: Graph) -> dict[str, bytes]:
    """The views ``kg build`` writes: ``network.html`` and ``groups/<id>.html`` per armed group."""
    full = annotated(MemoryStore(graph))
    whole = ViewSpec(claims=True)
    files = {"network.html": render_html(select(full, whole), *describe(full, whole))}
    for node, attrs in sorted(full.nodes(data=True)):
        if category(attrs) == "armed group":
            spec = ViewSpec(entity=node, depth=GROUP_DEPTH, claims=True)
            files[f"groups/{node}.html"] = render_html(select(full, spec), *describe(full, spec))
    return files
