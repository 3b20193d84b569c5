"""What ``kg show`` adds to a profile from queries about the entity alone: its reported
figures (with their reporters and totals), the status of its statements (suspected...),
the facts resting on the curator's knowledge, and the claims disputing it.

Totals follow :mod:`kg.figures`: subset counts are never added, and reporters' figures
for the same measure, side and party give a range, ``4-5 detained: Tajik Interior
Ministry 4, Tajik Border Service 5``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF, RDFS, URIRef
from rdflib.term import Identifier

from kg import network, ontology
from kg.figures import Figure, total
from kg.network import local_id
from kg.stores import Store, as_iri
from kg.stores.values import integer
from kg.vocab import KG

_COUNTS = """
SELECT ?count ?measure ?side ?party ?value ?min ?max ?approximate ?item ?reporter ?via ?subset ?of
       ?by ?from ?status ?source WHERE {
    ?owner kg:reportedCount ?count .
    ?count kg:measure ?measure .
    OPTIONAL { ?count kg:side ?side }
    OPTIONAL { ?count kg:party ?party }
    OPTIONAL { ?count rdf:value ?value }
    OPTIONAL { ?count kg:minValue ?min }
    OPTIONAL { ?count kg:maxValue ?max }
    OPTIONAL { ?count kg:approximate ?approximate }
    OPTIONAL { ?count kg:item ?item }
    OPTIONAL { ?count kg:reportedBy ?reporter }
    OPTIONAL { ?count kg:reportedVia ?via }
    OPTIONAL { ?count kg:subset ?subset }
    OPTIONAL { ?count kg:subsetOf ?of }
    OPTIONAL { ?count kg:takenBy ?by }
    OPTIONAL { ?count kg:takenFrom ?from }
    OPTIONAL { ?count kg:status ?status }
    OPTIONAL { ?count dcterms:source/dcterms:identifier ?source }
}
"""

_PARAGRAPHS = """
SELECT ?count ?n WHERE { ?owner kg:reportedCount ?count . ?count prov:wasDerivedFrom/kg:paragraph ?n }
"""

_LABELS = """
SELECT ?e ?label WHERE { ?e rdfs:label ?label }
"""


@dataclass(frozen=True)
class Reported:
    """One reported count: what was counted, of whom, how many, by whose account."""

    measure: str
    side: str | None
    party: str | None
    figure: str
    item: str | None
    reporter: str | None
    via: str | None
    taken_by: str | None
    taken_from: str | None
    status: str | None
    subset: bool
    source: str | None
    paragraphs: tuple[int, ...]
    numbers: Figure


@dataclass(frozen=True)
class MeasureTotal:
    """The total of one measure, and each reporter's own total beside it."""

    measure: str
    total: str
    by_reporter: tuple[tuple[str, str], ...]
    item: str | None = None
    """What was counted, for seizures (their items are never added together)."""

    def __str__(self) -> str:
        reporters = ", ".join(f"{who} {figure}" for who, figure in self.by_reporter)
        what = f"{self.measure} ({self.item})" if self.item else self.measure
        return f"{self.total} {what}" + (f": {reporters}" if reporters else "")


def _number(term: Identifier | None, count: Identifier, prop: URIRef) -> int | None:
    return None if term is None else integer(term, count, prop)


def _label(term: Identifier | None) -> str | None:
    """The vocabulary's label of a kg term (a measure, side or status), else its local name."""
    if term is None:
        return None
    found = ontology.ontology_graph().value(as_iri(term), RDFS.label)
    return str(found) if found is not None else local_id(as_iri(term))


def figures(store: Store, ident: str) -> tuple[Reported, ...]:
    """Every count reported for ``ident`` (an event or entity), sorted by measure, side, party."""
    ns = store.namespaces
    owner = network.values("owner", [ns.id[ident]])
    paragraphs: dict[URIRef, set[int]] = defaultdict(set)
    for count, n in store.query(ns.prologue + network.within(_PARAGRAPHS, owner)).rows:
        paragraphs[as_iri(count)].add(integer(n, count, KG.paragraph))
    found = []
    for row in store.query(ns.prologue + network.within(_COUNTS, owner)).dicts():
        count = as_iri(row["count"])
        subset = row["of"] is not None or str(row["subset"]).lower() in ("true", "1")
        ids = {key: None if row[key] is None else local_id(as_iri(row[key]), ns) for key in ("party", "reporter")}
        numbers = Figure(
            side=_label(row["side"]),
            party=ids["party"],
            value=_number(row["value"], count, RDF.value),
            minimum=_number(row["min"], count, KG.minValue),
            maximum=_number(row["max"], count, KG.maxValue),
            subset=subset,
            reporter=ids["reporter"],
            taken_by=None if row["by"] is None else str(row["by"]),
            taken_from=None if row["from"] is None else str(row["from"]),
            approximate=row["approximate"] is not None and str(row["approximate"]).lower() in ("true", "1"),
        )
        found.append(
            Reported(
                str(_label(row["measure"])),
                _label(row["side"]),
                ids["party"],
                numbers.shown(),
                None if row["item"] is None else str(row["item"]),
                ids["reporter"],
                None if row["via"] is None else local_id(as_iri(row["via"]), ns),
                None if row["by"] is None else local_id(as_iri(row["by"]), ns),
                None if row["from"] is None else local_id(as_iri(row["from"]), ns),
                _label(row["status"]),
                subset,
                None if row["source"] is None else str(row["source"]),
                tuple(sorted(paragraphs[count])),
                numbers,
            )
        )
    order = sorted(found, key=lambda r: (r.measure, r.side or "", r.party or "", r.reporter or "", r.figure))
    return tuple(order)


def totals(store: Store, reported: Iterable[Reported]) -> tuple[MeasureTotal, ...]:
    """Each measure's total (a seizure's, per item), with each reporter's (by label) where more
    than one reported it."""
    by_measure: dict[tuple[str, str], list[Reported]] = defaultdict(list)
    itemised = {_label(KG[m]) for m in ontology.ITEMISED}
    for r in reported:
        by_measure[(r.measure, (r.item or "") if r.measure in itemised else "")].append(r)
    reporters = sorted({r.reporter for rs in by_measure.values() for r in rs if r.reporter})
    labels = entity_labels(store, reporters)
    out = []
    for (measure, item), rows in sorted(by_measure.items()):
        summed = total(r.numbers for r in rows)
        if summed is None:
            continue
        own = {}
        for who in sorted({r.reporter for r in rows if r.reporter and not r.subset}):
            mine = total(r.numbers for r in rows if r.reporter == who)
            if mine is not None:
                own[labels.get(who, who)] = str(mine)
        shown = tuple(sorted(own.items())) if len(own) > 1 else ()
        out.append(MeasureTotal(measure, str(summed), shown, item or None))
    return tuple(out)


def entity_labels(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """The label of each of the entities ``ids``."""
    ns = store.namespaces
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = network.within(_LABELS, network.values("e", (ns.id[i] for i in wanted)))
    return {local_id(as_iri(e), ns): str(label) for e, label in store.query(ns.prologue + query).rows}
