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
            FILTER NOT EXISTS { ?c kg:subset true }
        }""",
    )
    assert rows == [("kg:incidents", "5", "id:tajikistan"), ("kg:killed", "16", "id:afp")]


def test_border_guards_and_chinese_are_among_the_tallied_dead_as_subsets(graph):
    # 003:5: the dead of AFP's tally include Tajik border guards and Chinese nationals, with no
    # number: the plural says at least two of each
    rows = select(
        graph,
        """
        SELECT ?party ?min ?total ?n WHERE {
            id:afghanistan-tajikistan-border kg:reportedCount ?c .
            ?c dcterms:source src:003_ce4f7711c776f642 ; kg:measure kg:killed ; kg:subset true ;
               kg:party ?party ; kg:minValue ?min ; kg:reportedBy id:afp ; kg:subsetOf ?t ;
               prov:wasDerivedFrom [ kg:paragraph ?n ] .
            ?t kg:minValue ?total ; kg:reportedBy id:afp .
            FILTER NOT EXISTS { ?t kg:subset true }
        }""",
    )
    assert rows == [
        ("id:chinese-workers-tajikistan", "2", "16", "4"),
        ("id:chinese-workers-tajikistan", "2", "16", "5"),
        ("id:tajik-border-service", "2", "16", "4"),
        ("id:tajik-border-service", "2", "16", "5"),
    ]


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
    # the victim role is for named people: the unnamed Chinese workers are the target only
    assert not ask(graph, "ASK { ?e kg:subEventOf* id:attacks-on-chinese-workers-2025 ; kg:victim ?v }")


def test_dushanbe_appeal_follows_the_november_attacks_as_a_series(graph):
    # 003:6 speaks of attacks (plural) in November: the claim concerns the series, not one attack
    rows = select(
        graph,
        """
        SELECT ?about WHERE {
            id:dushanbe-urges-taliban-curb-militancy prov:wasAttributedTo id:tajikistan ;
                kg:reportedBy id:afp ; kg:concerns ?about ; kg:inferredBecause ?why .
        }""",
    )
    assert rows == [("id:afghan-taliban",), ("id:attacks-on-chinese-workers-2025",)]


def test_crossing_is_at_the_border_and_the_killing_in_khatlon(graph):
    rows = select(
        graph,
        """
        SELECT ?event ?place WHERE {
            VALUES ?event { id:militants-crossing-khatlon-2026-01 id:khatlon-operation-2026-01 }
            ?event kg:place ?place }""",
    )
    assert rows == [
        ("id:khatlon-operation-2026-01", "id:khatlon"),
        ("id:militants-crossing-khatlon-2026-01", "id:afghanistan-tajikistan-border"),
    ]


def test_khovar_is_tajikistans_state_agency_by_paragraph_3(graph):
    rows = select(
        graph,
        """
        SELECT ?n WHERE {
            ?f a kg:Fact ; rdf:subject id:khovar ; rdf:predicate kg:partOf ; rdf:object id:tajikistan ;
               kg:inferredBecause ?why ;
               prov:wasDerivedFrom [ dcterms:isPartOf src:003_ce4f7711c776f642 ; kg:paragraph ?n ] .
        }""",
    )
    assert rows == [("3",)]


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
    # the article prints no headline: the title is the curator's and says so
    rows = select(graph, "SELECT ?t WHERE { src:003_ce4f7711c776f642 dcterms:title ?t }")
    assert rows == [("Tajik forces kill four militants who crossed from Afghanistan [title supplied by the curator]",)]


def test_registry_corrections_aliases_that_named_other_things_are_gone(graph):
    # "Tajik border" matched "Tajik border guards" (003:5), never the border itself;
    # "social networks" is a medium, not the commentators; "Security Council" is also the UN organ's
    for entity, alias in (
        ("afghanistan-tajikistan-border", "Tajik border"),
        ("social-media-commentators", "social networks"),
        ("tajik-security-council", "Security Council"),
    ):
        assert not ask(graph, f'ASK {{ id:{entity} skos:altLabel "{alias}"@en }}')
    assert ask(graph, 'ASK { id:tajik-border-service skos:altLabel "Tajik border guards"@en }')
    rows = select(graph, "SELECT ?d WHERE { id:ethnic-tajiks-afghanistan dcterms:description ?d }")
    assert rows == [("Afghanistan's ethnic Tajiks, estimated at about a quarter of its population (003).",)]
