"""kg's namespaces: its own vocabulary as an rdflib DefinedNamespace, and the data IRIs.

The term list mirrors ``ontology/kg.ttl``; ``tests/test_vocab.py`` fails if the two drift.
A typo such as ``KG.aliedWith`` raises at import time instead of matching nothing."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/kg-armed-actors/"


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
    Border: URIRef
    BorderCrossing: URIRef
    BorderPost: URIRef
    Campaign: URIRef
    Claim: URIRef
    Clash: URIRef
    Denial: URIRef
    Document: URIRef
    District: URIRef
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
    Takeover: URIRef
    Transfer: URIRef
    Visit: URIRef
    Withdrawal: URIRef
    affiliatedWith: URIRef
    aimsToDestabilise: URIRef
    allSides: URIRef
    alliedWith: URIRef
    approximate: URIRef
    asserts: URIRef
    authoredBy: URIRef
    basedIn: URIRef
    borders: URIRef
    branchOf: URIRef
    citesOutlet: URIRef
    civilianSide: URIRef
    concerns: URIRef
    confidence: URIRef
    cooperatesWith: URIRef
    criticises: URIRef
    datePrecision: URIRef
    detained: URIRef
    disputes: URIRef
    endDate: URIRef
    fighters: URIRef
    fromPlace: URIRef
    holdsRoleIn: URIRef
    hosts: URIRef
    incidents: URIRef
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
    subEventOf: URIRef
    supplies: URIRef
    supports: URIRef
    supportsClaim: URIRef
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


ID = Namespace(BASE + "id/")
"""Entities, events and claims: ``ID["ttp"]``."""
SRC = Namespace(BASE + "source/")
"""Sources and their passages: ``SRC["001_084b21e3a6584c55"]``, ``SRC["001_084b21e3a6584c55-p18"]``."""
STMT = Namespace(BASE + "statement/")
"""Statement nodes (facts, claim contents, counts)."""

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "id": str(ID),
    "src": str(SRC),
    "stmt": str(STMT),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}
"""The prefixes kg declares in every serialisation and every query."""
