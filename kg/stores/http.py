"""HTTP for SPARQL servers: credentials, requests, and SPARQL JSON results as rdflib terms.

Standard library only (``urllib``), so talking to a server needs nothing more
than Python. Credentials come from the URL (``http://user:pass@host/sparql``)
or from ``KG_ENDPOINT_USER`` and ``KG_ENDPOINT_PASSWORD``; both HTTP Basic and
Digest challenges are answered (Virtuoso's ``/sparql-auth`` asks for Digest).
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg.errors import EndpointError
from kg.stores import canonical

TIMEOUT = 300
"""Seconds to wait for a server's answer."""

CREDENTIALS = " (give credentials as http://USER:PASSWORD@host/... or in KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD)"
RESULTS_JSON = "application/sparql-results+json"
RDF_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
"""Media types of CONSTRUCT answers, to rdflib parser names."""


@dataclass(frozen=True)
class Endpoint:
    """A server URL without credentials, and the credentials to use for it, if any."""

    url: str
    user: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """Split ``http://user:pass@host/path`` into the URL and credentials (else from env)."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointError(url, "not an http(s) URL")
        user = urllib.parse.unquote(parts.username) if parts.username else None
        password = urllib.parse.unquote(parts.password) if parts.password else None
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        if ":" in parts.hostname:
            netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
        bare = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        user = user or os.environ.get("KG_ENDPOINT_USER") or None
        password = password or os.environ.get("KG_ENDPOINT_PASSWORD") or None
        return cls(bare, user, password)

    def _passwords(self, user: str) -> urllib.request.HTTPPasswordMgrWithDefaultRealm:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, self.url, user, self.password or "")
        return passwords

    def opener(self) -> urllib.request.OpenerDirector:
        """A urllib opener that answers Basic and Digest challenges with the credentials."""
        if self.user is None:
            return urllib.request.build_opener()
        passwords = self._passwords(self.user)
        return urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)
        )

    def authorize(self, req: urllib.request.Request) -> None:
        """Answer the server's challenge up front, found with a HEAD request.

        A server that asks for credentials closes the connection without reading a
        request's body, so a large upload must carry them the first time.
        """
        if self.user is None:
            return
        try:
            with urllib.request.urlopen(urllib.request.Request(req.full_url, method="HEAD"), timeout=TIMEOUT):
                return
        except urllib.error.HTTPError as err:
            challenge = err.headers.get("www-authenticate", "") if err.code == 401 else ""
        except (urllib.error.URLError, OSError):
            return  # the request itself will report it
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() == "digest":
            handler = urllib.request.HTTPDigestAuthHandler(self._passwords(self.user))
            chal = urllib.request.parse_keqv_list([p for p in urllib.request.parse_http_list(params) if p])
            probe = urllib.request.Request(req.full_url, method="HEAD")
            self._check(probe, "digest", f"Digest {handler.get_authorization(probe, chal)}")
            answer = handler.get_authorization(req, chal)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            probe = urllib.request.Request(req.full_url, method="HEAD")
            self._check(probe, "basic", f"Basic {token}")
            req.add_unredirected_header("Authorization", f"Basic {token}")

    def _check(self, probe: urllib.request.Request, scheme: str, authorization: str) -> None:
        """Try the credentials on a body-less request, so wrong ones are reported as such
        rather than as the broken pipe of a server that hung up on the upload."""
        probe.add_unredirected_header("Authorization", authorization)
        try:
            with urllib.request.urlopen(probe, timeout=TIMEOUT):
                return
        except urllib.error.HTTPError as err:
            if err.code == 401:
                raise EndpointError(self.url, f"HTTP 401 {scheme} auth failed{CREDENTIALS}") from err
        except (urllib.error.URLError, OSError):
            return  # the request itself will report it


@dataclass
class Response:
    """A server's answer: status, media type (no parameters), headers, body."""

    status: int
    media_type: str
    headers: dict[str, str]
    body: bytes


def request(
    endpoint: Endpoint, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> Response:
    """Send one request; raise EndpointError with the server's reason on failure."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    if body:
        endpoint.authorize(req)
    try:
        with endpoint.opener().open(req, timeout=TIMEOUT) as answer:
            data = answer.read()
            status = answer.status
            found = {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as err:
        hint = CREDENTIALS if err.code == 401 else ""
        raise EndpointError(endpoint.url, f"HTTP {err.code} {err.reason}{_first_line(err.read())}{hint}") from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise EndpointError(endpoint.url, f"cannot reach the server ({reason})") from err
    media = found.get("content-type", "").split(";")[0].strip().lower()
    return Response(status, media, found, data)


def _first_line(body: bytes) -> str:
    text = re.sub(r"<[^>]+>", " ", body.decode("utf-8", "replace"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return f": {lines[0][:200]}" if lines else ""


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query, read past its prologue."""
    text = re.sub(r'<[^>\s]*>|"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|#[^\n]*', " ", sparql)
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE)
    if not found:
        raise EndpointError("query", "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return found.group(1).upper()


def json_term(value: dict[str, str]) -> Identifier:
    """One SPARQL JSON results term as kg's stores answer it (see ``kg.stores.canonical``)."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    lang = value.get("xml:lang")
    datatype = value.get("datatype")
    if lang or datatype is None or datatype == str(XSD.string):
        return Literal(value["value"], lang=lang or None)
    return canonical(Literal(value["value"], datatype=URIRef(datatype)))


def parse_json_results(body: bytes) -> tuple[list[str], list[tuple[Identifier | None, ...]]] | bool:
    """SPARQL 1.1 JSON results: ``(variables, rows)`` for SELECT, a bool for ASK."""
    data = json.loads(body.decode("utf-8"))
    if "boolean" in data:
        return bool(data["boolean"])
    variables = list(data["head"].get("vars", []))
    rows = []
    for binding in data["results"]["bindings"]:
        rows.append(tuple(json_term(binding[v]) if v in binding else None for v in variables))
    return variables, rows


def parse_rdf(body: bytes, media_type: str) -> Graph:
    """A CONSTRUCT or DESCRIBE answer as an rdflib Graph (literals as in ``canonical``)."""
    parsed = Graph()
    parsed.parse(data=body, format=RDF_TYPES.get(media_type, "turtle"))
    graph = Graph()
    for s, p, o in parsed:
        graph.add((s, p, canonical(o)))
    return graph
