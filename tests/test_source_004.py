"""Source 004 (Central Asia Online, IMU infiltration, early 2013): exact facts and claims."""

from __future__ import annotations

from conftest import ask, select


def test_mastchoh_operation_counts_and_reporter(graph):
    rows = select(
        graph,
        """
        SELECT ?measure ?side ?party ?value ?reporter WHERE {
            id:mastchoh-operation-2013 kg:reportedCount ?c .
            ?c kg:measure ?measure ; kg:side ?side ; rdf:value ?value ; kg:reportedBy ?reporter .
            OPTIONAL { ?c kg:party ?party }
        }""",
    )
    assert rows == [
        ("kg:detained", "kg:perpetratorSide", "id:imu", "9", "id:ramazon-rakhimov"),
        ("kg:killed", "kg:perpetratorSide", "id:imu", "1", "id:ramazon-rakhimov"),
        ("kg:killed", "kg:responderSide", None, "1", "id:ramazon-rakhimov"),
    ]
    rows = select(
        graph,
        """
        SELECT ?role WHERE {
            ?f a kg:Fact ; rdf:subject id:ramazon-rakhimov ; rdf:predicate kg:leads ;
               rdf:object id:tajik-interior-ministry ; kg:roleTitle ?role .
        }""",
    )
    assert rows == [("Interior Minister",)]


def test_operations_are_parts_of_the_crackdown_with_inferred_years(graph):
    rows = select(
        graph,
        """
        SELECT ?event ?date ?place WHERE {
            ?event kg:subEventOf id:tajik-crackdown-imu-2013 ; kg:place ?place .
            OPTIONAL { ?event dcterms:date ?date ; kg:yearInferredFrom ?why }
        }""",
    )
    assert rows == [
        ("id:istaravshan-grenade-2013", "2013-01-19", "id:istaravshan"),
        ("id:kizil-nishon-arrests-2013", None, "id:kizil-nishon"),
        ("id:mastchoh-operation-2013", "2013-01-18", "id:mastchoh-district"),
    ]
    rows = select(
        graph,
        """
        SELECT ?date ?precision WHERE {
            src:004_f40853ec4d41faf2 dcterms:date ?date ; kg:datePrecision ?precision ;
                                     kg:yearInferredFrom ?why .
        }""",
    )
    assert rows == [("2013", "year")]


def test_imu_infiltration_is_a_ministry_claim_not_a_fact(graph):
    rows = select(
        graph,
        """
        SELECT ?by ?value ?approx ?reporter WHERE {
            ?claim a kg:Allegation ; prov:wasAttributedTo ?by ;
                   kg:asserts [ rdf:subject id:imu ; rdf:predicate kg:operatesIn ; rdf:object id:sughd ] ;
                   kg:reportedCount ?c .
            ?c kg:measure kg:fighters ; rdf:value ?value ; kg:approximate ?approx ;
               kg:reportedBy ?reporter .
        }""",
    )
    assert rows == [("id:tajik-interior-ministry", "100", "true", "id:tajik-interior-ministry")]
    assert not ask(graph, "ASK { id:imu kg:operatesIn id:sughd }")
    assert not ask(graph, "ASK { id:imu kg:aimsToDestabilise id:tajikistan }")


def test_who_says_the_imu_aims_to_destabilise_tajikistan(graph):
    rows = select(
        graph,
        """
        SELECT ?by ?type WHERE {
            ?claim prov:wasAttributedTo ?by ; a ?type ;
                   kg:asserts [ rdf:subject id:imu ; rdf:predicate kg:aimsToDestabilise ;
                                rdf:object id:tajikistan ] .
            ?type rdfs:subClassOf kg:Claim .
        }""",
    )
    assert rows == [("id:shakhobiddin-ziyoyev", "kg:Assessment"), ("id:tajik-interior-ministry", "kg:Assessment")]


def test_rahmon_at_the_security_council_session(graph):
    rows = select(
        graph,
        """
        SELECT ?date ?claim WHERE {
            id:tajik-security-council-session-2013-01-24 a kg:Meeting ; dcterms:date ?date ;
                kg:participant id:emomali-rahmon, id:tajik-security-council .
            ?claim prov:wasAttributedTo id:emomali-rahmon ; dcterms:date ?date ;
                   dcterms:source src:004_f40853ec4d41faf2 .
        }""",
    )
    assert rows == [("2013-01-24", "id:rahmon-imu-from-afghanistan"), ("2013-01-24", "id:rahmon-strengthen-security")]


def test_kizil_nishon_arrests_reporter_and_containment(graph):
    # 004:19: Ulfatov, chairman of the Kabadiyan District administration, gave the figure
    rows = select(
        graph,
        """
        SELECT ?value ?reporter ?office WHERE {
            id:kizil-nishon-arrests-2013 kg:reportedCount ?c .
            ?c kg:measure kg:detained ; rdf:value ?value ; kg:reportedBy ?reporter .
            ?reporter kg:leads ?office .
        }""",
    )
    assert rows == [("6", "id:abdulmumin-ulfatov", "id:qabodiyon-district-administration")]
    assert ask(graph, "ASK { id:sughd kg:borders id:uzbekistan , id:kyrgyzstan }")


def test_kizil_nishon_is_in_khatlon_by_paragraph_19_directly(graph):
    rows = select(
        graph,
        """
        SELECT ?obj ?n ?why WHERE {
            ?f a kg:Fact ; rdf:subject id:kizil-nishon ; rdf:predicate kg:locatedIn ; rdf:object ?obj ;
               prov:wasDerivedFrom [ dcterms:isPartOf src:004_f40853ec4d41faf2 ; kg:paragraph ?n ] .
            OPTIONAL { ?f kg:inferredBecause ?why }
        }""",
    )
    # the village in Khatlon is said (no inference); in Kabadiyan District it is inferred from 19-20
    assert [(obj, n, why is not None) for obj, n, why in rows] == [
        ("id:khatlon", "19", False),
        ("id:qabodiyon-district", "19", True),
        ("id:qabodiyon-district", "20", True),
    ]


def test_containments_the_article_does_not_state_are_the_curators_knowledge(graph):
    rows = select(
        graph,
        """
        SELECT ?s ?p ?o WHERE {
            ?f a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
               kg:basis kg:curatorKnowledge ; skos:editorialNote ?why .
            FILTER NOT EXISTS { ?f prov:wasDerivedFrom ?passage }
            FILTER NOT EXISTS { ?f dcterms:source ?source }
            FILTER (?s IN (id:mastchoh-district, id:istaravshan, id:qabodiyon-district, id:tajik-security-council))
        }""",
    )
    assert rows == [
        ("id:istaravshan", "kg:locatedIn", "id:sughd"),
        ("id:mastchoh-district", "kg:locatedIn", "id:sughd"),
        ("id:qabodiyon-district", "kg:locatedIn", "id:khatlon"),
        ("id:tajik-security-council", "kg:partOf", "id:tajikistan"),
    ]
    # the plain triples still hold, so events in Mastchoh and Istaravshan are events in Sughd
    assert ask(graph, "ASK { id:mastchoh-district kg:locatedIn id:sughd . id:istaravshan kg:locatedIn id:sughd }")


def test_suspects_are_suspected_not_members(graph):
    # 004:7, 9, 19: suspected IMU cells, a suspected IMU fighter, suspected IMU supporters
    rows = select(
        graph,
        """
        SELECT DISTINCT ?event ?status WHERE {
            ?f a kg:Fact ; rdf:subject ?event ; rdf:predicate kg:target ; rdf:object id:imu ;
               dcterms:source src:004_f40853ec4d41faf2 .
            OPTIONAL { ?f kg:status ?status }
        }""",
    )
    assert rows == [
        ("id:istaravshan-grenade-2013", "kg:suspected"),
        ("id:kizil-nishon-arrests-2013", "kg:suspected"),
        ("id:mastchoh-operation-2013", None),  # the minister's "armed IMU group", said plainly
        ("id:qabodiyon-counter-recruitment-2013", None),
        ("id:tajik-crackdown-imu-2013", "kg:suspected"),
    ]
    rows = select(
        graph,
        """
        SELECT ?event ?measure ?status WHERE {
            ?event kg:reportedCount ?c ; dcterms:source src:004_f40853ec4d41faf2 .
            ?c kg:party id:imu ; kg:measure ?measure .
            OPTIONAL { ?c kg:status ?status }
        }""",
    )
    assert rows == [
        ("id:istaravshan-grenade-2013", "kg:killed", "kg:suspected"),
        ("id:kizil-nishon-arrests-2013", "kg:detained", "kg:suspected"),
        ("id:mastchoh-operation-2013", "kg:detained", None),
        ("id:mastchoh-operation-2013", "kg:killed", None),
        ("id:mvd-imu-infiltration-north", "kg:fighters", None),  # the ministry's "IMU fighters"
    ]
    assert not ask(graph, "ASK { ?x kg:memberOf id:imu }")


def test_unnamed_security_analysts_forecast_beside_ziyoyev(graph):
    rows = select(
        graph,
        """
        SELECT ?by ?type ?outlet WHERE {
            id:analysts-imu-election-havoc a kg:Forecast ; prov:wasAttributedTo ?by ;
                kg:reportedBy ?outlet ;
                kg:asserts [ rdf:subject id:imu ; rdf:predicate kg:targets ;
                             rdf:object id:tajik-presidential-election-2013 ] .
            ?by a ?type . FILTER (?type IN (kg:UnnamedSource, kg:Person))
        }""",
    )
    assert rows == [
        ("id:security-analysts-central-asia-online", "kg:UnnamedSource", "id:central-asia-online"),
        ("id:shakhobiddin-ziyoyev", "kg:Person", "id:central-asia-online"),
    ]


def test_khatlon_infiltration_is_unattributed_reports_relayed_by_officials(graph):
    # 004:18: officials are concerned by reports; they are not the claimants
    rows = select(
        graph,
        """
        SELECT ?by ?via WHERE {
            id:officials-imu-moving-into-khatlon prov:wasAttributedTo ?by ; kg:reportedVia ?via ;
                kg:asserts [ rdf:subject id:imu ; rdf:predicate kg:operatesIn ; rdf:object id:khatlon ] .
        }""",
    )
    assert rows == [("id:unattributed-reports", "id:tajikistan-security-services")]
    rows = select(
        graph,
        """
        SELECT ?claim WHERE {
            ?claim prov:wasAttributedTo id:tajikistan-security-services ;
                   dcterms:source src:004_f40853ec4d41faf2 .
        }""",
    )
    assert rows == [("id:officials-imu-activity-rising",)]


def test_section_headings_are_left_uncited(graph):
    cited = """ASK { ?x prov:wasDerivedFrom ?p . ?p kg:paragraph ?n ;
                          dcterms:isPartOf src:004_f40853ec4d41faf2 . FILTER (?n = %d) }"""
    assert [n for n in (5, 6, 13, 21, 22) if ask(graph, cited % n)] == [5, 22]


def test_article_metadata(graph):
    rows = select(
        graph,
        """
        SELECT ?outlet ?author ?title WHERE {
            src:004_f40853ec4d41faf2 dcterms:publisher ?outlet ; dcterms:creator ?author ;
                                     dcterms:title ?title .
        }""",
    )
    assert rows == [("id:central-asia-online", "id:dilafruz-nabiyeva", "Tajikistan moves to fend off IMU infiltration")]
