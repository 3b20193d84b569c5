"""kg.sparql: queries checked before they run (prefixes, syntax, no updates), parameters bound as
RDF terms in a VALUES block, runaway queries stopped, and any store taking the checked text."""

from __future__ import annotations

import threading
import time

import pytest
from rdflib import XSD, Literal, URIRef

from kg.errors import BadParameter, BadQuery, QuerySyntaxError, QueryTimeout, ReadOnly
from kg.report import short
from kg.sparql import bind_values, prepare, run, unknown_terms
from kg.vocab import ID

# --- checking a query ---


def test_kg_prefixes_are_declared_unless_the_query_declares_its_own(kg_graph):
    assert kg_graph.query("ASK { id:ttp kg:alliedWith id:afghan-taliban }").boolean is True
    own = "PREFIX kg: <http://example.org/> ASK { id:ttp kg:alliedWith id:afghan-taliban }"
    assert kg_graph.query(own).boolean is False
    assert prepare(own).count("PREFIX kg:") == 1


def test_syntax_error_gives_line_column_and_text():
    with pytest.raises(QuerySyntaxError) as err:
        prepare("SELECT ?x\nWHERE { ?x ?y }")
    assert (err.value.line, err.value.column, err.value.text) == (2, 9, "?x ?y }")
    assert str(err.value) == "syntax error at line 2, column 9, at '?x ?y }': Expected SelectQuery"


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { id:a kg:alliedWith id:b }",
        "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
        "# a comment\nCLEAR ALL",
        "LOAD <http://example.org/x.ttl>",
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o",  # an update even when malformed
    ],
)
def test_updates_are_refused(update):
    with pytest.raises(ReadOnly, match="^updates are refused: kg queries are read-only"):
        prepare(update)


def test_unknown_prefix_and_empty_query():
    with pytest.raises(BadQuery, match=r"^unknown prefix 'foaf:' \(declare it, or use one of kg:,"):
        prepare("SELECT * WHERE { ?x foaf:name ?n }")
    with pytest.raises(BadQuery, match="^empty query$"):
        prepare("  \n")


def test_timeout_stops_a_runaway_query(kg_graph):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"^query stopped after 0.5 seconds \(--timeout\)"):
        kg_graph.query(runaway, timeout=0.5)
    assert time.monotonic() - started < 3
    deadline = time.monotonic() + 5
    while any(t.name == "kg-query" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "kg-query" for t in threading.enumerate())


def test_a_quick_query_is_unaffected_by_its_timeout(kg_graph):
    result = kg_graph.query("ASK { id:ttp a kg:ArmedGroup }", timeout=30)
    assert result.boolean is True


# --- parameters ---


def test_parameters_are_seen_by_filters(kg_graph):
    result = kg_graph.query(
        """
        SELECT ?event WHERE { ?event a kg:Attack ; dcterms:date ?d .
                              FILTER (STR(?d) >= STR(?from)) } ORDER BY ?event""",
        {"from": "2018-11-06"},
    )
    assert [short(r[0]) for r in result] == [
        "id:attack-chinese-workers-2025-11",
        "id:attack-chinese-workers-2025-12",
        "id:ishkobod-attack",
    ]


def test_parameter_values_become_rdf_terms(kg_graph):
    query = "SELECT ?x WHERE { BIND (?v AS ?x) }"
    assert [
        kg_graph.query(query, {"v": v}).rows[0][0]
        for v in (
            "Pakistani Taliban",
            "id:ttp",
            "<http://example.org/a>",
            '"it\'s"',
            "42",
            "2021-08-15",
        )
    ] == [
        ID.ttp,
        ID.ttp,
        URIRef("http://example.org/a"),
        Literal("it's"),
        Literal(42),
        Literal("2021-08-15", datatype=XSD.date),
    ]


def test_values_are_escaped_not_pasted(kg_graph):
    hostile = '"} } DELETE WHERE { ?s ?p ?o } #"'
    result = kg_graph.query("SELECT ?x WHERE { BIND (?v AS ?x) }", {"v": hostile})
    assert result.rows == [(Literal("} } DELETE WHERE { ?s ?p ?o } #"),)]


def test_values_go_first_in_the_where_clause_whatever_precedes_it():
    term = {"a": ID.ttp}
    assert bind_values('# {\nSELECT ("{" AS ?x) WHERE { ?a ?p ?o }', term) == (
        '# {\nSELECT ("{" AS ?x) WHERE { VALUES (?a) { (<https://w3id.org/kg-armed-actors/id/ttp>) }\n ?a ?p ?o }'
    )
    assert bind_values("CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o }", term).startswith(
        "CONSTRUCT { ?a ?p ?o } WHERE { VALUES (?a)"
    )
    with pytest.raises(BadParameter, match="^CONSTRUCT WHERE takes no parameters"):
        bind_values("CONSTRUCT WHERE { ?a ?p ?o }", term)


def test_values_go_first_in_each_branch_of_a_top_level_union_too():
    # The same answer (a one-row join distributes over a union), but an engine that evaluates
    # a union before joining it starts each branch from the bound term.
    values = "VALUES (?a) { (<https://w3id.org/kg-armed-actors/id/ttp>) }\n"
    text = "SELECT * WHERE { { ?a ?p ?o } UNION { ?o ?p ?a . { ?x ?y ?z } UNION { ?z ?y ?x } } ?a ?q ?r }"
    assert bind_values(text, {"a": ID.ttp}) == (
        f"SELECT * WHERE {{ {values} {{ {values} ?a ?p ?o }} UNION {{ {values} ?o ?p ?a . "
        "{ ?x ?y ?z } UNION { ?z ?y ?x } } ?a ?q ?r }"
    )
    subquery = "SELECT * WHERE { { SELECT ?a WHERE { ?a ?p ?o } } UNION { ?a ?q ?r } }"
    assert bind_values(subquery, {"a": ID.ttp}) == (  # nothing may come before a subquery's SELECT
        f"SELECT * WHERE {{ {values} {{ SELECT ?a WHERE {{ ?a ?p ?o }} }} UNION {{ {values} ?a ?q ?r }} }}"
    )


def test_union_branches_see_the_parameters(kg_graph):
    query = "SELECT ?x WHERE { { ?x kg:alliedWith ?a } UNION { ?a kg:branchOf ?x } FILTER (?x != ?a) }"
    found = kg_graph.query(query, {"a": "ttp"})
    assert [short(r[0]) for r in found] == ["id:afghan-taliban"]


def test_terms_the_ontology_does_not_define_are_named_with_the_likely_one():
    assert unknown_terms(
        "SELECT * WHERE { ?a kg:alliedwith ?b ; a kg:Armedgroup ; kg:alliedWith ?c ; "
        "<https://w3id.org/kg-armed-actors/ontology#Attak> ?d ; kg:nosuchthingatall ?e }"
    ) == [
        "kg:alliedwith is not a term of kg's ontology (did you mean 'kg:alliedWith'?): the query may find nothing",
        "kg:Armedgroup is not a term of kg's ontology (did you mean 'kg:ArmedGroup'?): the query may find nothing",
        "kg:Attak is not a term of kg's ontology (did you mean 'kg:Attack'?): the query may find nothing",
        "kg:nosuchthingatall is not a term of kg's ontology: the query may find nothing",
    ]
    # a query that declares kg: as another namespace is its own business
    assert unknown_terms("PREFIX kg: <http://example.org/> SELECT * WHERE { ?a kg:alliedwith ?b }") == []


def test_unknown_parameter_of_an_ad_hoc_query(kg_graph):
    with pytest.raises(BadParameter, match=r"^unknown parameter 'y': the query has no \?y$"):
        kg_graph.query("SELECT ?x WHERE { ?x a kg:State }", {"y": "ttp"})


# --- any store ---


def test_run_takes_any_store(kg_graph):
    result = run(kg_graph.store, "SELECT ?x WHERE { ?x kg:branchOf ?y }")
    assert [short(r[0]) for r in result] == ["id:islamic-state-khorasan"] * len(result.rows)
