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
        ("kg:Assessment", "id:tajik-experts", "id:tajik-authorities-is-attribution"),
        ("kg:Denial", "id:afghan-defence-ministry", "id:border-service-crossing-from-afghanistan"),
    ]


def test_olimov_and_bekmuhammad_dispute_nothing(graph):
    # Olimov (43-45) questions the attackers' training and the security lapse, not who they were;
    # Bekmuhammad did not rule out the commentators' motive (31), he doubts only its effect (32).
    assert not ask(graph, "ASK { id:olimov-attackers-amateurs kg:disputes ?anything }")
    assert not ask(graph, "ASK { id:bekmuhammad-relations-unaffected kg:disputes ?anything }")
    rows = select(
        graph,
        """
        SELECT ?para WHERE { id:olimov-attackers-amateurs prov:wasDerivedFrom [ kg:paragraph ?para ] }""",
    )
    assert rows == [("43",), ("44",), ("45",)]


def test_afghan_denial_disputes_the_crossing_event_itself(graph):
    rows = select(
        graph,
        """
        SELECT ?disputed ?type WHERE {
            id:afghan-mod-denies-crossing kg:disputes ?disputed . ?disputed a ?type .
            FILTER (?type != kg:Claim)
        }""",
    )
    assert rows == [
        ("id:border-service-crossing-from-afghanistan", "kg:Allegation"),
        ("id:ishkobod-attackers-crossing", "kg:BorderCrossing"),
    ]


def test_border_weakness_is_the_view_of_unnamed_sources_reported_by_cabar(graph):
    rows = select(
        graph,
        """
        SELECT ?by ?label ?type ?outlet WHERE {
            id:cabar-sources-border-weakness prov:wasAttributedTo ?by ; kg:reportedBy ?outlet .
            ?by a ?type ; skos:prefLabel ?label .
        }""",
    )
    assert rows == [("id:cabar-asia-sources", "CABAR.asia sources", "kg:UnnamedSource", "id:cabar-asia")]


def test_five_women_are_a_subset_of_the_attackers_from_unattributed_reports(graph):
    rows = select(
        graph,
        """
        SELECT ?by ?type ?outlet ?measure ?n ?item ?subset ?reporter WHERE {
            id:reports-five-women-attackers prov:wasAttributedTo ?by ; kg:reportedBy ?outlet ;
                kg:reportedCount ?c .
            ?by a ?type .
            ?c kg:measure ?measure ; rdf:value ?n ; kg:item ?item ; kg:subset ?subset ;
               kg:party id:ishkobod-attackers ; kg:reportedBy ?reporter .
        }""",
    )
    assert rows == [
        (
            "id:unattributed-reports",
            "kg:UnnamedSource",
            "id:cabar-asia",
            "kg:fighters",
            "5",
            "women",
            "true",
            "id:unattributed-reports",
        )
    ]


def test_the_dead_woman_in_the_photo_is_one_of_the_fifteen_not_added_to_them(graph, kg_graph):
    rows = select(
        graph,
        """
        SELECT ?low ?item ?total ?total_reporter WHERE {
            id:ishkobod-attack kg:reportedCount ?c .
            ?c kg:measure kg:killed ; kg:subset true ; kg:minValue ?low ; kg:item ?item ;
               kg:reportedBy id:cabar-asia ; kg:subsetOf ?of .
            ?of rdf:value ?total ; kg:reportedBy ?total_reporter .
        }""",
    )
    assert rows == [("1", "women", "15", "id:tajik-border-service")]
    result = kg_graph.run("events", **{"from": "2018-11-06", "to": "2018-11-06"})
    killed = {str(row[1]).rsplit("/", 1)[-1]: str(row[5]) for row in result.rows}
    assert killed["ishkobod-attack"] == "17"  # 15 attackers, a guard and a police officer; never 18


def test_guns_were_taken_by_the_attackers_from_the_border_service(graph):
    rows = select(
        graph,
        """
        SELECT ?n ?item ?by ?from WHERE {
            id:ishkobod-attack kg:reportedCount [ kg:measure kg:seized ; rdf:value ?n ; kg:item ?item ;
                                                  kg:takenBy ?by ; kg:takenFrom ?from ] .
        }""",
    )
    assert rows == [("5", "firearms", "id:ishkobod-attackers", "id:tajik-border-service")]


def test_esanboy_village_in_its_jamoat_is_the_curators_knowledge(graph):
    rows = select(
        graph,
        """
        SELECT ?basis ?why WHERE {
            ?f a kg:Fact ; rdf:subject id:esanboy ; rdf:predicate kg:locatedIn ; rdf:object id:esanboy-jamoat ;
               kg:basis ?basis ; skos:editorialNote ?why .
        }""",
    )
    assert [basis for basis, _ in rows] == ["kg:curatorKnowledge"]
    assert "No paragraph puts the village in the jamoat" in rows[0][1]
    assert not ask(
        graph,
        """ASK { ?f a kg:Fact ; rdf:subject id:esanboy ; rdf:predicate kg:locatedIn ;
                     rdf:object id:esanboy-jamoat .
                 { ?f prov:wasDerivedFrom ?p } UNION { ?f dcterms:source ?s } }""",
    )


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
