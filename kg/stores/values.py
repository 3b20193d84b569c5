"""Values read from a store, checked against kg's vocabulary before kg computes with them.

A store the user names may hold anything: ``kg:paragraph <http://evil/iri>``, a date that is
no date, a confidence of ``"=cmd"``. kg never trusts its shape: each reader that turns a store's
term into a Python number or date goes through here, and a term of the wrong shape is one
:class:`~kg.errors.NotKgGraph` line naming the node and the property, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from kg.errors import NotKgGraph
from kg.terminal import printable
from kg.vocab import KG

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?([0-9]{1,18}(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")
_DATE = re.compile(r"(-?[0-9]{4,})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_PREFIXES = {str(KG._NS): "kg:", str(DCTERMS): "dcterms:", str(PROV): "prov:"}
"""How a message names a property: by kg's prefixes (the vocabulary's own namespaces)."""


def shown(term: Node | str | None) -> str:
    """A term as a message shows it: ``<iri>`` or ``"text"``, at most 100 characters, printable."""
    if isinstance(term, URIRef):
        text = f"<{term}>"
    elif isinstance(term, Literal) or isinstance(term, str):
        text = f'"{term}"'
    else:
        text = "nothing" if term is None else str(term)
    return printable(text if len(text) <= 100 else text[:99] + "…")


def _prop(prop: str) -> str:
    for namespace, prefix in _PREFIXES.items():
        if prop.startswith(namespace):
            return prefix + prop[len(namespace) :]
    return prop


def _refuse(value: Node | str | None, node: Node | str | None, prop: str, expected: str) -> NotKgGraph:
    where = shown(node) if node is not None else "a node"
    return NotKgGraph(where, _prop(str(prop)), shown(value), expected)


def integer(value: Node | str | None, node: Node | str | None, prop: str) -> int:
    """``value`` (``node``'s ``prop``) as an int; a term that is not an integer literal is refused."""
    if value is None or isinstance(value, URIRef) or not _INTEGER.fullmatch(str(value).strip()):
        raise _refuse(value, node, prop, "an integer")
    return int(str(value))


def decimal(value: Node | str | None, node: Node | str | None, prop: str) -> float:
    """``value`` as a float; a term that is not a decimal literal (``"=cmd"``, an IRI) is refused."""
    if value is None or isinstance(value, URIRef) or not _DECIMAL.fullmatch(str(value).strip()):
        raise _refuse(value, node, prop, "a decimal")
    return float(str(value))


def date_literal(value: Node | None, node: Node | str | None, prop: str) -> Literal | None:
    """``value`` as a date literal (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``--MM-DD``); None stays None."""
    if value is None:
        return None
    if isinstance(value, Literal) and value.datatype == XSD.gMonthDay:
        return value
    if not isinstance(value, Literal):
        raise _refuse(value, node, prop, "a date literal")
    date_parts(value, node, prop)
    return value


def date_parts(value: Literal, node: Node | str | None, prop: str) -> tuple[int, ...]:
    """The year, month and day a date literal gives (one to three of them), each checked."""
    found = _DATE.fullmatch(str(value))
    parts = tuple(int(p) for p in found.groups() if p is not None) if found else ()
    try:
        if not parts:
            raise ValueError
        dt.date(*(parts + (1, 1, 1)[len(parts) :]))
    except ValueError:
        raise _refuse(value, node, prop, "a date") from None
    return parts
