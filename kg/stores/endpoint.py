"""A SPARQL 1.1 endpoint as a store, read through the SPARQL 1.1 Protocol."""

from __future__ import annotations

import urllib.parse

from rdflib import Graph

from kg.errors import StoreError
from kg.stores import GRAPH, QueryResult, as_declared, new_graph
from kg.stores.http import RESULTS_JSON, Endpoint, parse_json_results, parse_rdf, query_form, request
from kg.vocab import DEFAULT, Namespaces


class EndpointStore:
    """A SPARQL 1.1 endpoint read over HTTP; queries see ``graph`` as their default graph.

    ``graph=None`` leaves the default graph to the server (on Virtuoso, every graph).
    """

    checks_queries = False
    """Queries are checked by rdflib before they are sent."""

    def __init__(self, url: str, graph: str | None = GRAPH, namespaces: Namespaces = DEFAULT) -> None:
        self.endpoint = Endpoint.parse(url)
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
                f"{self.endpoint.url}: the server cut the answer at "
                f"{answer.headers['x-sparql-maxrows']} rows (raise its row limit)"
            )
        return answer.media_type, answer.body

    def query(self, sparql: str) -> QueryResult:
        text = sparql
        if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            media, body = self._ask(text, "application/n-triples, text/turtle;q=0.9")
            out = new_graph(self.namespaces)
            out += parse_rdf(body, media)
            return QueryResult("graph", graph=out)
        _, body = self._ask(text, RESULTS_JSON)
        parsed = parse_json_results(body)
        if isinstance(parsed, bool):
            return QueryResult("ask", boolean=parsed)
        variables, rows = parsed
        return QueryResult("select", variables, rows)

    def graph(self) -> Graph:
        found = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
        return as_declared(found if found is not None else new_graph(self.namespaces))
