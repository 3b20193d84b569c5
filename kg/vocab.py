"""kg's namespaces: its own vocabulary as an rdflib DefinedNamespace, and the data IRIs.

The term list mirrors ``ontology/kg.ttl``; ``tests/test_vocab.py`` fails if the two drift.
A typo such as ``KG.aliedWith`` raises at import time instead of matching nothing."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/kg-armed-actors/"
"""kg's own base: its vocabulary is ``BASE + "ontology#"``; the default project's data too."""


class KG(DefinedNamespace):
    """Terms of the kg ontology (classes first, then properties and concepts)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    Accusation: URIRef
    Actor: URIRef
    Allegation: URIRef
    ArmedGroup: URIRef
    Arrest: URIRef
    Assessment: URIRef
    Attack: URIRef
    Attribution: URIRef
    Bases: URIRef
    Border: URIRef
    BorderCrossing: URIRef
    BorderPost: URIRef
    Campaign: URIRef
    Claim: URIRef
    Clash: URIRef
    Denial: URIRef
    District: URIRef
    Document: URIRef
    Election: URIRef
    Event: URIRef
    Fact: URIRef
    Forecast: URIRef
    GeographicArea: URIRef
    GovernmentBody: URIRef
    InternationalOrganisation: URIRef
    Measure: URIRef
    Measures: URIRef
    MediaOutlet: URIRef
    Meeting: URIRef
    MilitaryBase: URIRef
    Organisation: URIRef
    Passage: URIRef
    Person: URIRef
    Place: URIRef
    PoliticalParty: URIRef
    PopulationGroup: URIRef
    Publication: URIRef
    Region: URIRef
    RelationshipProperty: URIRef
    ReportedCount: URIRef
    ResearchOrganisation: URIRef
    SecurityOperation: URIRef
    Settlement: URIRef
    Side: URIRef
    Sides: URIRef
    Source: URIRef
    State: URIRef
    Status: URIRef
    Statuses: URIRef
    Takeover: URIRef
    Transfer: URIRef
    UnnamedSource: URIRef
    Visit: URIRef
    Withdrawal: URIRef
    affiliatedWith: URIRef
    aimsToDestabilise: URIRef
    allSides: URIRef
    alleged: URIRef
    alliedWith: URIRef
    approximate: URIRef
    asserts: URIRef
    authoredBy: URIRef
    basedIn: URIRef
    basis: URIRef
    borders: URIRef
    branchOf: URIRef
    citesOutlet: URIRef
    civilianSide: URIRef
    concerns: URIRef
    confidence: URIRef
    confirmed: URIRef
    cooperatesWith: URIRef
    criticises: URIRef
    curatorKnowledge: URIRef
    dateInferredFrom: URIRef
    datePrecision: URIRef
    detained: URIRef
    disputes: URIRef
    endDate: URIRef
    fighters: URIRef
    fromPlace: URIRef
    holdsRoleIn: URIRef
    hosts: URIRef
    incidents: URIRef
    inferredBecause: URIRef
    item: URIRef
    killed: URIRef
    leads: URIRef
    locatedIn: URIRef
    maxValue: URIRef
    measure: URIRef
    memberOf: URIRef
    minValue: URIRef
    money: URIRef
    nationalOf: URIRef
    operatedBy: URIRef
    operatesIn: URIRef
    paragraph: URIRef
    partOf: URIRef
    participant: URIRef
    party: URIRef
    perpetrator: URIRef
    perpetratorSide: URIRef
    place: URIRef
    reportedBy: URIRef
    reportedCount: URIRef
    reportedVia: URIRef
    responderSide: URIRef
    respondingForce: URIRef
    rivalOf: URIRef
    roleTitle: URIRef
    seized: URIRef
    separates: URIRef
    shelters: URIRef
    side: URIRef
    startDate: URIRef
    statedIn: URIRef
    status: URIRef
    subEventOf: URIRef
    subset: URIRef
    subsetOf: URIRef
    supplies: URIRef
    supports: URIRef
    supportsClaim: URIRef
    suspected: URIRef
    takenBy: URIRef
    takenFrom: URIRef
    target: URIRef
    targetSide: URIRef
    targets: URIRef
    time: URIRef
    toPlace: URIRef
    trains: URIRef
    victim: URIRef
    worksFor: URIRef
    wounded: URIRef
    yearInferredFrom: URIRef


@dataclass(frozen=True)
class Namespaces:
    """The data IRIs of one graph project, all under its base IRI (``kg.toml``'s ``base``).

    Two projects with different bases never mint the same IRI; kg's own vocabulary
    (:class:`KG`) is shared by all of them.
    """

    base: str

    @property
    def id(self) -> Namespace:
        """Entities, events and claims: ``ns.id["ttp"]``."""
        return Namespace(self.base + "id/")

    @property
    def src(self) -> Namespace:
        """Sources and their passages: ``ns.src["001_084b21e3a6584c55-p18"]``."""
        return Namespace(self.base + "source/")

    @property
    def stmt(self) -> Namespace:
        """Statement nodes (facts, claim contents, counts)."""
        return Namespace(self.base + "statement/")

    @property
    def graph(self) -> str:
        """The named graph kg pushes the project's graph to and reads it from on a server."""
        return self.base + "graph"

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefixes kg declares in every serialisation and every query of the project."""
        return {"kg": str(KG._NS), "id": str(self.id), "src": str(self.src), "stmt": str(self.stmt)} | STANDARD_PREFIXES

    @property
    def prologue(self) -> str:
        """The prefixes as a SPARQL prologue."""
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())

    @classmethod
    def of_graph(cls, graph: Graph) -> Namespaces:
        """The namespaces a graph built by kg was bound with (else this repository's)."""
        bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
        ids = bound.get("id", "")
        return cls(ids.removesuffix("id/")) if ids.endswith("/id/") else DEFAULT


STANDARD_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}

DEFAULT = Namespaces(BASE)
"""The namespaces of this repository's own graph (and of a graph whose base is unknown)."""

ID = DEFAULT.id
SRC = DEFAULT.src
STMT = DEFAULT.stmt
PREFIXES: dict[str, str] = DEFAULT.prefixes
"""The default project's prefixes (:attr:`Namespaces.prefixes`)."""
