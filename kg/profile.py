"""A profile of one entity, event or claim: what ``kg show`` prints.

Built on the networkx projection with claims (:func:`kg.network.to_networkx`), so
relationships in and out carry their status (fact, claimed, disputed), source
and paragraphs, plus three small queries for claims, dates and source titles.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from rdflib import RDFS, URIRef

from kg import ontology
from kg.network import Link, links_between, local_id
from kg.report import cite, printable, relation_label, table
from kg.stores import Store, as_iri, as_literal

_CLAIMS = """
SELECT ?claim ?type ?date ?summary ?source WHERE {
    ?claim a kg:Claim , ?type ; dcterms:description ?summary ;
           dcterms:source/dcterms:identifier ?source .
    ?type rdfs:subClassOf kg:Claim .
    OPTIONAL { ?claim dcterms:date ?date }
}
"""

_CLAIM_LINKS = """
SELECT ?claim ?link ?other WHERE {
    ?claim a kg:Claim .
    { ?claim prov:wasAttributedTo ?other . BIND ("by" AS ?link) }
    UNION { ?claim kg:disputes ?other . BIND ("disputes" AS ?link) }
    UNION { ?claim kg:concerns ?other . BIND ("about" AS ?link) }
    UNION { ?claim kg:asserts/(rdf:subject|rdf:object) ?other . BIND ("about" AS ?link) }
    UNION { ?claim prov:wasDerivedFrom/kg:paragraph ?other . BIND ("paragraph" AS ?link) }
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
SELECT ?id ?label WHERE { ?s a kg:Source ; dcterms:identifier ?id ; rdfs:label ?label }
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

    def __str__(self) -> str:
        return render(self)


def claims(store: Store) -> dict[str, ClaimInfo]:
    """Every claim of the graph, by id."""
    vocab = ontology.ontology_graph()
    links: dict[tuple[str, str], set] = defaultdict(set)
    for row in store.query(store.namespaces.prologue + _CLAIM_LINKS).dicts():
        other = row["other"]
        value = local_id(other, store.namespaces) if isinstance(other, URIRef) else int(as_literal(other))
        links[(local_id(as_iri(row["claim"]), store.namespaces), str(row["link"]))].add(value)
    disputed_by: dict[str, set[str]] = defaultdict(set)
    for (claim, link), others in links.items():
        if link == "disputes":
            for other in others:
                disputed_by[other].add(claim)
    found = {}
    for row in store.query(store.namespaces.prologue + _CLAIMS).dicts():
        ident = local_id(as_iri(row["claim"]), store.namespaces)
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
            tuple(sorted(disputed_by[ident])),
        )
    return dict(sorted(found.items()))


def dates(store: Store) -> dict[str, str]:
    """The date of every dated entity, event or claim: ``2018-11-06`` or ``START/END``."""
    found = {}
    for row in store.query(store.namespaces.prologue + _DATES).dicts():
        if row["date"] is not None:
            text = str(row["date"])
        else:
            text = f"{row['start'] or ''}/{row['end'] or ''}"
        found[local_id(as_iri(row["e"]), store.namespaces)] = text
    return found


def source_titles(store: Store) -> dict[str, str]:
    """The title of every source, by id."""
    return {str(r["id"]): str(r["label"]) for r in store.query(store.namespaces.prologue + _SOURCES).dicts()}


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
    cited = {link.source for link in result.relationships}
    cited |= {e.source for e in result.events}
    cited |= {c.source for c in (*result.claims_made, *result.claims_about)}
    if result.claim:
        cited.add(result.claim.source)
    titles = source_titles(store)
    return {s: titles.get(s, s) for s in sorted(cited)}


# --- text ---


def _section(title: str, headers: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["", f"{title}: none"]
    return ["", f"{title} ({len(rows)}):", *("  " + line for line in table(headers, rows).split("\n"))]


def _relationship_rows(links: tuple[Link, ...]) -> list[list[str]]:
    rows = []
    for link in links:
        relation = relation_label(link.relation) + (f" ({link.role})" if link.role else "")
        status = link.status if not link.claim else f"{link.status}: {link.claim}"
        rows.append([link.subject, relation, link.object, link.when or "", status, cite(link.source, link.paragraphs)])
    return rows


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


def render(p: Profile) -> str:
    """The profile as ``kg show`` prints it: every line :func:`kg.report.printable`."""
    lines = [f"{p.label} ({p.id})", f"type: {p.type}"]
    if p.aliases:
        lines.append(f"aliases: {', '.join(p.aliases)}")
    if p.date:
        lines.append(f"date: {p.date}")
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
    if not p.claim:
        lines += _section(
            "events",
            ["event", "date", "role", "label", "cited"],
            [[e.event, e.date or "", relation_label(e.role), e.label, cite(e.source, e.paragraphs)] for e in p.events],
        )
        lines += _section(
            "claims made", ["claim", "type", "date", "status", "cited"], _claim_rows(p.claims_made, False)
        )
        lines += _section(
            "claims about", ["claim", "type", "date", "by", "status", "cited"], _claim_rows(p.claims_about, True)
        )
    lines += ["", "sources:"] + [f"  {s.split('_')[0]}  {s}  {title}" for s, title in p.sources.items()]
    return "\n".join(printable(line) for line in lines)
