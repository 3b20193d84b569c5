"""Records to RDF: the one place that knows kg's data model.

* A fact is a plain triple (``id:ttp kg:alliedWith id:afghan-taliban``) and a
  ``kg:Fact`` statement node with ``rdf:subject/predicate/object``,
  ``prov:wasDerivedFrom`` passages and qualifiers, as Wikidata does with its
  truthy triples and statement nodes.
* A claim is a ``kg:Claim`` node: claimant, date, reporting outlet, passage,
  paraphrase, and ``kg:asserts`` statement nodes that are never plain triples.
* An event is a typed node with its dates and passages; who took part and
  where are facts; numbers are ``kg:ReportedCount`` nodes per side and reporter.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg import ontology
from kg.curation import Claim, Corpus, Count, Entity, Event, Fact, Ref, Source
from kg.dates import Date
from kg.vocab import DEFAULT, KG, Namespaces


def en(text: str) -> Literal:
    """An English literal (labels, descriptions, notes)."""
    return Literal(text, lang="en")


def _required(ref: Ref | None) -> Ref:
    """A reference every validated record has (reading reports one that is not text)."""
    assert ref is not None, "a required reference is missing: build only validated corpora"
    return ref


def passage_iri(source: str, para: int, ns: Namespaces = DEFAULT) -> URIRef:
    """The IRI of paragraph ``para`` of ``source``."""
    return ns.src[f"{source}-p{para}"]


def fact_iri(source: str, subject: str, relation: str, obj: str, ns: Namespaces = DEFAULT) -> URIRef:
    """Fact statement IRIs are readable and stable: they change only if the fact does."""
    return ns.stmt[f"{source}.{subject}.{relation}.{obj}"]


class GraphBuilder:
    """Accumulates the triples of a corpus into one rdflib graph."""

    def __init__(self, corpus: Corpus, ns: Namespaces = DEFAULT) -> None:
        self.ns = ns
        self.graph = Graph()
        for prefix, namespace in ns.prefixes.items():
            self.graph.bind(prefix, namespace, override=True)
        self.entities = {e.id: e for e in corpus.entities}
        self.outlets = {s.id: s.outlet for s in corpus.sources}
        self.corpus = corpus

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | BNode) -> None:
        self.graph.add((s, p, o))

    def passages(self, node: URIRef, source: str, paras: Iterable[int]) -> None:
        """Point ``node`` at its passages, creating the passage nodes as needed."""
        for para in paras:
            passage = passage_iri(source, para, self.ns)
            self.add(node, PROV.wasDerivedFrom, passage)
            self.add(passage, RDF.type, KG.Passage)
            self.add(passage, DCTERMS.isPartOf, self.ns.src[source])
            self.add(passage, KG.paragraph, Literal(para, datatype=XSD.positiveInteger))
            self.add(passage, RDFS.label, Literal(f"{source} ¶{para}"))

    def dates(
        self,
        node: URIRef,
        date: Date | None,
        start: Date | None = None,
        end: Date | None = None,
        year_inferred: str | None = None,
        date_inferred: str | None = None,
    ) -> None:
        for prop, value in ((DCTERMS.date, date), (KG.startDate, start), (KG.endDate, end)):
            if value is not None:
                self.add(node, prop, value.literal())
        first = date or start or end
        if first is not None:
            self.add(node, KG.datePrecision, Literal(first.precision))
        if year_inferred:
            self.add(node, KG.yearInferredFrom, en(year_inferred))
        if date_inferred:
            self.add(node, KG.dateInferredFrom, en(date_inferred))

    def inferred(self, node: URIRef, reason: str | None) -> None:
        if reason:
            self.add(node, KG.inferredBecause, en(reason))

    def qualifiers(self, node: URIRef, confidence: str | None, note: str | None) -> None:
        if confidence is not None:
            self.add(node, KG.confidence, Literal(Decimal(confidence), datatype=XSD.decimal))
        if note:
            self.add(node, SKOS.note, en(note))

    def fact(
        self,
        subject: str,
        relation: str,
        obj: str,
        source: str,
        paras: Iterable[int],
        record: Fact | None = None,
        status: str | None = None,
    ) -> URIRef:
        """Assert a fact: the plain triple (both ways if symmetric) and its statement node."""
        prop = ontology.relations()[relation]
        s, o = self.ns.id[subject], self.ns.id[obj]
        node = fact_iri(source, subject, relation, obj, self.ns)
        self.add(s, prop, o)
        if prop in ontology.symmetric_relations():
            self.add(o, prop, s)
        self.add(node, RDF.type, KG.Fact)
        self.add(node, RDF.type, RDF.Statement)
        self.add(node, RDF.subject, s)
        self.add(node, RDF.predicate, prop)
        self.add(node, RDF.object, o)
        if record is not None and record.basis == "curator":
            self.add(node, KG.basis, KG.curatorKnowledge)
            self.add(node, SKOS.editorialNote, en(record.reason or ""))
        else:
            self.add(node, DCTERMS.source, self.ns.src[source])
            self.passages(node, source, paras)
        status = record.status if record is not None else status
        if status:
            self.add(node, KG.status, ontology.STATUSES[status])
        if record is not None:
            self.inferred(node, record.inferred)
            self.qualifiers(node, record.confidence, record.note)
            if record.role:
                self.add(node, KG.roleTitle, en(record.role))
            self.dates(node, record.date, record.start, record.end, record.year_inferred, record.date_inferred)
        return node

    # --- records ---

    def entity(self, entity: Entity) -> None:
        node = self.ns.id[entity.id]
        self.add(node, RDF.type, ontology.entity_types()[entity.type])
        self.add(node, RDFS.label, en(entity.label))
        self.add(node, SKOS.prefLabel, en(entity.label))
        self.add(node, DCTERMS.identifier, Literal(entity.id))
        for alias in entity.aliases:
            self.add(node, SKOS.altLabel, en(alias.name))
        if entity.description:
            self.add(node, DCTERMS.description, en(entity.description))
        if entity.parent and entity.parent_source:
            fact = self.fact(
                entity.id, _parent_relation(entity), entity.parent.name, entity.parent_source, entity.parent_paras
            )
            self.inferred(fact, entity.inferred)

    def source(self, source: Source) -> None:
        node = self.ns.src[source.id]
        self.add(node, RDF.type, KG.Source)
        self.add(node, DCTERMS.identifier, Literal(source.id))
        self.add(node, RDFS.label, Literal(source.title or source.id))
        if source.title:
            self.add(node, DCTERMS.title, Literal(source.title))
        if source.outlet:
            self.add(node, DCTERMS.publisher, self.ns.id[source.outlet.name])
        for author in source.authors:
            self.add(node, DCTERMS.creator, self.ns.id[author.name])
        for cited in source.cites:
            self.add(node, KG.citesOutlet, self.ns.id[cited.name])
        if source.note:
            self.add(node, SKOS.note, en(source.note))
        self.dates(node, source.date, year_inferred=source.year_inferred)
        for fact in source.facts:
            self.fact(fact.subject.name, fact.relation.name, fact.object.name, source.id, fact.paras, fact)
        for event in source.events:
            self.event(event)
        for claim in source.claims:
            self.claim(claim)
        owners: dict[str, list[Count]] = {}
        for count in source.counts:
            owners.setdefault(_required(count.of).name, []).append(count)
        for owner, counts in owners.items():
            self.counts(self.ns.id[owner], owner, source.id, counts)

    def event(self, event: Event) -> None:
        node = self.ns.id[event.id]
        self.add(node, RDF.type, ontology.event_types()[_required(event.type).name])
        self.add(node, RDFS.label, en(event.label))
        self.add(node, SKOS.prefLabel, en(event.label))
        self.add(node, DCTERMS.identifier, Literal(event.id))
        if event.description:
            self.add(node, DCTERMS.description, en(event.description))
        self.add(node, DCTERMS.source, self.ns.src[event.source])
        self.passages(node, event.source, event.paras)
        self.dates(node, event.date, event.start, event.end, event.year_inferred, event.date_inferred)
        if event.time:
            self.add(node, KG.time, Literal(f"{event.time}:00", datatype=XSD.time))
        self.qualifiers(node, event.confidence, event.note)
        for key, refs in event.roles.items():
            relation = ontology.local(ontology.ROLES[key])
            for ref in refs:
                self.fact(event.id, relation, ref.name, event.source, event.paras, status=event.statuses.get(key))
        self.inferred(node, event.inferred)
        self.counts(node, event.id, event.source, event.counts)

    def counts(self, node: URIRef, owner: str, source: str, counts: list[Count]) -> None:
        for n, count in enumerate(counts, 1):
            count_node = self.count_iri(source, owner, n)
            self.add(node, KG.reportedCount, count_node)
            self.add(count_node, RDF.type, KG.ReportedCount)
            self.add(count_node, KG.measure, ontology.measures()[_required(count.measure).name])
            if count.side:
                self.add(count_node, KG.side, ontology.SIDES[count.side.name])
            if count.value is not None:
                self.add(count_node, RDF.value, Literal(count.value, datatype=XSD.integer))
            if count.min is not None:
                self.add(count_node, KG.minValue, Literal(count.min, datatype=XSD.integer))
            if count.max is not None:
                self.add(count_node, KG.maxValue, Literal(count.max, datatype=XSD.integer))
            if count.approximate:
                self.add(count_node, KG.approximate, Literal(True))
            for prop, ref in (
                (KG.party, count.party),
                (KG.reportedBy, count.reported_by),
                (KG.reportedVia, count.via),
                (KG.takenBy, count.taken_by),
                (KG.takenFrom, count.taken_from),
            ):
                if ref is not None:
                    self.add(count_node, prop, self.ns.id[ref.name])
            if count.subset:
                self.add(count_node, KG.subset, Literal(True))
            if count.subset_of is not None:
                self.add(count_node, KG.subsetOf, self.count_iri(source, owner, count.subset_of))
            if count.status:
                self.add(count_node, KG.status, ontology.STATUSES[count.status])
            if count.item:
                self.add(count_node, KG.item, en(count.item))
            if count.note:
                self.add(count_node, SKOS.note, en(count.note))
            self.add(count_node, DCTERMS.source, self.ns.src[source])
            self.passages(count_node, source, count.paras)

    def count_iri(self, source: str, owner: str, n: int) -> URIRef:
        """The IRI of the ``n``th count (from 1) that ``source`` reports about ``owner``."""
        return self.ns.stmt[f"{source}.{owner}.count{n}"]

    def claim(self, claim: Claim) -> None:
        node = self.ns.id[claim.id]
        self.add(node, RDF.type, KG.Claim)
        self.add(node, RDF.type, ontology.claim_types()[_required(claim.type).name])
        claimants = " and ".join(self.entities[r.name].label for r in claim.by)
        self.add(node, RDFS.label, en(f"{claimants}: {claim.summary}"))
        self.add(node, DCTERMS.description, en(claim.summary))
        self.add(node, DCTERMS.identifier, Literal(claim.id))
        for claimant in claim.by:
            self.add(node, PROV.wasAttributedTo, self.ns.id[claimant.name])
        outlet = claim.reported_by or self.outlets.get(claim.source)
        if outlet is not None:
            self.add(node, KG.reportedBy, self.ns.id[outlet.name])
        for prop, ref in ((KG.reportedVia, claim.via), (KG.statedIn, claim.stated_in)):
            if ref is not None:
                self.add(node, prop, self.ns.id[ref.name])
        for n, (s, p, o) in enumerate(claim.says, 1):
            content = self.ns.stmt[f"{claim.id}.{n}"]
            self.add(node, KG.asserts, content)
            self.add(content, RDF.type, RDF.Statement)
            self.add(content, RDF.subject, self.ns.id[s.name])
            self.add(content, RDF.predicate, ontology.relations()[p.name])
            self.add(content, RDF.object, self.ns.id[o.name])
        for prop, refs in (
            (KG.concerns, claim.about),
            (KG.disputes, claim.disputes),
            (KG.supportsClaim, claim.supports),
        ):
            for ref in refs:
                self.add(node, prop, self.ns.id[ref.name])
        self.add(node, DCTERMS.source, self.ns.src[claim.source])
        self.passages(node, claim.source, claim.paras)
        self.dates(node, claim.date, year_inferred=claim.year_inferred, date_inferred=claim.date_inferred)
        self.qualifiers(node, claim.confidence, claim.note)
        self.inferred(node, claim.inferred)
        self.counts(node, claim.id, claim.source, claim.counts)


def _parent_relation(entity: Entity) -> str:
    if entity.type in ontology.document_types():
        return "authoredBy"
    if entity.type in ontology.place_types() and entity.type not in ontology.actor_types():
        return "locatedIn"
    return "partOf"


def build_graph(corpus: Corpus, with_ontology: bool = True, ns: Namespaces = DEFAULT) -> Graph:
    """The RDF graph of a (validated) corpus, with the ontology so it describes itself.

    Its ids are minted under ``ns``, the project's namespaces.
    """
    builder = GraphBuilder(corpus, ns)
    if with_ontology:
        for triple in ontology.ontology_graph():
            builder.graph.add(triple)
    for entity in corpus.entities:
        builder.entity(entity)
    for source in corpus.sources:
        builder.source(source)
    return builder.graph


__all__ = ["build_graph", "fact_iri", "passage_iri"]
