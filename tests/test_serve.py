"""kg.serve: the SPARQL 1.1 Protocol, spoken by real clients to a running server.

Each server is started on a free loopback port in a thread of the test process
(:func:`kg.serve.in_background`) and stopped at the end; one test runs ``kg serve``
itself as a process and stops it with Ctrl-C (SIGINT).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from conftest import DATES, REPO, answer
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, JSONLD, N3, TURTLE, XML, SPARQLWrapper

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.queries import library
from kg.serve import Limits, in_background
from kg.sparql import bind_values, run
from kg.stores import QueryResult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def base(kg_graph):
    """The curated graph served on a free loopback port, with the default limits."""
    with in_background(kg_graph) as url:
        yield url


def get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, str, bytes]:
    """Status, media type and body of a request (an error status is an answer too)."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as found:
            return found.status, found.headers.get("content-type", ""), found.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("content-type", ""), err.read()


def sparql_url(base: str, **params: str) -> str:
    return base + "sparql" + ("?" + urllib.parse.urlencode(params) if params else "")


def named_text(name: str, examples) -> str:
    """The named query ``name`` with its example parameters bound, as a client would send it."""
    text = library()[name].sparql
    return bind_values(text, examples[name]) if examples[name] else text


def from_json(term: dict[str, str]) -> URIRef | Literal | BNode:
    if term["type"] == "uri":
        return URIRef(term["value"])
    if term["type"] == "bnode":
        return BNode(term["value"])
    datatype = term.get("datatype")
    return Literal(term["value"], lang=term.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)


# --- every named query, by two clients ---


@pytest.mark.parametrize("name", sorted(library()))
def test_sparqlwrapper_gets_the_rows_kg_query_gets(base, store, examples, name):
    expected = run(store, library()[name].sparql, examples[name])
    client = SPARQLWrapper(sparql_url(base))
    client.setQuery(named_text(name, examples))
    client.setReturnFormat(JSON)
    found = client.queryAndConvert()
    assert isinstance(found, dict)
    variables = found["head"]["vars"]
    rows = [tuple(from_json(b[v]) if v in b else None for v in variables) for b in found["results"]["bindings"]]
    assert answer(QueryResult("select", variables, rows)) == answer(expected)


@pytest.mark.parametrize("name", sorted(library()))
def test_rdflib_sparqlstore_gets_the_rows_kg_query_gets(base, store, examples, name):
    expected = run(store, library()[name].sparql, examples[name])
    remote = Graph(store=SPARQLStore(sparql_url(base), returnFormat="xml"))
    found = remote.query(named_text(name, examples))
    rows = [tuple(row) for row in found]
    assert [str(v) for v in found.vars] == expected.variables
    assert answer(QueryResult("select", expected.variables, rows)) == answer(expected)


def test_rdflib_sparqlstore_asks_and_constructs(base, store):
    remote = Graph(store=SPARQLStore(sparql_url(base)))
    prologue = "PREFIX kg: <https://w3id.org/kg-armed-actors/ontology#>\n"
    assert remote.query(prologue + "ASK { ?a kg:alliedWith ?b }").askAnswer is True
    construct = "CONSTRUCT { ?a kg:alliedWith ?b } WHERE { ?a kg:alliedWith ?b }"
    expected = run(store, construct).graph
    assert expected is not None and len(expected) == 2
    assert set(remote.query(prologue + construct).graph) == set(expected)


@pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning")
@pytest.mark.parametrize("fmt", [JSON, TURTLE, N3, XML, JSONLD])
def test_sparqlwrapper_constructs_in_each_format(base, store, fmt):
    construct = "CONSTRUCT { ?a kg:alliedWith ?b } WHERE { ?a kg:alliedWith ?b }"
    client = SPARQLWrapper(sparql_url(base))
    client.setQuery(construct)
    client.setReturnFormat(fmt)
    found = client.queryAndConvert()
    if not isinstance(found, Graph):
        found = Graph().parse(data=found, format="json-ld" if fmt in (JSON, JSONLD) else "turtle")
    assert set(found) == set(run(store, construct).graph or [])


def test_an_oxigraph_store_is_served_alike(oxigraph, store, examples):
    with in_background(KnowledgeGraph(oxigraph)) as url:
        for name in sorted(library()):
            remote = Graph(store=SPARQLStore(sparql_url(url), returnFormat="json"))
            found = remote.query(named_text(name, examples))
            expected = run(store, library()[name].sparql, examples[name])
            assert answer(QueryResult("select", [str(v) for v in found.vars], list(map(tuple, found)))) == answer(
                expected
            ), name


# --- kg query --endpoint against kg serve ---

CLI_QUERIES = [
    ["query", "-e", "SELECT ?group ?label WHERE { ?group a kg:ArmedGroup ; rdfs:label ?label } ORDER BY ?group"],
    ["query", "-e", "ASK { id:ttp kg:alliedWith id:afghan-taliban }"],
    ["query", "-e", "CONSTRUCT { ?a kg:alliedWith ?b } WHERE { ?a kg:alliedWith ?b }"],
    ["query", "-e", "SELECT ?branch ?of WHERE { ?branch kg:branchOf ?of }", "--format", "csv"],
    ["query", "allies", "--param", "actor=Pakistani Taliban"],
    ["query", "events", "--param", "from=2018-01-01", "--param", "to=2018-12-31", "--format", "json"],
    ["query", "groups-in", "--param", "place=Khatlon"],
    ["show", "ttp"],
]


NAMED = [
    [
        "query",
        name,
        *(f"--param={p.name}={DATES[p.name] if p.kind == 'date' else p.example}" for p in query.parameters),
    ]
    for name, query in sorted(library().items())
]


@pytest.mark.parametrize("args", CLI_QUERIES + NAMED, ids=lambda a: " ".join(a[:2]))
def test_kg_query_endpoint_against_kg_serve_prints_what_kg_query_prints(base, store, args):
    here = CliRunner().invoke(main, args, obj=store)
    there = CliRunner().invoke(main, [*args, "--endpoint", sparql_url(base)])
    assert here.exit_code == 0, here.output
    assert (there.exit_code, there.output) == (0, here.output)


# --- the protocol ---

SELECT = "SELECT ?o WHERE { id:ttp kg:alliedWith ?o }"


def test_a_query_by_get_post_form_and_post_direct_answers_alike(base):
    by_get = get(sparql_url(base, query=SELECT))
    form = urllib.parse.urlencode({"query": SELECT}).encode()
    by_form = get(sparql_url(base), {"Content-Type": "application/x-www-form-urlencoded"}, form)
    direct = get(sparql_url(base), {"Content-Type": "application/sparql-query"}, SELECT.encode())
    assert by_get == by_form == direct
    status, media, body = by_get
    assert (status, media) == (200, "application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"] == [
        {"o": {"type": "uri", "value": "https://w3id.org/kg-armed-actors/id/afghan-taliban"}}
    ]


@pytest.mark.parametrize(
    ("how", "media", "body"),
    [
        ({"format": "csv"}, "text/csv; charset=utf-8", b"o\r\nhttps://w3id.org/kg-armed-actors/id/afghan-taliban\r\n"),
        (
            {"accept": "text/csv"},
            "text/csv; charset=utf-8",
            b"o\r\nhttps://w3id.org/kg-armed-actors/id/afghan-taliban\r\n",
        ),
        (
            {"accept": "text/tab-separated-values"},
            "text/tab-separated-values; charset=utf-8",
            b"?o\n<https://w3id.org/kg-armed-actors/id/afghan-taliban>\n",
        ),
        (
            {"format": "tsv"},
            "text/tab-separated-values; charset=utf-8",
            b"?o\n<https://w3id.org/kg-armed-actors/id/afghan-taliban>\n",
        ),
    ],
)
def test_select_answers_as_csv_and_tsv_by_accept_or_format(base, how, media, body):
    params = {"query": SELECT, **({"format": how["format"]} if "format" in how else {})}
    headers = {"Accept": how["accept"]} if "accept" in how else {}
    assert get(sparql_url(base, **params), headers) == (200, media, body)


def test_select_and_ask_answer_as_xml(base):
    status, media, body = get(sparql_url(base, query=SELECT), {"Accept": "application/sparql-results+xml"})
    assert (status, media) == (200, "application/sparql-results+xml")
    assert b"<uri>https://w3id.org/kg-armed-actors/id/afghan-taliban</uri>" in body
    status, media, body = get(sparql_url(base, query="ASK { id:ttp kg:alliedWith id:nobody }", format="xml"))
    assert (status, media) == (200, "application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in body


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/json", "application/ld+json", "json-ld"),
    ],
)
def test_construct_answers_as_turtle_ntriples_jsonld_and_rdfxml(base, store, accept, media, rdflib_format):
    construct = "CONSTRUCT { ?a kg:alliedWith ?b } WHERE { ?a kg:alliedWith ?b }"
    status, found_media, body = get(sparql_url(base, query=construct), {"Accept": accept})
    assert (status, found_media) == (200, media)
    expected = run(store, construct).graph
    assert expected is not None
    assert set(Graph().parse(data=body, format=rdflib_format)) == set(expected)


def test_get_without_a_query_describes_the_service(base):
    status, media, body = get(sparql_url(base))
    assert (status, media) == (200, "text/turtle; charset=utf-8")
    described = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(sparql_url(base))
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in described
    assert (service, URIRef(sd + "endpoint"), service) in described


ERRORS = [
    (
        {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"},
        400,
        "SERVICE is refused: kg never reaches the network from a query (query a remote store with --endpoint)",
    ),
    (
        {"query": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"},
        400,
        "FROM and FROM NAMED are refused: a query reads the store's own graph "
        "(drop the clause; read another store with --store or --endpoint)",
    ),
    (
        {"query": "DELETE WHERE { ?s ?p ?o }"},
        403,
        "updates are refused: this endpoint is read-only (change the graph by editing seeds/ and rebuilding)",
    ),
    (
        {"update": "INSERT DATA { <a:a> <a:b> <a:c> }"},
        403,
        "updates are refused: this endpoint is read-only (change the graph by editing seeds/ and rebuilding)",
    ),
    (
        {"query": "SELECT ?x WHERE { ?x kg:alliedWith }"},
        400,
        "syntax error at line 1, column 19, at '?x kg:alliedWith }': Expected SelectQuery",
    ),
    (
        {"query": SELECT, "default-graph-uri": "http://example.org/other"},
        400,
        "unknown graph <http://example.org/other>: this endpoint serves one graph, "
        "<https://w3id.org/kg-armed-actors/graph>",
    ),
    ({"query": SELECT, "format": "yaml"}, 400, "unknown format 'yaml' for this query (use one of json, xml, csv, tsv)"),
]


@pytest.mark.parametrize(("params", "status", "message"), ERRORS, ids=[e[2][:30] for e in ERRORS])
def test_errors_are_a_status_and_one_line_of_text(base, params, status, message):
    form = urllib.parse.urlencode(params).encode()
    found = get(sparql_url(base), {"Content-Type": "application/x-www-form-urlencoded"}, form)
    assert found == (status, "text/plain; charset=utf-8", message.encode() + b"\n")


def test_a_sparql_update_body_is_refused(base):
    found = get(sparql_url(base), {"Content-Type": "application/sparql-update"}, b"CLEAR ALL")
    assert found[0] == 403


def test_every_answer_carries_the_content_security_policy(base):
    for url in (base, sparql_url(base), sparql_url(base, query="nonsense")):
        request = urllib.request.Request(url)
        try:
            headers = urllib.request.urlopen(request, timeout=10).headers
        except urllib.error.HTTPError as err:
            headers = err.headers
        assert headers["content-security-policy"].startswith("default-src 'none'")
        assert headers["x-content-type-options"] == "nosniff"


def test_a_host_other_than_loopback_is_refused_on_a_loopback_bind(base):
    port = urllib.parse.urlsplit(base).port
    refused = get(sparql_url(base, query=SELECT), {"Host": f"attacker.example:{port}"})
    assert refused == (400, "text/plain; charset=utf-8", b"this server answers requests to a loopback host only\n")
    assert get(sparql_url(base, query=SELECT), {"Host": f"localhost:{port}"})[0] == 200
    assert get(sparql_url(base, query=SELECT), {"Host": "[::1]"})[0] == 200


# --- limits ---


def test_an_answer_over_the_row_limit_is_refused(kg_graph):
    with in_background(kg_graph, limits=Limits(timeout=None, max_rows=3)) as url:
        found = get(sparql_url(url, query="SELECT ?s WHERE { ?s a kg:ArmedGroup }"))
    assert found[0] == 400
    assert found[2].startswith(b"the answer has ") and found[2].endswith(
        b" rows, more than this server's limit of 3: narrow the query\n"
    )


def test_a_query_past_the_time_limit_is_stopped(kg_graph):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with in_background(kg_graph, limits=Limits(timeout=1, max_rows=10)) as url:
        found = get(sparql_url(url, query=slow))
        after = get(sparql_url(url, query=SELECT))
    assert found == (503, "text/plain; charset=utf-8", b"query stopped after 1 seconds (the server's time limit)\n")
    assert after[0] == 200


# --- the token ---


def test_another_host_than_loopback_needs_a_token():
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"], obj=None)
    assert (result.exit_code, result.output) == (
        1,
        "error: --host 0.0.0.0 opens the graph to the network: give --token SECRET (or KG_SERVE_TOKEN) too\n",
    )


def test_with_a_token_every_request_must_carry_it(kg_graph):
    token = "s3cret-token-1234"
    with in_background(kg_graph, host="0.0.0.0", token=token) as url:
        port = urllib.parse.urlsplit(url).port
        local = f"http://127.0.0.1:{port}/"
        refused = get(sparql_url(local, query=SELECT))
        wrong = get(sparql_url(local, query=SELECT), {"Authorization": "Bearer wrong-token-000"})
        bearer = get(sparql_url(local, query=SELECT), {"Authorization": f"Bearer {token}"})
        in_url = get(sparql_url(local, query=SELECT, token=token))
        with urllib.request.urlopen(local + "?token=" + token, timeout=10) as first:
            cookie = first.headers["set-cookie"]
        by_cookie = get(local + "entity/ttp", {"Cookie": cookie.split(";", 1)[0]})
        wrong_cookie = get(local + "entity/ttp", {"Cookie": "kg_token=wrong-token-000"})
        client = SPARQLWrapper(sparql_url(local))
        client.addCustomHttpHeader("Authorization", f"Bearer {token}")
        client.setQuery("ASK { id:ttp kg:alliedWith id:afghan-taliban }")
        client.setReturnFormat(JSON)
        asked = client.queryAndConvert()
    assert refused[:2] == wrong[:2] == (401, "text/plain; charset=utf-8")
    assert refused[2] == b"a token is required: send Authorization: Bearer TOKEN or ?token=TOKEN\n"
    assert bearer[0] == in_url[0] == by_cookie[0] == 200
    assert cookie == f"kg_token={token}; Path=/; HttpOnly; SameSite=Strict"
    assert wrong_cookie[0] == 401
    assert asked == {"head": {}, "boolean": True}


# --- the command ---


def test_kg_serve_serves_the_projects_graph_until_ctrl_c():
    env = {**os.environ, "KG_ENDPOINT": "", "KG_STORE": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("serving the graph at http://127.0.0.1:"), line + process.stderr.read()
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        status, _, body = get(sparql_url(url, query="ASK { id:ttp kg:alliedWith id:afghan-taliban }"))
        assert (status, json.loads(body)["boolean"]) == (200, True)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill() if process.poll() is None else None
    assert (process.returncode, out, err) == (0, "stopped\n", "")


# --- hostile clients ---


class Logged(logging.Handler):
    """Every record uvicorn logs while installed."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged() -> Iterator[Logged]:
    handler = Logged()
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def raw(base: str, request: bytes, wait: float = 10) -> bytes:
    """What the server answers to ``request`` sent as is, until it closes the connection."""
    address = urllib.parse.urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=wait) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("media", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_a_client_gone_in_the_middle_of_its_body_leaves_no_traceback(base, logged, media):
    address = urllib.parse.urlsplit(base)
    head = f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {media}\r\nContent-Length: 100\r\n\r\n"
    with socket.create_connection((address.hostname, address.port)) as sock:
        sock.sendall(head.encode() + b"ASK")
    time.sleep(0.5)
    assert get(sparql_url(base, query="ASK { id:ttp kg:alliedWith id:afghan-taliban }"))[0] == 200
    assert [r.getMessage() for r in logged.records if r.levelno >= logging.ERROR or r.exc_info] == []


@pytest.mark.parametrize(
    "host", ["127.0.0.1:80@evil.example", "127.0.0.1:x", "127.0.0.1:80:80", "[::1]x", "127.0.0.1 evil", "", "::1"]
)
def test_a_host_header_that_is_not_host_and_port_is_refused(base, host):
    request = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    answer = raw(base, request)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert answer.endswith(b"\r\n\r\nthis server answers requests to a loopback host only\n")


def test_two_host_headers_are_refused_and_a_plain_one_answered(base):
    port = urllib.parse.urlsplit(base).port
    two = "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    assert raw(base, two.encode()).startswith(b"HTTP/1.1 400 ")
    for host in (f"127.0.0.1:{port}", "localhost", f"[::1]:{port}"):
        one = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        assert raw(base, one.encode()).startswith(b"HTTP/1.1 200 ")


def test_a_connection_that_never_finishes_its_headers_is_closed(kg_graph, monkeypatch):
    import kg.serve

    monkeypatch.setattr(kg.serve, "HEADER_TIMEOUT", 0.5)
    with in_background(kg_graph) as url:
        started = time.monotonic()
        assert raw(url, b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ") == b""  # closed, unanswered
        assert time.monotonic() - started < 3
        slow_but_whole = raw(url, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert slow_but_whole.startswith(b"HTTP/1.1 200 ")


def test_a_query_that_runs_out_of_memory_is_a_400_and_one_line(oxigraph, monkeypatch):
    from kg import timeout as limits

    monkeypatch.setattr(limits, "MEMORY", 256 << 20)
    bomb = (
        'SELECT (STRLEN(?v30) AS ?n) WHERE { BIND ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" AS ?v0) '
        + " ".join(f"BIND (CONCAT(?v{i - 1}, ?v{i - 1}) AS ?v{i})" for i in range(1, 31))
        + " }"
    )
    with in_background(KnowledgeGraph(oxigraph)) as url:
        found = get(sparql_url(url, query=bomb))
    assert found == (400, "text/plain; charset=utf-8", b"the query ran out of memory; narrow it\n")


def test_a_body_that_never_ends_is_answered_408(kg_graph, monkeypatch):
    import kg.serve.app

    monkeypatch.setattr(kg.serve.app, "BODY_TIMEOUT", 0.5)
    head = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
    with in_background(kg_graph) as url:
        started = time.monotonic()
        answer = raw(url, head + b"Content-Length: 100\r\nConnection: close\r\n\r\nASK")
    assert time.monotonic() - started < 5
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert answer.endswith(b"\r\n\r\nthe request body did not come within 0.5 seconds\n")
