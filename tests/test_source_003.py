"""Source 003 (unnamed outlet, AFP wire copy citing Khovar): exact facts, counts and claims."""

from __future__ import annotations

from conftest import ask, select


def test_khatlon_operation_count_reported_by_security_services_via_khovar(graph):
    rows = select(
        graph,
        """
        SELECT ?n ?reporter ?via ?place ?target WHERE {
            id:khatlon-operation-2026-01 a kg:SecurityOperation ; kg:place ?place ;
                kg:target ?target ; kg:subEventOf id:militants-crossing-khatlon-2026-01 ;
                kg:reportedCount [ kg:measure kg:killed ; kg:side kg:perpetratorSide ;
                                   rdf:value ?n ; kg:reportedBy ?reporter ; kg:reportedVia ?via ] .
        }""",
    )
    assert rows == [("4", "id:tajikistan-security-services", "id:khovar", "id:khatlon", "id:khatlon-militants-2026")]
    # "on Sunday": no date is recorded
    assert not ask(graph, "ASK { id:khatlon-operation-2026-01 dcterms:date ?d }")


def test_border_tallies_are_at_least_figures_with_their_reporters(graph):
    rows = select(
        graph,
        """
        SELECT ?measure ?min ?reporter WHERE {
            ?c a kg:ReportedCount ; dcterms:source src:003_ce4f7711c776f642 ; kg:measure ?measure ;
               kg:minValue ?min ; kg:reportedBy ?reporter .
            id:afghanistan-tajikistan-border kg:reportedCount ?c .
            FILTER NOT EXISTS { ?c kg:maxValue ?max }
        }""",
    )
    assert rows == [("kg:incidents", "5", "id:tajikistan"), ("kg:killed", "16", "id:afp")]


def test_attacks_on_chinese_workers_two_dated_sub_events_with_inferred_year(graph):
    rows = select(
        graph,
        """
        SELECT ?attack ?date ?precision WHERE {
            ?attack a kg:Attack ; kg:subEventOf id:attacks-on-chinese-workers-2025 ;
                    dcterms:date ?date ; kg:datePrecision ?precision ; kg:yearInferredFrom ?why ;
                    kg:target id:chinese-workers-tajikistan .
        }""",
    )
    assert rows == [
        ("id:attack-chinese-workers-2025-11", "2025-11", "month"),
        ("id:attack-chinese-workers-2025-12", "2025-12", "month"),
    ]
    rows = select(
        graph,
        """
        SELECT ?n ?party WHERE { id:attacks-on-chinese-workers-2025 kg:reportedCount
            [ kg:measure kg:killed ; kg:side kg:targetSide ; rdf:value ?n ; kg:party ?party ] }""",
    )
    assert rows == [("5", "id:chinese-workers-tajikistan")]


def test_jamaat_ansarullah_aims_per_the_december_un_report(graph):
    rows = select(
        graph,
        """
        SELECT ?pred ?obj ?by ?doc ?date WHERE {
            id:un-ja-fighters-destabilise-tajikistan a kg:Allegation ; prov:wasAttributedTo ?by ;
                kg:statedIn ?doc ; dcterms:date ?date ; kg:yearInferredFrom ?why ;
                kg:asserts [ rdf:subject id:jamaat-ansarullah ; rdf:predicate ?pred ;
                             rdf:object ?obj ] .
        }""",
    )
    assert rows == [
        ("kg:aimsToDestabilise", "id:tajikistan", "id:united-nations", "id:un-report-afghanistan-2025-12", "2025-12"),
        ("kg:operatesIn", "id:afghanistan", "id:united-nations", "id:un-report-afghanistan-2025-12", "2025-12"),
    ]
    assert ask(graph, "ASK { id:un-report-afghanistan-2025-12 kg:authoredBy id:united-nations }")


def test_rahmon_president_critical_of_taliban_yet_limited_cooperation(graph):
    rows = select(
        graph,
        """
        SELECT ?role WHERE {
            ?f a kg:Fact ; rdf:subject id:emomali-rahmon ; rdf:predicate kg:leads ;
               rdf:object id:tajikistan ; kg:roleTitle ?role ;
               prov:wasDerivedFrom [ dcterms:isPartOf src:003_ce4f7711c776f642 ] .
        }""",
    )
    assert rows == [("president",)]
    assert ask(graph, "ASK { id:emomali-rahmon kg:criticises id:afghan-taliban }")
    rows = select(graph, "SELECT ?x WHERE { ?x kg:cooperatesWith id:afghan-taliban }")
    assert rows == [("id:tajikistan",)]


def test_iskp_is_a_branch_and_its_presence_is_a_tajik_claim(graph):
    assert ask(graph, "ASK { id:islamic-state-khorasan kg:branchOf id:islamic-state }")
    rows = select(
        graph,
        """
        SELECT ?claim ?type WHERE {
            ?claim prov:wasAttributedTo id:tajikistan ; a ?type ;
                   kg:asserts [ rdf:subject id:islamic-state-khorasan ; rdf:predicate kg:operatesIn ;
                                rdf:object id:afghanistan ] .
            FILTER (?type != kg:Claim)
        }""",
    )
    assert rows == [("id:tajikistan-concern-iskp-afghanistan", "kg:Assessment")]
    assert not ask(graph, "ASK { id:islamic-state-khorasan kg:operatesIn id:afghanistan }")


def test_stray_headline_is_listed_uncited_and_source_year_inferred(graph):
    cited = """ASK { ?x prov:wasDerivedFrom ?p . ?p kg:paragraph ?n ;
                          dcterms:isPartOf src:003_ce4f7711c776f642 . FILTER (?n = %d) }"""
    assert ask(graph, cited % 1)
    assert not ask(graph, cited % 2)
    rows = select(
        graph,
        """
        SELECT ?date WHERE { src:003_ce4f7711c776f642 dcterms:date ?date ; kg:yearInferredFrom ?w }""",
    )
    assert rows == [("2026-01",)]
