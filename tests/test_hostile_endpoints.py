"""Hostile and broken SPARQL endpoints: every fault is one line, within the limits, with no secret in it.

Each test starts small HTTP servers on 127.0.0.1 (free ports, in threads, stopped by the
test) that misbehave one way each: silent, dripping, endless, HTML, garbage, redirecting,
closing, failing half-way through a push. Short limits (``--endpoint-timeout 0.5``) keep
the file fast. Every URL carries a password, which must appear in no output.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef

from kg.cli import main
from kg.errors import EndpointError, StoreError
from kg.stores import GRAPH
from kg.stores.endpoint import EndpointStore
from kg.stores.http import CONNECT_TIMEOUT, MAX_MB, TIMEOUT, Endpoint, Limits, mask
from kg.stores.push import push

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "s3cretPW"
ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
JSON = "application/sparql-results+json"
LATE = "no complete answer within 0.5 s (allow more with --endpoint-timeout or KG_ENDPOINT_TIMEOUT)"
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head>\n<body>\x1b[31mhi</body></html>\n"

Behaviour = Callable[["Handler"], None]


# --- misbehaving servers ---


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.behaviour = behaviour
        self.seen: list[tuple[str, str, bytes]] = []
        self.stopping = threading.Event()
        self.graphs: dict[str, bytes] = {}

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up is what these servers are for

    @property
    def bare(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"

    @property
    def url(self) -> str:
        return f"http://ci:{PASSWORD}@127.0.0.1:{self.server_address[1]}/sparql"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def body(self) -> bytes:
        """The request's body, read once."""
        if not hasattr(self, "data"):
            length = int(self.headers.get("content-length") or 0)
            self.data = self.rfile.read(length) if length else b""
            self.server.seen.append((self.command, self.path, self.data))
        return self.data

    def serve(self) -> None:
        if self.command == "HEAD" and not getattr(self.server.behaviour, "heads", False):
            self.server.seen.append(("HEAD", self.path, b""))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.server.behaviour(self)

    do_GET = do_POST = do_PUT = do_HEAD = serve

    def drip(self, data: bytes, every: float = 0.1) -> None:
        """Send ``data`` a byte at a time, far more often than any read timeout would notice."""
        for byte in data:
            if self.server.stopping.wait(every):
                return
            try:
                self.wfile.write(bytes([byte]))
            except OSError:
                return


@pytest.fixture
def serve() -> Iterator[Callable[[Behaviour], Server]]:
    servers: list[Server] = []

    def start(behaviour: Behaviour) -> Server:
        server = Server(behaviour)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stopping.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KG_ENDPOINT", "KG_STORE", "KG_GRAPH", "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name in ("KG_ENDPOINT_TIMEOUT", "KG_ENDPOINT_MAX_MB", "http_proxy", "https_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(REPO)


def reply(
    status: int = 200, media: str | None = JSON, body: bytes = b"", headers: tuple[tuple[str, str], ...] = ()
) -> Behaviour:
    def behaviour(h: Handler) -> None:
        h.body()
        h.send_response(status)
        if media:
            h.send_header("Content-Type", media)
        for name, value in headers:
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return behaviour


def silent(h: Handler) -> None:
    h.body()
    h.server.stopping.wait(10)


def drip_headers(h: Handler) -> None:
    h.body()
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n")
    h.drip(b"X-Drip: " + b"a" * 200)


def drip_body(h: Handler) -> None:
    h.body()
    h.send_response(200)
    h.send_header("Content-Type", JSON)
    h.end_headers()
    h.drip(b'{"head": {"vars": ["s"]}, "results": {"bindings": [' + b" " * 200 + b"]}}")


drip_headers.heads = True  # type: ignore[attr-defined]


def endless(h: Handler) -> None:
    h.body()
    h.send_response(200)
    h.send_header("Content-Type", JSON)
    h.end_headers()
    chunk = b" " * 65536
    for _ in range(1024):  # 64 MB at most
        if h.server.stopping.is_set():
            return
        try:
            h.wfile.write(chunk)
        except OSError:
            return


def garbage(h: Handler) -> None:
    h.body()
    h.wfile.write(b"\x16\x03\x01 HELO \x1b]0;pwned\x07 garbage\r\n\r\n")


def hang_up(h: Handler) -> None:
    h.body()
    h.close_connection = True


def cut_short(h: Handler) -> None:
    h.body()
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 1000\r\n\r\n{")
    h.close_connection = True


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_one_line(result: Result, message: str) -> None:
    """Exit status 1, no traceback, exactly ``error: MESSAGE`` on stderr, and no password anywhere."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
    assert PASSWORD not in result.output


# --- limits: time ---


@pytest.mark.parametrize("behaviour", [silent, drip_headers, drip_body], ids=["silent", "drip-headers", "drip-body"])
def test_a_request_ends_at_its_deadline_however_the_server_stalls(serve, behaviour):
    server = serve(behaviour)
    started = time.monotonic()
    result = run("query", "-e", ASK, "--endpoint", server.url, "--endpoint-timeout", "0.5")
    assert time.monotonic() - started < 3
    assert_one_line(result, f"{server.bare}: {LATE}")


def test_kg_show_against_a_server_dripping_a_byte_at_a_time_stops_at_the_limit(serve):
    server = serve(drip_body)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "kg", "show", "ttp", "--endpoint", server.url, "--endpoint-timeout", "1"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=REPO,
    )
    assert time.monotonic() - started < 10
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"error: {server.bare}: {LATE.replace('0.5 s', '1 s')}\n"


def test_param_lookups_are_remote_calls_within_the_limits(serve, monkeypatch):
    server = serve(silent)
    monkeypatch.setenv("KG_ENDPOINT_TIMEOUT", "0.5")
    started = time.monotonic()
    result = run("query", "-e", "SELECT ?o WHERE { ?a ?p ?o }", "--param", "a=ttp", "--endpoint", server.url)
    assert time.monotonic() - started < 3
    assert_one_line(result, f"{server.bare}: {LATE}")
    assert [method for method, _, _ in server.seen] == ["HEAD", "POST"]


def test_a_server_that_accepts_no_connection_is_given_up_at_the_connect_limit():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    queued = socket.create_connection(("127.0.0.1", port))  # fills the queue: later SYNs are dropped
    try:
        store = EndpointStore(f"http://127.0.0.1:{port}/sparql", limits=Limits(timeout=5, connect=0.3))
        started = time.monotonic()
        with pytest.raises(EndpointError) as caught:
            store.query(ASK)
        assert time.monotonic() - started < 2
        assert str(caught.value) == (
            f"http://127.0.0.1:{port}/sparql: no connection within 0.3 s (is the server up, and the URL right?)"
        )
    finally:
        queued.close()
        listener.close()


def test_limits_are_stated_in_help_and_bad_ones_refused(monkeypatch):
    shown = " ".join(run("query", "--help").output.split())
    assert f"connect within {CONNECT_TIMEOUT:g} s" in shown
    assert f"answers over {MAX_MB} MB ($KG_ENDPOINT_MAX_MB) are refused" in shown
    assert f"(default: $KG_ENDPOINT_TIMEOUT, else {TIMEOUT:g})" in shown
    assert "--endpoint-timeout" in " ".join(run("push", "--help").output.split())
    assert Limits.from_environment() == Limits(120, 10, 256 << 20)
    monkeypatch.setenv("KG_ENDPOINT_TIMEOUT", "2")
    monkeypatch.setenv("KG_ENDPOINT_MAX_MB", "0.5")
    assert Limits.from_environment() == Limits(2, 2, 1 << 19)
    for bad in ("nan", "inf", "1e300", "0", "-1", "soon"):
        monkeypatch.setenv("KG_ENDPOINT_TIMEOUT", bad)
        result = run("query", "-e", ASK, "--endpoint", "http://127.0.0.1:9/sparql")
        message = f"KG_ENDPOINT_TIMEOUT must be a number of seconds above 0 and at most 604800, not '{bad}'"
        assert_one_line(result, message)
    monkeypatch.delenv("KG_ENDPOINT_TIMEOUT")
    result = run("query", "-e", ASK, "--endpoint", "http://127.0.0.1:9/sparql", "--endpoint-timeout", "nan")
    assert result.exit_code == 2 and "nan is not a number of seconds" in result.stderr


# --- limits: size ---


def test_an_endless_answer_is_cut_at_the_size_limit(serve, monkeypatch):
    server = serve(endless)
    monkeypatch.setenv("KG_ENDPOINT_MAX_MB", "1")
    result = run("query", "-e", SELECT, "--endpoint", server.url, "--endpoint-timeout", "5")
    assert_one_line(result, f"{server.bare}: the answer is larger than 1 MB (allow more with KG_ENDPOINT_MAX_MB)")


def test_an_announced_oversize_answer_is_refused_before_it_is_read(serve):
    def huge(h: Handler) -> None:
        h.body()
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n")
        h.wfile.write(b"Content-Length: 999999999999\r\n\r\n{")
        h.server.stopping.wait(10)

    server = serve(huge)
    store = EndpointStore(server.url, limits=Limits(timeout=5, connect=5, max_bytes=1000))
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        store.query(ASK)
    assert time.monotonic() - started < 2
    assert (
        str(caught.value) == f"{server.bare}: the answer is larger than 1000 bytes (allow more with KG_ENDPOINT_MAX_MB)"
    )


# --- answers parsed defensively: one line saying what the server sent ---

BAD_ANSWERS = {
    "html-to-select": (
        SELECT,
        reply(media="text/html", body=HTML_PAGE),
        "expected SPARQL JSON results, got text/html: Welcome to nginx!",
    ),
    "truncated-json": (
        SELECT,
        reply(body=b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "val'),
        'invalid SPARQL JSON results (Unterminated string starting at: line 1, column 74): {"head": {"vars": '
        '["s"]}, "results": {"bindings": [{"s": {"type": "uri", "val\n',
    ),
    "binary": (SELECT, reply(body=bytes(range(256)) * 4), "expected SPARQL JSON results, got binary data (1024 bytes)"),
    "empty": (ASK, reply(body=b""), "invalid SPARQL JSON results (Expecting value: line 1, column 1): an empty body"),
    "no-head": (SELECT, reply(body=b'{"results": {"bindings": []}}'), 'invalid SPARQL JSON results (no "head"): '),
    "no-results": (SELECT, reply(body=b'{"head": {"vars": ["s"]}}'), 'invalid SPARQL JSON results (no "results"): '),
    "unknown-term": (
        SELECT,
        reply(body=b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "triple", "value": {}}}]}}'),
        'invalid SPARQL JSON results (a binding without a string "value"): ',
    ),
    "unknown-type": (
        SELECT,
        reply(body=b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "triple", "value": "x"}}]}}'),
        "invalid SPARQL JSON results (a binding of unknown type 'triple'): ",
    ),
    "bad-iri": (
        SELECT,
        reply(body=b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "a b"}}]}}'),
        "invalid SPARQL JSON results (an IRI with a space or a character IRIs cannot have: 'a b'): ",
    ),
    "boolean-not-bool": (
        ASK,
        reply(body=b'{"head": {}, "boolean": "yes"}'),
        'invalid SPARQL JSON results ("boolean" is',
    ),
    "select-answered-as-ask": (
        SELECT,
        reply(body=b'{"head": {}, "boolean": true}'),
        'invalid SPARQL JSON results (no "results" for SELECT): {"head": {}, "boolean": true}',
    ),
    "deep-nesting": (ASK, reply(body=b"[" * 100000), "invalid SPARQL JSON results (maximum recursion depth exceeded"),
    "wrong-content-type": (
        SELECT,
        reply(media="application/sparql-results+xml", body=b'<?xml version="1.0"?>\n<sparql><head/></sparql>'),
        "expected SPARQL JSON results, got application/sparql-results+xml: markup without text",
    ),
    "html-to-construct": (
        CONSTRUCT,
        reply(media="text/html", body=HTML_PAGE),
        "expected RDF (N-Triples or Turtle), got text/html: Welcome to nginx!",
    ),
    "json-ld-to-construct": (
        CONSTRUCT,
        reply(media="application/ld+json", body=b'{"@context": "http://127.0.0.1:9/context.jsonld"}'),
        'expected RDF (N-Triples or Turtle), got application/ld+json: {"@context": "http://127.0.0.1:9/context.jsonld"}',
    ),
    "bad-turtle": (
        CONSTRUCT,
        reply(media="text/turtle", body=b"<http://a> <http://b> oops .\n"),
        "invalid text/turtle (at line 1 of <>:): <http://a> <http://b> oops .",
    ),
    "binary-to-construct": (
        CONSTRUCT,
        reply(media="application/n-triples", body=b"\xff\xfe\x00\x01" * 64),
        "expected RDF (N-Triples or Turtle), got binary data (256 bytes)",
    ),
    "error-page": (
        SELECT,
        reply(500, "text/html", b"<html><body><h1>Internal \x1b[2JError</h1>\n<p>trace...</p></body></html>"),
        "HTTP 500 Internal Server Error: Internal Error",
    ),
    "garbage": (ASK, garbage, "the server did not answer in HTTP: HELO garbage"),
    "hang-up": (ASK, hang_up, "the server closed the connection without answering"),
    "cut-short": (ASK, cut_short, "the server closed the connection before the answer was complete (1 of 1000 bytes)"),
}


@pytest.mark.parametrize("name", list(BAD_ANSWERS))
def test_a_bad_answer_is_one_line_quoting_what_the_server_sent(serve, name):
    query, behaviour, message = BAD_ANSWERS[name]
    server = serve(behaviour)
    result = run("query", "-e", query, "--endpoint", server.url, "--endpoint-timeout", "2")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"error: {server.bare}: {message}")
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert PASSWORD not in result.output and result.stdout == ""


def test_ill_typed_literals_from_a_server_are_answered_without_rdflib_noise(serve):
    body = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "many"}}]}}
    body["results"]["bindings"][0]["n"]["datatype"] = "http://www.w3.org/2001/XMLSchema#integer"
    server = serve(reply(body=json.dumps(body).encode()))
    result = run("query", "-e", "SELECT ?n WHERE { ?s ?p ?n }", "--endpoint", server.url, "--format", "csv")
    assert (result.exit_code, result.stdout.splitlines(), result.stderr) == (0, ["n", "many"], "")


def test_a_redirect_to_another_server_is_refused_and_that_server_never_asked(serve):
    elsewhere = serve(reply(body=b'{"head": {}, "boolean": true}'))
    target = elsewhere.url.replace("/sparql", "/steal")
    server = serve(reply(302, "text/html", b"moved", (("Location", target),)))
    result = run("query", "-e", ASK, "--endpoint", server.url)
    hidden = mask(target)
    assert hidden == target.replace(f"ci:{PASSWORD}@", "***@")
    assert_one_line(
        result, f"{server.bare}: refused a redirect to another server ({hidden}): give that URL instead if you trust it"
    )
    assert elsewhere.seen == []


def test_a_redirect_on_the_same_server_is_followed(serve):
    def moved(h: Handler) -> None:
        if h.path.startswith("/sparql"):
            reply(301, "text/html", b"moved", (("Location", "/v2/sparql"),))(h)
        else:
            reply(body=b'{"head": {}, "boolean": true}')(h)

    server = serve(moved)
    result = run("query", "-e", ASK, "--endpoint", server.url)
    assert (result.exit_code, result.stdout) == (0, "true\n")


def test_a_wrong_password_is_reported_without_being_echoed(serve):
    def challenge(h: Handler) -> None:
        h.body()
        h.send_response(401)
        h.send_header("WWW-Authenticate", 'Basic realm="sparql"')
        h.send_header("Content-Length", "0")
        h.end_headers()

    challenge.heads = True  # type: ignore[attr-defined]
    server = serve(challenge)
    result = run("query", "-e", ASK, "--endpoint", server.url)
    assert_one_line(
        result,
        f"{server.bare}: HTTP 401 basic auth failed (give credentials as http://USER:PASSWORD@host/... "
        "or in KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD)",
    )


# --- URLs: one line each, no traceback, no password ---

BAD_URLS = {
    f"htps://ci:{PASSWORD}@127.0.0.1:18095/sparql": "unknown store 'htps://***@127.0.0.1:18095/sparql' "
    "(use memory, oxigraph:PATH or an http(s) URL)",
    f"http://ci:{PASSWORD}@127.0.0.1:99999/sparql": "http://***@127.0.0.1:99999/sparql: not a valid URL "
    "(port '99999' is out of range 1-65535)",
    f"http://ci:{PASSWORD}@127.0.0.1:0/sparql": "http://***@127.0.0.1:0/sparql: not a valid URL "
    "(port '0' is out of range 1-65535)",
    f"http://ci:{PASSWORD}@127.0.0.1:port/sparql": "http://***@127.0.0.1:port/sparql: not a valid URL "
    "(port 'port' is not a number)",
    f"http://ci:{PASSWORD}@[::1/sparql": "http://***@[::1/sparql: not a valid URL "
    "(unbalanced brackets around an IPv6 address)",
    f"http://ci:{PASSWORD}@[zzz]/sparql": "http://***@[zzz]/sparql: not a valid URL ('[zzz]' is not an IPv6 address)",
    f"http://ci:{PASSWORD}@127.0.0.1/spa rql": "http://***@127.0.0.1/spa rql: not a valid URL "
    "(it contains a space; write it as %20)",
    f"http://ci:{PASSWORD}@127.0.0.1/\x1b[2J": "http://***@127.0.0.1/\\x1b[2J: not a valid URL "
    "(it contains the control character '\\x1b')",
    f"http://ci:{PASSWORD}@/sparql": "http://***@/sparql: not a valid URL (no host: write http://HOST[:PORT]/PATH)",
    f"http://ci:{PASSWORD.replace('W', '/')}@127.0.0.1/sparql": "http://***@127.0.0.1/sparql: not a valid URL "
    "(in a user or password, write '/', '?', '#' and '@' as %2F, %3F, %23 and %40)",
    f"http://ci:12/{PASSWORD}@127.0.0.1/sparql": "http://***@127.0.0.1/sparql: not a valid URL "
    "(in a user or password, write '/', '?', '#' and '@' as %2F, %3F, %23 and %40)",
    f"http://ci:x?{PASSWORD}@127.0.0.1/sparql": "http://***@127.0.0.1/sparql: not a valid URL "
    "(in a user or password, write '/', '?', '#' and '@' as %2F, %3F, %23 and %40)",
}


@pytest.mark.parametrize("url", list(BAD_URLS))
def test_a_bad_endpoint_url_is_one_line_without_its_password(url):
    secret = "s3cretP"  # also what is left of a password cut at a '/'
    for args in (["--endpoint", url], ["--store", url]):
        result = run("query", "-e", ASK, *args)
        assert_one_line(result, BAD_URLS[url])
        assert secret not in result.output
    if url.startswith("http://"):
        pushed = run("push", "--seeds", "tests/data/mini", "--endpoint", url)
        assert_one_line(pushed, BAD_URLS[url])
        assert secret not in pushed.output


def test_the_environment_endpoint_is_masked_too(monkeypatch):
    monkeypatch.setenv("KG_ENDPOINT", f"htps://ci:{PASSWORD}@127.0.0.1:18095/sparql")
    assert_one_line(run("query", "-e", ASK), BAD_URLS[f"htps://ci:{PASSWORD}@127.0.0.1:18095/sparql"])
    with pytest.raises(StoreError) as caught:
        from kg.stores.choose import open_store

        open_store(f"postgres://admin:{PASSWORD}@db/kg")
    assert str(caught.value) == "unknown store 'postgres://***@db/kg' (use memory, oxigraph:PATH or an http(s) URL)"
    assert PASSWORD not in repr(Endpoint.parse(f"http://ci:{PASSWORD}@127.0.0.1/sparql"))


def test_mask_hides_userinfo_in_urls_good_and_bad():
    assert mask("https://u:p@host/x?y=a@b") == "https://***@host/x?y=a@b"
    assert mask("http://host/path?mail=a@b") == "http://host/path?mail=a@b"
    assert mask("http://u:1/pw@host/x") == "http://***@host/x"  # an '@' in a path ends a password
    assert mask("http://u:p@ss@host/") == "http://***@host/"
    assert mask("ci:pw@127.0.0.1:1/sparql") == "***@127.0.0.1:1/sparql"
    assert mask("http://127.0.0.1/sparql") == "http://127.0.0.1/sparql"


# --- push: failures leave one line and the named graph as it was ---

OLD = b"<http://example.org/old> <http://example.org/p> 'kept' .\n"


def graph_store(fault: str | None = None) -> Behaviour:
    """A Graph Store (PUT ?graph=) and Update (MOVE, DROP) server holding graphs in memory."""

    def behaviour(h: Handler) -> None:
        if getattr(h.server, "down", False):
            h.body()
            h.close_connection = True
            return
        if h.command == "PUT":
            iri = urllib.parse.parse_qs(urllib.parse.urlsplit(h.path).query)["graph"][0]
            if fault == "put-500":
                return reply(500, "text/html", b"<h1>Disk full</h1>")(h)
            if fault == "put-closes":
                h.rfile.read(10)
                h.close_connection = True
                return None
            h.server.graphs[iri] = h.body()
            if fault == "down-after-put":
                h.server.down = True  # type: ignore[attr-defined]
            return reply(201, None)(h)
        text = urllib.parse.parse_qs(h.body().decode())["update"][0]
        if fault == "move-400" and text.startswith("MOVE"):
            return reply(400, "text/plain", b"Virtuoso 37000 Error SP030: syntax error\n")(h)
        moved = re.match(r"MOVE SILENT GRAPH <(.+?)> TO GRAPH <(.+?)>", text)
        if moved:
            h.server.graphs[moved[2]] = h.server.graphs.pop(moved[1], b"")
        dropped = re.match(r"DROP SILENT GRAPH <(.+?)>", text)
        if dropped:
            h.server.graphs.pop(dropped[1], None)
        return reply(200, None)(h)

    return behaviour


def small_graph() -> Graph:
    graph = Graph()
    for n in range(3):
        graph.add((URIRef(f"http://example.org/s{n}"), URIRef("http://example.org/p"), Literal(n)))
    return graph


PUSH_FAULTS = {
    "put-500": "HTTP 500 Internal Server Error: Disk full",
    "put-closes": "",  # reset or hung up on, depending on timing
    "move-400": "HTTP 400 Bad Request: Virtuoso 37000 Error SP030: syntax error",
    "down-after-put": "the server closed the connection without answering",
    "put-silent": LATE,
}


@pytest.mark.parametrize("fault", list(PUSH_FAULTS))
def test_a_failed_push_is_one_line_and_leaves_the_named_graph_as_it_was(serve, fault):
    server = serve(silent if fault == "put-silent" else graph_store(fault))
    server.graphs[GRAPH] = OLD
    limits = Limits(timeout=0.5, connect=0.5)
    with pytest.raises(EndpointError) as caught:
        push(small_graph(), server.url, GRAPH, update_url=server.url, limits=limits)
    message = str(caught.value)
    assert message.startswith(f"{server.bare}: {PUSH_FAULTS[fault]}") and "\n" not in message
    assert PASSWORD not in message
    assert server.graphs[GRAPH] == OLD
    staged = [iri for iri in server.graphs if iri.startswith("urn:uuid:")]
    assert staged == ([] if fault != "down-after-put" else staged)  # a server gone down keeps what it was sent


def test_cli_push_failure_is_one_line_and_success_prints_no_password(serve):
    server = serve(graph_store("put-500"))
    server.graphs[GRAPH] = OLD
    args = ["push", "--seeds", "tests/data/mini", "--endpoint", server.url, "--update", server.url]
    assert_one_line(run(*args), f"{server.bare}: HTTP 500 Internal Server Error: Disk full")
    assert server.graphs == {GRAPH: OLD}
    server.behaviour = graph_store()
    done = run(*args)
    assert done.exit_code == 0 and PASSWORD not in done.output
    assert done.stdout.endswith(f"at {server.bare} (Graph Store PUT into a fresh graph, then MOVE)\n")
    assert server.graphs[GRAPH] != OLD and list(server.graphs) == [GRAPH]


def test_push_refuses_a_named_graph_that_is_not_an_iri(serve):
    server = serve(graph_store())
    with pytest.raises(StoreError, match=r"^the named graph must be an IRI such as .*, not 'a b>'$"):
        push(small_graph(), server.url, "a b>")
    assert server.seen == []


# --- secrets in the query string; the scheme in any case ---


def test_secret_query_parameters_are_masked_on_every_path(serve):
    assert mask("https://h/sparql?apikey=S1&graph=g") == "https://h/sparql?apikey=***&graph=g"
    assert mask("http://u:p@h/s?Access_Token=S2;password=S3#x") == "http://***@h/s?Access_Token=***;password=***#x"
    assert mask("http://h/s?API-KEY=S4&key=&monkey=1") == "http://h/s?API-KEY=***&key=&monkey=1"
    server = serve(garbage)
    secret = f"{server.bare}?apikey={PASSWORD}&token={PASSWORD}"
    result = run("query", "-e", ASK, "--endpoint", secret)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {server.bare}?apikey=***&token=***: ")
    assert PASSWORD not in result.output
    unknown = run("query", "-e", ASK, "--store", f"htps://h/s?apikey={PASSWORD}")
    assert_one_line(unknown, "unknown store 'htps://h/s?apikey=***' (use memory, oxigraph:PATH or an http(s) URL)")


def test_an_upper_case_scheme_names_an_endpoint(serve):
    server = serve(reply(body=b'{"head": {}, "boolean": true}'))
    upper = server.bare.replace("http://", "HTTP://")
    result = run("query", "-e", ASK, "--seeds", "tests/data/mini", "--store", upper)
    assert (result.exit_code, result.stdout) == (0, "true\n")


# --- a server that quotes a secret back ---


def echo_path(h: Handler) -> None:
    """400 with the request path (its secret parameters) in the body, as a careless server does."""
    h.body()
    text = f"bad request to {h.path}".encode()
    h.send_response(400)
    h.send_header("Content-Length", str(len(text)))
    h.end_headers()
    h.wfile.write(text)


def echo_credentials(h: Handler) -> None:
    """401 Basic without credentials, else 403 quoting the decoded ones."""
    import base64

    h.body()
    given = h.headers.get("Authorization", "")
    if not given:
        h.send_response(401)
        h.send_header("WWW-Authenticate", 'Basic realm="sparql"')
        h.send_header("Content-Length", "0")
        h.end_headers()
        return
    text = f"denied for {base64.b64decode(given.split()[1]).decode()} ({given})".encode()
    h.send_response(403)
    h.send_header("Content-Length", str(len(text)))
    h.end_headers()
    h.wfile.write(text)


echo_credentials.heads = True  # type: ignore[attr-defined]


def test_a_secret_the_server_quotes_back_is_masked(serve):
    server = serve(echo_path)
    url = f"{server.bare}?token=TOK{PASSWORD}%2Fx"
    assert_one_line(
        run("query", "-e", ASK, "--endpoint", url),
        f"{server.bare}?token=***: HTTP 400 Bad Request: bad request to /sparql?token=***",
    )
    server = serve(echo_credentials)
    assert_one_line(
        run("query", "-e", ASK, "--endpoint", server.url),
        f"{server.bare}: HTTP 403 Forbidden: denied for *** (Basic ***)",
    )


def test_credentials_from_the_environment_quoted_back_by_a_push_are_masked(serve, monkeypatch):
    monkeypatch.setenv("KG_ENDPOINT_USER", "bob")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", PASSWORD)
    server = serve(echo_credentials)
    result = run("push", "--seeds", "tests/data/mini", "--endpoint", server.bare)
    assert_one_line(result, f"{server.bare}: HTTP 403 Forbidden: denied for *** (Basic ***)")
