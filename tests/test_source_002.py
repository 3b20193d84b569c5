"""Source 002 (CABAR.asia, the Ishkobod attack): exact facts and claims through SPARQL."""

from __future__ import annotations

from conftest import ask, select


def test_attackers_killed_and_detained_with_their_reporters(graph):
    rows = select(
        graph,
        """
        SELECT ?measure ?value ?reporter WHERE {
            id:ishkobod-attack kg:reportedCount ?c .
            ?c kg:side kg:perpetratorSide ; kg:party id:ishkobod-attackers ;
               kg:measure ?measure ; rdf:value ?value ; kg:reportedBy ?reporter .
            FILTER (?measure IN (kg:killed, kg:detained))
        }""",
    )
    assert rows == [
        ("kg:detained", "4", "id:tajik-interior-ministry"),
        ("kg:detained", "5", "id:tajik-border-service"),
        ("kg:killed", "15", "id:tajik-border-service"),
    ]


def test_group_size_guns_seized_and_state_losses(graph):
    rows = select(
        graph,
        """
        SELECT ?measure ?side ?party ?value ?item WHERE {
            id:ishkobod-attack kg:reportedCount ?c .
            ?c kg:measure ?measure ; kg:side ?side ; kg:party ?party ; rdf:value ?value ;
               kg:reportedBy id:tajik-border-service .
            OPTIONAL { ?c kg:item ?item }
            FILTER (?measure != kg:detained && !(?measure = kg:killed && ?side = kg:perpetratorSide))
        }""",
    )
    assert rows == [
        ("kg:fighters", "kg:perpetratorSide", "id:ishkobod-attackers", "20", None),
        ("kg:killed", "kg:responderSide", "id:tajik-interior-ministry", "1", None),
        ("kg:killed", "kg:targetSide", "id:tajik-border-service", "1", None),
        ("kg:seized", "kg:perpetratorSide", "id:ishkobod-attackers", "5", "firearms"),
    ]


def test_is_attribution_is_claimed_not_a_fact(graph):
    rows = select(
        graph,
        """
        SELECT ?claim ?by WHERE {
            ?claim a kg:Attribution ; prov:wasAttributedTo ?by ; kg:asserts ?st .
            ?st rdf:subject id:ishkobod-attack ; rdf:predicate kg:perpetrator ;
                rdf:object id:islamic-state .
        }""",
    )
    assert rows == [
        ("id:border-service-is-attribution", "id:tajik-border-service"),
        ("id:tajik-authorities-is-attribution", "id:tajikistan"),
    ]
    assert not ask(graph, "ASK { id:ishkobod-attack kg:perpetrator id:islamic-state }")
    assert not ask(graph, "ASK { id:ishkobod-attackers kg:memberOf id:islamic-state }")
    assert select(graph, "SELECT ?p WHERE { id:ishkobod-attack kg:perpetrator ?p }") == [("id:ishkobod-attackers",)]


def test_who_questions_or_denies_the_official_account(graph):
    rows = select(
        graph,
        """
        SELECT ?type ?by ?disputed WHERE {
            ?claim kg:disputes ?disputed ; prov:wasAttributedTo ?by ; a ?type .
            ?type rdfs:subClassOf kg:Claim .
            FILTER (?disputed IN (id:tajik-authorities-is-attribution,
                                  id:border-service-is-attribution,
                                  id:border-service-crossing-from-afghanistan))
        }""",
    )
    assert rows == [
        ("kg:Assessment", "id:cabar-asia", "id:border-service-is-attribution"),
        ("kg:Assessment", "id:muzaffar-olimov", "id:border-service-is-attribution"),
        ("kg:Assessment", "id:muzaffar-olimov", "id:tajik-authorities-is-attribution"),
        ("kg:Assessment", "id:tajik-experts", "id:tajik-authorities-is-attribution"),
        ("kg:Denial", "id:afghan-defence-ministry", "id:border-service-crossing-from-afghanistan"),
    ]


def test_afghan_denial_date_outlet_and_intermediary(graph):
    rows = select(
        graph,
        """
        SELECT ?date ?outlet ?via WHERE {
            id:afghan-mod-denies-crossing dcterms:date ?date ; kg:reportedBy ?outlet ;
                                          kg:reportedVia ?via ; kg:yearInferredFrom ?why .
        }""",
    )
    assert rows == [("2018-11-07", "id:cabar-asia", "id:radio-liberty-afghan-service")]


def test_crossing_is_a_phase_of_the_attack_and_years_are_inferred(graph):
    rows = select(
        graph,
        """
        SELECT ?event ?date ?time ?from ?to WHERE {
            VALUES ?event { id:ishkobod-attack id:ishkobod-attackers-crossing }
            ?event dcterms:date ?date ; kg:yearInferredFrom ?why .
            OPTIONAL { ?event kg:time ?time }
            OPTIONAL { ?event kg:fromPlace ?from ; kg:toPlace ?to }
        }""",
    )
    assert rows == [
        ("id:ishkobod-attack", "2018-11-06", "03:23:00", None, None),
        ("id:ishkobod-attackers-crossing", "2018-11-03", None, "id:qalai-zol-district", "id:qabodiyon-district"),
    ]
    assert ask(graph, "ASK { id:ishkobod-attackers-crossing kg:subEventOf id:ishkobod-attack }")
    assert ask(graph, "ASK { src:002_5f06e7e4ae4f28ef kg:yearInferredFrom ?why }")


def test_post_belongs_to_the_sultonobod_unit_of_the_border_service(graph):
    rows = select(
        graph,
        """
        SELECT ?unit ?service ?committee WHERE {
            id:ishkobod-border-post kg:operatedBy ?unit .
            ?unit kg:partOf ?service . ?service kg:partOf ?committee .
            ?committee kg:partOf id:tajikistan .
        }""",
    )
    assert rows == [("id:sultonobod-border-unit", "id:tajik-border-service", "id:tajikistan-gknb")]


def test_named_dead_and_the_interior_ministry_spokesman_via_nyt(graph):
    rows = select(
        graph,
        """
        SELECT ?victim ?org ?role WHERE {
            id:ishkobod-attack kg:victim ?victim .
            ?f a kg:Fact ; rdf:subject ?victim ; rdf:predicate kg:worksFor ; rdf:object ?org ;
               kg:roleTitle ?role .
        }""",
    )
    assert rows == [
        ("id:bahrom-kosimzoda", "id:tajik-interior-ministry", "local police officer"),
        ("id:izzatullo-latipov", "id:tajik-border-service", "warrant officer (contract service)"),
    ]
    rows = select(
        graph,
        """
        SELECT ?by ?role ?via WHERE {
            ?claim kg:asserts [ rdf:subject id:ishkobod-attackers ; rdf:predicate kg:nationalOf ;
                                rdf:object id:tajikistan ] ;
                   prov:wasAttributedTo ?by ; kg:reportedVia ?via .
            ?f a kg:Fact ; rdf:subject ?by ; rdf:predicate kg:holdsRoleIn ;
               rdf:object id:tajik-interior-ministry ; kg:roleTitle ?role .
        }""",
    )
    assert rows == [("id:umarjon-emomali", "spokesperson", "id:new-york-times")]


def test_rahmon_visit_and_the_unfulfilled_irp_forecast(graph):
    rows = select(
        graph,
        """
        SELECT ?start ?end ?place WHERE {
            id:rahmon-switzerland-visit-2018 kg:participant id:emomali-rahmon ; kg:place ?place ;
                kg:startDate ?start ; kg:endDate ?end .
        }""",
    )
    assert rows == [("2018-11-04", "2018-11-12", "id:switzerland")]
    rows = select(
        graph,
        """
        SELECT ?by WHERE {
            id:bekmuhammad-coincidence kg:disputes ?forecast .
            ?forecast a kg:Forecast ; prov:wasAttributedTo ?by ; kg:concerns id:irp .
        }""",
    )
    assert rows == [("id:tajik-experts",)]
