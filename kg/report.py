"""Text for people: prefixed names, aligned tables, query results, citations, paths and rankings.

Text from the data never reaches the terminal raw: :func:`printable` shows its control
characters (ESC, BEL, CR, the C1 controls, bidirectional overrides) as visible escapes,
so a label cannot move the cursor, retitle the window or hide a line. The machine
formats (``csv``, ``tsv``, ``json``) keep the data exact, escaped by their own rules.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rdflib import RDFS, BNode, Literal, URIRef
from rdflib.term import Identifier

from kg import ontology
from kg.errors import BadQuery
from kg.stores import QueryResult
from kg.terminal import printable
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    import networkx as nx

    from kg.network import Link, Neighbour, Ranked, Step

FORMATS = ("table", "csv", "tsv", "json")
"""Result formats: an aligned table, or the SPARQL 1.1 CSV, TSV and JSON results formats."""


def _longest_first(prefixes: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(prefixes.items(), key=lambda item: -len(item[1]))


_BY_LENGTH = _longest_first(PREFIXES)


def short(term: Identifier | None, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """A term as a person reads it: ``id:ttp`` for IRIs in the project's prefixes, a literal's
    text; :func:`printable`."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        by_length = _BY_LENGTH if prefixes is PREFIXES else _longest_first(prefixes)
        for prefix, namespace in by_length:
            if text.startswith(namespace):
                return printable(f"{prefix}:{text[len(namespace) :]}")
        return printable(f"<{text}>")
    if isinstance(term, BNode):
        return printable(f"_:{term}")
    return printable(str(term))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned under their headers and a rule, without trailing spaces; every cell
    :func:`printable`.

    >>> print(table(["id", "n"], [["ttp", "3"], ["afghan-taliban", "12"]]))
    id              n
    --------------  --
    ttp             3
    afghan-taliban  12
    """
    headers = [printable(h) for h in headers]
    rows = [[printable(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def cite(source: str, paragraphs: Sequence[int]) -> str:
    """A short citation: ``001 ¶9,10`` (the source's number and its paragraphs).

    >>> cite("001_084b21e3a6584c55", (9, 10))
    '001 ¶9,10'
    """
    return f"{source.split('_')[0]} ¶{','.join(map(str, paragraphs))}"


def relation_label(name: str) -> str:
    """A relation's label from the ontology: ``alliedWith`` -> ``allied with``."""
    term = ontology.relations().get(name)
    label = ontology.ontology_graph().value(term, RDFS.label) if term is not None else None
    return str(label) if label else name


def link_status(link: Link) -> str:
    """How firm a link is, as the tables show it: ``fact``, ``fact (suspected)``, ``claimed in
    CLAIM``, or ``claimed in CLAIM, disputed`` (the claim that says it, not one disputing it)."""
    if link.claim:
        status = f"claimed in {link.claim}" + (", disputed" if link.status == "disputed" else "")
    else:
        status = link.status
    return status + (f" ({link.qualifier})" if link.qualifier else "")


def _link_row(link: Link) -> list[str]:
    relation = relation_label(link.relation) + (f" ({link.role})" if link.role else "")
    status = link_status(link)
    cited = "curator's knowledge" if link.basis is not None else cite(link.source, link.paragraphs)
    return [link.subject, relation, link.object, status, cited]


def paths(found: list[list[Step]], a: str, b: str) -> str:
    """Shortest paths as ``kg path`` prints them: the chain, then each link with its source."""
    a, b = printable(a), printable(b)
    if not found:
        return f"no path between {a} and {b}"
    steps = len(found[0])
    lines = [
        f"{len(found)} shortest path{'s' if len(found) != 1 else ''} of {steps} "
        f"step{'s' if steps != 1 else ''} between {a} and {b}"
    ]
    for number, path in enumerate(found, 1):
        chain = printable(" - ".join([path[0].start, *(step.end for step in path)]))
        rows = [_link_row(link) for step in path for link in step.links]
        body = table(["subject", "relation", "object", "status", "cited"], rows)
        lines += ["", f"{number}. {chain}", *("   " + line for line in body.split("\n"))]
    return "\n".join(lines)


def neighbours(found: list[Neighbour], net: nx.MultiDiGraph) -> str:
    """Neighbours as ``kg neighbors`` prints them: one row per link that reaches each."""
    rows = [[str(n.distance), n.id, net.nodes[n.id]["type"], *_link_row(link)] for n in found for link in n.via]
    headers = ["steps", "entity", "type", "subject", "relation", "object", "status", "cited"]
    return table(headers, rows) + f"\n({len(found)} entit{'y' if len(found) == 1 else 'ies'})"


def ranking(found: list[Ranked], net: nx.MultiDiGraph, by: str) -> str:
    """A ranking as ``kg rank`` prints it."""
    rows = [
        [
            str(i),
            r.id,
            net.nodes[r.id]["label"],
            net.nodes[r.id]["type"],
            str(int(r.score)) if by == "degree" else f"{r.score:.4f}",
        ]
        for i, r in enumerate(found, 1)
    ]
    return table(["rank", "actor", "label", "type", by], rows)


# --- result formats ---


def render(
    result: QueryResult,
    fmt: str = "table",
    prefixes: Mapping[str, str] = PREFIXES,
    described: Mapping[URIRef, str] | None = None,
) -> str:
    """A result as text: SELECT in ``fmt``, ASK as true/false, CONSTRUCT/DESCRIBE as Turtle.

    ``described`` (:func:`kg.queries.describe`) gives the text a table shows beside an IRI:
    an entity's label, a source's outlet, date and title; the machine formats ignore it.
    """
    if fmt not in FORMATS:
        raise BadQuery(f"unknown format '{fmt}' (use one of {', '.join(FORMATS)})")
    if result.kind == "graph":
        if fmt != "table":
            raise BadQuery(f"--format {fmt} is for SELECT and ASK; CONSTRUCT and DESCRIBE print Turtle")
        assert result.graph is not None
        return turtle_for_terminal(result.graph.serialize(format="turtle").rstrip("\n"))
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2)
        return "true" if result.boolean else "false"
    if fmt == "table":
        return _table(result, prefixes, described or {})
    return _RENDERERS[fmt](result)


def _table(
    result: QueryResult, prefixes: Mapping[str, str] = PREFIXES, described: Mapping[URIRef, str] | None = None
) -> str:
    rows = [_cells(row, prefixes, described or {}) for row in result.rows]
    count = len(rows)
    return table(result.variables, rows) + f"\n({count} row{'s' if count != 1 else ''})"


def _cells(row: Sequence[Identifier | None], prefixes: Mapping[str, str], described: Mapping[URIRef, str]) -> list[str]:
    """A row's cells, each IRI followed by its description unless the row shows that text already.

    A source's description replaces its id, which only its number makes readable.
    """
    shown = {str(term) for term in row if isinstance(term, Literal)}
    cells = []
    for term in row:
        text = short(term, prefixes)
        about = described.get(term) if isinstance(term, URIRef) else None
        if about is not None and about not in shown:
            source = "src" in prefixes and str(term).startswith(prefixes["src"])
            text = about if source else f"{text} ({about})"
        cells.append(text)
    return cells


_UCHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What Turtle and TSV write as a ``\\uXXXX`` escape: control characters but tab and line feed."""


def _uchar(found: re.Match[str]) -> str:
    code = ord(found.group())
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04X}"


def turtle_for_terminal(text: str) -> str:
    r"""Turtle with every control character but tab and line feed as a ``\uXXXX`` escape: the same
    triples, safe to print (Turtle allows the escape in strings and IRIs alike).

    >>> turtle_for_terminal('<a> <b> "x\x1b[2J" .')
    '<a> <b> "x\\u001B[2J" .'
    """
    return _UCHAR.sub(_uchar, text)


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if v is None else f"_:{v}" if isinstance(v, BNode) else str(v) for v in row])
    return out.getvalue().rstrip("\r\n")


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if v is None else _tsv_term(v) for v in row) for row in result.rows]
    return "\n".join(lines)


def _tsv_term(term: Identifier) -> str:
    """A term as SPARQL's TSV results format writes it: Turtle, with tab, line feed and every
    other control character escaped (``\\u0009``), so that each row stays one line."""
    return _UCHAR.sub(_uchar, term.n3()).replace("\t", "\\u0009").replace("\n", "\\u000A")


def json_term(term: Identifier) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _json(result: QueryResult) -> str:
    bindings = [
        {var: json_term(v) for var, v in zip(result.variables, row, strict=True) if v is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return _JSON_ESCAPE.sub(_json_escape, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))


_JSON_ESCAPE = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What JSON leaves raw that a terminal acts on (``json`` escapes C0 controls itself)."""


def _json_escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


_RENDERERS: dict[str, Callable[[QueryResult], str]] = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}
