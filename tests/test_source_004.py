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
    rows = select(
        graph,
        """
        SELECT ?value ?reporter ?chair WHERE {
            id:kizil-nishon-arrests-2013 kg:reportedCount ?c .
            ?c kg:measure kg:detained ; rdf:value ?value ; kg:reportedBy ?reporter .
            ?chair kg:leads ?reporter .
        }""",
    )
    assert rows == [("6", "id:qabodiyon-district-administration", "id:abdulmumin-ulfatov")]
    assert ask(graph, "ASK { id:kizil-nishon kg:locatedIn+ id:khatlon }")
    assert ask(graph, "ASK { id:sughd kg:borders id:uzbekistan , id:kyrgyzstan }")


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
