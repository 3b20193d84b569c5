"""kg.cli: the kg command as a whole (start-up without heavy imports, errors handled once, state
in ctx.obj) and each command's exact output and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA, MINI, SEEDS

import kg
from kg import cli, network, report
from kg.cli import main, parse_params, query_text
from kg.errors import BadParameter
from kg.queries import named_query
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import FORMATS as LOAD_FORMATS
from kg.stores.push import PROTOCOLS


@pytest.fixture
def kg_cli(store: MemoryStore):
    """Run ``kg ARGS`` on the curated graph (built once), handed to the command in ``obj``."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, obj=store)

    return invoke


# --- the command as a whole ---

HEAVY = ("rdflib.plugins.sparql", "networkx", "stix2", "pyshacl", "pyvis", "pyoxigraph", "jinja2")

_IMPORTED = """
import sys
from kg.cli import main
try:
    main(sys.argv[1:], prog_name="kg")
except SystemExit:
    pass
heavy = {HEAVY!r}
print(sorted({{m.split('.')[0] if m.split('.')[0] != 'rdflib' else m
              for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)}}))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["show", "--help"],
        ["query", "--help"],
        ["build", "--help"],
        ["export", "--help"],
        ["view", "--help"],
    ],
)
def test_help_imports_nothing_heavy(args):
    code = _IMPORTED.format(HEAVY=HEAVY)
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]"


def test_python_dash_m_kg_is_the_command():
    done = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True)
    assert done.stdout == f"kg, version {kg.__version__}\n"


def test_the_option_choices_are_the_librarys():
    assert cli.RESULT_FORMATS == report.FORMATS
    assert cli.RANKINGS == network.RANKINGS
    assert cli.LOAD_FORMATS == tuple(sorted(LOAD_FORMATS))
    assert cli.PUSH_PROTOCOLS == PROTOCOLS


def test_a_store_is_handed_to_commands_in_obj(store):
    done = CliRunner().invoke(main, ["query", "-e", "ASK { id:ttp kg:alliedWith id:afghan-taliban }"], obj=store)
    assert (done.exit_code, done.stdout) == (0, "true\n")


def test_a_system_error_is_one_line(tmp_path, store):
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = CliRunner().invoke(main, ["export", "--format", "turtle", "-o", str(blocker / "x.ttl")], obj=store)
    assert done.exit_code == 1
    assert done.stderr == f"error: Not a directory: {blocker / 'x.ttl'}\n"


# --- query, show, path, neighbors and rank: exact output, one-line errors ---


TTP_ALLIES_HEAD = (
    "subject                             relation           object"
    "                                                       status    claim"
    "                              claimant"
    "                                                                  source"
    "                                                                 paragraphs\n"
)
AMU_TV = "001 Amu TV, 2023-09: Tajikistan forces kill three \u2018terrorists\u2019 who c\u2026"


def test_query_a_named_query_with_a_parameter(kg_cli):
    # Labels beside ids; the source by number, outlet, date and title.
    done = kg_cli("query", "allies", "--param", "actor=Pakistani Taliban")
    assert done.exit_code == 0
    assert done.stdout.startswith(TTP_ALLIES_HEAD)
    assert done.stdout.splitlines()[5] == (
        "id:ttp (Tehrik-e-Taliban Pakistan)  kg:alliedWith      id:afghan-taliban (Afghan Taliban)"
        "                           fact" + " " * 115 + AMU_TV + "  18"
    )
    assert done.stdout.endswith("(7 rows)\n")


def test_query_pages_a_named_query_and_says_what_it_leaves_out(kg_cli):
    done = kg_cli("query", "changes", "--param", "from=2018-11-01", "--param", "to=2018-11-30", "--limit", "1")
    assert done.exit_code == 0
    assert done.stderr == "note: left out: 7 undated events and 40 undated claims (kg query undated lists them)\n"
    assert done.stdout.splitlines()[2] == (  # the event's label is in the row already: not repeated
        "2018-11-03  event   id:ishkobod-attackers-crossing  kg:BorderCrossing  Ishkobod attackers cross from "
        "Qalai Zol into Qabodiyon  002 CABAR.asia, 2018-11: Tajik Experts: The Attack on Border Post Is Unl\u2026"
    )
    assert done.stdout.endswith("(1 row)\n")
    done = kg_cli("query", "officials", "--offset", "17", "--format", "csv")
    assert done.stdout.splitlines()[1:] == [
        "https://w3id.org/kg-armed-actors/id/times-of-central-asia,https://w3id.org/kg-armed-actors/id/sergey-kwan,"
        'https://w3id.org/kg-armed-actors/ontology#worksFor,,https://w3id.org/kg-armed-actors/source/000_c8205b38d0f11d5b,"9,10"'
    ]
    refused = kg_cli("query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--limit", "3")
    assert (refused.exit_code, refused.stderr) == (
        1,
        "error: --limit and --offset page a named query: write LIMIT and OFFSET in your own\n",
    )


def test_query_warns_of_terms_the_ontology_does_not_define(kg_cli):
    done = kg_cli("query", "-e", "SELECT ?a WHERE { ?a kg:alliedwith ?b . ?b a kg:Armedgroup }")
    assert (done.exit_code, done.stdout) == (0, "a\n-\n(0 rows)\n")
    assert done.stderr == (
        "warning: kg:alliedwith is not a term of kg's ontology (did you mean 'kg:alliedWith'?): "
        "the query may find nothing\n"
        "warning: kg:Armedgroup is not a term of kg's ontology (did you mean 'kg:ArmedGroup'?): "
        "the query may find nothing\n"
    )


def test_query_from_e_in_csv(kg_cli):
    done = kg_cli("query", "-e", "SELECT ?branch WHERE { ?branch kg:branchOf id:islamic-state }", "--format", "csv")
    assert (done.exit_code, done.stdout) == (0, "branch\nhttps://w3id.org/kg-armed-actors/id/islamic-state-khorasan\n")


def test_query_from_a_file_with_an_ad_hoc_parameter(kg_cli, tmp_path):
    file = tmp_path / "heads.rq"
    file.write_text(
        "# who leads ?org\nSELECT ?who ?role WHERE {\n"
        "  ?f rdf:subject ?who ; rdf:predicate kg:leads ; rdf:object ?org ;\n"
        "     kg:roleTitle ?role }\n"
    )
    done = kg_cli("query", str(file), "--param", "org=CIS Anti-Terrorism Centre", "--format", "tsv")
    assert (done.exit_code, done.stdout) == (
        0,
        '?who\t?role\n<https://w3id.org/kg-armed-actors/id/andrey-novikov>\t"head"@en\n',
    )


def test_query_from_standard_input_ask_sets_the_exit_code(kg_cli):
    yes = kg_cli("query", input="ASK { id:ttp kg:alliedWith id:afghan-taliban }")
    no = kg_cli("query", input="ASK { id:ttp kg:alliedWith id:islamic-state }")
    assert (yes.exit_code, yes.stdout, no.exit_code, no.stdout) == (0, "true\n", 1, "false\n")


def test_query_construct_prints_turtle(kg_cli):
    done = kg_cli("query", "-e", "CONSTRUCT { ?s kg:branchOf ?o } WHERE { ?s kg:branchOf ?o }")
    assert (done.exit_code, done.stdout) == (
        0,
        (
            "@prefix id: <https://w3id.org/kg-armed-actors/id/> .\n"
            "@prefix kg: <https://w3id.org/kg-armed-actors/ontology#> .\n\n"
            "id:islamic-state-khorasan kg:branchOf id:islamic-state .\n"
        ),
    )


def test_query_json(kg_cli):
    done = kg_cli("query", "-e", "SELECT ?n WHERE { BIND (3 AS ?n) }", "--format", "json")
    assert done.stdout == (
        '{\n  "head": {\n    "vars": [\n      "n"\n    ]\n  },\n  "results": {\n'
        '    "bindings": [\n      {\n        "n": {\n'
        '          "datatype": "http://www.w3.org/2001/XMLSchema#integer",\n'
        '          "type": "literal",\n          "value": "3"\n        }\n      }\n    ]\n'
        "  }\n}\n"
    )


def test_query_list(kg_cli):
    done = kg_cli("query", "--list")
    assert done.exit_code == 0
    lines = done.stdout.splitlines()
    assert lines[:3] == [
        "name           parameters  title",
        "-------------  ----------  --------------------------------------------------",
        "allies         actor       Allies and affiliates of an actor",
    ]
    assert lines[9] == "events         from, to    Events in a date range, with their figures"
    assert lines[10] == "events-in      place       Events in a place"
    assert len(lines) == 19


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["query", "-e", "SELECT ?x WHERE { ?x ?y }"],
            None,
            "error: syntax error at line 1, column 19, at '?x ?y }': Expected SelectQuery",
        ),
        (
            ["query", "-e", "INSERT DATA { id:a kg:alliedWith id:b }"],
            None,
            "error: updates are refused: kg queries are read-only (change the graph by editing seeds/ and rebuilding)",
        ),
        (["query", "alies"], None, "error: unknown query 'alies' (did you mean 'allies'?); kg query --list lists them"),
        (
            ["query", "allies", "--param", "group=ttp"],
            None,
            "error: unknown parameter 'group' for query 'allies' (it takes actor)",
        ),
        (
            ["query", "allies", "--param", "actor=talibn"],
            None,
            "error: unknown entity 'talibn' (did you mean 'afghan-taliban'?)",
        ),
        (["query", "allies", "--param", "ttp"], None, "error: bad --param 'ttp': write NAME=VALUE"),
        (
            ["query", "events", "--param", "from=2018", "--param", "to=2019-01-01"],
            None,
            "error: bad date '2018': write YYYY-MM-DD",
        ),
        (
            ["query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--param", "x=1"],
            None,
            "error: unknown parameter 'x': the query has no ?x",
        ),
        (["query"], "", "error: empty query"),
        (["query", "missing.rq"], None, "error: no such query file: missing.rq"),
        (
            ["query", "allies", "-e", "ASK {}"],
            None,
            "error: give one query: -e TEXT, a .rq file or a query name, not two",
        ),
        (
            ["query", "--timeout", "0.5", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
            None,
            "error: query stopped after 0.5 seconds (--timeout); narrow it or allow more time",
        ),
        (
            ["query", "-e", "CONSTRUCT WHERE { ?s kg:branchOf ?o }", "--format", "csv"],
            None,
            "error: --format csv is for SELECT and ASK; CONSTRUCT and DESCRIBE print Turtle",
        ),
        (["show", "Talibn"], None, "error: unknown entity 'Talibn' (did you mean 'afghan-taliban'?)"),
        (["path", "ttp", "nowhere"], None, "error: unknown entity 'nowhere'"),
        (
            ["neighbors", "ttp", "--relation", "aliedWith"],
            None,
            "error: unknown relation 'aliedWith' (did you mean 'alliedWith' or 'affiliatedWith'?)",
        ),
    ],
)
def test_bad_input_gets_one_line_and_a_non_zero_exit(kg_cli, args, stdin, message):
    done = kg_cli(*args, input=stdin)
    assert (done.exit_code, done.stdout, done.stderr) == (1, "", message + "\n")


def test_show_a_claim(kg_cli):
    done = kg_cli("show", "zubov-is-airlift")
    assert (done.exit_code, done.stdout) == (
        0,
        """\
Helicopters of unknown origin carried large numbers of Islamic State fighters out of Pakistan to \
the Afghan side of the Tajik border. (zubov-is-airlift)
type: allegation
date: 2018-01-28
  year inferred: Month and day from paragraph 4; year as for the source's date.
by: igor-zubov
status: undisputed
about: afghanistan-tajikistan-border, islamic-state, pakistan, tajikistan
cited: 000 ¶1,2,5

asserts (1):
  subject        relation     object                         when        status                       cited
  -------------  -----------  -----------------------------  ----------  ---------------------------  ----------
  islamic-state  operates in  afghanistan-tajikistan-border  2018-01-28  claimed in zubov-is-airlift  000 ¶1,2,5

sources:
  000  000_c8205b38d0f11d5b  IS militants transferred from Pakistan to Tajikistan border — Russian official
""",
    )


def test_show_a_person_by_alias_without_case_or_accents(kg_cli):
    done = kg_cli("show", "ZÚBOV")
    assert (done.exit_code, done.stdout) == (
        0,
        """\
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
""",
    )


def test_path(kg_cli):
    done = kg_cli("path", "TTP", "Tajikistan")
    assert (done.exit_code, done.stdout) == (
        0,
        """\
1 shortest path of 2 steps between ttp and tajikistan

1. ttp - afghan-taliban - tajikistan
   subject     relation         object          status  cited
   ----------  ---------------  --------------  ------  -------
   ttp         allied with      afghan-taliban  fact    001 ¶18
   tajikistan  cooperates with  afghan-taliban  fact    003 ¶8
""",
    )


def test_path_through_claims_only_when_asked(kg_cli):
    assert kg_cli("path", "ttp", "islamic-state").stdout == ("no path between ttp and islamic-state\n")
    assert kg_cli("path", "ttp", "islamic-state", "--include-claims").stdout.splitlines()[2:] == [
        "1. ttp - islamic-state",
        "   subject  relation         object         status                                              cited",
        "   -------  ---------------  -------------  --------------------------------------------------  -------",
        "   ttp      affiliated with  islamic-state  claimed in un-officials-ttp-nato-weapons, disputed  001 ¶14",
    ]


def test_neighbors(kg_cli):
    done = kg_cli("neighbors", "ttp")
    assert (done.exit_code, done.stdout) == (
        0,
        """\
steps  entity                    type             subject  relation     object                    status  cited
-----  ------------------------  ---------------  -------  -----------  ------------------------  ------  -------
1      afghan-taliban            armed group      ttp      allied with  afghan-taliban            fact    001 ¶18
1      pakistan                  state            ttp      targets      pakistan                  fact    001 ¶15
1      pakistan-security-forces  government body  ttp      targets      pakistan-security-forces  fact    001 ¶18
(3 entities)
""",
    )


def test_neighbors_by_relation_and_depth(kg_cli):
    done = kg_cli("neighbors", "kizil-nishon", "--depth", "2", "--relation", "located in")
    assert done.stdout.splitlines()[2:] == [
        "1      khatlon             region      kizil-nishon        located in  khatlon             fact    004 ¶19",
        "1      qabodiyon-district  district    kizil-nishon        located in  qabodiyon-district  fact    004 ¶19,20",
        "2      qurghonteppa        settlement  qurghonteppa        located in  khatlon             fact    000 ¶8",
        "2      tajikistan          state       khatlon             located in  tajikistan          fact    000 ¶8",
        "2      tajikistan          state       khatlon             located in  tajikistan          fact    003 ¶3",
        "2      tajikistan          state       qabodiyon-district  located in  tajikistan          fact    002 ¶17",
        "(4 entities)",
    ]


def test_rank(mini):
    done = CliRunner().invoke(main, ["rank", "--by", "betweenness", "--top", "3"], obj=mini)
    assert (done.exit_code, done.stdout) == (
        0,
        """\
rank  actor                  label                  type             betweenness
----  ---------------------  ---------------------  ---------------  -----------
1     freeland               Freeland               state            0.3333
2     freeland-border-guard  Freeland Border Guard  government body  0.0000
3     red-hand               Red Hand               armed group      0.0000
""",
    )


def test_commands_build_from_seeds_by_default():
    done = CliRunner().invoke(main, ["query", "-e", "ASK { id:ttp a kg:ArmedGroup }", "--seeds", str(SEEDS)])
    assert (done.exit_code, done.stdout) == (0, "true\n")


def test_parse_params():
    assert parse_params(["actor=ttp", "from=2018-01-01", "text=a=b"]) == {
        "actor": "ttp",
        "from": "2018-01-01",
        "text": "a=b",
    }
    with pytest.raises(BadParameter, match="^bad --param 'ttp': write NAME=VALUE$"):
        parse_params(["ttp"])


def test_query_text_sources(tmp_path):
    file = tmp_path / "q.rq"
    file.write_text("ASK {}")
    assert query_text(str(file), None, lambda: None, named_query) == "ASK {}"
    assert query_text(None, "ASK { ?s ?p ?o }", lambda: None, named_query) == "ASK { ?s ?p ?o }"
    assert query_text(None, None, lambda: "ASK {}", named_query) == "ASK {}"
    assert query_text("allies", None, lambda: None, named_query).name == "allies"
    with pytest.raises(BadParameter, match="^no such query file: nope.rq$"):
        query_text("nope.rq", None, lambda: None, named_query)
    with pytest.raises(BadParameter, match="^no query: give -e TEXT"):
        query_text(None, None, lambda: None, named_query)


# --- build, load, export ---


def test_build_prints_a_summary(tmp_path):
    result = CliRunner().invoke(main, ["build", "--seeds", str(DATA / "mini"), "--exports", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "built 782 triples: 5 entities, 6 facts, 1 events, 2 claims (1 disputed) from 1 sources"
    )


GOOD = '<http://example.org/a> <http://example.org/p> "1" .\n'
BAD = '@prefix ex: <http://example.org/> .\nex:b ex:p "2" .\nex:c ex:p oops .\n'


def test_cli_load_reports_counts_and_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("good.nt").write_text(GOOD)
    Path("bad.ttl").write_text(BAD)
    runner = CliRunner()
    done = runner.invoke(main, ["load", "good.nt", "--store", "oxigraph:db"])
    assert (done.exit_code, done.output) == (0, "loaded 1 file (52 bytes) into db: 1 triples, 1 new\n")
    failed = runner.invoke(main, ["load", "bad.ttl", "--store", "oxigraph:db"])
    assert (failed.exit_code, failed.stderr) == (
        1,
        "error: bad.ttl:3: column 11: oops is not a valid RDF object (nothing loaded)\n",
    )
    monkeypatch.delenv("KG_STORE", raising=False)
    missing = runner.invoke(main, ["load", "good.nt"])
    assert missing.stderr == ("error: loading needs an Oxigraph store: --store oxigraph:PATH (or KG_STORE)\n")


def test_export_writes_to_standard_output(kg_cli, files: dict[str, bytes]) -> None:
    result = kg_cli("export", "--format", "turtle")
    assert result.exit_code == 0
    assert result.stdout_bytes == files["graph.ttl"]
    result = kg_cli("export", "--format", "edges.csv")
    assert result.stdout_bytes == files["edges.csv"]


def test_export_csv_writes_four_files_into_a_folder(kg_cli, files: dict[str, bytes], tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = kg_cli("export", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    assert result.output == "".join(
        f"wrote {out / name} ({len(files[name])} bytes)\n"
        for name in ("claims.csv", "edges.csv", "nodes.csv", "sources.csv")
    )
    assert (out / "nodes.csv").read_bytes() == files["nodes.csv"]


def test_export_csv_to_standard_output_is_an_error(kg_cli) -> None:
    result = kg_cli("export", "--format", "csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: csv is 4 files (claims.csv and edges.csv and nodes.csv and sources.csv): "
        "give -o FOLDER, or --format claims.csv or edges.csv or nodes.csv or sources.csv\n"
    )


def test_export_stix_to_a_file(kg_cli, files: dict[str, bytes], tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    result = kg_cli("export", "--format", "stix", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_bytes() == files["graph.stix.json"]


# --- view ---


def test_view_command_writes_the_page(tmp_path):
    runner = CliRunner()
    out = tmp_path / "rh.html"
    result = runner.invoke(main, ["view", "RH", "--seeds", str(MINI), "--include-claims", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (3 entities, 2 relationships)\n"
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(main, ["view", "--seeds", str(MINI), "--relation", "partOf"])
        assert result.output == "wrote network.html (2 entities, 1 relationship)\n"
        assert Path("network.html").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["red-hnd"], "unknown entity 'red-hnd' (did you mean 'red-hand'?)"),
        (
            ["freeland-blames-red-hand"],
            "'freeland-blames-red-hand' is a claim, not a node: views draw entities and events (a claim is an edge)",
        ),
        (["--type", "actors"], "unknown type 'actors' (did you mean 'actor'?)"),
        (["--since", "2020-13"], "impossible date '2020-13': month must be in 1..12"),
    ],
)
def test_view_command_reports_one_line_errors(args, message):
    result = CliRunner().invoke(main, ["view", *args, "--seeds", str(MINI)])
    assert (result.exit_code, result.output) == (1, f"error: {message}\n")


@pytest.mark.parametrize("spelling", ["partOf", "kg:partOf", "part of", "part-of", "PART-OF", "partof"])
def test_view_and_neighbors_take_the_same_relation_names(spelling, tmp_path):
    runner = CliRunner()
    out = str(tmp_path / "v.html")
    drawn = runner.invoke(main, ["view", "--seeds", str(MINI), "--relation", spelling, "-o", out])
    near = runner.invoke(main, ["neighbors", "freeland", "--seeds", str(MINI), "--relation", spelling])
    assert (drawn.exit_code, near.exit_code) == (0, 0), drawn.output + near.output
    assert drawn.output.endswith("(2 entities, 1 relationship)\n")
    assert "freeland-border-guard  government body" in near.output


@pytest.mark.parametrize(
    "spelling, hint",
    [("part_of", " (did you mean 'partOf'?)"), ("aliedWith", " (did you mean 'alliedWith' or 'affiliatedWith'?)")],
)
def test_view_and_neighbors_refuse_the_same_relation_names(spelling, hint, tmp_path):
    runner = CliRunner()
    out = str(tmp_path / "v.html")
    drawn = runner.invoke(main, ["view", "--seeds", str(MINI), "--relation", spelling, "-o", out])
    near = runner.invoke(main, ["neighbors", "freeland", "--seeds", str(MINI), "--relation", spelling])
    error = f"error: unknown relation '{spelling}'{hint}\n"
    assert (drawn.exit_code, drawn.output, near.exit_code, near.output) == (1, error, 1, error)
