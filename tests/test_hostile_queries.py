"""Hostile queries and commands (issue #12): no network from a query, time limits that hold, and one
line for every bad input, on the memory store, on Oxigraph and through the Python API.

A local HTTP listener (loopback, stopped by each test) stands in for the network: it answers
SPARQL JSON, so a query that reached it would succeed and print what it sent back.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import REPO, answer
from rdflib import Literal, URIRef

from kg.api import KnowledgeGraph
from kg.cli import QUERY_TIMEOUT_MAX, main
from kg.errors import BadParameter, BadQuery, LibraryError, QuerySyntaxError, QueryTimeout
from kg.sparql import ESCAPED_WORDS, prepare, run
from kg.stores.choose import open_store
from kg.timeout import MAX_SECONDS

SERVICE = "error: SERVICE is refused: kg never reaches the network from a query (query a remote store with --endpoint)"
FROM = (
    "error: FROM and FROM NAMED are refused: a query reads the store's own graph "
    "(drop the clause; read another store with --store or --endpoint)"
)
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REGEX = 'SELECT ?x WHERE { BIND ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" AS ?x) FILTER (REGEX(?x, "^(a+)+$")) }'


def stopped(seconds: str) -> str:
    return f"error: query stopped after {seconds} seconds (--timeout); narrow it or allow more time"


@pytest.fixture(params=["memory", "oxigraph"])
def any_store(request: pytest.FixtureRequest):
    """The curated graph in memory and in Oxigraph: each test runs on both."""
    return request.getfixturevalue("store" if request.param == "memory" else "oxigraph")


def kg(store, *args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, obj=store)


def one_line(done: Result, message: str, status: int = 1) -> None:
    assert (done.exit_code, done.stdout, done.stderr) == (status, "", message + "\n")


def kg_process(*args: str, **options) -> subprocess.CompletedProcess[bytes]:
    """``kg ARGS`` as a real process on this repository's project (its cached graph)."""
    return subprocess.run(
        [sys.executable, "-m", "kg", "--project", str(REPO), *args], capture_output=True, timeout=60, **options
    )


# --- the network ---


@dataclass
class Listener:
    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A SPARQL endpoint on 127.0.0.1 that records every request and answers one leaked row."""
    body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "literal", "value": "leak"}}]}})
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield Listener(f"http://127.0.0.1:{server.server_address[1]}/sparql", requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


LEAKS = [
    "SELECT ?s WHERE {{ id:ttp rdfs:label ?l . SERVICE <{url}> {{ ?s ?p ?l }} }}",
    "SELECT ?s WHERE {{ id:ttp rdfs:label ?l . SERVICE SILENT <{url}> {{ ?s ?p ?l }} }}",
    "select ?s where {{ id:ttp rdfs:label ?l . service <{url}> {{ ?s ?p ?l }} }}",
    "SELECT ?s WHERE {{ BIND (<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT ?s WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT ?s WHERE {{ id:ttp a ?t OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT ?s WHERE {{ {{ id:ttp a ?t }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "PREFIX sv: <{url}> SELECT ?s WHERE {{ id:ttp a ?t SERVICEsv: {{ ?s ?p ?o }} }}",  # Oxigraph reads the keyword
    "SELECT ?s WHERE {{ id:ttp a ?t . \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",  # rdflib expands \u escapes
    "SELECT ?s WHERE {{ id:ttp a kg:ArmedGroup\\# SERVICE <{url}> {{ ?s ?p ?o }} }}",  # \# is not a comment
    # a prefixed name with no local part, then '.': Oxigraph reads rh: . SERVICE
    "PREFIX rh: <https://w3id.org/kg-armed-actors/id/red-hand> SELECT * WHERE {{ ?s ?p rh:.SERVICE<{url}>{{ ?a ?b ?c }} }}",
    "PREFIX rh: <https://w3id.org/kg-armed-actors/id/red-hand> SELECT * WHERE {{ ?s ?p rh:.service<{url}>{{ ?a ?b ?c }} }}",
    # a comparison that reads like an IRI: <?b)SERVICE:x#> is ?a < ?b, then SERVICE :x, then a comment
    "PREFIX : <{url}> SELECT * WHERE {{ BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)SERVICE:x#>\n{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?u) BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)SERVICE?u#>\n{{ ?s ?p ?o }} }}",
    # round 3: what reads like an IRI starts in a string and ends in a comment
    "PREFIX rh:<https://w3id.org/kg-armed-actors/ontology#Source>\n"
    "SELECT ?a {{?s!<x:none>'<x:a',rh:.SERVICE#>\n<{url}>{{?a?b?c}}}}",
    # round 4: a CR ends a comment for Oxigraph but not for rdflib's parser
    "PREFIX ex: <http://e/>\nSELECT * WHERE {{ OPTIONAL {{ #\r?s ?p ex:.SERVICE <{url}> {{ }}\n }} }}",
    # round 4: a name, a line break, then the keyword
    "PREFIX ex: <http://e/>\nSELECT * WHERE {{ OPTIONAL {{ ?s ?p ex:a\nSERVICE <{url}> {{ }} }} }}",
]


@pytest.mark.parametrize("leak", LEAKS)
def test_service_is_refused_and_makes_no_request(any_store, listener, leak):
    one_line(kg(any_store, "query", "-e", leak.format(url=listener.url)), SERVICE)
    assert listener.requests == []


def test_the_parsed_query_is_checked_too(listener):
    """Behind the scan, the checked path (memory, endpoints) looks for SERVICE and FROM in rdflib's parse."""
    for leak in LEAKS[:7]:
        with pytest.raises(BadQuery, match="^SERVICE is refused"):
            prepare(leak.format(url=listener.url))
    with pytest.raises(BadQuery, match="^FROM and FROM NAMED are refused"):
        prepare(f"SELECT ?s FROM NAMED <{listener.url}> WHERE {{ ?s ?p ?o }}")


def test_the_engines_themselves_would_reach_the_listener(listener):
    """The control: what kg refuses, pyoxigraph's own query() would send."""
    import pyoxigraph

    list(pyoxigraph.Store().query(f"SELECT ?s WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    assert len(listener.requests) == 1


def test_service_from_a_file_stdin_a_named_query_and_the_api(any_store, listener, tmp_path):
    leak = LEAKS[0].format(url=listener.url)
    (tmp_path / "leak.rq").write_text(f"# title: Leak\n# answers: nothing\n{leak}\n", encoding="utf-8")
    one_line(kg(any_store, "query", str(tmp_path / "leak.rq")), SERVICE)
    one_line(kg(any_store, "query", input=leak), SERVICE)
    graph = KnowledgeGraph(any_store, extra_queries=tmp_path)
    for attempt in (lambda: graph.run("leak"), lambda: graph.query(leak), lambda: run(any_store, leak, timeout=5)):
        with pytest.raises(BadQuery) as err:
            attempt()
        assert f"error: {err.value}" == SERVICE
    assert listener.requests == []


def test_an_endpoint_is_never_sent_a_service_query(listener):
    endpoint = open_store(listener.url)
    with pytest.raises(BadQuery, match="^SERVICE is refused"):
        run(endpoint, f"SELECT ?s WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    with pytest.raises(BadQuery, match="^FROM and FROM NAMED are refused"):
        run(endpoint, f"SELECT ?s FROM <{listener.url}> WHERE {{ ?s ?p ?o }}")
    assert listener.requests == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "SELECT ?s FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "ASK from <{url}> {{ }}",
        "SELECT ((?a<?b) AS ?x) FROM#>\n<{url}> WHERE {{ ?s ?p ?o }}",  # FROM after a comparison like an IRI
        "ASKFROM<{url}>{{}}",  # Oxigraph reads ASK FROM
        "CONSTRUCTFROM<{url}>WHERE{{?s?p?o}}",
        "PREFIX ex: <http://e/>\nDESCRIBE ex:a\nFROM <{url}>",  # a name, a line break, then the keyword
    ],
)
def test_from_and_from_named_are_refused(any_store, listener, query):
    one_line(kg(any_store, "query", "-e", query.format(url=listener.url)), FROM)
    assert listener.requests == []


def test_names_strings_and_comments_with_the_keywords_still_run(any_store):
    query = """SELECT ?service ?from WHERE {  # SERVICE <http://127.0.0.1:9/> { }
      VALUES ?service { id:tajik-border-service } ?service rdfs:label ?from
      FILTER (?from != "SERVICE <x> FROM <y>") }"""
    done = kg(any_store, "query", "-e", query, "--format", "csv")
    assert (done.exit_code, done.stdout) == (
        0,
        "service,from\nhttps://w3id.org/kg-armed-actors/id/tajik-border-service,Tajik Border Service\n",
    )


# --- work a parser cannot take ---


def test_nesting_and_chains_that_would_crash_a_parser_are_refused(any_store):
    """Oxigraph's parser overflows its stack (the process dies) on these; they never reach it."""
    one_line(
        kg(any_store, "query", input="ASK " + "{" * 20000 + "}" * 20000),
        "error: the query nests 20000 levels deep (at most 64): flatten it",
    )
    one_line(
        kg(any_store, "query", "-e", "ASK { FILTER (" + "+".join(["1"] * 7000) + ") }"),
        "error: the query chains 7001 clauses and operators (at most 1000): use VALUES for long lists of alternatives",
    )


DEEPEST = {  # each nests exactly MAX_DEPTH (64) brackets
    "groups": "ASK { " + "{ " * 63 + "}" * 63 + " }",
    "parentheses": "ASK { FILTER(" + "(" * 62 + "true" + ")" * 62 + ") }",
    "blank nodes": "ASK { OPTIONAL { ?s ?p " + "[ ?p " * 62 + "1" + " ]" * 62 + " } }",
    "path": "ASK { OPTIONAL { ?s " + "(" * 62 + "rdf:type" + ")" * 62 + " ?o } }",
    "optional": "ASK { " + "OPTIONAL { " * 63 + "}" * 63 + " }",
}


@pytest.mark.parametrize("query", DEEPEST.values(), ids=DEEPEST.keys())
def test_the_deepest_nesting_allowed_runs_on_both_stores(store, oxigraph, query):
    """Python's default recursion limit stops rdflib's parser near 35 levels, and where depends
    on the caller's stack; kg raises the limit so every depth under the bound works anywhere."""
    assert kg(store, "query", "-e", query).stdout == "true\n"
    assert kg(oxigraph, "query", "-e", query).stdout == "true\n"
    assert kg(store, "query", "-e", query.replace("ASK {", "ASK { {", 1) + " }").stderr == (
        "error: the query nests 65 levels deep (at most 64): flatten it\n"
    )


# --- time limits ---


def children() -> list[int]:
    """The processes this one started that are still there."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize(
    "where, runaway",
    [("store", CROSS), ("oxigraph", CROSS), ("store", REGEX)],
    ids=["memory-cross-product", "oxigraph-cross-product", "memory-catastrophic-regex"],
)
def test_timeout_stops_a_runaway_query_on_every_store(request, where, runaway):
    """(Oxigraph's regular expressions run in linear time: the regex is no runaway there.)"""
    started = time.monotonic()
    one_line(kg(request.getfixturevalue(where), "query", "--timeout", "0.5", "-e", runaway), stopped("0.5"))
    assert time.monotonic() - started < 1.5
    assert children() == []


def test_timeout_2_stops_the_cross_product_of_the_command_on_its_cache():
    started = time.monotonic()
    done = kg_process("query", "--timeout", "2", "-e", CROSS)
    took = time.monotonic() - started
    assert (done.returncode, done.stdout, done.stderr.decode()) == (1, b"", stopped("2") + "\n")
    assert 2 <= took < 3.5


def test_the_api_kills_a_timed_out_oxigraph_query(oxigraph):
    graph = KnowledgeGraph(oxigraph)
    with pytest.raises(QueryTimeout, match=r"^query stopped after 0.5 seconds \(--timeout\)"):
        graph.query(CROSS, timeout=0.5)
    assert children() == []
    assert graph.query("ASK { id:ttp a kg:ArmedGroup }", timeout=5).boolean is True


def test_answers_come_back_from_the_child_intact(any_store):
    select = """SELECT ?s ?label ?date ?n ?b WHERE {
      VALUES ?s { id:ishkobod-attack id:ttp } ?s rdfs:label ?label
      OPTIONAL { ?s dcterms:date ?date } BIND (STRLANG("ü", "de") AS ?n) BIND (true AS ?b) } ORDER BY ?s"""
    construct = "CONSTRUCT { ?a kg:alliedWith ?b } WHERE { ?a kg:alliedWith ?b }"
    for query in (select, construct, "ASK { id:ttp a kg:ArmedGroup }"):
        here, there = run(any_store, query), run(any_store, query, timeout=30)
        assert answer(there) == answer(here)
        if here.graph is not None and there.graph is not None:
            assert there.graph.serialize(format="turtle") == here.graph.serialize(format="turtle")
    assert run(any_store, select, timeout=30).rows[1][2] is None


def test_errors_come_back_from_the_child_as_one_line(any_store):
    with pytest.raises(QuerySyntaxError, match=r"^syntax error at line 1, column 19"):
        run(any_store, "SELECT ?x WHERE { ?x kg:alliedWith }", timeout=5)


ORPHANED = """
import os, signal, sys, threading
from kg.timeout import call

def work():
    with open(sys.argv[1], "w") as out:
        out.write(str(os.getpid()))
    while True:
        pass

threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGKILL)).start()
call(work, 0.5)
"""


def test_a_child_whose_caller_died_ends_itself(tmp_path):
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", ORPHANED, str(tmp_path / "pid")], timeout=30)
    assert done.returncode == -9
    stat = Path(f"/proc/{(tmp_path / 'pid').read_text()}/stat")

    def running() -> bool:
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] not in "ZX"  # not a zombie
        except OSError:
            return False

    while running():
        assert time.monotonic() - started < 3, "the orphaned child still runs"
        time.sleep(0.05)
    assert time.monotonic() - started > 1


@pytest.mark.parametrize(
    "value, message",
    [
        ("nan", "nan is not a number of seconds"),
        ("inf", "inf is not in the range 0<x<=86400.0."),
        ("-1", "-1.0 is not in the range 0<x<=86400.0."),
        ("0", "0.0 is not in the range 0<x<=86400.0."),
        ("1e300", "1e+300 is not in the range 0<x<=86400.0."),
    ],
)
def test_a_timeout_that_is_no_time_limit_is_a_usage_error(store, value, message):
    done = kg(store, "query", "--timeout", value, "-e", "ASK {}")
    assert (done.exit_code, done.stderr.splitlines()[-1]) == (2, f"Error: Invalid value for '--timeout': {message}")
    assert QUERY_TIMEOUT_MAX == MAX_SECONDS


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1, 0, 1e300])
def test_the_api_refuses_the_same_timeouts(kg_graph, value):
    with pytest.raises(BadParameter, match="^bad timeout .*: give seconds, more than 0 and at most 86400$"):
        kg_graph.query("ASK {}", timeout=value)


# --- parameters ---


@pytest.mark.parametrize("value", ["<not an iri>", "<http://x y>", "<>", 'id:a"b'])
def test_a_parameter_that_is_not_an_iri(store, value):
    done = kg(store, "query", "-e", "SELECT ?x WHERE { BIND (?v AS ?x) }", "--param", f"v={value}")
    one_line(done, f"error: bad IRI {value}: write an absolute IRI without spaces, e.g. <https://example.org/x>")


def test_a_term_given_to_the_api_cannot_smuggle_text_into_the_query(kg_graph, listener):
    hostile = URIRef(f"http://a/> }} SERVICE <{listener.url}> {{ ?s ?p ?o")
    with pytest.raises(BadParameter, match=r"^bad IRI <http://a/> } SERVICE .* for \?v: write an absolute IRI"):
        kg_graph.query("SELECT ?x WHERE { BIND (?v AS ?x) }", {"v": hostile})
    typed = Literal("x", datatype=URIRef("http://a> SERVICE <b"))
    with pytest.raises(BadParameter, match=r"^bad IRI <http://a> SERVICE <b> for \?v"):
        kg_graph.query("SELECT ?x WHERE { BIND (?v AS ?x) }", {"v": typed})
    assert listener.requests == []


# --- commands ---


def test_a_path_from_an_entity_to_itself(store):
    one_line(
        kg(store, "path", "ttp", "ttp"),
        "error: 'ttp' and 'ttp' are the same entity (ttp): a path links two different ones",
    )
    one_line(
        kg(store, "path", "ttp", "Pakistani Taliban"),
        "error: 'ttp' and 'Pakistani Taliban' are the same entity (ttp): a path links two different ones",
    )


def test_query_text_that_is_not_utf8(store, tmp_path):
    latin = 'SELECT ?s WHERE {\n  ?s rdfs:label "Dushanb\xe9" }'.encode("latin-1")
    hint = "byte 0xe9 at line 2, column 25 (save the query as UTF-8)"
    one_line(kg(store, "query", input=latin), f"error: standard input is not UTF-8: {hint}")
    (tmp_path / "latin.rq").write_bytes(latin)
    one_line(kg(store, "query", str(tmp_path / "latin.rq")), f"error: {tmp_path / 'latin.rq'} is not UTF-8: {hint}")
    one_line(
        kg(store, "query", "-e", latin.decode("utf-8", "surrogateescape")), f"error: the query is not UTF-8: {hint}"
    )
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "latin.rq").write_bytes(b"# title: Latin\n# answers: nothing\n" + latin)
    with pytest.raises(LibraryError) as err:
        KnowledgeGraph(store, extra_queries=tmp_path / "queries").queries()
    assert (
        str(err.value)
        == f"{tmp_path / 'queries' / 'latin.rq'} is not UTF-8: byte 0xe9 at line 4, column 25 (save the query as UTF-8)"
    )


def test_a_named_query_that_is_not_a_file(store, tmp_path):
    (tmp_path / "odd.rq").mkdir()
    with pytest.raises(LibraryError) as err:
        KnowledgeGraph(store, extra_queries=tmp_path).queries()
    assert str(err.value) == f"{tmp_path / 'odd.rq'}: not a regular file (a named query is a .rq file)"


def test_standard_input_that_never_ends_is_cut_short(store):
    one_line(
        kg(store, "query", input=b"#" * (8 << 20) + b"\n"),
        "error: standard input holds more than 8 MiB: that is not a query",
    )


def test_a_byte_order_mark_is_ignored(any_store, tmp_path):
    (tmp_path / "bom.rq").write_bytes(b"\xef\xbb\xbfASK { id:ttp a kg:ArmedGroup }")
    for args, stdin in (
        (["-e", "\ufeffASK { id:ttp a kg:ArmedGroup }"], None),
        ([str(tmp_path / "bom.rq")], None),
        ([], b"\xef\xbb\xbfASK { id:ttp a kg:ArmedGroup }"),
    ):
        done = kg(any_store, "query", *args, input=stdin)
        assert (done.exit_code, done.stdout, done.stderr) == (0, "true\n", "")


@pytest.mark.parametrize(
    "query, columns",
    [
        ("SELECT * WHERE { ?s kg:branchOf ?o ; rdfs:label ?l }", ["s", "o", "l"]),
        ("SELECT DISTINCT * WHERE { ?l ^rdfs:label ?s . ?s kg:branchOf ?o }", ["l", "s", "o"]),
        ("select * { ?z kg:branchOf ?o OPTIONAL { ?o rdfs:label ?m } }", ["z", "o", "m"]),
    ],
)
def test_select_star_columns_are_in_query_order_on_every_store(any_store, query, columns):
    assert run(any_store, query).variables == columns
    assert (
        run(any_store, query, {"o": URIRef("https://w3id.org/kg-armed-actors/id/islamic-state")}).variables == columns
    )
    assert kg(any_store, "query", "-e", query, "--format", "csv").stdout.splitlines()[0] == ",".join(columns)


# --- streams, as real processes ---

LABEL = "SELECT ?l WHERE { id:afghanistan-tajikistan-border rdfs:label ?l }"


def test_stdout_closed_full_or_latin1():
    closed = kg_process("query", "allies", "--param", "actor=ttp", preexec_fn=lambda: os.close(1))
    assert (closed.returncode, closed.stderr.decode()) == (
        1,
        "error: standard output is closed: nowhere to print the answer (redirect it to a file or /dev/null)\n",
    )
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "kg", "--project", str(REPO), "query", "-e", LABEL],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert (done.returncode, done.stderr.decode()) == (
        1,
        "error: cannot write to standard output: No space left on device\n",
    )
    latin = kg_process("query", "-e", LABEL, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert (latin.returncode, latin.stdout, latin.stderr) == (
        0,
        b"l\n-----------------------------\nAfghanistan\\u2013Tajikistan border\n(1 row)\n",
        b"",
    )


def test_stdin_closed():
    done = kg_process("query", preexec_fn=lambda: os.close(0))
    assert (done.returncode, done.stdout, done.stderr.decode()) == (
        1,
        b"",
        "error: no query: give -e TEXT, a .rq file or a query name, "
        "or pipe SPARQL in (kg query --list lists the named queries)\n",
    )
    empty = kg_process("query", stdin=subprocess.DEVNULL)
    assert (empty.returncode, empty.stderr.decode()) == (1, "error: empty query\n")


def test_an_escape_in_a_name_is_shown_not_sent_to_the_terminal(store):
    done = CliRunner().invoke(main, ["show", "\x1b[31mTTP\x07"], obj=store)
    assert done.exit_code == 1
    assert done.stderr == "error: unknown entity '\\x1b[31mTTP\\x07'\n"


def test_an_inverted_date_window_is_refused(store):
    done = CliRunner().invoke(main, ["view", "--since", "2020", "--until", "2010", "-o", "/dev/null"], obj=store)
    assert done.exit_code == 1
    assert done.stderr == "error: --since 2020 is after --until 2010: nothing could be drawn\n"


# --- the store objects themselves (public API) ---


@pytest.mark.parametrize("leak", LEAKS)
def test_a_store_object_refuses_service_itself(any_store, listener, leak):
    with pytest.raises(BadQuery) as err:
        any_store.query(any_store.namespaces.prologue + leak.format(url=listener.url))
    assert f"error: {err.value}" == SERVICE
    assert listener.requests == []


def test_every_store_object_refuses_service_and_from(any_store, listener):
    endpoint = open_store(listener.url)
    for store in (any_store, endpoint):
        with pytest.raises(BadQuery) as err:
            store.query(f"SELECT ?s FROM <{listener.url}> WHERE {{ ?s ?p ?o }}")
        assert f"error: {err.value}" == FROM
        with pytest.raises(BadQuery) as err:
            store.query(f"SELECT ?s WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        assert f"error: {err.value}" == SERVICE
        for hidden in (f"ASKFROM<{listener.url}>{{}}", f"CONSTRUCTFROM<{listener.url}>WHERE{{?s?p?o}}"):
            with pytest.raises(BadQuery) as err:
                store.query(hidden)
            assert f"error: {err.value}" == FROM
        for leak in LEAKS[-3:]:
            with pytest.raises(BadQuery) as err:
                store.query(leak.format(url=listener.url))
            assert f"error: {err.value}" == SERVICE
        with pytest.raises(BadQuery) as err:
            store.query(f"PREFIX ex: <http://e/>\nDESCRIBE ex:a\nFROM <{listener.url}>")
        assert f"error: {err.value}" == FROM
    assert listener.requests == []


def test_an_escape_beyond_unicode_is_one_line(any_store):
    for query in ('SELECT ?x {BIND("\\UFFFFFFFF" AS ?x)}', "SELECT ?x { ?x ?p <x:\\U00110000> }"):
        done = kg(any_store, "query", "-e", query)
        assert (done.exit_code, done.stderr) == (
            1,
            f"error: the query cannot be read: Invalid unicode code point: {query.split(chr(92) + 'U')[1][:8]}\n",
        )


def test_the_words_in_names_strings_and_iris_still_run_on_a_store_object(any_store):
    ns = any_store.namespaces
    text = (
        ns.prologue + 'SELECT ?from WHERE { VALUES ?from { "service from" <http://e.org/service/from> id:x-service } '
        "?f prov:wasDerivedFrom ?s } LIMIT 1"
    )
    assert any_store.query(text).variables == ["from"]


# --- memory ---

BOMB = (
    'SELECT (STRLEN(?v40) AS ?n) WHERE {\n BIND ("'
    + "x" * 32
    + '" AS ?v0)\n'
    + "\n".join(f" BIND (CONCAT(?v{i - 1}, ?v{i - 1}) AS ?v{i})" for i in range(1, 41))
    + "\n}\n"
)
"""A query whose strings double forty times: 32 TiB, were it let run."""
OUT_OF_MEMORY = "error: the query ran out of memory; narrow it"


def _one_gigabyte() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("store", [[], ["--store", "memory"]], ids=["cache", "memory"])
@pytest.mark.parametrize("limit", [[], ["--timeout", "20"]], ids=["no-timeout", "timeout"])
def test_a_query_that_runs_out_of_memory_is_one_line_on_every_store(tmp_path, store, limit):
    (tmp_path / "bomb.rq").write_text(BOMB)
    env = {**os.environ, "RUST_BACKTRACE": "1", "KG_ENDPOINT": "", "KG_STORE": ""}
    done = kg_process("query", *store, *limit, str(tmp_path / "bomb.rq"), env=env, preexec_fn=_one_gigabyte)
    assert (done.returncode, done.stdout, done.stderr.decode()) == (1, b"", OUT_OF_MEMORY + "\n")


def test_an_oxigraph_query_is_bounded_in_memory_without_a_timeout(oxigraph, monkeypatch):
    from kg import timeout as limits

    monkeypatch.setattr(limits, "MEMORY", 256 << 20)
    for args in (["query", "-e", BOMB], ["query", "--timeout", "20", "-e", BOMB]):
        one_line(kg(oxigraph, *args), OUT_OF_MEMORY)
    assert kg(oxigraph, "query", "-e", "ASK { id:ttp a kg:ArmedGroup }").stdout == "true\n"  # this process goes on


def test_what_a_query_process_writes_to_stderr_is_passed_on(capfd):
    from kg import timeout

    def warn() -> int:
        sys.stderr.write("warning: from the child\n")
        sys.stderr.flush()
        return 7

    assert timeout.call(warn, None) == 7
    assert capfd.readouterr().err == "warning: from the child\n"


# --- values rdflib cannot convert; bugs ---

OUT_OF_RANGE = {
    "dateTime": 'SELECT ?v WHERE { BIND(xsd:dateTime("99999999999-01-01T00:00:00Z") AS ?v) }',
    "date-plus-duration": 'SELECT ?v WHERE { BIND(xsd:date("2020-01-01") + "P99999999999999D"^^xsd:dayTimeDuration AS ?v) }',
}
"""Queries making dates past year 9999 (Oxigraph answers them; rdflib leaves them unbound)."""


@pytest.mark.parametrize("name", list(OUT_OF_RANGE))
@pytest.mark.parametrize("form", ["table", "json"])
def test_an_out_of_range_date_is_answered_without_rdflib_noise(any_store, caplog, capfd, name, form):
    import logging

    caplog.set_level(logging.DEBUG)
    done = kg(any_store, "query", "--format", form, "-e", OUT_OF_RANGE[name])
    assert (done.exit_code, done.stderr) == (0, "")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("rdflib")] == []
    assert capfd.readouterr().err == ""  # an Oxigraph query's child process says nothing either


def test_a_bug_is_one_line_and_its_traceback_shown_with_kg_debug(store, monkeypatch):
    from kg import api

    def broken(*args, **kwargs):
        raise ValueError("invalid literal for int() with base 10: 'x'")

    monkeypatch.setattr(api.KnowledgeGraph, "show", broken)
    monkeypatch.delenv("KG_DEBUG", raising=False)
    one_line(
        kg(store, "show", "ttp"),
        "error: internal error (ValueError: invalid literal for int() with base 10: 'x'): "
        "this is a bug in kg; run again with KG_DEBUG=1 to see where",
    )
    monkeypatch.setenv("KG_DEBUG", "1")
    debug = kg(store, "show", "ttp")
    assert debug.exit_code == 1 and isinstance(debug.exception, ValueError)


def test_a_query_on_a_local_store_runs_where_no_network_is(any_store, listener, monkeypatch):
    """The last line of defence: were a check of the text ever fooled, a query on a local store
    runs in a child process cut off every network (where Linux allows a network namespace)."""
    from kg import timeout
    from kg.sparql import run

    probe = timeout.call(timeout._no_network, None)
    if not probe:
        pytest.skip("this system gives a process no network namespace of its own")
    import kg.stores
    import kg.stores.memory
    import kg.stores.oxigraph

    for module in (kg.stores, kg.stores.memory, kg.stores.oxigraph):
        monkeypatch.setattr(module, "refuse_network", lambda sparql: sparql)  # as if every check were fooled
    monkeypatch.setattr("kg.sparql.screen", lambda text: None)
    monkeypatch.setattr("kg.sparql.prepare", lambda text, prefixes=None: text)
    leak = f"SELECT ?s WHERE {{ OPTIONAL {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }} }}"
    run(any_store, leak, timeout=30)
    assert listener.requests == []
    assert timeout.call(lambda: bool(timeout._no_network()), None, offline=True)  # and again inside: harmless


def test_escapes_with_the_words_are_refused_whatever_the_reading(any_store, listener):
    """rdflib expands \\u escapes inside strings, Oxigraph does not ("\\u0022" is one quote to
    it, three to rdflib): a text with escapes may not hold SERVICE or FROM at all."""
    leak = (
        f'PREFIX : <{listener.url}/>\nSELECT * {{ BIND("\\u0022" AS ?q) FILTER(1<2)SERVICE:x#>\n{{}} '
        'BIND("\\u0022" AS ?r) }'
    )
    endpoint = open_store(listener.url)
    for store in (any_store, endpoint):
        with pytest.raises(BadQuery) as err:
            store.query(leak)
        assert str(err.value) == ESCAPED_WORDS
    one_line(kg(any_store, "query", "-e", leak), f"error: {ESCAPED_WORDS}")
    assert listener.requests == []
    # an escape and neither word: runs
    assert kg(any_store, "query", "-e", 'ASK { FILTER("\\u0041" = "A") }').stdout == "true\n"
