"""kg.export.stix: a STIX 2.1 bundle that parses, resolves, and keeps claims apart from facts."""

from __future__ import annotations

import json
import re

import networkx as nx
import stix2
from rdflib import RDF, Graph, URIRef

from kg.export.stix import stix_id
from kg.vocab import ID, KG, STMT

S000 = "000_c8205b38d0f11d5b"
LEADS = f"{S000}.andrey-novikov.leads.cis-anti-terrorism-centre"


def test_stix_bundle_parses_and_every_reference_resolves(files: dict[str, bytes]) -> None:
    bundle = stix2.parse(files["graph.stix.json"].decode(), allow_custom=False)
    objects = json.loads(files["graph.stix.json"])["objects"]
    ids = [o["id"] for o in objects]
    assert len(bundle.objects) == len(objects) and ids == sorted(set(ids))
    refs = {
        r
        for o in objects
        for key, value in o.items()
        if key.endswith("_ref") or key.endswith("_refs")
        for r in ([value] if isinstance(value, str) else value)
    }
    assert refs - set(ids) == set()
    types = {o["relationship_type"] for o in objects if o["type"] == "relationship"}
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t) for t in types)


def test_stix_maps_each_kind(graph: Graph, net: nx.MultiDiGraph, files: dict[str, bytes]) -> None:
    objects = {o["id"]: o for o in json.loads(files["graph.stix.json"])["objects"]}
    by_type: dict[str, int] = {}
    for obj in objects.values():
        by_type[obj["type"]] = by_type.get(obj["type"], 0) + 1
    count = len(set(graph.subjects(RDF.type, KG.ArmedGroup)))
    assert by_type["threat-actor"] == count
    assert by_type["note"] == len(set(graph.subjects(RDF.type, KG.Claim)))
    assert by_type["report"] == len(set(graph.subjects(RDF.type, KG.Source)))
    assert by_type.get("incident", 0) == sum(1 for _, kind in net.nodes(data="kind") if kind == "event")
    tajikistan = objects[stix_id("location", ID["tajikistan"])]
    assert (tajikistan["name"], tajikistan["country"]) == ("Tajikistan", "TJ")
    assert objects[stix_id("identity", ID["tajikistan"])]["identity_class"] == "organization"
    ttp = objects[stix_id("threat-actor", ID["ttp"])]
    assert "Pakistani Taliban" in ttp["aliases"]


def test_stix_relationship_for_a_fact_has_the_right_ends(files: dict[str, bytes]) -> None:
    objects = {o["id"]: o for o in json.loads(files["graph.stix.json"])["objects"]}
    leads = objects[stix_id("relationship", STMT[LEADS])]
    assert (leads["relationship_type"], leads["source_ref"], leads["target_ref"]) == (
        "leads",
        stix_id("identity", ID["andrey-novikov"]),
        stix_id("identity", ID["cis-anti-terrorism-centre"]),
    )
    assert leads["description"] == "Role: head. Holds the rank of colonel general."
    assert leads["external_references"] == [
        {
            "source_name": "kg-armed-actors",
            "external_id": f"{S000}-p6",
            "url": f"https://w3id.org/kg-armed-actors/source/{S000}-p6",
        }
    ]
    base = objects[stix_id("relationship", STMT[f"{S000}.russia-201st-military-base.locatedIn.dushanbe"])]
    assert (base["relationship_type"], base["source_ref"], base["target_ref"]) == (
        "located-at",
        stix_id("location", ID["russia-201st-military-base"]),
        stix_id("location", ID["dushanbe"]),
    )
    hosts = objects[stix_id("relationship", STMT[f"{S000}.tajikistan.hosts.russia-201st-military-base"])]
    assert (hosts["source_ref"], hosts["target_ref"]) == (
        stix_id("identity", ID["tajikistan"]),
        stix_id("location", ID["russia-201st-military-base"]),
    )
    kwan = objects[stix_id("relationship", STMT[f"{S000}.sergey-kwan.worksFor.kyrgyzstan-chronicle"])]
    assert (kwan["start_time"], kwan["stop_time"]) == ("1996-01-01T00:00:00Z", "1998-01-01T00:00:00Z")


def test_stix_claims_are_notes_never_relationships(graph: Graph, files: dict[str, bytes]) -> None:
    objects = {o["id"]: o for o in json.loads(files["graph.stix.json"])["objects"]}
    contents = list(graph.objects(None, KG.asserts))
    assert not {stix_id("relationship", st) for st in contents} & set(objects)
    sana = objects[stix_id("note", ID["sana-us-evacuated-is-leaders"])]
    assert sana["labels"] == ["claim", "accusation", "disputed"]
    assert sana["authors"] == ["Syrian Arab News Agency"]
    assert "Asserts (a claim, not a fact): United States supports Islamic State." in sana["content"]
    assert stix_id("identity", ID["united-states"]) in sana["object_refs"]
    denial = objects[stix_id("note", ID["coalition-denies-evacuation"])]
    assert denial["object_refs"] == [sana["id"]]
    report = objects[stix_id("report", URIRef(f"https://w3id.org/kg-armed-actors/source/{S000}"))]
    assert {sana["id"], denial["id"], stix_id("relationship", STMT[LEADS])} <= set(report["object_refs"])
    assert report["published"] == "2018-01-01T00:00:00Z"
