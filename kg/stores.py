"""The stores beyond memory: a persistent Oxigraph folder and any SPARQL 1.1 endpoint.

Both answer in rdflib terms, exactly as :class:`kg.store.MemoryStore` does, so
a command gives the same answer whichever store it runs on. Choose one with a
spec (``open_store``):

* ``memory`` (the default): the graph built from the seeds, in rdflib;
* ``oxigraph:PATH``: an on-disk pyoxigraph store filled by ``kg load``;
* ``http(s)://...``: a SPARQL endpoint, read through the SPARQL 1.1 Protocol.

Without a spec, ``KG_ENDPOINT`` and then ``KG_STORE`` are read from the environment.
"""

from __future__ import annotations

import functools
import os
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg import ontology
from kg.errors import StoreError
from kg.remote import RESULTS_JSON, Endpoint, parse_json_results, parse_rdf, query_form, request
from kg.store import INTEGER_TYPES, MemoryStore, QueryResult, Store
from kg.vocab import BASE, PREFIXES

GRAPH = BASE + "graph"
"""The named graph kg pushes to and reads from on a server, unless told otherwise."""

_XSD_STRING = str(XSD.string)


def ox_term(term: object) -> Identifier | None:
    """A pyoxigraph term as the rdflib term rdflib itself would give (``xsd:string`` plain)."""
    if term is None:
        return None
    kind = type(term)
    if kind is ox.NamedNode:
        return URIRef(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if kind is ox.BlankNode:
        return BNode(term.value)
    raise StoreError(f"unsupported RDF term in an answer: {term!r}")


@functools.cache
def _integer_ranges() -> dict[URIRef, URIRef]:
    """kg's properties whose range is an integer-derived XSD type (``kg:paragraph``)."""
    vocab = ontology.ontology_graph()
    return {p: r for p, r in vocab.subject_objects(RDFS.range) if r in INTEGER_TYPES}


def as_declared(graph: Graph) -> Graph:
    """``graph`` with kg's integer-valued properties typed as the ontology declares them.

    Oxigraph keeps only ``xsd:integer``; this gives exports the same bytes on every store.
    """
    ranges = _integer_ranges()
    for prop, datatype in ranges.items():
        for s, o in list(graph.subject_objects(prop)):
            if isinstance(o, Literal) and o.datatype == XSD.integer:
                graph.remove((s, prop, o))
                graph.add((s, prop, Literal(str(o), datatype=datatype)))
    return graph


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


class OxigraphStore:
    """A persistent pyoxigraph store in a folder; queries read its default graph."""

    def __init__(self, path: Path, read_only: bool = True) -> None:
        self.path = Path(path)
        if not (self.path / "CURRENT").is_file():
            raise StoreError(f"no Oxigraph store at {self.path} (create one with kg load)")
        try:
            self._store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(
                str(self.path))
        except OSError as err:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {err}") from err

    def query(self, sparql: str) -> QueryResult:
        try:
            result = self._store.query(sparql)
        except (SyntaxError, OSError, ValueError) as err:
            raise StoreError(f"{self.path}: {err}") from err
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            out = _new_graph()
            for triple in result:
                out.add((ox_term(triple.subject), ox_term(triple.predicate),
                         ox_term(triple.object)))
            return QueryResult("graph", graph=out)
        variables = [v.value for v in result.variables]
        width = range(len(variables))
        rows = [tuple(ox_term(solution[i]) for i in width) for solution in result]
        return QueryResult("select", variables, rows)

    def graph(self) -> Graph:
        out = _new_graph()
        for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            out.add((ox_term(quad.subject), ox_term(quad.predicate), ox_term(quad.object)))
        return as_declared(out)

    def __len__(self) -> int:
        return len(self._store)


class EndpointStore:
    """A SPARQL 1.1 endpoint read over HTTP; queries see ``graph`` as their default graph.

    ``graph=None`` leaves the default graph to the server (on Virtuoso, every graph).
    """

    def __init__(self, url: str, graph: str | None = GRAPH) -> None:
        self.endpoint = Endpoint.parse(url)
        self.named_graph = graph

    def _ask(self, sparql: str, accept: str) -> tuple[str, bytes]:
        fields = [("query", sparql)]
        if self.named_graph:
            fields.append(("default-graph-uri", self.named_graph))
        body = urllib.parse.urlencode(fields).encode("utf-8")
        answer = request(self.endpoint, "POST", self.endpoint.url, body, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        if "x-sparql-maxrows" in answer.headers:
            raise StoreError(f"{self.endpoint.url}: the server cut the answer at "
                             f"{answer.headers['x-sparql-maxrows']} rows (raise its row limit)")
        return answer.media_type, answer.body

    def query(self, sparql: str) -> QueryResult:
        text = sparql
        if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            media, body = self._ask(text, "application/n-triples, text/turtle;q=0.9")
            out = _new_graph()
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
        return as_declared(found if found is not None else _new_graph())


def open_store(spec: str | None = None, seeds: Path | None = None,
               graph: str | None = GRAPH, shapes: bool = False) -> Store:
    """The store a spec names: ``memory``, ``oxigraph:PATH`` or an endpoint URL.

    ``spec=None`` reads ``KG_ENDPOINT``, then ``KG_STORE``, then falls back to ``memory``:
    the graph of ``seeds``, SHACL-checked if ``shapes``. ``graph`` is the named graph an
    endpoint is read from.
    """
    spec = spec or os.environ.get("KG_ENDPOINT") or os.environ.get("KG_STORE") or "memory"
    if spec == "memory":
        from kg.build import SEEDS, compile_graph

        return MemoryStore(compile_graph(seeds or SEEDS, shapes=shapes))
    if spec.startswith("oxigraph:"):
        return OxigraphStore(Path(spec.removeprefix("oxigraph:")))
    if spec.startswith(("http://", "https://")):
        return EndpointStore(spec, graph)
    raise StoreError(f"unknown store {spec!r} (use memory, oxigraph:PATH or an http(s) URL)")


def oxigraph_path(spec: str | None = None) -> Path:
    """The folder of the Oxigraph store ``spec`` (or ``KG_STORE``) names, for loading."""
    spec = spec or os.environ.get("KG_STORE") or ""
    if not spec.startswith("oxigraph:") or spec == "oxigraph:":
        raise StoreError("loading needs an Oxigraph store: --store oxigraph:PATH (or KG_STORE)")
    return Path(spec.removeprefix("oxigraph:"))
