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
query uses them in its outermost group and in the branches of its top-level
``UNION``s (triple patterns, FILTERs, BINDs).

Three more header keys say what :func:`execute` adds to the store's answer:

* ``paragraphs: VAR``: the column ``VAR`` (a record: fact, claim, event, count)
  becomes ``paragraphs``, the record's paragraphs in order (``2,10,11``), or
  ``curator's knowledge: <why>`` for a fact no paragraph says. Joined here rather
  than by a ``GROUP_CONCAT`` subquery, which an engine evaluates for every record
  of the graph before the join.
* ``figures: VAR MEASURE...``: a column per measure, the total of the counts of
  ``VAR`` (an event) by the rules of :mod:`kg.figures`.
* ``undated: events, claims``: the query leaves undated records out; the answer's
  notes say how many, and that ``kg query undated`` lists them.
* ``innermost: BELOW CONTAINER``: the rows are containment steps (``?BELOW`` lies in
  ``?CONTAINER``); they are put innermost first, by how many places the rows put
  above each container (a stable sort: the query's order breaks ties). Counted here
  rather than by a ``kg:locatedIn+`` subquery, which closes the whole graph.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg import resources
from kg.errors import BadParameter, BadQuery, LibraryError, UnknownQuery, display_path
from kg.names import Names, find_relation, find_source, names
from kg.sparql import date_literal, read_text, run, variables
from kg.stores import QueryResult, Store
from kg.vocab import DEFAULT, Namespaces

QUERIES: Traversable = resources.data(*resources.QUERIES)
"""kg's own library of named queries (package data)."""

KINDS = ("entity", "source", "date", "relation", "text")
"""Kinds of parameter a named query may declare."""

_EXAMPLE = re.compile(r"e\.g\. ([^,)\s]+)")
"""The example a parameter's help gives: ``(e.g. ttp)``."""


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named query: the variable it binds, its kind and what it means."""

    name: str
    kind: str
    help: str

    @property
    def example(self) -> str | None:
        """The example value its help gives (``e.g. ttp``), if it gives one."""
        found = _EXAMPLE.search(self.help)
        return found.group(1) if found else None


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library, with the documentation from its header."""

    name: str
    title: str
    answers: str
    parameters: tuple[Parameter, ...]
    sparql: str
    path: Traversable
    paragraphs: str | None = None
    """The variable whose records' paragraphs become the ``paragraphs`` column."""
    figures: tuple[str, tuple[str, ...]] | None = None
    """The variable whose counts are totalled, and the measures that become columns."""
    undated: tuple[str, ...] = ()
    """The kinds of undated record the query leaves out (``events``, ``claims``)."""
    innermost: tuple[str, str] | None = None
    """The variables of a containment step (below, container), to order the steps innermost first."""
    own: bool = False
    """One of kg's own queries (shipped with kg, bounded by their design), not a project's: it runs
    in kg's process, where a project's query runs in a memory-capped child (:func:`kg.sparql.run`)."""

    def usage(self) -> str:
        """How to run it: ``kg query allies --param actor=ENTITY``."""
        params = "".join(f" --param {p.name}={p.kind.upper()}" for p in self.parameters)
        return f"kg query {self.name}{params}"


_HEADER = re.compile(r"^#\s*(title|answers|param|paragraphs|figures|undated|innermost):\s*(.*)$")
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
    lines_of = {key: number for key, _, number in fields}
    paragraphs = values.get("paragraphs") or None
    if paragraphs is not None and paragraphs not in variables(query_body):
        raise LibraryError(
            f"{where}:{lines_of['paragraphs']}: 'paragraphs: {paragraphs}' is not a variable of the query"
        )
    figures = _figures(values.get("figures"), query_body, f"{where}:{lines_of.get('figures')}")
    undated = tuple(k.strip() for k in (values.get("undated") or "").split(",") if k.strip())
    for kind in undated:
        if kind not in _UNDATED:
            raise LibraryError(f"{where}:{lines_of['undated']}: unknown undated kind '{kind}' (use events, claims)")
    steps = tuple((values.get("innermost") or "").split())
    if steps and (len(steps) != 2 or not set(steps) <= variables(query_body)):
        raise LibraryError(f"{where}:{lines_of['innermost']}: write '# innermost: BELOW CONTAINER', two variables")
    return NamedQuery(
        path.name.removesuffix(".rq"),
        values["title"],
        values["answers"],
        tuple(params),
        sparql,
        path,
        paragraphs,
        figures,
        undated,
        (steps[0], steps[1]) if steps else None,
    )


def _figures(text: str | None, sparql: str, where: str) -> tuple[str, tuple[str, ...]] | None:
    """``figures: VAR MEASURE...``, checked: a variable of the query, then kg's measures."""
    if not text:
        return None
    owner, *measures = text.split()
    if owner not in variables(sparql) or not measures:
        raise LibraryError(f"{where}: write '# figures: VAR MEASURE...', VAR a variable of the query")
    return owner, tuple(measures)  # the measures are checked when the query runs (the ontology is not read here)


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
        own = where is folder and folder is QUERIES
        found |= {query.name: dataclasses.replace(query, own=own) for query in map(read_query, paths)}
    return dict(sorted(found.items()))


def named_query(name: str, folder: Traversable = QUERIES, extra: Path | None = None) -> NamedQuery:
    """The named query ``name``; an unknown name suggests the closest."""
    queries = library(folder, extra)
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.7)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise UnknownQuery(f"unknown query '{name}'{hint}; kg query --list lists them")
    return queries[name]


def examples(store: Store, dates: Mapping[str, str]) -> dict[str, dict[str, Identifier]]:
    """Every named query's parameters bound to the examples of its header (a date parameter to
    ``dates[name]``): the whole library run as its documentation says, by tests and benchmarks."""
    from kg.profile import source_titles

    found, sources = names(store), sorted(source_titles(store))
    bound = {}
    for name, query in sorted(library().items()):
        values = {p.name: dates[p.name] if p.kind == "date" else p.example or "" for p in query.parameters}
        bound[name] = bind(query, values, lambda: found, lambda: sources, store.namespaces)
    return bound


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


# --- running a named query ---


@dataclass
class Answer(QueryResult):
    """A named query's answer: a SELECT result, and notes on what it leaves out (for stderr)."""

    notes: list[str] = field(default_factory=list)


def execute(
    store: Store,
    query: NamedQuery,
    bindings: Mapping[str, Identifier],
    timeout: float | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Answer:
    """Run ``query`` on ``store`` and add what its header asks: paragraphs, figures, notes.

    ``limit`` and ``offset`` page the answer in the query's order (SPARQL ``LIMIT`` and
    ``OFFSET``). With a ``timeout`` (seconds) all of it runs in a child process, killed
    when time is up (:func:`kg.timeout.call`).
    """
    if (limit is not None and limit < 0) or offset < 0:
        raise BadParameter("--limit and --offset take a number of rows, 0 or more")
    if timeout is not None:
        from kg import timeout as limits

        seconds = limits.check(timeout)
        return limits.call(lambda: execute(store, query, bindings, None, limit, offset), seconds)
    sparql = query.sparql
    if limit is not None:
        sparql += f"\nLIMIT {int(limit)}"
    if offset:
        sparql += f"\nOFFSET {int(offset)}"
    result = run(store, sparql, bindings, isolate=not query.own)
    if result.kind != "select":
        return Answer(result.kind, result.variables, result.rows, result.boolean, result.graph)
    variables, rows = list(result.variables), list(result.rows)
    if query.paragraphs is not None and query.paragraphs in variables:
        rows = join_paragraphs(store, variables.index(query.paragraphs), rows)
        variables[variables.index(query.paragraphs)] = "paragraphs"
    if query.figures is not None:
        variables, rows = _add_figures(store, query.figures, variables, rows)
    if query.innermost is not None and set(query.innermost) <= set(variables):
        rows = innermost_first(rows, variables.index(query.innermost[0]), variables.index(query.innermost[1]))
    notes = [undated_note(store, query.undated)] if query.undated else []
    return Answer("select", variables, rows, notes=[n for n in notes if n])


def innermost_first(
    rows: Sequence[tuple[Identifier | None, ...]], below: int, container: int
) -> list[tuple[Identifier | None, ...]]:
    """Containment steps ordered by how many places lie above each step's container, most first
    (the innermost step first); ties keep their order."""
    up: dict[Identifier | None, set[Identifier | None]] = {}
    for row in rows:
        up.setdefault(row[below], set()).add(row[container])

    def above(place: Identifier | None) -> int:
        seen: set[Identifier | None] = set()
        todo = list(up.get(place, ()))
        while todo:
            step = todo.pop()
            if step not in seen:
                seen.add(step)
                todo.extend(up.get(step, ()))
        seen.discard(place)
        return len(seen)

    heights = {place: above(place) for place in {row[container] for row in rows}}
    return sorted(rows, key=lambda row: -heights[row[container]])


_PARAGRAPHS = """
SELECT ?record ?n ?why WHERE {
  { VALUES ?record { %(records)s } ?record prov:wasDerivedFrom/kg:paragraph ?n }
  UNION
  { VALUES ?record { %(records)s } ?record kg:basis kg:curatorKnowledge .
    OPTIONAL { ?record skos:editorialNote ?why } }
}
"""
BATCH = 500
"""Records per paragraph query: a VALUES block of this many IRIs is a small query everywhere."""


def paragraphs(store: Store, records: Sequence[Identifier]) -> dict[Identifier, str]:
    """The paragraphs of each record as text (``2,10,11``), or the curator's reason (see above)."""
    numbers: dict[Identifier, list[int]] = {}
    reasons: dict[Identifier, str] = {}
    unique = sorted({r for r in records if isinstance(r, URIRef)})
    for start in range(0, len(unique), BATCH):
        block = " ".join(r.n3() for r in unique[start : start + BATCH])
        for row in store.query(store.namespaces.prologue + _PARAGRAPHS % {"records": block}).rows:
            record, n, why = row
            assert record is not None
            if n is not None:
                numbers.setdefault(record, []).append(int(n.toPython()))  # type: ignore[attr-defined]
            else:
                reasons[record] = f"curator's knowledge: {why}" if why else "curator's knowledge"
    found = {record: ",".join(map(str, sorted(ns))) for record, ns in numbers.items()}
    return {**reasons, **found}


def join_paragraphs(
    store: Store, column: int, rows: Sequence[tuple[Identifier | None, ...]]
) -> list[tuple[Identifier | None, ...]]:
    """``rows`` with the record in ``column`` replaced by its paragraphs (a literal), or unbound."""
    text = paragraphs(store, [record for row in rows if (record := row[column]) is not None])
    out = []
    for row in rows:
        record = row[column]
        found = text.get(record) if record is not None else None
        out.append((*row[:column], None if found is None else Literal(found), *row[column + 1 :]))
    return out


def _add_figures(
    store: Store,
    figures: tuple[str, tuple[str, ...]],
    variables: list[str],
    rows: list[tuple[Identifier | None, ...]],
) -> tuple[list[str], list[tuple[Identifier | None, ...]]]:
    """The answer with a column per measure: the totals of the counts of each row's owner."""
    from kg import ontology
    from kg.figures import figure_columns

    owner, measures = figures
    if owner not in variables:
        return variables, rows
    unknown = [m for m in measures if m not in ontology.measures()]
    if unknown:
        raise LibraryError(f"'# figures:' names '{unknown[0]}', which is not a measure of kg's ontology")
    at = variables.index(owner)
    owners: list[URIRef | None] = [term if isinstance(term := row[at], URIRef) else None for row in rows]
    columns = figure_columns(store, owners, {m: ontology.measures()[m] for m in measures})
    extended = [
        (*row, *(None if cell is None else Literal(cell) for cell in cells))
        for row, cells in zip(rows, columns, strict=True)
    ]
    return [*variables, *measures], extended


_UNDATED = {
    "events": """SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {
  ?type rdfs:subClassOf* kg:Event . ?item a ?type .
  OPTIONAL { ?item dcterms:date ?date } OPTIONAL { ?item kg:startDate ?start }
  OPTIONAL { ?item kg:endDate ?end } OPTIONAL { ?item kg:subEventOf/dcterms:date ?parent }
  FILTER (!BOUND(?date) && !BOUND(?start) && !BOUND(?end) && !BOUND(?parent)) }""",
    "claims": """SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {
  ?item a kg:Claim . OPTIONAL { ?item dcterms:date ?date } FILTER (!BOUND(?date)) }""",
}
"""How many records of each kind have no date (what :file:`undated.rq` lists)."""


def undated_note(store: Store, kinds: Sequence[str]) -> str:
    """A note saying how many undated records of ``kinds`` an answer leaves out, or ''."""
    counted = []
    for kind in kinds:
        rows = store.query(store.namespaces.prologue + _UNDATED[kind]).rows
        n = int(rows[0][0].toPython()) if rows and rows[0][0] is not None else 0  # type: ignore[attr-defined]
        if n:
            counted.append(f"{n} undated {kind[:-1] if n == 1 else kind}")
    if not counted:
        return ""
    return f"left out: {' and '.join(counted)} (kg query undated lists them)"


# --- what a reader sees beside an id ---

_DESCRIBE = """
SELECT ?term ?label ?claim ?publisher ?date ?title WHERE {
  VALUES ?term { %s }
  OPTIONAL { ?term rdfs:label ?label }
  OPTIONAL { ?term a ?claim . FILTER (?claim = kg:Claim) }
  OPTIONAL { ?term dcterms:publisher/rdfs:label ?publisher }
  OPTIONAL { ?term dcterms:date ?date }
  OPTIONAL { ?term dcterms:title ?title }
}
"""
TITLE_WIDTH = 48
"""The longest source title shown in a table; longer ones end in an ellipsis."""


def describe(store: Store, result: QueryResult) -> dict[URIRef, str]:
    """What a table shows beside each entity or source of ``result``: an entity's label; a source
    as its number, outlet, date and title (``001 Eurasianet, 2023-08: Title``).

    Claims are left out (their label is their text), and so is anything without a label.
    """
    ns = store.namespaces
    wanted = sorted(
        {
            term
            for row in result.rows
            for term in row
            if isinstance(term, URIRef) and (str(term).startswith(str(ns.id)) or str(term).startswith(str(ns.src)))
        }
    )
    found: dict[URIRef, str] = {}
    for start in range(0, len(wanted), BATCH):
        block = " ".join(t.n3() for t in wanted[start : start + BATCH])
        for row in store.query(ns.prologue + _DESCRIBE % block).dicts():
            term = row["term"]
            assert isinstance(term, URIRef)
            if row["claim"] is not None or term in found or row["label"] is None:
                continue
            if str(term).startswith(str(ns.src)):
                found[term] = _source_text(str(term)[len(str(ns.src)) :], row)
            else:
                found[term] = str(row["label"])
    return found


def _source_text(source: str, row: Mapping[str, Identifier | None]) -> str:
    title = str(row["title"] or row["label"])
    if len(title) > TITLE_WIDTH:
        title = title[: TITLE_WIDTH - 1].rstrip() + "…"
    where = ", ".join(str(t) for t in (row["publisher"], row["date"]) if t is not None)
    number = source.split("_")[0]
    return f"{number} {where}: {title}" if where else f"{number} {title}"
