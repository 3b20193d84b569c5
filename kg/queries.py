"""The named queries: ``queries/*.rq``, each a SPARQL query under a header that documents it.

The header is the file's leading comment lines, as ``key: value``; a comment
line without a key continues the previous value::

    # title: Allies and affiliates of an actor
    # answers: Who the actor is allied, affiliated or cooperating with, fact or
    #   claim, with the source and paragraphs of each.
    # param: actor entity  the actor: an id, label or alias (e.g. ttp)

``title`` and ``answers`` are required; each ``param`` line gives the name of
a variable of the query, its kind and a description. Every parameter is
required. The kinds, and what a value becomes:

* ``entity``: an id, label or alias (any case or accents) -> its ``id:`` IRI;
* ``source``: a source id, its three-digit number or ``src:`` name -> its ``src:`` IRI;
* ``date``: ``YYYY-MM-DD`` -> an ``xsd:date`` literal;
* ``relation``: a relationship name (``alliedWith``) -> its ``kg:`` IRI;
* ``text``: any text -> a plain literal.

Parameters are bound as RDF terms (see :func:`kg.sparql.bind_values`), so a
query uses them in its outermost group (triple patterns, FILTERs, BINDs).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import Literal
from rdflib.term import Identifier

from kg import resources
from kg.errors import BadParameter, BadQuery, LibraryError, UnknownQuery, display_path
from kg.names import Names, find_relation, find_source
from kg.sparql import date_literal, read_text, variables
from kg.vocab import DEFAULT, Namespaces

QUERIES: Traversable = resources.data(*resources.QUERIES)
"""kg's own library of named queries (package data)."""

KINDS = ("entity", "source", "date", "relation", "text")
"""Kinds of parameter a named query may declare."""


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named query: the variable it binds, its kind and what it means."""

    name: str
    kind: str
    help: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library, with the documentation from its header."""

    name: str
    title: str
    answers: str
    parameters: tuple[Parameter, ...]
    sparql: str
    path: Traversable

    def usage(self) -> str:
        """How to run it: ``kg query allies --param actor=ENTITY``."""
        params = "".join(f" --param {p.name}={p.kind.upper()}" for p in self.parameters)
        return f"kg query {self.name}{params}"


_HEADER = re.compile(r"^#\s*(title|answers|param):\s*(.*)$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s+([a-z]+)\s*(.*)$")


def read_query(path: Traversable) -> NamedQuery:
    """One named query file, its header checked."""
    where = display_path(path) if isinstance(path, Path) else str(path)
    if not path.is_file():
        raise LibraryError(f"{where}: not a regular file (a named query is a .rq file)")
    try:
        with path.open("rb") as stream:
            lines = read_text(stream, where).splitlines()
    except BadQuery as err:
        raise LibraryError(str(err)) from None
    fields: list[tuple[str, str, int]] = []
    body = 0
    for number, line in enumerate(lines, 1):
        if not line.startswith("#"):
            break
        body = number
        match = _HEADER.match(line)
        if match:
            fields.append((match.group(1), match.group(2).strip(), number))
        elif fields and line[1:].strip():
            key, value, at = fields[-1]
            fields[-1] = (key, f"{value} {line[1:].strip()}", at)
    sparql = "\n".join(lines)
    query_body = "\n".join(lines[body:])
    values = {key: value for key, value, _ in fields if key != "param"}
    for key in ("title", "answers"):
        if not values.get(key):
            raise LibraryError(f"{where}:1: the header has no '# {key}:' line")
    params = []
    for key, value, number in fields:
        if key == "param":
            params.append(_parameter(value, query_body, f"{where}:{number}"))
    return NamedQuery(path.name.removesuffix(".rq"), values["title"], values["answers"], tuple(params), sparql, path)


def _parameter(text: str, sparql: str, where: str) -> Parameter:
    match = _PARAM.match(text)
    if not match:
        raise LibraryError(f"{where}: write '# param: NAME KIND description'")
    name, kind, help_text = match.groups()
    if kind not in KINDS:
        raise LibraryError(f"{where}: unknown parameter kind '{kind}' (use {', '.join(KINDS)})")
    if name not in variables(sparql):
        raise LibraryError(f"{where}: parameter '{name}' is not a variable of the query")
    return Parameter(name, kind, help_text)


def library(folder: Traversable = QUERIES, extra: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in ``folder`` (kg's own), then in ``extra`` (a project's), by name.

    A project's query of the same name as one of kg's replaces it.
    """
    found: dict[str, NamedQuery] = {}
    for where in (folder, extra):
        if where is None or not where.is_dir():
            continue
        paths = [p for p in where.iterdir() if p.name.endswith(".rq")]
        found |= {query.name: query for query in map(read_query, paths)}
    return dict(sorted(found.items()))


def named_query(name: str, folder: Traversable = QUERIES, extra: Path | None = None) -> NamedQuery:
    """The named query ``name``; an unknown name suggests the closest."""
    queries = library(folder, extra)
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.7)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise UnknownQuery(f"unknown query '{name}'{hint}; kg query --list lists them")
    return queries[name]


def bind(
    query: NamedQuery,
    values: Mapping[str, str],
    names: Callable[[], Names],
    sources: Callable[[], list[str]],
    ns: Namespaces = DEFAULT,
) -> dict[str, Identifier]:
    """The RDF term of each parameter, from the text a user gave; every parameter is required.

    ``names`` and ``sources`` give the graph's entity names and source ids when needed;
    ``ns`` the graph's namespaces.
    """
    declared = {p.name: p for p in query.parameters}
    for name in sorted(values):
        if name not in declared:
            takes = ", ".join(declared) or "no parameters"
            raise BadParameter(f"unknown parameter '{name}' for query '{query.name}' (it takes {takes})")
    bindings: dict[str, Identifier] = {}
    for param in query.parameters:
        if param.name not in values:
            raise BadParameter(f"query '{query.name}' needs --param {param.name}={param.kind.upper()}: {param.help}")
        value = values[param.name]
        if param.kind == "entity":
            bindings[param.name] = ns.id[names().find(value)]
        elif param.kind == "source":
            bindings[param.name] = ns.src[find_source(value, sources(), ns)]
        elif param.kind == "date":
            bindings[param.name] = date_literal(value)
        elif param.kind == "relation":
            bindings[param.name] = find_relation(value)
        else:
            bindings[param.name] = Literal(value)
    return bindings


def listing(queries: Mapping[str, NamedQuery]) -> list[list[str]]:
    """Rows for ``kg query --list``: name, parameters, title."""
    return [[q.name, ", ".join(p.name for p in q.parameters) or "-", q.title] for q in queries.values()]
