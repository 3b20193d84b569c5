"""Source 000 (TCA citing Sputnik): exact facts and claims through SPARQL."""

from __future__ import annotations

from conftest import ask, select


def test_helicopter_claim_is_made_by_zubov_reported_by_tca_via_sputnik(graph):
    rows = select(
        graph,
        """
        SELECT ?claimant ?role ?outlet ?via ?date WHERE {
            ?claim a kg:Allegation ; kg:asserts ?st ; prov:wasAttributedTo ?claimant ;
                   kg:reportedBy ?outlet ; kg:reportedVia ?via ; dcterms:date ?date .
            ?st rdf:subject id:islamic-state ; rdf:predicate kg:operatesIn ;
                rdf:object id:afghanistan-tajikistan-border .
            ?role_st a kg:Fact ; rdf:subject ?claimant ; rdf:predicate kg:holdsRoleIn ;
                     kg:roleTitle ?role .
        }""",
    )
    assert rows == [
        ("id:igor-zubov", "deputy interior minister", "id:times-of-central-asia", "id:sputnik", "2018-01-28")
    ]


def test_helicopter_claim_is_not_a_fact(graph):
    assert not ask(graph, "ASK { id:islamic-state kg:operatesIn id:afghanistan-tajikistan-border }")
    assert not ask(
        graph,
        """ASK { ?f a kg:Fact ; rdf:subject id:islamic-state ;
                                   rdf:predicate kg:operatesIn }""",
    )


def test_claim_year_is_marked_inferred_and_passages_are_cited(graph):
    rows = select(
        graph,
        """
        SELECT ?para WHERE {
            id:zubov-is-airlift prov:wasDerivedFrom ?p ; kg:yearInferredFrom ?why .
            ?p kg:paragraph ?para ; dcterms:isPartOf src:000_c8205b38d0f11d5b .
        }""",
    )
    assert rows == [("1",), ("2",), ("5",)]


def test_coalition_denied_the_related_sana_claim(graph):
    rows = select(
        graph,
        """
        SELECT ?denier ?claimant ?asserted WHERE {
            ?denial a kg:Denial ; kg:disputes ?claim ; prov:wasAttributedTo ?denier ;
                    dcterms:source src:000_c8205b38d0f11d5b .
            ?claim prov:wasAttributedTo ?claimant ; kg:asserts [ rdf:predicate ?asserted ] .
        }""",
    )
    assert rows == [("id:us-led-coalition", "id:sana", "kg:supports")]


def test_novikov_heads_the_cis_anti_terrorism_centre(graph):
    rows = select(
        graph,
        """
        SELECT ?org ?role ?para WHERE {
            id:andrey-novikov kg:leads ?org .
            ?f a kg:Fact ; rdf:subject id:andrey-novikov ; rdf:predicate kg:leads ;
               rdf:object ?org ; kg:roleTitle ?role ; prov:wasDerivedFrom [ kg:paragraph ?para ] .
        }""",
    )
    assert rows == [("id:cis-anti-terrorism-centre", "head", "6")]


def test_article_metadata(graph):
    rows = select(
        graph,
        """
        SELECT ?outlet ?author ?cites WHERE {
            src:000_c8205b38d0f11d5b dcterms:publisher ?outlet ; dcterms:creator ?author ;
                                     kg:citesOutlet ?cites .
        }""",
    )
    assert rows == [("id:times-of-central-asia", "id:sergey-kwan", "id:sputnik")]


def test_201st_base_sites_and_strength_is_an_estimate(graph):
    rows = select(
        graph,
        """
        SELECT ?site ?low ?high ?approximate WHERE {
            id:russia-201st-military-base kg:locatedIn ?site ;
                kg:reportedCount [ kg:measure kg:fighters ; kg:minValue ?low ; kg:maxValue ?high ;
                                   kg:approximate ?approximate ] .
        }""",
    )
    assert rows == [("id:dushanbe", "6000", "7000", "true"), ("id:qurghonteppa", "6000", "7000", "true")]


def test_year_of_the_article_says_it_is_the_curators_knowledge(graph):
    rows = select(graph, "SELECT ?why WHERE { src:000_c8205b38d0f11d5b kg:yearInferredFrom ?why }")
    assert len(rows) == 1
    why = rows[0][0]
    assert "Not printed" in why
    assert "The year is the curator's knowledge" in why
    assert "28 January, paragraph 4" in why
    rows = select(graph, "SELECT ?why WHERE { id:sana-us-evacuated-is-leaders kg:yearInferredFrom ?why }")
    assert "curator's knowledge" in rows[0][0]


def test_novikov_is_russian_by_paragraph_6(graph):
    rows = select(
        graph,
        """
        SELECT ?country ?para WHERE {
            id:andrey-novikov kg:nationalOf ?country .
            ?f a kg:Fact ; rdf:subject id:andrey-novikov ; rdf:predicate kg:nationalOf ;
               rdf:object ?country ; prov:wasDerivedFrom [ kg:paragraph ?para ] .
        }""",
    )
    assert rows == [("id:russia", "6")]


def test_titles_that_name_a_ministry_are_marked_inferred(graph):
    rows = select(
        graph,
        """
        SELECT ?org ?why WHERE {
            ?f a kg:Fact ; rdf:subject id:igor-zubov ; rdf:predicate kg:holdsRoleIn ; rdf:object ?org ;
               kg:inferredBecause ?why .
        }""",
    )
    assert [org for org, _ in rows] == ["id:russian-interior-ministry"]
    assert "only through his title" in rows[0][1]
