"""SPARQL answers read defensively: SELECT and ASK as SPARQL JSON results, CONSTRUCT as RDF.

Nothing a server sends is trusted: the media type, the JSON's shape and every term are
checked, and a bad answer is an :class:`~kg.errors.EndpointError` in one line that quotes
what the server sent (:func:`excerpt`: its first line, tags and control characters removed).
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
from collections.abc import Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg.errors import EndpointError
from kg.stores import canonical

RESULTS_JSON = "application/sparql-results+json"
JSON_TYPES = frozenset({RESULTS_JSON, "application/json"})
"""Media types of SELECT and ASK answers kg reads (SPARQL JSON results)."""
RDF_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
}
"""Media types of CONSTRUCT answers kg reads, to rdflib parser names (not JSON-LD: its
``@context`` would be fetched from wherever the server says)."""

_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
"""Terminal escape sequences: CSI (colours, cursor moves), OSC (window titles, links), and the rest."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, width: int = 100) -> str:
    """``text`` safe for a terminal, on one line: escape sequences and control characters removed,
    trimmed to ``width``."""
    line = " ".join(_CONTROL.sub("", _ESCAPE.sub("", text)).split())
    return line if len(line) <= width else line[: width - 3] + "..."


_TAG = re.compile(r"</?[A-Za-z][\w.-]*(?:\s[^>]*)?/?>|<![^>]*>|<\?[^>]*\?>")
"""An HTML or XML tag, comment or declaration (not an IRI such as ``<http://...>``)."""


def excerpt(body: bytes) -> str:
    """What a body shows a person: its first line with tags removed, or that it is binary or empty."""
    head = body[:4096]
    if not head.strip():
        return "an empty body"
    text = head.decode("utf-8", "replace")
    if "\x00" in text or text.count("\ufffd") > len(text) // 20:
        return f"binary data ({len(body)} bytes)"
    text = html.unescape(_TAG.sub(" ", text))
    lines = [printable(line) for line in text.splitlines()]
    found = [line for line in lines if line]
    return found[0] if found else "markup without text"


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query, read past its prologue."""
    text = re.sub(r'<[^>\s]*>|"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|#[^\n]*', " ", sparql)
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE)
    if not found:
        raise EndpointError("query", "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return found.group(1).upper()


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def is_iri(text: str) -> bool:
    """Whether ``text`` can be written as ``<text>`` in SPARQL: a scheme, and no space or ``<>"{}|\\^`````."""
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text)) and not _BAD_IRI.search(text)


def json_term(value: object) -> Identifier:
    """One SPARQL JSON results term as kg's stores answer it (see ``kg.stores.canonical``).

    Raises ``ValueError`` saying what is wrong with a term that is not one.
    """
    if not isinstance(value, dict):
        raise ValueError("a binding that is not an object")
    kind, text = value.get("type"), value.get("value")
    if not isinstance(text, str):
        raise ValueError('a binding without a string "value"')
    if kind == "uri":
        if _BAD_IRI.search(text):
            raise ValueError(f"an IRI with a space or a character IRIs cannot have: {printable(text, 60)!r}")
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind not in ("literal", "typed-literal"):
        raise ValueError(f"a binding of unknown type {printable(str(kind), 30)!r}")
    lang = value.get("xml:lang")
    datatype = value.get("datatype")
    if not isinstance(lang, str | None) or not isinstance(datatype, str | None):
        raise ValueError('a literal whose "xml:lang" or "datatype" is not a string')
    if datatype is not None and _BAD_IRI.search(datatype):
        raise ValueError(f"a datatype that is not an IRI: {printable(datatype, 60)!r}")
    if lang or datatype is None or datatype == str(XSD.string):
        return Literal(text, lang=lang or None)
    return canonical(Literal(text, datatype=URIRef(datatype)))


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for each ill-typed literal (``"x"^^xsd:integer``); a server may hold some."""
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse_json_results(
    body: bytes, url: str = "answer"
) -> tuple[list[str], list[tuple[Identifier | None, ...]]] | bool:
    """SPARQL 1.1 JSON results: ``(variables, rows)`` for SELECT, a bool for ASK.

    Anything else is an EndpointError quoting the start of the answer.
    """
    if excerpt(body).startswith("binary data"):
        raise EndpointError(url, f"expected SPARQL JSON results, got {excerpt(body)}")
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except json.JSONDecodeError as err:
        why = f"{err.msg}: line {err.lineno}, column {err.colno}"
        raise EndpointError(url, f"invalid SPARQL JSON results ({why}): {excerpt(body)}") from err
    except (ValueError, RecursionError) as err:  # not UTF-8, a number too long, nesting too deep
        raise EndpointError(url, f"invalid SPARQL JSON results ({printable(str(err), 60)}): {excerpt(body)}") from err
    try:
        with _quiet_rdflib():
            return _results(data)
    except ValueError as err:
        raise EndpointError(url, f"invalid SPARQL JSON results ({err}): {excerpt(body)}") from err


def _results(data: object) -> tuple[list[str], list[tuple[Identifier | None, ...]]] | bool:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if "boolean" in data:
        if not isinstance(data["boolean"], bool):
            raise ValueError('"boolean" is not true or false')
        return data["boolean"]
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict):
        raise ValueError('no "head"')
    variables = head.get("vars", [])
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise ValueError('"vars" is not a list of names')
    if not isinstance(results, dict):
        raise ValueError('no "results"')
    bindings = results.get("bindings")
    if not isinstance(bindings, list):
        raise ValueError('no "bindings" list')
    rows = []
    for binding in bindings:
        if not isinstance(binding, dict):
            raise ValueError("a row that is not an object")
        rows.append(tuple(json_term(binding[v]) if v in binding else None for v in variables))
    return list(variables), rows


def parse_rdf(body: bytes, media_type: str, url: str = "answer") -> Graph:
    """A CONSTRUCT or DESCRIBE answer as an rdflib Graph (literals as in ``canonical``).

    Media types other than N-Triples and Turtle (no Content-Type: Turtle) are refused.
    """
    if media_type and media_type not in RDF_TYPES:
        raise EndpointError(
            url, f"expected RDF (N-Triples or Turtle), got {printable(media_type, 60)}: {excerpt(body)}"
        )
    parsed = Graph()
    try:
        with _quiet_rdflib():
            parsed.parse(data=body.decode("utf-8-sig"), format=RDF_TYPES.get(media_type, "turtle"))
    except Exception as err:  # noqa: BLE001 - rdflib's parsers raise many kinds
        if excerpt(body).startswith("binary data"):
            raise EndpointError(url, f"expected RDF (N-Triples or Turtle), got {excerpt(body)}") from err
        why = printable(str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__, 80)
        raise EndpointError(url, f"invalid {media_type or 'Turtle'} ({why}): {excerpt(body)}") from err
    graph = Graph()
    for s, p, o in parsed:
        graph.add((s, p, canonical(o)))
    return graph
