"""A SPARQL 1.1 endpoint as a store, read through the SPARQL 1.1 Protocol.

Each request is bounded by :class:`kg.stores.http.Limits` (time and size); an answer of
the wrong kind (an HTML page, malformed JSON, JSON of another shape, binary data) is
reported in one line that quotes what the server sent.
"""

from __future__ import annotations

import urllib.parse

from rdflib import Graph

from kg.errors import EndpointError, StoreError
from kg.stores import GRAPH, QueryResult, as_declared, new_graph, refuse_network
from kg.stores.answers import JSON_TYPES, RESULTS_JSON, excerpt, parse_json_results, parse_rdf, printable, query_form
from kg.stores.http import Endpoint, Limits, request
from kg.vocab import DEFAULT, Namespaces


class EndpointStore:
    """A SPARQL 1.1 endpoint read over HTTP; queries see ``graph`` as their default graph.

    ``graph=None`` leaves the default graph to the server (on Virtuoso, every graph);
    ``limits=None`` takes them from the environment (:meth:`Limits.from_environment`).
    """

    checks_queries = False
    """Queries are checked by rdflib before they are sent."""

    remote = True
    """Its queries go over the network (a query's child process must be able to reach it)."""

    def __init__(
        self, url: str, graph: str | None = GRAPH, namespaces: Namespaces = DEFAULT, limits: Limits | None = None
    ) -> None:
        self.endpoint = Endpoint.parse(url, limits)
        self.named_graph = graph
        self.namespaces = namespaces

    def _ask(self, sparql: str, accept: str) -> tuple[str, bytes]:
        fields = [("query", sparql)]
        if self.named_graph:
            fields.append(("default-graph-uri", self.named_graph))
        body = urllib.parse.urlencode(fields).encode("utf-8")
        answer = request(
            self.endpoint,
            "POST",
            self.endpoint.url,
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        if "x-sparql-maxrows" in answer.headers:
            raise StoreError(
                f"{self.endpoint.shown}: the server cut the answer at "
                f"{printable(answer.headers['x-sparql-maxrows'], 20)} rows (raise its row limit)"
            )
        return answer.media_type, answer.body

    def query(self, sparql: str) -> QueryResult:
        with self.endpoint.hiding():  # a server may quote a secret back in an answer kg quotes
            return self._query(sparql)

    def _query(self, sparql: str) -> QueryResult:
        text = refuse_network(sparql)  # the server would reach where SERVICE and FROM name
        url = self.endpoint.shown  # for messages
        form = query_form(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            media, body = self._ask(text, "application/n-triples, text/turtle;q=0.9")
            out = new_graph(self.namespaces)
            out += parse_rdf(body, media, url)
            return QueryResult("graph", graph=out)
        media, body = self._ask(text, RESULTS_JSON)
        if media and media not in JSON_TYPES:
            raise EndpointError(url, f"expected SPARQL JSON results, got {printable(media, 60)}: {excerpt(body)}")
        parsed = parse_json_results(body, url)
        if isinstance(parsed, bool) != (form == "ASK"):
            missing = '"boolean"' if form == "ASK" else '"results"'
            raise EndpointError(url, f"invalid SPARQL JSON results (no {missing} for {form}): {excerpt(body)}")
        if isinstance(parsed, bool):
            return QueryResult("ask", boolean=parsed)
        variables, rows = parsed
        return QueryResult("select", variables, rows)

    def graph(self) -> Graph:
        found = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
        return as_declared(found if found is not None else new_graph(self.namespaces))
