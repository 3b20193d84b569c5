"""Where the graph lives, behind one interface: SPARQL in, a :class:`QueryResult` out.

Every query, profile, path and export goes through :class:`Store`, so the same
command answers the same on the in-memory rdflib graph and on the other stores
(a persistent Oxigraph store, a remote SPARQL endpoint); :mod:`kg.stores.choose` picks one. Parameters are bound
before a query reaches a store, by :func:`kg.sparql.bind_values` (a ``VALUES``
block of RDF terms at the top of the WHERE clause, so FILTERs see them).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as Kind
from typing import Protocol, cast, overload

from rdflib import RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from kg import ontology
from kg.vocab import BASE, DEFAULT, PREFIXES, Namespaces


class _NoLexicalNoise(logging.Filter):
    """Drops rdflib's traceback for a literal whose text its type does not allow (``"x"^^xsd:date``,
    a year past 9999): a store may hold one and a query may make one; kg shows it as written."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_NoLexicalNoise())

GRAPH = BASE + "graph"
"""The named graph kg pushes to and reads from on a server, unless told otherwise."""

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
"""kg's prefixes as a SPARQL prologue."""


INTEGER_TYPES = frozenset(
    XSD[name]
    for name in (
        "byte",
        "short",
        "int",
        "long",
        "unsignedByte",
        "unsignedShort",
        "unsignedInt",
        "unsignedLong",
        "positiveInteger",
        "nonNegativeInteger",
        "negativeInteger",
        "nonPositiveInteger",
    )
)
"""XSD types derived from ``xsd:integer``: Oxigraph keeps only ``xsd:integer``, so all stores do."""


@overload
def canonical(term: Identifier) -> Identifier: ...
@overload
def canonical(term: Node) -> Node: ...
@overload
def canonical(term: None) -> None: ...


def canonical(term: Node | None) -> Node | None:
    """A term as every store answers it: integer-derived literals typed ``xsd:integer``."""
    if type(term) is Literal and term.datatype in INTEGER_TYPES:
        return Literal(str(term), datatype=XSD.integer)
    return term


def as_iri(term: Node | None) -> URIRef:
    """``term`` as the IRI its query pattern (or kg's model) makes it; a typing aid, not a check."""
    return cast(URIRef, term)


def as_literal(term: Node | None) -> Literal:
    """``term`` as the literal its query pattern (or kg's model) makes it; a typing aid, not a check."""
    return cast(Literal, term)


@dataclass
class QueryResult:
    """A SPARQL answer in rdflib terms, whatever store produced it."""

    kind: Kind["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def __iter__(self) -> Iterator[tuple[Identifier | None, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Identifier | None]]:
        """Rows as ``{variable: term}`` dictionaries."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


class Store(Protocol):
    """What kg needs of a store: run a read-only SPARQL query; hand over the whole graph."""

    namespaces: Namespaces
    """The IRIs of the project whose graph the store holds (its ``id:``, ``src:``, ``stmt:``)."""

    checks_queries: bool
    """Whether the store parses a query itself and refuses bad SPARQL (see :func:`kg.sparql.run`)."""

    def query(self, sparql: str) -> QueryResult:
        """Run a read-only ``sparql`` query (kg's prefixes already declared, parameters bound);
        one that would reach the network (``SERVICE``, ``FROM``) is refused (:func:`refuse_network`)."""
        ...

    def graph(self) -> Graph:
        """The whole graph as an rdflib Graph (for exports)."""
        ...


_PLAIN_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"'{}|^`\\()?#]*>")
"""An IRI with no character that could end a string, a comment or an expression: no space or
control character, quote, ``#``, bracket, parenthesis or ``?``.

A ``<`` that is not an IRI's sits inside a string, a comment or an expression's parentheses, so
a keyword it could hide from view would need a quote, a line break or a ``)`` between them; an
IRI without any (every IRI kg mints, such as ``<.../id/tajik-border-service>``) cannot be hiding
one, and is left out of the look below."""

_WORD = re.compile(r"(?i)service|from")
_NAME_RUN = re.compile(r"[\w.:\-%]*\Z")
_LOCAL_NAME = re.compile(r"[\w\-.]*:[A-Za-z0-9_][\w.\-]*")
"""A prefixed name whose local part runs up to the word: ``prov:wasDerivedFrom``, ``id:x-service``."""


def refuse_network(sparql: str) -> str:
    """The text a store runs, once it is known not to reach the network (``SERVICE``; ``FROM``,
    which rdflib fetches), as every store checks before it runs a query.

    Line breaks are made one kind first (CR and CRLF become LF), so that every reader ends a
    comment where the next does: Oxigraph ends one at a CR, rdflib's parser only at a LF. A
    query in which neither word appears but inside plain IRIs, a variable's name or the local
    part of a prefixed name (kg's own, nearly always) costs a pass over its text; the others are
    parsed, and refused or let through, by :func:`kg.sparql.refuse_network`.
    """
    sparql = one_kind_of_line_break(sparql)
    if "\\" in sparql or _may_reach_out(_PLAIN_IRI.sub("<>", sparql)):
        from kg.sparql import refuse_network as check

        check(sparql)
    return sparql


def one_kind_of_line_break(text: str) -> str:
    """``text`` with CRLF and CR as LF: one end of line for every SPARQL reader."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _may_reach_out(text: str) -> bool:
    """Whether ``service`` or ``from`` appears anywhere but inside a variable's name or a prefixed
    name's local part (Oxigraph reads ``ASKFROM`` as ``ASK FROM``, ``rh:.SERVICE`` as ``rh: . SERVICE``)."""
    for found in _WORD.finditer(text):
        run = _NAME_RUN.search(text, 0, found.start())
        name = (run.group(0) if run else "") + found.group(0)
        start = found.start() - len(name) + len(found.group(0))
        variable = start > 0 and text[start - 1] in "?$" and name.replace("_", "a").isalnum()
        if not (variable or _LOCAL_NAME.fullmatch(name)):
            return True
    return False


@functools.cache
def _integer_ranges() -> dict[URIRef, URIRef]:
    """kg's properties whose range is an integer-derived XSD type (``kg:paragraph``)."""
    vocab = ontology.ontology_graph()
    return {
        p: r
        for p, r in vocab.subject_objects(RDFS.range)
        if isinstance(p, URIRef) and isinstance(r, URIRef) and r in INTEGER_TYPES
    }


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


def new_graph(namespaces: Namespaces = DEFAULT) -> Graph:
    """An empty rdflib graph with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in namespaces.prefixes.items():
        graph.bind(prefix, namespace)
    return graph
