"""kg.model: records become RDF triples; what a claim says is never asserted as a fact."""

from __future__ import annotations

from conftest import DATA
from rdflib import DCTERMS, Graph

from kg.project import seeds_project
from kg.release import build
from kg.vocab import DEFAULT, ID, KG


def test_claim_content_is_not_asserted(tmp_path, mini):
    graph = mini.graph()
    assert (ID["ford-post-raid"], KG.perpetrator, ID["red-hand"]) not in graph
    out = tmp_path / "out"
    build(seeds_project(DATA / "mini"), out, cache=False)
    reread = Graph().parse(out / "graph.ttl")
    assert (ID["ford-post-raid"], KG.perpetrator, ID["red-hand"]) not in reread
    assert len(reread) == len(graph)


# --- the qualifiers: subsets, seizures, status, curator's knowledge, unnamed claimants ---

QUALIFIED = DATA / "qualified"
STMT = str(DEFAULT.stmt) + "902_00000000000000cc."


def _qualified() -> Graph:
    from kg.pipeline import compile_graph

    return compile_graph(QUALIFIED, DATA / "texts")  # SHACL-checked too


def test_a_subset_count_points_at_its_total_and_is_marked():
    from rdflib import Literal, URIRef

    graph = _qualified()
    total, part, women = (URIRef(f"{STMT}ford-post-attack.count{n}") for n in (1, 2, 3))
    assert (part, KG.subsetOf, total) in graph
    assert (part, KG.subset, Literal(True)) in graph
    assert (women, KG.subset, Literal(True)) in graph
    assert (women, KG.subsetOf, None) not in graph
    assert (total, KG.subset, None) not in graph


def test_a_seizure_says_who_took_what_from_whom():
    from rdflib import URIRef

    graph = _qualified()
    seized = URIRef(f"{STMT}ford-post-attack.count4")
    assert set(graph.predicate_objects(seized)) >= {
        (KG.measure, KG.seized),
        (KG.takenBy, ID["red-hand"]),
        (KG.takenFrom, ID["freeland-border-guard"]),
    }


def test_suspicion_qualifies_the_role_and_the_counts_party_not_membership():
    from rdflib import URIRef

    graph = _qualified()
    role = URIRef(f"{STMT}ford-post-arrests.target.red-hand")
    assert (role, KG.status, KG.suspected) in graph
    assert (URIRef(f"{STMT}ford-post-arrests.count1"), KG.status, KG.suspected) in graph
    assert (URIRef(f"{STMT}ford-post-attack.perpetrator.red-hand"), KG.status, None) not in graph
    assert (ID["red-hand"], KG.memberOf, None) not in graph


def test_curator_knowledge_cites_no_passage_and_no_source():
    from rdflib import DCTERMS, PROV, SKOS, URIRef

    graph = _qualified()
    fact = URIRef(f"{STMT}ford-post.locatedIn.freeland")
    assert (fact, KG.basis, KG.curatorKnowledge) in graph
    assert str(graph.value(fact, SKOS.editorialNote)).startswith("The curator knows the post is in Freeland")
    assert (fact, PROV.wasDerivedFrom, None) not in graph
    assert (fact, DCTERMS.source, None) not in graph
    assert (ID["ford-post"], KG.locatedIn, ID["freeland"]) in graph  # the plain triple, so queries see it


def test_an_unnamed_claimant_is_its_own_kind_and_the_outlet_only_reports():
    from rdflib import PROV, RDF

    graph = _qualified()
    claim = ID["official-blames-blue-hand"]
    assert graph.value(claim, PROV.wasAttributedTo) == ID["unnamed-official"]
    assert (ID["unnamed-official"], RDF.type, KG.UnnamedSource) in graph
    assert graph.value(claim, KG.reportedBy) == ID["test-wire"]


def test_a_denial_can_dispute_an_event():
    graph = _qualified()
    assert (ID["red-hand-denies-attack"], KG.disputes, ID["ford-post-attack"]) in graph


def test_the_reason_a_record_names_a_party_by_description_is_kept():
    from rdflib import URIRef

    graph = _qualified()
    reason = graph.value(URIRef(f"{STMT}red-hand.targets.ford-post"), KG.inferredBecause)
    assert str(reason).startswith('Paragraph 5 calls the attackers "the gunmen"')


def test_a_date_the_curator_worked_out_keeps_the_reason_beside_it():
    graph = _qualified()
    arrests = ID["ford-post-arrests"]
    assert str(graph.value(arrests, DCTERMS.date)) == "2021-05-05"
    assert str(graph.value(arrests, KG.dateInferredFrom)).startswith("Paragraph 3 gives no day;")
    assert graph.value(ID["ford-post-attack"], KG.dateInferredFrom) is None  # paragraph 2 dates it


def test_a_count_without_a_party_may_be_suspected(tmp_path):
    """'Six suspected militants detained': the status qualifies the counted people."""
    import shutil

    from rdflib import URIRef

    from kg.curation import read_seeds
    from kg.pipeline import compile_graph
    from kg.review import find_source, review

    seeds = tmp_path / "seeds"
    shutil.copytree(QUALIFIED, seeds)
    [source] = (seeds / "sources").glob("*.yaml")
    source.write_text(source.read_text().replace("        value: 6\n        party: red-hand\n", "        value: 6\n"))
    graph = compile_graph(seeds, DATA / "texts")
    count = URIRef(f"{STMT}ford-post-arrests.count2")
    assert (count, KG.status, KG.suspected) in graph and (count, KG.party, None) not in graph
    corpus = read_seeds(seeds)
    page = review(corpus, find_source(corpus, "902"), DATA / "texts")
    assert "ford-post-arrests: detained [suspected] 6, reported by freeland-border-guard" in page
