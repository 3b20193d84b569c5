"""Source 001 (Amu TV): exact facts, events, counts and claims through SPARQL."""

from __future__ import annotations

from conftest import ask, select


def test_ttp_is_allied_with_the_afghan_taliban_only(graph):
    rows = select(graph, "SELECT ?ally WHERE { id:ttp kg:alliedWith ?ally }")
    assert rows == [("id:afghan-taliban",)]
    rows = select(
        graph,
        """
        SELECT ?para WHERE {
            ?f a kg:Fact ; rdf:subject id:ttp ; rdf:predicate kg:alliedWith ;
               rdf:object id:afghan-taliban ; prov:wasDerivedFrom ?p .
            ?p kg:paragraph ?para ; dcterms:isPartOf src:001_084b21e3a6584c55 .
        }""",
    )
    assert rows == [("18",)]


def test_shootout_deaths_reported_by_gknb_via_akipress(graph):
    rows = select(
        graph,
        """
        SELECT ?n ?reporter ?via ?responder ?target WHERE {
            id:ja-shootout-2023-08 a kg:SecurityOperation ;
                kg:respondingForce ?responder ; kg:target ?target ;
                kg:subEventOf id:ja-crossing-darvaz-2023-08-30 ;
                kg:reportedCount [ kg:measure kg:killed ; kg:side kg:perpetratorSide ;
                                   rdf:value ?n ; kg:reportedBy ?reporter ; kg:reportedVia ?via ] .
        }""",
    )
    assert rows == [
        ("3", "id:tajikistan-gknb", "id:akipress", "id:tajikistan-counter-terrorism-unit", "id:jamaat-ansarullah")
    ]


def test_seized_items_one_count_per_kind(graph):
    rows = select(
        graph,
        """
        SELECT ?item ?n WHERE {
            id:ja-shootout-2023-08 kg:reportedCount
                [ kg:measure kg:seized ; kg:item ?item ; rdf:value ?n ;
                  kg:reportedBy id:tajikistan-gknb ] .
        }""",
    )
    assert rows == [
        ("Kalashnikov assault rifles", "5"),
        ("M-16 sniper rifles", "2"),
        ("M-4 carbine", "1"),
        ("detonator capsules", "162"),
        ("hand grenades", "13"),
        ("packs of explosives", "30"),
        ("pistols", "4"),
    ]
    rows = select(
        graph,
        """
        SELECT ?n WHERE { id:ja-shootout-2023-08 kg:reportedCount
                          [ kg:measure kg:money ; rdf:value ?n ] }""",
    )
    assert rows == [("10000",)]


def test_crossing_date_place_and_inferred_year(graph):
    rows = select(
        graph,
        """
        SELECT ?date ?precision ?from ?to ?place WHERE {
            id:ja-crossing-darvaz-2023-08-30 a kg:BorderCrossing ; dcterms:date ?date ;
                kg:datePrecision ?precision ; kg:yearInferredFrom ?why ;
                kg:perpetrator id:jamaat-ansarullah ;
                kg:fromPlace ?from ; kg:toPlace ?to ; kg:place ?place .
            FILTER (?place != id:afghanistan-tajikistan-border)
        }""",
    )
    assert rows == [("2023-08-30", "day", "id:afghanistan", "id:tajikistan", "id:kevron")]
    # Kevron -> Darvaz -> Gorno-Badakhshan -> Tajikistan
    rows = select(graph, "SELECT ?up WHERE { id:kevron kg:locatedIn+ ?up }")
    assert rows == [("id:darvaz",), ("id:gorno-badakhshan",), ("id:tajikistan",)]


def test_gknb_named_inconsistently_is_one_entity(graph):
    rows = select(
        graph,
        """
        SELECT ?alias WHERE { id:tajikistan-gknb skos:altLabel ?alias .
                              FILTER (STRSTARTS(STR(?alias), "State Security")) }""",
    )
    assert rows == [("State Security Committee",), ("State Security Council",)]
    assert ask(
        graph,
        """ASK { id:ja-crossing-darvaz-2023-08-30 skos:note ?n .
                              FILTER (CONTAINS(?n, "State Security Council")) }""",
    )


def test_ansarullah_destabilisation_is_a_gknb_claim_not_a_fact(graph):
    rows = select(
        graph,
        """
        SELECT ?claim ?by ?via WHERE {
            ?claim kg:asserts [ rdf:subject id:jamaat-ansarullah ;
                                rdf:predicate kg:aimsToDestabilise ; rdf:object id:tajikistan ] ;
                   prov:wasAttributedTo ?by ; dcterms:source src:001_084b21e3a6584c55 ;
                   kg:reportedVia ?via .
        }""",
    )
    assert rows == [("id:gknb-ansarullah-destabilisation", "id:tajikistan-gknb", "id:asia-plus")]
    assert not ask(graph, "ASK { id:jamaat-ansarullah kg:aimsToDestabilise ?anything }")


def test_claims_the_taliban_rejected_and_who_made_them(graph):
    rows = select(
        graph,
        """
        SELECT ?denial ?claim ?claimant WHERE {
            ?denial a kg:Denial ; prov:wasAttributedTo id:afghan-taliban ;
                    dcterms:source src:001_084b21e3a6584c55 ; kg:disputes ?claim .
            ?claim prov:wasAttributedTo ?claimant .
        }""",
    )
    assert rows == [
        (
            "id:taliban-reject-iran-claim",
            "id:amirabdollahian-daesh-leaders-to-afghanistan",
            "id:hossein-amirabdollahian",
        ),
        ("id:taliban-reject-unsc-report", "id:un-officials-ttp-nato-weapons", "id:united-nations"),
        ("id:taliban-reject-unsc-report", "id:unsc-report-groups-in-afghanistan", "id:un-security-council"),
    ]


def test_un_report_claim_is_stated_in_a_document_authored_by_the_security_council(graph):
    rows = select(
        graph,
        """
        SELECT ?claim ?author WHERE {
            ?claim kg:statedIn id:unsc-report-afghanistan-2023 .
            id:unsc-report-afghanistan-2023 a kg:Document ; kg:authoredBy ?author .
        }""",
    )
    assert rows == [
        ("id:un-report-weapons-to-iskp", "id:un-security-council"),
        ("id:unsc-report-groups-in-afghanistan", "id:un-security-council"),
    ]
    rows = select(
        graph,
        """
        SELECT ?s ?o WHERE {
            id:un-report-weapons-to-iskp kg:asserts [ rdf:subject ?s ; rdf:predicate kg:supplies ;
                                                      rdf:object ?o ] }""",
    )
    assert rows == [("id:etim", "id:islamic-state-khorasan"), ("id:ttp", "id:islamic-state-khorasan")]
    assert not ask(graph, "ASK { id:ttp kg:supplies id:islamic-state-khorasan }")


def test_pakistan_accuses_taliban_of_sheltering_ttp_but_it_is_no_fact(graph):
    rows = select(
        graph,
        """
        SELECT ?claim ?type WHERE {
            ?claim prov:wasAttributedTo id:pakistan ; a ?type ;
                   kg:asserts [ rdf:subject id:afghan-taliban ; rdf:predicate kg:shelters ;
                                rdf:object id:ttp ] .
            FILTER (?type != kg:Claim)
        }""",
    )
    assert rows == [("id:pakistan-taliban-shelter-ttp", "kg:Accusation")]
    assert not ask(graph, "ASK { id:afghan-taliban kg:shelters id:ttp }")


def test_kakar_role_and_claim(graph):
    rows = select(
        graph,
        """
        SELECT ?org ?role ?asserted WHERE {
            ?f a kg:Fact ; rdf:subject id:anwaar-ul-haq-kakar ; rdf:predicate kg:holdsRoleIn ;
               rdf:object ?org ; kg:roleTitle ?role .
            id:kakar-us-equipment-reached-ttp a kg:Allegation ;
                prov:wasAttributedTo id:anwaar-ul-haq-kakar ; kg:reportedBy id:amu-tv ;
                kg:asserts [ rdf:subject id:united-states ; rdf:predicate ?asserted ;
                             rdf:object id:ttp ] .
        }""",
    )
    assert rows == [("id:pakistan", "caretaker prime minister", "kg:supplies")]
    assert not ask(graph, "ASK { id:kakar-us-equipment-reached-ttp dcterms:date ?d }")


def test_article_metadata(graph):
    rows = select(
        graph,
        """
        SELECT ?outlet ?date WHERE {
            src:001_084b21e3a6584c55 dcterms:publisher ?outlet ; dcterms:date ?date ;
                                     kg:yearInferredFrom ?why .
        }""",
    )
    assert rows == [("id:amu-tv", "2023-09")]
    rows = select(graph, "SELECT ?o WHERE { src:001_084b21e3a6584c55 kg:citesOutlet ?o }")
    assert rows == [("id:akipress",), ("id:asia-plus",)]


def test_weapons_to_iskp_claim_is_by_regional_member_states_relayed_by_the_un(graph):
    rows = select(
        graph,
        """
        SELECT ?by ?type ?outlet ?via ?para WHERE {
            id:un-report-weapons-to-iskp prov:wasAttributedTo ?by ; kg:reportedBy ?outlet ;
                kg:reportedVia ?via ; prov:wasDerivedFrom [ kg:paragraph ?para ] .
            ?by a ?type .
        }""",
    )
    assert rows == [("id:regional-member-states", "kg:UnnamedSource", "id:amu-tv", "id:united-nations", "22")]
    assert not ask(graph, "ASK { id:un-report-weapons-to-iskp prov:wasAttributedTo id:united-nations }")


def test_source_001_does_not_say_where_jamaat_ansarullah_is_based(graph):
    assert not ask(
        graph,
        """ASK { ?f a kg:Fact ; rdf:subject id:jamaat-ansarullah ; rdf:predicate kg:basedIn ;
                     prov:wasDerivedFrom [ dcterms:isPartOf src:001_084b21e3a6584c55 ] }""",
    )
    assert not ask(graph, "ASK { id:jamaat-ansarullah kg:basedIn ?place }")


def test_pakistan_borders_afghanistan_by_paragraph_15(graph):
    rows = select(
        graph,
        """
        SELECT ?para WHERE {
            ?f a kg:Fact ; rdf:subject id:pakistan ; rdf:predicate kg:borders ; rdf:object id:afghanistan ;
               prov:wasDerivedFrom ?p .
            ?p kg:paragraph ?para ; dcterms:isPartOf src:001_084b21e3a6584c55 .
        }""",
    )
    assert rows == [("15",)]
    assert ask(graph, "ASK { id:afghanistan kg:borders id:pakistan }")


def test_weapons_were_taken_by_the_special_forces_from_jamaat_ansarullah(graph):
    rows = select(
        graph,
        """
        SELECT DISTINCT ?by ?from WHERE {
            id:ja-shootout-2023-08 kg:reportedCount [ kg:measure kg:seized ; kg:takenBy ?by ; kg:takenFrom ?from ] .
        }""",
    )
    assert rows == [("id:tajikistan-counter-terrorism-unit", "id:jamaat-ansarullah")]
    # every seized count of the shoot-out says both who took the items and from whom
    assert not ask(
        graph,
        """ASK { id:ja-shootout-2023-08 kg:reportedCount ?c . ?c kg:measure kg:seized .
                 FILTER NOT EXISTS { ?c kg:takenBy ?by ; kg:takenFrom ?from } }""",
    )


def test_the_briefed_security_council_is_marked_inferred(graph):
    rows = select(
        graph,
        """
        SELECT ?party ?why WHERE {
            id:unsc-counter-terrorism-briefing-2023 kg:participant ?party ; kg:inferredBecause ?why .
        }""",
    )
    assert [party for party, _ in rows] == ["id:un-security-council", "id:united-nations"]
    assert '"the Security Council"' in rows[0][1]
