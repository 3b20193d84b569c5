"""Finding entities by name (kg.lookup), their profiles (kg.profile) and the kg.load() API."""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal
from rdflib.namespace import DCTERMS, SKOS

import kg
from kg.api import KnowledgeGraph
from kg.errors import AmbiguousName, UnknownEntity
from kg.names import names
from kg.network import Link, Neighbour, Ranked
from kg.profile import EventRole
from kg.stores.memory import MemoryStore
from kg.vocab import ID

SRC1 = "001_084b21e3a6584c55"


@pytest.fixture(scope="module")
def kg_graph(store: MemoryStore) -> KnowledgeGraph:
    return kg.load(store=store)


@pytest.mark.parametrize(("name", "ident"), [
    ("ttp", "ttp"), ("id:ttp", "ttp"), (str(ID.ttp), "ttp"), ("TTP", "ttp"),
    ("Tehrik-e-Taliban Pakistan", "ttp"), ("pakistani  TALIBAN", "ttp"),
    ("Taliban", "afghan-taliban"), ("Kurgan-Tyube", "qurghonteppa"),
    ("ishkobod attack", "ishkobod-attack"), ("Qurghonteppa", "qurghonteppa"),
    ("DUSHANBÉ", "dushanbe"), ("zubov-is-airlift", "zubov-is-airlift"),
])
def test_find_by_id_label_or_alias(kg_graph, name, ident):
    assert kg_graph.find(name) == ident


def test_unknown_names_suggest_the_closest(kg_graph):
    with pytest.raises(UnknownEntity, match=r"^unknown entity 'Islamic Stat' \(did you mean "
                                            r"'islamic-state' or 'islamic-state-khorasan'\?\)$"):
        kg_graph.find("Islamic Stat")
    with pytest.raises(UnknownEntity, match=r"^unknown entity 'xyzzy'$"):
        kg_graph.find("xyzzy")


def test_a_name_of_two_entities_is_ambiguous():
    graph = Graph()
    for ident in ("north-a", "north-b"):
        graph.add((ID[ident], DCTERMS.identifier, Literal(ident)))
        graph.add((ID[ident], RDFS.label, Literal(f"Region {ident[-1]}")))
        graph.add((ID[ident], SKOS.altLabel, Literal("The North")))
    with pytest.raises(AmbiguousName, match=r"^'the north' names several entities: "
                                            r"north-a, north-b$"):
        names(MemoryStore(graph)).find("the north")
    assert names(MemoryStore(graph)).find("Region A") == "north-a"


def test_profile_of_the_ttp(kg_graph):
    profile = kg_graph.show("Pakistani Taliban")
    assert (profile.id, profile.label, profile.type, profile.kind) == (
        "ttp", "Tehrik-e-Taliban Pakistan", "armed group", "actor")
    assert profile.aliases == ("Pakistani Taliban", "TTP", "Tehreek-e Taliban Pakistan",
                               "Tehreek-e-Taliban Pakistan")
    assert [link for link in profile.relationships if link.status == "fact"] == [
        Link("ttp", "alliedWith", "afghan-taliban", "fact", SRC1, (18,)),
        Link("ttp", "targets", "pakistan", "fact", SRC1, (15,)),
        Link("ttp", "targets", "pakistan-security-forces", "fact", SRC1, (18,)),
    ]
    assert [(link.subject, link.relation, link.object, link.status, link.claim)
            for link in profile.relationships if link.status != "fact"] == [
        ("ttp", "affiliatedWith", "afghan-taliban", "claimed", "un-report-weapons-to-iskp"),
        ("ttp", "affiliatedWith", "al-qaeda", "claimed", "un-report-weapons-to-iskp"),
        ("ttp", "affiliatedWith", "islamic-state", "disputed", "un-officials-ttp-nato-weapons"),
        ("ttp", "basedIn", "afghanistan", "claimed", "pakistan-kabul-not-controlling-ttp"),
        ("afghan-taliban", "shelters", "ttp", "claimed", "pakistan-taliban-shelter-ttp"),
        ("ttp", "supplies", "islamic-state-khorasan", "claimed", "un-report-weapons-to-iskp"),
        ("united-states", "supplies", "ttp", "claimed", "kakar-us-equipment-reached-ttp"),
        ("ttp", "targets", "pakistan", "claimed", "pakistan-taliban-shelter-ttp"),
    ]
    assert (profile.events, profile.claims_made) == ((), ())
    assert [(c.id, c.claimants, c.status) for c in profile.claims_about] == [
        ("kakar-equipment-challenge", ("anwaar-ul-haq-kakar",), "undisputed"),
        ("kakar-us-equipment-reached-ttp", ("anwaar-ul-haq-kakar",), "undisputed"),
        ("pakistan-kabul-not-controlling-ttp", ("pakistan",), "undisputed"),
        ("pakistan-taliban-shelter-ttp", ("pakistan",), "undisputed"),
        ("un-officials-ttp-nato-weapons", ("united-nations",),
         "disputed by taliban-reject-unsc-report"),
        ("un-report-weapons-to-iskp", ("united-nations",), "undisputed"),
    ]
    assert profile.sources == {SRC1: "Tajikistan forces kill three ‘terrorists’ who crossed "
                                     "border from Afghanistan"}


def test_profile_lists_events_with_their_dates_and_roles(kg_graph):
    assert kg_graph.show("Jamaat Ansarullah").events == (
        EventRole("ja-crossing-vanj-2023-04-26", "2023-04-26", "perpetrator",
                  "Two Ansarullah members cross illegally into Vanj district", SRC1, (10,)),
        EventRole("ja-crossing-darvaz-2023-08-30", "2023-08-30", "perpetrator",
                  "Jamaat Ansarullah members cross illegally from Afghanistan into Darvaz",
                  SRC1, (2, 3, 4)),
        EventRole("ja-operation-vanj-2023-04", None, "target",
                  "Counter-terrorist operation against the two Ansarullah members in Vanj",
                  SRC1, (10,)),
        EventRole("ja-shootout-2023-08", None, "target",
                  "Tajik counter-terrorism unit kills three Jamaat Ansarullah members",
                  SRC1, (2, 3, 5, 6, 7)),
    )


def test_profile_of_a_disputed_claim(kg_graph):
    profile = kg_graph.show("sana-us-evacuated-is-leaders")
    assert (profile.kind, profile.type, profile.claim.claimants, profile.claim.status) == (
        "claim", "accusation", ("sana",), "disputed by coalition-denies-evacuation")
    assert profile.relationships == (
        Link("united-states", "supports", "islamic-state", "disputed", "000_c8205b38d0f11d5b",
             (7,), "sana-us-evacuated-is-leaders", None, "2017"),)


def test_the_python_api_does_what_the_commands_do(kg_graph):
    assert kg_graph.query("ASK { id:ttp kg:alliedWith ?ally }").boolean is True
    assert [row[2] for row in kg_graph.run("allies", actor="ttp")][3] == ID["afghan-taliban"]
    assert len(kg_graph.queries()) == 15
    assert [[s.end for s in p] for p in kg_graph.path("ttp", "Tajikistan")] == [
        ["afghan-taliban", "tajikistan"]]
    assert kg_graph.neighbors("ttp", relations=["allied with"]) == [
        Neighbour("afghan-taliban", 1, (Link("ttp", "alliedWith", "afghan-taliban", "fact",
                                             SRC1, (18,)),))]
    assert kg_graph.rank("degree", top=1) == [Ranked("tajikistan", 12.0)]
    assert str(kg_graph.show("zubov")).startswith("Igor Zubov (igor-zubov)\ntype: person\n")
