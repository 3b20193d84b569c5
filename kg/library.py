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

Parameters are bound as RDF terms (see :func:`kg.query.bind_values`), so a
query uses them in its outermost group (triple patterns, FILTERs, BINDs).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, Literal, URIRef
from rdflib.term import Identifier

from kg import ontology
from kg.errors import KgError, display_path
from kg.lookup import Names
from kg.query import BadParameter, date_literal, variables
from kg.validate import normalise
from kg.vocab import ID, SRC

QUERIES = ontology.REPO / "queries"
"""The repo's library of named queries."""

KINDS = ("entity", "source", "date", "relation", "text")
"""Kinds of parameter a named query may declare."""


class UnknownQuery(KgError):
    """No named query has the name given."""


class LibraryError(KgError):
    """A named query file whose header is malformed (reported as FILE:LINE: message)."""


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
    path: Path

    def usage(self) -> str:
        """How to run it: ``kg query allies --param actor=ENTITY``."""
        params = "".join(f" --param {p.name}={p.kind.upper()}" for p in self.parameters)
        return f"kg query {self.name}{params}"


_HEADER = re.compile(r"^#\s*(title|answers|param):\s*(.*)$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s+([a-z]+)\s*(.*)$")


def read_query(path: Path) -> NamedQuery:
    """One named query file, its header checked."""
    where = display_path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
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
    return NamedQuery(path.stem, values["title"], values["answers"], tuple(params), sparql, path)


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


def library(folder: Path = QUERIES) -> dict[str, NamedQuery]:
    """Every named query in ``folder``, by name."""
    paths = sorted(folder.glob("*.rq"), key=lambda path: path.stem)
    return {path.stem: read_query(path) for path in paths}


def named_query(name: str, folder: Path = QUERIES) -> NamedQuery:
    """The named query ``name``; an unknown name suggests the closest."""
    queries = library(folder)
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.7)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise UnknownQuery(f"unknown query '{name}'{hint}; kg query --list lists them")
    return queries[name]


def bind(query: NamedQuery, values: Mapping[str, str], names: Callable[[], Names],
         sources: Callable[[], list[str]]) -> dict[str, Identifier]:
    """The RDF term of each parameter, from the text a user gave; every parameter is required.

    ``names`` and ``sources`` give the graph's entity names and source ids when needed.
    """
    declared = {p.name: p for p in query.parameters}
    for name in sorted(values):
        if name not in declared:
            takes = ", ".join(declared) or "no parameters"
            raise BadParameter(f"unknown parameter '{name}' for query '{query.name}' "
                               f"(it takes {takes})")
    bindings: dict[str, Identifier] = {}
    for param in query.parameters:
        if param.name not in values:
            raise BadParameter(f"query '{query.name}' needs --param {param.name}="
                               f"{param.kind.upper()}: {param.help}")
        value = values[param.name]
        if param.kind == "entity":
            bindings[param.name] = ID[names().find(value)]
        elif param.kind == "source":
            bindings[param.name] = SRC[find_source(value, sources())]
        elif param.kind == "date":
            bindings[param.name] = date_literal(value)
        elif param.kind == "relation":
            bindings[param.name] = find_relation(value)
        else:
            bindings[param.name] = Literal(value)
    return bindings


def find_source(value: str, sources: list[str]) -> str:
    """The id of the source ``value`` names: its id, its three-digit number or ``src:`` name."""
    text = value.strip().removeprefix("src:").removeprefix(str(SRC))
    found = [s for s in sources if s == text or s.split("_")[0] == text]
    if len(found) == 1:
        return found[0]
    raise BadParameter(f"unknown source '{value}' (sources: {', '.join(sorted(sources))})")


def find_relation(value: str) -> URIRef:
    """The ``kg:`` IRI of the relation ``value`` names: ``alliedWith``, ``kg:alliedWith`` or
    its label ``allied with``, in any case."""
    name = value.strip().removeprefix("kg:")
    relations = ontology.relations()
    vocab = ontology.ontology_graph()
    for local, term in relations.items():
        if normalise(name) in (local.lower(), normalise(str(vocab.value(term, RDFS.label)))):
            return term
    close = difflib.get_close_matches(name, list(relations), n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    raise BadParameter(f"unknown relation '{value}'{hint}")



def listing(queries: Mapping[str, NamedQuery]) -> list[list[str]]:
    """Rows for ``kg query --list``: name, parameters, title."""
    return [[q.name, ", ".join(p.name for p in q.parameters) or "-", q.title]
            for q in queries.values()]


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` options as a dictionary."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadParameter(f"bad --param '{pair}': write NAME=VALUE")
        params[name.strip()] = value
    return params


def query_text(argument: str | None, expression: str | None,
               read_stdin: Callable[[], str | None]) -> str | NamedQuery:
    """What to run: ``-e`` text, a ``.rq`` file, a named query, or standard input.

    ``read_stdin`` returns standard input's text, or None when it is a terminal.
    """
    if argument and expression:
        raise BadParameter("give one query: -e TEXT, a .rq file or a query name, not two")
    if expression is not None:
        return expression
    if argument:
        path = Path(argument)
        if argument.endswith(".rq") or path.is_file():
            if not path.is_file():
                raise BadParameter(f"no such query file: {argument}")
            return path.read_text(encoding="utf-8")
        return named_query(argument)
    text = read_stdin()
    if text is None:
        raise BadParameter("no query: give -e TEXT, a .rq file or a query name, "
                           "or pipe SPARQL in (kg query --list lists the named queries)")
    return text
