"""A profile of one entity, event or claim: what ``kg show`` prints.

Drawn from queries about the entity alone (:func:`profile_of`): the statements
touching it, as a small projection (:func:`kg.neighbourhood.around`), so that
relationships in and out carry their status (fact, claimed, disputed, and
suspected where the source says so), source and paragraphs; the claims that
mention it, the dates of its events, the titles of the sources it cites, the facts
on the curator's knowledge and the figures reported for it (:mod:`kg.reported`).
Its cost is what the entity's degree costs, whatever the size of the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import networkx as nx
from rdflib import RDFS, Literal, URIRef

from kg import network, ontology, reported
from kg.errors import NotKgGraph
from kg.network import Link, links_between, local_id
from kg.report import cite, link_status, printable, relation_label, table
from kg.reported import MeasureTotal, Reported
from kg.stores import Store, as_iri
from kg.stores.values import integer, shown
from kg.vocab import KG

_CLAIMS = """
SELECT ?claim ?type ?date ?summary ?source WHERE {
    ?claim a kg:Claim , ?type ; dcterms:description ?summary ;
           dcterms:source/dcterms:identifier ?source .
    ?type rdfs:subClassOf kg:Claim .
    OPTIONAL { ?claim dcterms:date ?date }
}
"""

# Each branch carries the restriction to the claims (or entities) asked about, where
# Oxigraph's planner uses it; beside a UNION it would join after the whole union.
_CLAIM_LINKS = """
SELECT ?claim ?link ?other WHERE {
    { WITHIN ?claim a kg:Claim ; prov:wasAttributedTo ?other . BIND ("by" AS ?link) }
    UNION { WITHIN ?claim a kg:Claim . ?other kg:disputes ?claim . ?other a kg:Claim . BIND ("disputed by" AS ?link) }
    UNION { WITHIN ?claim a kg:Claim ; kg:disputes ?other . BIND ("disputes" AS ?link) }
    UNION { WITHIN ?claim a kg:Claim ; kg:concerns ?other . BIND ("about" AS ?link) }
    UNION { WITHIN ?claim a kg:Claim ; kg:asserts/(rdf:subject|rdf:object) ?other . BIND ("about" AS ?link) }
    UNION { WITHIN ?claim a kg:Claim ; prov:wasDerivedFrom/kg:paragraph ?other . BIND ("paragraph" AS ?link) }
}
"""

_MENTIONING = """
SELECT DISTINCT ?claim WHERE {
    { WITHIN ?claim a kg:Claim ; prov:wasAttributedTo ?x }
    UNION { WITHIN ?claim a kg:Claim ; kg:concerns ?x }
    UNION { WITHIN ?claim a kg:Claim ; kg:disputes ?x }
    UNION { WITHIN ?claim a kg:Claim ; kg:asserts/rdf:subject ?x }
    UNION { WITHIN ?claim a kg:Claim ; kg:asserts/rdf:object ?x }
    UNION { WITHIN ?x a kg:Claim . BIND (?x AS ?claim) }
}
"""

_DATES = """
SELECT ?e ?date ?start ?end WHERE {
    ?e dcterms:identifier ?id .
    OPTIONAL { ?e dcterms:date ?date }
    OPTIONAL { ?e kg:startDate ?start }
    OPTIONAL { ?e kg:endDate ?end }
    FILTER (STRSTARTS(STR(?e), STR(id:)) && (BOUND(?date) || BOUND(?start) || BOUND(?end)))
}
"""

_SOURCES = """
SELECT ?id ?label WHERE {
    ?s a kg:Source ; dcterms:identifier ?id ; rdfs:label ?label
}
"""


@dataclass(frozen=True)
class ClaimInfo:
    """A claim: who made it, when, what it says, and how it stands."""

    id: str
    type: str
    date: str | None
    summary: str
    source: str
    paragraphs: tuple[int, ...]
    claimants: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    disputes: tuple[str, ...] = ()
    disputed_by: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """'disputed by X', 'disputes Y', both, or 'undisputed'."""
        parts = [f"disputed by {', '.join(self.disputed_by)}"] if self.disputed_by else []
        parts += [f"disputes {', '.join(self.disputes)}"] if self.disputes else []
        return "; ".join(parts) or "undisputed"


@dataclass(frozen=True)
class EventRole:
    """An event an entity took part in, and in what role."""

    event: str
    date: str | None
    role: str
    label: str
    source: str
    paragraphs: tuple[int, ...]
    qualifier: str | None = None
    """``suspected``, ``alleged`` or ``confirmed`` where the source qualifies the role."""


@dataclass
class Profile:
    """Everything the graph says about one entity, event or claim."""

    id: str
    label: str
    type: str
    kind: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    date: str | None = None
    relationships: tuple[Link, ...] = ()
    events: tuple[EventRole, ...] = ()
    claims_made: tuple[ClaimInfo, ...] = ()
    claims_about: tuple[ClaimInfo, ...] = ()
    claim: ClaimInfo | None = None
    sources: dict[str, str] = field(default_factory=dict)
    """Title of every source cited in the profile, by id."""
    figures: tuple[Reported, ...] = ()
    """The counts reported for it (an event's casualties, seizures...)."""
    totals: tuple[MeasureTotal, ...] = ()
    """Each measure's total over its figures, a range where reporters differ."""
    disputed_by: tuple[str, ...] = ()
    """The claims that dispute it (an event may be disputed as a claim is)."""
    date_inferred: tuple[tuple[str, str], ...] = ()
    """What of its date the curator inferred (``year`` or ``date``), each with the reason."""

    def __str__(self) -> str:
        return render(self)


def claims(store: Store, mentioning: str | None = None) -> dict[str, ClaimInfo]:
    """Every claim of the graph, by id; or only the claims that mention the entity
    ``mentioning`` (made by it, about it, disputing it, or the claim itself)."""
    ns = store.namespaces
    vocab = ontology.ontology_graph()
    restrict = ""
    if mentioning is not None:
        # the entity as a constant in each branch: both rdflib and Oxigraph look it up first
        query = _MENTIONING.replace("WITHIN", "").replace("?x", ns.id[mentioning].n3())
        rows = store.query(ns.prologue + query).rows
        if not rows:
            return {}
        restrict = network.values("claim", sorted({as_iri(r[0]) for r in rows}))
    links: dict[tuple[str, str], set] = defaultdict(set)
    for row in store.query(ns.prologue + _CLAIM_LINKS.replace("WITHIN", restrict)).dicts():
        other = row["other"]
        link = str(row["link"])
        if link == "paragraph":
            value: str | int = integer(other, row["claim"], KG.paragraph)
        elif isinstance(other, URIRef):
            value = local_id(other, ns)
        else:
            raise NotKgGraph(shown(row["claim"]), link, shown(other), "an IRI")
        links[(local_id(as_iri(row["claim"]), ns), link)].add(value)
    found = {}
    for row in store.query(ns.prologue + network.within(_CLAIMS, restrict)).dicts():
        ident = local_id(as_iri(row["claim"]), ns)
        found[ident] = ClaimInfo(
            ident,
            str(vocab.value(row["type"], RDFS.label) or local_id(as_iri(row["type"]))),
            None if row["date"] is None else str(row["date"]),
            str(row["summary"]),
            str(row["source"]),
            tuple(sorted(links[(ident, "paragraph")])),
            tuple(sorted(links[(ident, "by")])),
            tuple(sorted(links[(ident, "about")])),
            tuple(sorted(links[(ident, "disputes")])),
            tuple(sorted(links[(ident, "disputed by")])),
        )
    return dict(sorted(found.items()))


def dates(store: Store, only: Iterable[str] | None = None) -> dict[str, str]:
    """The date of every dated entity, event or claim (of ``only``, if given):
    ``2018-11-06`` or ``START/END``."""
    ns = store.namespaces
    restrict = "" if only is None else network.values("e", (ns.id[i] for i in sorted(set(only))))
    found = {}
    for row in store.query(ns.prologue + network.within(_DATES, restrict)).dicts():
        if row["date"] is not None:
            text = str(row["date"])
        else:
            text = f"{row['start'] or ''}/{row['end'] or ''}"
        found[local_id(as_iri(row["e"]), ns)] = text
    return found


_INFERRED = """
SELECT ?year ?date WHERE {
    OPTIONAL { ?x kg:yearInferredFrom ?year }
    OPTIONAL { ?x kg:dateInferredFrom ?date }
}
"""


def date_inferred(store: Store, ident: str) -> tuple[tuple[str, str], ...]:
    """What of ``ident``'s date the curator inferred: ``(("year", reason),)``, ``("date", ...)``."""
    ns = store.namespaces
    found: list[tuple[str, str]] = []
    for row in store.query(ns.prologue + network.within(_INFERRED, network.values("x", [ns.id[ident]]))).dicts():
        found += [(part, str(row[part])) for part in ("year", "date") if row[part] is not None]
    return tuple(sorted(set(found), reverse=True))


def source_titles(store: Store, only: Collection[str] | None = None) -> dict[str, str]:
    """The title of every source (of the source ids ``only``, if given), by id."""
    ns = store.namespaces
    if only is not None and not only:
        return {}
    restrict = "" if only is None else f"VALUES ?id {{ {' '.join(Literal(i).n3() for i in sorted(set(only)))} }}"
    return {
        str(r["id"]): str(r["label"]) for r in store.query(ns.prologue + network.within(_SOURCES, restrict)).dicts()
    }


def profile_of(store: Store, ident: str) -> Profile:
    """The profile of ``ident``, from queries about it and its statements alone.

    Beside :func:`profile`'s, it has the statements' status (suspected...), the facts on
    the curator's knowledge, the figures reported for it and the claims disputing it.
    """
    from kg import neighbourhood

    found = claims(store, ident)
    if ident in found:
        hood = neighbourhood.Neighbourhood(store, claims=True)
        hood.assertions(store.namespaces.id[ident])
        result = _claim_profile(store, found[ident], hood.finish())
        result.date_inferred = date_inferred(store, ident)
        return result
    net = neighbourhood.around(store, ident)
    result = profile(store, ident, net, found, dates(store, net.nodes))
    result.figures = reported.figures(store, ident)
    result.totals = reported.totals(store, result.figures)
    result.disputed_by = tuple(sorted(c.id for c in found.values() if ident in c.disputes))
    result.date_inferred = date_inferred(store, ident)
    result.sources = _titles(store, result)
    return result


def profile(
    store: Store, ident: str, net: nx.MultiDiGraph, all_claims: dict[str, ClaimInfo], all_dates: dict[str, str]
) -> Profile:
    """The profile of ``ident`` (an id, as :func:`kg.names.Names.find` returns it).

    ``net`` is the projection with claims and events; ``all_claims`` and ``all_dates``
    come from :func:`claims` and :func:`dates` (computed once, reused across profiles).
    """
    if ident in all_claims:
        return _claim_profile(store, all_claims[ident], net)
    attrs = net.nodes[ident]
    events, relationships = [], []
    for other in sorted(set(net.predecessors(ident)) | set(net.successors(ident))):
        for link in links_between(net, ident, other):
            if (
                attrs["kind"] != "event"
                and link.subject == other
                and net.nodes[other]["kind"] == "event"
                and link.status == "fact"
            ):
                events.append(
                    EventRole(
                        other,
                        all_dates.get(other),
                        link.relation,
                        net.nodes[other]["label"],
                        link.source,
                        link.paragraphs,
                        link.qualifier,
                    )
                )
            else:
                relationships.append(link)
    made = tuple(c for c in all_claims.values() if ident in c.claimants)
    about = tuple(c for c in all_claims.values() if ident in c.about)
    result = Profile(
        ident,
        attrs["label"],
        attrs["type"],
        attrs["kind"],
        attrs["aliases"],
        attrs.get("description"),
        all_dates.get(ident),
        tuple(sorted(relationships, key=_link_order)),
        tuple(sorted(events, key=lambda e: (e.date is None, e.date or "", e.event, e.role))),
        made,
        about,
    )
    result.sources = _titles(store, result)
    return result


def _claim_profile(store: Store, claim: ClaimInfo, net: nx.MultiDiGraph) -> Profile:
    asserted = tuple(
        sorted(
            (
                link
                for u, v in net.edges()
                for link in links_between(net, u, v)
                if link.claim == claim.id and link.subject == u
            ),
            key=_link_order,
        )
    )
    result = Profile(
        claim.id,
        claim.summary,
        claim.type,
        "claim",
        date=claim.date,
        relationships=tuple(dict.fromkeys(asserted)),
        claim=claim,
    )
    result.sources = _titles(store, result)
    return result


def _link_order(link: Link) -> tuple[str, ...]:
    return (link.relation, link.subject, link.object, link.status, link.source, link.claim or "")


def _titles(store: Store, result: Profile) -> dict[str, str]:
    cited = {link.source for link in result.relationships if link.basis is None}
    cited |= {e.source for e in result.events}
    cited |= {f.source for f in result.figures if f.source}
    cited |= {c.source for c in (*result.claims_made, *result.claims_about)}
    if result.claim:
        cited.add(result.claim.source)
    titles = source_titles(store, cited)
    return {s: titles.get(s, s) for s in sorted(cited)}


# --- text ---


def _section(title: str, headers: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["", f"{title}: none"]
    return ["", f"{title} ({len(rows)}):", *("  " + line for line in table(headers, rows).split("\n"))]


def _relationship_rows(links: tuple[Link, ...]) -> list[list[str]]:
    rows = []
    curator = 0
    for link in links:
        relation = relation_label(link.relation) + (f" ({link.role})" if link.role else "")
        status = link_status(link)
        if link.basis is not None:
            curator += 1
            cited = f"curator's knowledge [{curator}]"
        else:
            cited = cite(link.source, link.paragraphs)
        rows.append([link.subject, relation, link.object, link.when or "", status, cited])
    return rows


def _curator_notes(links: tuple[Link, ...]) -> list[str]:
    """The curator's reasons, numbered as the rows of :func:`_relationship_rows` cite them."""
    reasons = [link.basis for link in links if link.basis is not None]
    return [f"  [{n}] the curator's reason: {why or 'not given'}" for n, why in enumerate(reasons, 1)]


def _claim_rows(found: tuple[ClaimInfo, ...], with_claimant: bool) -> list[list[str]]:
    return [
        [
            c.id,
            c.type,
            c.date or "",
            *([", ".join(c.claimants)] if with_claimant else []),
            c.status,
            cite(c.source, c.paragraphs),
        ]
        for c in found
    ]


_FIGURE_HEADERS = ["measure", "side", "party", "figure", "item", "taken", "reported by", "status", "cited"]


def _figure_row(f: Reported) -> list[str]:
    taken = " ".join(
        part for part in (f.taken_by and f"by {f.taken_by}", f.taken_from and f"from {f.taken_from}") if part
    )
    reporter = (f.reporter or "") + (f" via {f.via}" if f.via else "")
    status = ", ".join(part for part in (f.status, "subset" if f.subset else None) if part)
    cited = cite(f.source, f.paragraphs) if f.source else ""
    return [f.measure, f.side or "", f.party or "", f.figure, f.item or "", taken, reporter, status, cited]


def render(p: Profile) -> str:
    """The profile as ``kg show`` prints it: every line :func:`kg.report.printable`."""
    lines = [f"{p.label} ({p.id})", f"type: {p.type}"]
    if p.aliases:
        lines.append(f"aliases: {', '.join(p.aliases)}")
    if p.date:
        lines.append(f"date: {p.date}")
        lines += [f"  {part} inferred: {why}" for part, why in p.date_inferred]
    if p.disputed_by:
        lines.append(f"status: disputed by {', '.join(p.disputed_by)}")
    if p.claim:
        c = p.claim
        lines += [
            f"by: {', '.join(c.claimants)}",
            f"status: {c.status}",
            f"about: {', '.join(c.about) or 'none'}",
            f"cited: {cite(c.source, c.paragraphs)}",
        ]
    elif p.description:
        lines.append(f"description: {p.description}")
    relationship_headers = ["subject", "relation", "object", "when", "status", "cited"]
    title = "asserts" if p.claim else "relationships"
    lines += _section(title, relationship_headers, _relationship_rows(p.relationships))
    lines += _curator_notes(p.relationships)
    if not p.claim:
        lines += _section(
            "events",
            ["event", "date", "role", "label", "cited"],
            [
                [
                    e.event,
                    e.date or "",
                    relation_label(e.role) + (f" ({e.qualifier})" if e.qualifier else ""),
                    e.label,
                    cite(e.source, e.paragraphs),
                ]
                for e in p.events
            ],
        )
        if p.figures:
            lines += _section("figures", _FIGURE_HEADERS, [_figure_row(f) for f in p.figures])
            lines += ["", "totals:", *(f"  {t}" for t in p.totals)]
        lines += _section(
            "claims made", ["claim", "type", "date", "status", "cited"], _claim_rows(p.claims_made, False)
        )
        lines += _section(
            "claims about", ["claim", "type", "date", "by", "status", "cited"], _claim_rows(p.claims_about, True)
        )
    lines += ["", "sources:"] + [f"  {s.split('_')[0]}  {s}  {title}" for s, title in p.sources.items()]
    return "\n".join(printable(line) for line in lines)
