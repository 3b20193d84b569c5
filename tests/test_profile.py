"""kg.profile: the profile of an entity, event or claim (what `kg show` prints)."""

from __future__ import annotations

from rdflib import Graph

from kg import network, profile
from kg.api import KnowledgeGraph
from kg.network import Link
from kg.profile import EventRole
from kg.stores.memory import MemoryStore
from kg.vocab import KG

SRC1 = "001_084b21e3a6584c55"


def test_profile_of_the_ttp(kg_graph):
    profile = kg_graph.show("Pakistani Taliban")
    assert (profile.id, profile.label, profile.type, profile.kind) == (
        "ttp",
        "Tehrik-e-Taliban Pakistan",
        "armed group",
        "actor",
    )
    assert profile.aliases == ("Pakistani Taliban", "TTP", "Tehreek-e Taliban Pakistan", "Tehreek-e-Taliban Pakistan")
    assert [link for link in profile.relationships if link.status == "fact"] == [
        Link("ttp", "alliedWith", "afghan-taliban", "fact", SRC1, (18,)),
        Link("ttp", "targets", "pakistan", "fact", SRC1, (15,)),
        Link("ttp", "targets", "pakistan-security-forces", "fact", SRC1, (18,)),
    ]
    assert [
        (link.subject, link.relation, link.object, link.status, link.claim)
        for link in profile.relationships
        if link.status != "fact"
    ] == [
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
        ("un-officials-ttp-nato-weapons", ("united-nations",), "disputed by taliban-reject-unsc-report"),
        ("un-report-weapons-to-iskp", ("regional-member-states",), "undisputed"),
    ]
    assert profile.sources == {SRC1: "Tajikistan forces kill three ‘terrorists’ who crossed border from Afghanistan"}


def test_profile_lists_events_with_their_dates_and_roles(kg_graph):
    assert kg_graph.show("Jamaat Ansarullah").events == (
        EventRole(
            "ja-crossing-vanj-2023-04-26",
            "2023-04-26",
            "perpetrator",
            "Two Ansarullah members cross illegally into Vanj district",
            SRC1,
            (10,),
        ),
        EventRole(
            "ja-crossing-darvaz-2023-08-30",
            "2023-08-30",
            "perpetrator",
            "Jamaat Ansarullah members cross illegally from Afghanistan into Darvaz",
            SRC1,
            (2, 3, 4),
        ),
        EventRole(
            "ja-operation-vanj-2023-04",
            None,
            "target",
            "Counter-terrorist operation against the two Ansarullah members in Vanj",
            SRC1,
            (10,),
        ),
        EventRole(
            "ja-shootout-2023-08",
            None,
            "target",
            "Tajik counter-terrorism unit kills three Jamaat Ansarullah members",
            SRC1,
            (2, 3, 5, 6, 7),
        ),
    )


def test_profile_of_a_disputed_claim(kg_graph):
    profile = kg_graph.show("sana-us-evacuated-is-leaders")
    assert (profile.kind, profile.type, profile.claim.claimants, profile.claim.status) == (
        "claim",
        "accusation",
        ("sana",),
        "disputed by coalition-denies-evacuation",
    )
    assert profile.relationships == (
        Link(
            "united-states",
            "supports",
            "islamic-state",
            "disputed",
            "000_c8205b38d0f11d5b",
            (7,),
            "sana-us-evacuated-is-leaders",
            None,
            "2017",
        ),
    )


def test_every_profile_as_the_whole_projection_gives_it(oxigraph, store):
    """kg show reads only the entity's statements; what it finds is what the whole projection has
    (statuses and facts on the curator's knowledge included; beside the figures it adds)."""
    net = network.to_networkx(store, claims=True)
    every_claim, every_date = profile.claims(store), profile.dates(store)
    for ident in sorted({*net.nodes, *every_claim}):
        expected = profile.profile(store, ident, net, every_claim, every_date)
        found = profile.profile_of(oxigraph, ident)
        assert (found.relationships, found.claims_made, found.claims_about) == (
            expected.relationships,
            expected.claims_made,
            expected.claims_about,
        ), ident
        assert found.events == expected.events, ident
        assert (found.label, found.type, found.aliases, found.date) == (
            expected.label,
            expected.type,
            expected.aliases,
            expected.date,
        )


def test_an_events_figures_and_their_totals(kg_graph):
    found = kg_graph.show("ishkobod-attack")
    detained = [(f.figure, f.reporter, f.subset) for f in found.figures if f.measure == "detained"]
    assert detained == [("5", "tajik-border-service", False), ("4", "tajik-interior-ministry", False)]
    assert [str(t) for t in found.totals] == [
        "4-5 detained: Ministry of Internal Affairs of Tajikistan 4, Tajik Border Service 5",
        "20 fighters",
        "17 killed",
        "5 seized (firearms)",
    ]
    seized = next(f for f in found.figures if f.measure == "seized")
    assert (seized.item, seized.taken_by, seized.taken_from) == (
        "firearms",
        "ishkobod-attackers",
        "tajik-border-service",
    )


def test_a_suspected_role_and_a_fact_on_the_curators_knowledge(kg_graph):
    roles = {e.event: e.qualifier for e in kg_graph.show("imu").events}
    assert (roles["istaravshan-grenade-2013"], roles["mastchoh-operation-2013"]) == ("suspected", None)
    khatlon = [link for link in kg_graph.show("qabodiyon-district").relationships if link.object == "khatlon"]
    assert [(link.relation, link.source, link.paragraphs) for link in khatlon] == [("locatedIn", "", ())]
    assert khatlon[0].basis.startswith("Qabodiyon (Kabadiyan) is a district of Khatlon region")


def test_a_disputed_event(graph):
    """A claim that disputes an event marks the event disputed (a triple added to a copy of the graph)."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    ns = MemoryStore(graph).namespaces
    copy.add((ns.id["afghan-mod-denies-crossing"], KG.disputes, ns.id["ishkobod-attackers-crossing"]))
    found = KnowledgeGraph(MemoryStore(copy, ns)).show("ishkobod-attackers-crossing")
    assert found.disputed_by == ("afghan-mod-denies-crossing",)
    assert str(found).splitlines()[4] == "status: disputed by afghan-mod-denies-crossing"


def test_what_the_curator_inferred_of_a_date_is_shown_with_its_reason(kg_graph):
    attack = kg_graph.show("ishkobod-attack")
    reason = "Month and day from paragraphs 4 and 8; year from the curator's knowledge (see the source's date)."
    assert attack.date_inferred == (("year", reason),)
    assert str(attack).splitlines()[2:4] == ["date: 2018-11-06", f"  year inferred: {reason}"]
    assert kg_graph.show("ttp").date_inferred == ()
    from conftest import DATA

    from kg.pipeline import compile_graph

    arrests = KnowledgeGraph(MemoryStore(compile_graph(DATA / "qualified"))).show("ford-post-arrests")
    assert arrests.date_inferred == (
        (
            "date",
            "Paragraph 3 gives no day; the wire of 6 May reports the arrests with the attack of the night before.",
        ),
    )
