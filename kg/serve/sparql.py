"""The SPARQL 1.1 Protocol over a :class:`kg.api.KnowledgeGraph`: requests in, answers out.

Nothing here evaluates a query: the text goes to :meth:`kg.api.KnowledgeGraph.query`
(:func:`kg.sparql.run`), which declares kg's prefixes, refuses updates, ``SERVICE``,
``FROM`` and ``FROM NAMED``, and stops a query at its time limit. This module picks the
query out of a request (GET, POST form, POST direct), chooses the format by ``format=``
(or ``output=``) and then ``Accept``, writes the answer, and turns kg's errors into an
HTTP status with a one-line message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from kg.api import KnowledgeGraph
from kg.errors import KgError, QueryTimeout, ReadOnly
from kg.stores import QueryResult

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""SELECT and ASK answers: format name to media type."""
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}
"""CONSTRUCT and DESCRIBE answers: format name (rdflib's serializer) to media type."""
ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "ttl": "turtle",
    "text/plain": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "json-ld",
    "application/x-json+ld": "json-ld",
    "rdf+xml": "xml",
    "rdf": "xml",
}
"""Other names of the formats, in ``format=`` or ``Accept``."""
GRAPH_ALIASES = {"json": "json-ld", "n3": "turtle", "text/n3": "turtle"}
"""What a name means for CONSTRUCT and DESCRIBE (SPARQLWrapper's ``JSON`` and ``N3``)."""
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
UPDATE_REFUSED = "updates are refused: this endpoint is read-only (change the graph by editing seeds/ and rebuilding)"


class ProtocolError(Exception):
    """A request the endpoint answers with ``status`` and a one-line ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Limits:
    """What one query may take: ``timeout`` seconds (None: no limit) and ``max_rows`` rows or triples."""

    timeout: float | None = 30.0
    max_rows: int = 100_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type, body."""

    status: int
    media_type: str
    body: bytes


def query_text(
    method: str, content_type: str, params: Mapping[str, Sequence[str]], body: bytes, served_graph: str
) -> str | None:
    """The query a request sends (None: none, a request for the service description).

    ``params`` are the URL's and, for a form, the form's fields. An update (``update=`` or
    ``application/sparql-update``) is refused with 403; a dataset other than the one served
    (``default-graph-uri`` other than ``served_graph``, any ``named-graph-uri``) with 400.
    """
    media = content_type.split(";", 1)[0].strip().lower()
    if "update" in params or media == "application/sparql-update":
        raise ProtocolError(403, UPDATE_REFUSED)
    for iri in params.get("default-graph-uri", []):
        if iri != served_graph:
            raise ProtocolError(400, f"unknown graph <{iri}>: this endpoint serves one graph, <{served_graph}>")
    if params.get("named-graph-uri"):
        raise ProtocolError(400, f"named-graph-uri is refused: this endpoint serves one graph, <{served_graph}>")
    found = params.get("query", [])
    if method == "POST" and media == "application/sparql-query":
        if found:
            raise ProtocolError(400, "a query sent as application/sparql-query goes in the body, not also in query=")
        try:
            return body.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the query is not UTF-8") from None
    if method == "POST" and media not in ("application/x-www-form-urlencoded", "multipart/form-data", ""):
        raise ProtocolError(415, f"unsupported Content-Type {media!r} (send application/sparql-query or a form)")
    if len(found) > 1:
        raise ProtocolError(400, "more than one query= in the request")
    return found[0] if found else None


def negotiate(kind: str, requested: str | None, accept: str) -> str:
    """The format of the answer: ``requested`` (``format=``) if given, else the best of ``accept``."""
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    by_type = {media: name for name, media in table.items()}
    if requested and "," in requested:  # SPARQLWrapper's format= for JSON-LD: media types, as in Accept
        return negotiate(kind, None, requested)
    if requested:
        name = requested.strip().lower()
        name = by_type.get(name) or ALIASES.get(name, name)
        if kind == "graph":
            name = GRAPH_ALIASES.get(name, name)
        if name not in table:
            raise ProtocolError(400, f"unknown format '{requested}' for this query (use one of {', '.join(table)})")
        return name
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(accept.split(",")):
        media, _, options = item.strip().partition(";")
        quality = 1.0
        for option in options.split(";"):
            key, _, value = option.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, index, media.strip().lower()))
    for quality, _, media in sorted(ranked):
        if quality >= 0:
            continue
        name = by_type.get(media) or ALIASES.get(media, "")
        if kind == "graph":
            name = GRAPH_ALIASES.get(name, name)
        if name in table:
            return name
        if media in ("*/*", "application/*", "text/*"):
            return next(iter(table))
    if not accept.strip():
        return next(iter(table))
    raise ProtocolError(406, f"cannot answer as {accept!r} (use one of {', '.join(table.values())})")


def answer(
    graph: KnowledgeGraph, text: str, fmt: str | None, accept: str, limits: Limits, prefixes: Mapping[str, str]
) -> Answer:
    """Run ``text`` on ``graph`` and write its answer; kg's errors become :class:`ProtocolError`."""
    try:
        result = graph.query(text, None, limits.timeout)
    except ReadOnly:
        raise ProtocolError(403, UPDATE_REFUSED) from None
    except QueryTimeout as err:
        raise ProtocolError(503, f"query stopped after {err.seconds:g} seconds (the server's time limit)") from None
    except KgError as err:
        raise ProtocolError(400, str(err).replace("\n", " ")) from None
    size = len(result.graph) if result.graph is not None else len(result.rows)
    if size > limits.max_rows:
        what = "triples" if result.kind == "graph" else "rows"
        raise ProtocolError(
            400, f"the answer has {size} {what}, more than this server's limit of {limits.max_rows}: narrow the query"
        )
    name = negotiate(result.kind, fmt, accept)
    return write(result, name, prefixes)


def write(result: QueryResult, name: str, prefixes: Mapping[str, str]) -> Answer:
    """A result in the format ``name`` (of :data:`RESULT_TYPES` or :data:`GRAPH_TYPES`)."""
    from kg import report

    if result.kind == "graph":
        assert result.graph is not None
        out = result.graph
        for prefix, namespace in prefixes.items():
            out.bind(prefix, namespace, override=False)
        body = out.serialize(format=name, encoding="utf-8")
        return Answer(200, GRAPH_TYPES[name], body)
    media = RESULT_TYPES[name]
    if name == "xml":
        return Answer(200, media, _xml(result))
    if result.kind == "ask":
        if name in ("csv", "tsv"):
            raise ProtocolError(406, f"an ASK answer has no {name.upper()} form (use JSON or XML)")
        return Answer(200, media, report.render(result, "json").encode("utf-8") + b"\n")
    text = report.render(result, name)
    if name == "csv":
        return Answer(200, media + "; charset=utf-8", text.encode("utf-8") + b"\r\n")
    if name == "tsv":
        media += "; charset=utf-8"
    return Answer(200, media, text.encode("utf-8") + b"\n")


def _xml(result: QueryResult) -> bytes:
    """SPARQL Query Results XML, written by rdflib."""
    import io

    from rdflib.plugins.sparql.results.xmlresults import XMLResultSerializer
    from rdflib.query import Result
    from rdflib.term import Variable

    out = Result("ASK" if result.kind == "ask" else "SELECT")
    if result.kind == "ask":
        out.askAnswer = bool(result.boolean)
    else:
        out.vars = [Variable(v) for v in result.variables]
        out.bindings = [
            {Variable(v): t for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows
        ]
    stream = io.BytesIO()
    XMLResultSerializer(out).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def service_description(url: str, served_graph: str, triples: int | None) -> bytes:
    """A SPARQL 1.1 Service Description of the endpoint at ``url``, in Turtle."""
    from rdflib import BNode
    from rdflib.namespace import VOID

    out = Graph()
    out.bind("sd", SD)
    out.bind("void", VOID)
    service, dataset, default = URIRef(url), BNode("dataset"), BNode("defaultGraph")
    out.add((service, RDF.type, SD.Service))
    out.add((service, SD.endpoint, URIRef(url)))
    out.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for media in (*RESULT_TYPES.values(), *GRAPH_TYPES.values()):
        out.add((service, SD.resultFormat, URIRef(_FORMAT_IRIS.get(media, f"urn:media-type:{media}"))))
    out.add((service, SD.defaultDataset, dataset))
    out.add((dataset, RDF.type, SD.Dataset))
    out.add((dataset, SD.defaultGraph, default))
    out.add((default, RDF.type, SD.Graph))
    out.add((default, URIRef("http://purl.org/dc/terms/source"), URIRef(served_graph)))
    if triples is not None:
        out.add((default, VOID.triples, Literal(triples)))
    return out.serialize(format="turtle", encoding="utf-8")


_FORMAT_IRIS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}
"""The W3C's IRIs of the formats (https://www.w3.org/ns/formats/)."""
