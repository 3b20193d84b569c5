"""A timeline of the graph: its dated events and relationships, drawn with vis-timeline, offline.

:func:`timeline` reads every event and every fact that has a date (``dcterms:date``,
``kg:startDate``, ``kg:endDate``) from a store, with its precision (``kg:datePrecision``: a
day, a month, a year), the curator's reason where the year or the date is inferred
(``kg:yearInferredFrom``, ``kg:dateInferredFrom``), who took part and how firmly (``kg:status``), where (with every
place containing it, by ``kg:locatedIn``), what disputes it, and what it rests on (a source's
paragraphs, or the curator's knowledge). :func:`render_page` writes the page: a form to
filter by actor and place, a table of the items that works without JavaScript, and the
timeline, whose library (:data:`VIS_TIMELINE`, vendored in ``kg/view/vendor/``) is inlined for
``exports/timeline.html`` or served by ``kg serve``. Every text goes into the page escaped
(the table by Jinja, the data as JSON that the script writes as text only).

>>> import kg
>>> found = timeline(kg.load().store)  # doctest: +SKIP
>>> found.items[0].when  # doctest: +SKIP
'1990–1994'
"""

from __future__ import annotations

import base64
import calendar
import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import jinja2
from markupsafe import Markup
from rdflib import Graph

from kg import resources
from kg.network import local_id, paragraph_numbers, to_networkx
from kg.report import relation_label
from kg.stores import Store, as_iri
from kg.view.html import script_json

VIS_TIMELINE = "8.5.4"
"""The version of vis-timeline vendored in ``kg/view/vendor/vis-timeline/``."""
VENDOR = ("view", "vendor", "vis-timeline")
SCRIPT = "vis-timeline-graph2d.min.js"
STYLE = "vis-timeline-graph2d.min.css"
PAGE = ("templates", "timeline")
"""The page's template, script and stylesheet: ``kg/templates/timeline/``."""

ACTOR_ROLES = ("perpetrator", "target", "respondingForce", "victim", "participant")
PLACE_ROLES = ("place", "fromPlace", "toPlace")
WHERE = frozenset({"based in", "operates in", "located in"})
"""Relations (by label) whose object is where the subject is: a relationship's place."""
GROUPS = {"event": "Events", "relationship": "Dated relationships"}
"""The timeline's rows: item kind -> heading."""

_DATED = """
SELECT DISTINCT ?x ?date ?start ?end ?precision ?inferred ?worked ?s ?p ?o WHERE {
    { ?x dcterms:date ?any } UNION { ?x kg:startDate ?any } UNION { ?x kg:endDate ?any }
    FILTER (STRSTARTS(STR(?x), STR(id:)) || EXISTS { ?x a kg:Fact })
    FILTER NOT EXISTS { ?x a kg:Claim }
    FILTER NOT EXISTS { ?x a kg:Source }
    OPTIONAL { ?x dcterms:date ?date }
    OPTIONAL { ?x kg:startDate ?start }
    OPTIONAL { ?x kg:endDate ?end }
    OPTIONAL { ?x kg:datePrecision ?precision }
    OPTIONAL { ?x kg:yearInferredFrom ?inferred }
    OPTIONAL { ?x kg:dateInferredFrom ?worked }
    OPTIONAL { ?x a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
}
"""

_ROLES = """
SELECT ?e ?p ?o ?status WHERE {
    ?st a kg:Fact ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o .
    FILTER (STRSTARTS(STR(?e), STR(id:)))
    OPTIONAL { ?st kg:status/skos:prefLabel ?status }
}
"""

_SOURCES = """
SELECT ?x ?source ?outlet ?status ?basis ?why
       (GROUP_CONCAT(DISTINCT STR(?para); SEPARATOR=",") AS ?paras) WHERE {
    { ?x dcterms:date ?any } UNION { ?x kg:startDate ?any } UNION { ?x kg:endDate ?any }
    OPTIONAL { ?x dcterms:source ?src . ?src dcterms:identifier ?source .
               OPTIONAL { ?src dcterms:publisher/rdfs:label ?outlet } }
    OPTIONAL { ?x prov:wasDerivedFrom/kg:paragraph ?para }
    OPTIONAL { ?x kg:status/skos:prefLabel ?status }
    OPTIONAL { ?x kg:basis/skos:prefLabel ?basis }
    OPTIONAL { ?x skos:editorialNote ?why }
} GROUP BY ?x ?source ?outlet ?status ?basis ?why
"""

_DISPUTES = """
SELECT ?e ?claim ?who WHERE {
    ?c kg:disputes ?e ; dcterms:identifier ?claim .
    FILTER NOT EXISTS { ?e a kg:Claim }
    OPTIONAL { ?c prov:wasAttributedTo ?who }
}
"""

_CONTAINS = """
SELECT ?a ?b WHERE { ?a kg:locatedIn+ ?b . FILTER (STRSTARTS(STR(?a), STR(id:)) && STRSTARTS(STR(?b), STR(id:))) }
"""


@dataclass(frozen=True)
class Party:
    """One end of an item: an event's participant, target, place... or a relationship's subject
    and object, with how firmly the source ties it (``status``: '' when stated plainly)."""

    role: str
    id: str
    label: str
    status: str = ""


@dataclass(frozen=True)
class Item:
    """One dated event or relationship, as the timeline shows it.

    ``date``, ``start`` and ``end`` are ISO 8601 at their precision (``2018``, ``2018-11``,
    ``2018-11-06``, ``--01-28``); ``first`` and ``last`` the first and last day they may denote
    (None: the date has no year, and the item cannot be placed). ``actors`` and ``places`` are
    what the filters match: the actors taking part, the places and every place containing them.
    """

    id: str
    kind: str
    title: str
    type: str
    precision: str
    first: str | None
    last: str | None
    date: str | None = None
    start: str | None = None
    end: str | None = None
    inferred: str = ""
    """The curator's reason where the year (or, with ``inferred_part`` ``date``, the date) is inferred."""
    inferred_part: str = "year"
    parties: tuple[Party, ...] = ()
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    status: str = ""
    disputed_by: tuple[str, ...] = ()
    """The claims disputing the event, as ``claim-id (by Claimant)``."""
    source: str = ""
    outlet: str = ""
    paragraphs: tuple[int, ...] = ()
    curator: str | None = None
    """The curator's reason when the item rests on the curator's knowledge, not a source."""

    @property
    def when(self) -> str:
        """The date as written, at its precision: ``2018-11-06``, ``1990–1994``, ``from 1997``."""
        if self.date:
            return self.date
        if self.start and self.end:
            return self.start if self.start == self.end else f"{self.start}–{self.end}"
        return f"from {self.start}" if self.start else f"until {self.end}"

    @property
    def cited(self) -> str:
        """What the item rests on: ``outlet · source · ¶ 4, 8``, or the curator's knowledge."""
        if self.curator is not None:
            return f"curator's knowledge: {self.curator}" if self.curator else "curator's knowledge"
        paras = "¶ " + ", ".join(map(str, self.paragraphs)) if self.paragraphs else ""
        return " · ".join(p for p in (self.outlet, self.source, paras) if p)


@dataclass(frozen=True)
class Timeline:
    """The items (earliest first; those without a year last) and the actors and places the
    filters offer, as (id, label) sorted by label."""

    items: tuple[Item, ...]
    actors: tuple[tuple[str, str], ...] = ()
    places: tuple[tuple[str, str], ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    undated: tuple[tuple[str, str], ...] = ()
    """The events with no date at all, (id, label) by label: listed beside the timeline, not on it."""

    def only(self, actor: str | None = None, place: str | None = None) -> tuple[Item, ...]:
        """The items an actor takes part in and that happened at a place (or in it), by id."""
        return tuple(i for i in self.items if (not actor or actor in i.actors) and (not place or place in i.places))


# --- dates ---


def precision_of(text: str) -> str:
    """The precision an ISO date is written at: ``2018`` year, ``2018-11`` month, ``--01-28`` month-day."""
    if text.startswith("--"):
        return "month-day"
    return {0: "year", 1: "month"}.get(text.count("-"), "day")


def days(text: str) -> tuple[str, str] | None:
    """The first and last day an ISO date may denote (None: it has no year).

    >>> days("2018-02"), days("1994"), days("--01-28")
    (('2018-02-01', '2018-02-28'), ('1994-01-01', '1994-12-31'), None)
    """
    kind = precision_of(text)
    if kind == "month-day":
        return None
    if kind == "year":
        return f"{text}-01-01", f"{text}-12-31"
    if kind == "month":
        year, month = map(int, text.split("-"))
        return f"{text}-01", f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    return text, text


def _bounds(date: str | None, start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """The first and last day of an item: a date's span, or from its start's first day to its
    end's last (an open end: the start's own span)."""
    if date:
        return days(date) or (None, None)
    first, last = days(start) if start else None, days(end) if end else None
    if first is None:
        return last or (None, None)
    return first[0], (last or first)[1]


# --- reading the store ---


def _rows(store: Store, query: str) -> list[dict]:
    return store.query(store.namespaces.prologue + query).dicts()


def _containers(store: Store) -> dict[str, set[str]]:
    """Every place containing each place, by kg:locatedIn at any depth."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _CONTAINS):
        found[local_id(as_iri(row["a"]), store.namespaces)].add(local_id(as_iri(row["b"]), store.namespaces))
    return found


def timeline(store: Store) -> Timeline:
    """The timeline of ``store``'s graph: every dated event and relationship, sorted."""
    ns = store.namespaces
    nodes = {n: a for n, a in to_networkx(store).nodes(data=True)}
    label = functools.partial(_label, nodes)
    containers = _containers(store)
    roles = _roles(store)
    cited = {local_id(as_iri(r["x"]), ns): r for r in sorted(_rows(store, _SOURCES), key=_row_key, reverse=True)}
    disputes = _disputes(store, label)
    items = []
    seen: set[str] = set()
    for row in sorted(_rows(store, _DATED), key=_row_key):
        ident = local_id(as_iri(row["x"]), ns)
        if ident in seen:  # a second date of the same kind: the least is kept
            continue
        seen.add(ident)
        if row["s"] is not None:
            ends = (local_id(as_iri(row["s"]), ns), local_id(as_iri(row["o"]), ns))
            relation = relation_label(local_id(as_iri(row["p"]), ns))
            parties: tuple[Party, ...] = (Party("subject", ends[0], label(ends[0])),)
            parties += (Party("object", ends[1], label(ends[1])),)
            title = f"{label(ends[0])} {relation} {label(ends[1])}"
            items.append(_item(row, ident, "relationship", title, relation, parties, nodes, containers))
        elif nodes.get(ident, {}).get("kind") == "event":
            parties = tuple(Party(role, other, label(other), status) for role, other, status in roles.get(ident, ()))
            attrs = nodes[ident]
            items.append(_item(row, ident, "event", attrs["label"], attrs["type"], parties, nodes, containers))
    items = [_cited(i, cited.get(i.id), disputes.get(i.id, ())) for i in items]
    items.sort(key=lambda i: (i.first is None, i.first or "", i.last or "", i.kind, i.id))
    actors = sorted(((n, label(n)) for n in {a for i in items for a in i.actors}), key=_by_label)
    places = sorted(((n, label(n)) for n in {p for i in items for p in i.places}), key=_by_label)
    shown = {p.id for i in items for p in i.parties} | {n for n, _ in actors + places}
    undated = sorted(
        ((n, a["label"]) for n, a in nodes.items() if a["kind"] == "event" and n not in seen), key=_by_label
    )
    return Timeline(tuple(items), tuple(actors), tuple(places), {n: label(n) for n in sorted(shown)}, tuple(undated))


def _roles(store: Store) -> dict[str, list[tuple[str, str, str]]]:
    """Each event's parties and places as (role, id, status), sorted."""
    ns = store.namespaces
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in _rows(store, _ROLES):
        role = local_id(as_iri(row["p"]), ns)
        if role in ACTOR_ROLES + PLACE_ROLES:
            found[local_id(as_iri(row["e"]), ns)].append(
                (role, local_id(as_iri(row["o"]), ns), str(row["status"] or ""))
            )
    return {event: sorted(parties) for event, parties in found.items()}


def _disputes(store: Store, label: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    """The claims disputing each event, as ``claim (by Claimant)``, sorted."""
    ns = store.namespaces
    found: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _DISPUTES):
        who = f" (by {label(local_id(as_iri(row['who']), ns))})" if row["who"] is not None else ""
        found[local_id(as_iri(row["e"]), ns)].add(f"{row['claim']}{who}")
    return {event: tuple(sorted(claims)) for event, claims in found.items()}


def _row_key(row: dict) -> tuple[str, ...]:
    """A row's order: by its values' text, unbound first (what to keep of duplicates, stably)."""
    return tuple("" if v is None else str(v) for _, v in sorted(row.items()))


def _label(nodes: dict[str, dict], ident: str) -> str:
    return str(nodes.get(ident, {}).get("label", ident))


def _by_label(pair: tuple[str, str]) -> tuple[str, str]:
    return pair[1].casefold(), pair[0]


def _item(
    row: dict,
    ident: str,
    kind: str,
    title: str,
    type_: str,
    parties: tuple[Party, ...],
    nodes: dict[str, dict],
    containers: dict[str, set[str]],
) -> Item:
    """An item from its dates (``row`` of :data:`_DATED`) and parties."""
    date, start, end = (str(row[k]) if row[k] is not None else None for k in ("date", "start", "end"))
    written = date or start or end or ""
    first, last = _bounds(date, start, end)
    kinds = {p.id: nodes.get(p.id, {}).get("kind") for p in parties}
    if kind == "event":
        actors = {p.id for p in parties if p.role in ACTOR_ROLES and kinds[p.id] != "place"}
        here = {p.id for p in parties if p.role in PLACE_ROLES or kinds[p.id] == "place"}
    else:
        actors = {p.id for p in parties if kinds[p.id] == "actor"}
        here = {p.id for p in parties if kinds[p.id] == "place" or (p.role == "object" and type_ in WHERE)}
    places = sorted(here | {c for p in here for c in containers.get(p, ())})
    return Item(
        id=ident,
        kind=kind,
        title=title,
        type=type_,
        precision=str(row["precision"] or precision_of(written)),
        first=first,
        last=last,
        date=date,
        start=start,
        end=end,
        inferred=str(row["worked"] or row["inferred"] or ""),
        inferred_part="date" if row["worked"] else "year",
        parties=parties,
        actors=tuple(sorted(actors)),
        places=tuple(places),
    )


def _cited(item: Item, row: dict | None, disputed_by: tuple[str, ...]) -> Item:
    """``item`` with what it rests on, its own status (a relationship's) and its disputes."""
    if row is None:
        return replace(item, disputed_by=tuple(disputed_by))
    curator = str(row["why"] or "") if row["basis"] is not None else None
    return replace(
        item,
        status=str(row["status"] or "") if item.kind == "relationship" else "",
        disputed_by=tuple(disputed_by),
        source=str(row["source"] or ""),
        outlet=str(row["outlet"] or ""),
        paragraphs=paragraph_numbers(row["paras"]) if row["paras"] is not None else (),
        curator=curator,
    )


# --- the page ---


def _next_day(day: str) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=1)).isoformat()


def item_data(item: Item) -> dict:
    """What the page's script needs of an item (JSON-ready): vis-timeline's fields and the card."""
    classes = [f"kg-{item.kind}", f"kg-{item.precision}"]
    if item.inferred:
        classes.append("kg-inferred")
    if item.disputed_by:
        classes.append("kg-disputed")
    if item.status:
        classes.append("kg-" + item.status)
    rows = [["type", item.type], ["date", item.when + f" ({item.precision})"]]
    if item.inferred:
        rows.append([f"{item.inferred_part} inferred", item.inferred])
    for party in item.parties:
        rows.append([party.role, party.label + (f" ({party.status})" if party.status else "")])
    if item.status:
        rows.append(["status", item.status])
    if item.disputed_by:
        rows.append(["disputed by", ", ".join(item.disputed_by)])
    rows.append(["rests on", item.cited])
    data = {
        "id": item.id,
        "group": item.kind,
        "text": item.title + (f" ({item.inferred_part} inferred)" if item.inferred else ""),
        "className": " ".join(classes),
        "actors": list(item.actors),
        "places": list(item.places),
        "rows": rows,
    }
    if item.first is not None and item.last is not None:
        data["start"] = item.first
        if item.first == item.last:
            data["type"] = "point"
        else:
            data |= {"type": "range", "end": _next_day(item.last)}
    return data


def page_data(found: Timeline, title: str) -> dict:
    """Everything the page's script reads: the items, the rows and the filters' choices."""
    return {
        "title": title,
        "items": [item_data(i) for i in found.items if i.first is not None],
        "groups": [{"id": k, "text": v} for k, v in GROUPS.items()],
        "actors": [list(a) for a in found.actors],
        "places": [list(p) for p in found.places],
    }


def vendored(name: str) -> str:
    """A vendored file of vis-timeline, without the source-map line (the map is not shipped)."""
    text = resources.data(*VENDOR, name).read_text(encoding="utf-8")
    return "\n".join(
        line for line in text.splitlines() if not line.startswith(("//# sourceMappingURL", "/*# sourceMappingURL"))
    )


def asset(name: str) -> str:
    """The page's own script or stylesheet (``timeline.js``, ``timeline.css``)."""
    return resources.data(*PAGE, name).read_text(encoding="utf-8")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "/".join(PAGE)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(
    found: Timeline,
    actor: str | None = None,
    place: str | None = None,
    inline: bool = True,
    home: str | None = None,
    error: str | None = None,
) -> str:
    """The timeline page: inlining vis-timeline and its own script (``inline``: one offline file),
    or naming them under ``/static/`` (``kg serve``); ``actor`` and ``place`` pre-select the filters
    and narrow the table; ``home``: a link back (the server's home page)."""
    title = "Timeline of events and dated relationships"
    scripts = (vendored(SCRIPT), asset("timeline.js")) if inline else ("", "")
    return (
        _environment()
        .get_template("page.html")
        .render(
            title=title,
            data=script_json(page_data(found, title)),
            shown=found.only(actor, place),
            actors=_choices(found.actors, actor, found),
            places=_choices(found.places, place, found),
            total=len(found.items),
            found=found,
            actor=actor or "",
            place=place or "",
            inline=inline,
            home=home,
            error=error,
            policy=Markup(file_policy(scripts)),  # kg's own text: quotes and base64 only
            script=Markup(scripts[0]),
            own_script=Markup(scripts[1]),
            style=Markup(vendored(STYLE)) if inline else "",
            own_style=Markup(asset("timeline.css")) if inline else "",
            version=VIS_TIMELINE,
        )
    )


def _choices(options: tuple[tuple[str, str], ...], chosen: str | None, found: Timeline) -> list[tuple[str, str]]:
    """A filter's options, with the chosen one even when no item has it (it then shows none)."""
    if chosen and all(ident != chosen for ident, _ in options):
        return sorted([*options, (chosen, found.labels.get(chosen, chosen))], key=_by_label)
    return list(options)


def file_policy(scripts: Iterable[str]) -> str:
    """The Content-Security-Policy of the one-file page: its inline ``scripts`` by their SHA-256,
    inline styles, and nothing loaded from anywhere.

    Styles need 'unsafe-inline': vis-timeline sets style attributes on what it draws, and the
    page's stylesheets are inlined (a hash beside 'unsafe-inline' would switch it off).
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'none'; base-uri 'none'"
    )


def render_timeline(graph: Graph) -> dict[str, bytes]:
    """What ``kg build`` writes: ``timeline.html``, one offline file."""
    from kg.stores.memory import MemoryStore

    return {"timeline.html": render_page(timeline(MemoryStore(graph))).encode("utf-8")}
