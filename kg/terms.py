"""RDF terms across the two engines: pyoxigraph's terms as the rdflib terms rdflib itself gives.

Low in the flow on purpose: the vocabulary (parsed with pyoxigraph) and the Oxigraph store
both convert through :func:`ox_term`.
"""

from __future__ import annotations

from typing import overload

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg.errors import StoreError

_XSD_STRING = str(XSD.string)


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""A term pyoxigraph answers (an RDF-star triple is refused)."""


@overload
def ox_term(term: OxTerm) -> Identifier: ...
@overload
def ox_term(term: None) -> None: ...


def ox_term(term: OxTerm | None) -> Identifier | None:
    """A pyoxigraph term as the rdflib term rdflib itself would give (``xsd:string`` plain)."""
    if term is None:
        return None
    if type(term) is ox.NamedNode:
        return URIRef(term.value)
    if type(term) is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if type(term) is ox.BlankNode:
        return BNode(term.value)
    raise StoreError(f"unsupported RDF term in an answer: {term!r}")
