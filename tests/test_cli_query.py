"""kg query, show, path, neighbors and rank through the CLI: exact output, one-line errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from conftest import SEEDS

from kg.cli import main
from kg.stores.memory import MemoryStore

TTP_ALLIES_HEAD = (
    "subject            relation           object                     status    claim"
    "                              source                    paragraphs\n")


@pytest.fixture
def kg_cli(store: MemoryStore):
    """Run ``kg ARGS`` on the curated graph (built once), handed to the command in ``obj``."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, obj=store)

    return invoke


def test_query_a_named_query_with_a_parameter(kg_cli):
    done = kg_cli("query", "allies", "--param", "actor=Pakistani Taliban")
    assert done.exit_code == 0
    assert done.stdout.startswith(TTP_ALLIES_HEAD)
    assert done.stdout.splitlines()[5] == (
        "id:ttp             kg:alliedWith      id:afghan-taliban          fact"
        "                                         src:001_084b21e3a6584c55  18")
    assert done.stdout.endswith("(7 rows)\n")


def test_query_from_e_in_csv(kg_cli):
    done = kg_cli("query", "-e", "SELECT ?branch WHERE { ?branch kg:branchOf id:islamic-state }",
                  "--format", "csv")
    assert (done.exit_code, done.stdout) == (
        0, "branch\nhttps://w3id.org/kg-armed-actors/id/islamic-state-khorasan\n")


def test_query_from_a_file_with_an_ad_hoc_parameter(kg_cli, tmp_path):
    file = tmp_path / "heads.rq"
    file.write_text("# who leads ?org\nSELECT ?who ?role WHERE {\n"
                    "  ?f rdf:subject ?who ; rdf:predicate kg:leads ; rdf:object ?org ;\n"
                    "     kg:roleTitle ?role }\n")
    done = kg_cli("query", str(file), "--param", "org=CIS Anti-Terrorism Centre",
                  "--format", "tsv")
    assert (done.exit_code, done.stdout) == (
        0, '?who\t?role\n<https://w3id.org/kg-armed-actors/id/andrey-novikov>\t"head"@en\n')


def test_query_from_standard_input_ask_sets_the_exit_code(kg_cli):
    yes = kg_cli("query", input="ASK { id:ttp kg:alliedWith id:afghan-taliban }")
    no = kg_cli("query", input="ASK { id:ttp kg:alliedWith id:islamic-state }")
    assert (yes.exit_code, yes.stdout, no.exit_code, no.stdout) == (0, "true\n", 1, "false\n")


def test_query_construct_prints_turtle(kg_cli):
    done = kg_cli("query", "-e", "CONSTRUCT { ?s kg:branchOf ?o } WHERE { ?s kg:branchOf ?o }")
    assert (done.exit_code, done.stdout) == (0, (
        "@prefix id: <https://w3id.org/kg-armed-actors/id/> .\n"
        "@prefix kg: <https://w3id.org/kg-armed-actors/ontology#> .\n\n"
        "id:islamic-state-khorasan kg:branchOf id:islamic-state .\n"))


def test_query_json(kg_cli):
    done = kg_cli("query", "-e", "SELECT ?n WHERE { BIND (3 AS ?n) }", "--format", "json")
    assert done.stdout == (
        '{\n  "head": {\n    "vars": [\n      "n"\n    ]\n  },\n  "results": {\n'
        '    "bindings": [\n      {\n        "n": {\n'
        '          "datatype": "http://www.w3.org/2001/XMLSchema#integer",\n'
        '          "type": "literal",\n          "value": "3"\n        }\n      }\n    ]\n'
        '  }\n}\n')


def test_query_list(kg_cli):
    done = kg_cli("query", "--list")
    assert done.exit_code == 0
    lines = done.stdout.splitlines()
    assert lines[:3] == ["name           parameters  title",
                         "-------------  ----------  ---------------------------------------"
                         "-----------",
                         "allies         actor       Allies and affiliates of an actor"]
    assert lines[9] == "events         from, to    Events in a date range, with casualty totals"
    assert len(lines) == 17


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["query", "-e", "SELECT ?x WHERE { ?x ?y }"], None,
     "error: syntax error at line 1, column 19, at '?x ?y }': Expected SelectQuery"),
    (["query", "-e", "INSERT DATA { id:a kg:alliedWith id:b }"], None,
     "error: updates are refused: kg queries are read-only (change the graph by editing seeds/ "
     "and rebuilding)"),
    (["query", "alies"], None,
     "error: unknown query 'alies' (did you mean 'allies'?); kg query --list lists them"),
    (["query", "allies", "--param", "group=ttp"], None,
     "error: unknown parameter 'group' for query 'allies' (it takes actor)"),
    (["query", "allies", "--param", "actor=talibn"], None,
     "error: unknown entity 'talibn' (did you mean 'afghan-taliban'?)"),
    (["query", "allies", "--param", "ttp"], None, "error: bad --param 'ttp': write NAME=VALUE"),
    (["query", "events", "--param", "from=2018", "--param", "to=2019-01-01"], None,
     "error: bad date '2018': write YYYY-MM-DD"),
    (["query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--param", "x=1"], None,
     "error: unknown parameter 'x': the query has no ?x"),
    (["query"], "", "error: empty query"),
    (["query", "missing.rq"], None, "error: no such query file: missing.rq"),
    (["query", "allies", "-e", "ASK {}"], None,
     "error: give one query: -e TEXT, a .rq file or a query name, not two"),
    (["query", "--timeout", "0.5", "-e",
      "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"], None,
     "error: query stopped after 0.5 seconds (--timeout); narrow it or allow more time"),
    (["query", "-e", "CONSTRUCT WHERE { ?s kg:branchOf ?o }", "--format", "csv"], None,
     "error: --format csv is for SELECT and ASK; CONSTRUCT and DESCRIBE print Turtle"),
    (["show", "Talibn"], None, "error: unknown entity 'Talibn' (did you mean 'afghan-taliban'?)"),
    (["path", "ttp", "nowhere"], None, "error: unknown entity 'nowhere'"),
    (["neighbors", "ttp", "--relation", "aliedWith"], None,
     "error: unknown relation 'aliedWith' (did you mean 'alliedWith' or 'affiliatedWith'?)"),
])
def test_bad_input_gets_one_line_and_a_non_zero_exit(kg_cli, args, stdin, message):
    done = kg_cli(*args, input=stdin)
    assert (done.exit_code, done.stdout, done.stderr) == (1, "", message + "\n")


def test_show_a_claim(kg_cli):
    done = kg_cli("show", "zubov-is-airlift")
    assert (done.exit_code, done.stdout) == (0, """\
Helicopters of unknown origin carried large numbers of Islamic State fighters out of Pakistan to \
the Afghan side of the Tajik border. (zubov-is-airlift)
type: allegation
date: 2018-01-28
by: igor-zubov
status: undisputed
about: afghanistan-tajikistan-border, islamic-state, pakistan, tajikistan
cited: 000 ¶1,2,5

asserts (1):
  subject        relation     object                         when        status                     cited
  -------------  -----------  -----------------------------  ----------  -------------------------  ----------
  islamic-state  operates in  afghanistan-tajikistan-border  2018-01-28  claimed: zubov-is-airlift  000 ¶1,2,5

sources:
  000  000_c8205b38d0f11d5b  IS militants transferred from Pakistan to Tajikistan border — Russian official
""")  # noqa: E501


def test_show_a_person_by_alias_without_case_or_accents(kg_cli):
    done = kg_cli("show", "ZÚBOV")
    assert (done.exit_code, done.stdout) == (0, """\
Igor Zubov (igor-zubov)
type: person
aliases: Zubov
description: Russian deputy interior minister.

relationships (1):
  subject     relation                                  object                     when  status  cited
  ----------  ----------------------------------------  -------------------------  ----  ------  --------
  igor-zubov  holds role in (deputy interior minister)  russian-interior-ministry        fact    000 ¶2,4

events: none

claims made (2):
  claim                      type        date        status      cited
  -------------------------  ----------  ----------  ----------  ----------
  zubov-is-airlift           allegation  2018-01-28  undisputed  000 ¶1,2,5
  zubov-provocation-warning  forecast    2018-01-28  undisputed  000 ¶4,5

claims about: none

sources:
  000  000_c8205b38d0f11d5b  IS militants transferred from Pakistan to Tajikistan border — Russian official
""")  # noqa: E501


def test_path(kg_cli):
    done = kg_cli("path", "TTP", "Tajikistan")
    assert (done.exit_code, done.stdout) == (0, """\
1 shortest path of 2 steps between ttp and tajikistan

1. ttp - afghan-taliban - tajikistan
   subject     relation         object          status  cited
   ----------  ---------------  --------------  ------  -------
   ttp         allied with      afghan-taliban  fact    001 ¶18
   tajikistan  cooperates with  afghan-taliban  fact    003 ¶8
""")


def test_path_through_claims_only_when_asked(kg_cli):
    assert kg_cli("path", "ttp", "islamic-state").stdout == (
        "no path between ttp and islamic-state\n")
    assert kg_cli("path", "ttp", "islamic-state", "--include-claims").stdout.splitlines()[2:] == [
        "1. ttp - islamic-state",
        "   subject  relation         object         status                                   cited",
        "   -------  ---------------  -------------  ---------------------------------------  -------",
        "   ttp      affiliated with  islamic-state  disputed: un-officials-ttp-nato-weapons  001 ¶14",
    ]


def test_neighbors(kg_cli):
    done = kg_cli("neighbors", "ttp")
    assert (done.exit_code, done.stdout) == (0, """\
steps  entity                    type             subject  relation     object                    status  cited
-----  ------------------------  ---------------  -------  -----------  ------------------------  ------  -------
1      afghan-taliban            armed group      ttp      allied with  afghan-taliban            fact    001 ¶18
1      pakistan                  state            ttp      targets      pakistan                  fact    001 ¶15
1      pakistan-security-forces  government body  ttp      targets      pakistan-security-forces  fact    001 ¶18
(3 entities)
""")  # noqa: E501


def test_neighbors_by_relation_and_depth(kg_cli):
    done = kg_cli("neighbors", "kizil-nishon", "--depth", "2", "--relation", "located in")
    assert done.stdout.splitlines()[2:] == [
        "1      qabodiyon-district  district  kizil-nishon        located in  qabodiyon-district"
        "  fact    004 ¶19,20",
        "2      khatlon             region    qabodiyon-district  located in  khatlon"
        "             fact    004 ¶19",
        "2      tajikistan          state     qabodiyon-district  located in  tajikistan"
        "          fact    002 ¶17",
        "(3 entities)"]


def test_rank(kg_cli):
    done = kg_cli("rank", "--by", "betweenness", "--top", "3")
    assert (done.exit_code, done.stdout) == (0, """\
rank  actor           label           type         betweenness
----  --------------  --------------  -----------  -----------
1     tajikistan      Tajikistan      state        0.1179
2     afghanistan     Afghanistan     state        0.0481
3     afghan-taliban  Afghan Taliban  armed group  0.0321
""")


def test_commands_build_from_seeds_by_default():
    done = CliRunner().invoke(main, ["query", "-e", "ASK { id:ttp a kg:ArmedGroup }",
                                     "--seeds", str(SEEDS)])
    assert (done.exit_code, done.stdout) == (0, "true\n")
