"""SPARQL over the graph: checked read-only queries, parameters, timeouts, result formats.

A query is checked before it reaches the store: a syntax error is reported
with its line, column and text, an update is refused, and kg's prefixes
(``kg:``, ``id:``, ``src:``, ``stmt:``, ``rdf:``, ``rdfs:``, ``owl:``, ``xsd:``,
``skos:``, ``prov:``, ``dcterms:``) are declared in front of it unless it
declares a prefix of the same name itself. A query never reaches the network:
``SERVICE`` is refused on every store, and so are ``FROM`` and ``FROM NAMED``
(rdflib fetches those IRIs from the web when it reads a dataset; Oxigraph reads
them as named graphs of the store, which kg leaves empty; a server reads them
its own way), by a scan of the text that needs no parser (:func:`screen`).

Parameters are RDF terms, bound by a ``VALUES`` block that rdflib writes at the
top of the WHERE group (:func:`bind_values`), so FILTERs see them; the user's
text is never pasted into a query. The named queries of ``queries/`` are in
:mod:`kg.queries`; results are rendered as text by :mod:`kg.report`.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node, Variable

from kg.dates import parse_date
from kg.errors import BadDate, BadParameter, BadQuery, OutOfMemory, QuerySyntaxError, ReadOnly, StoreError
from kg.stores import QueryResult, Store, new_graph, one_kind_of_line_break
from kg.terminal import printable
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from pyparsing import ParseException

SERVICE_REFUSED = "SERVICE is refused: kg never reaches the network from a query (query a remote store with --endpoint)"
ESCAPED_WORDS = (
    "a query with \\u or \\U escapes may not hold the words SERVICE or FROM anywhere (engines read "
    "escapes differently, so kg cannot tell whether they are keywords): write the characters themselves"
)
FROM_REFUSED = (
    "FROM and FROM NAMED are refused: a query reads the store's own graph "
    "(drop the clause; read another store with --store or --endpoint)"
)
TOO_DEEP = "the query nests too deeply for rdflib, the memory store's SPARQL engine: flatten it"
MAX_QUERY_BYTES = 8 << 20
"""The longest query text read from a file or standard input."""
MAX_DEPTH = 64
"""The deepest nesting of brackets a query may have (Oxigraph's parser overflows its stack past ~800)."""
MAX_PARTS = 1000
"""The most clauses and operators a query may chain (Oxigraph's stack overflows past ~2,500)."""
PYTHON_FRAMES = 8000
"""The Python recursion limit kg needs: rdflib's parser takes up to ~2,500 frames for a query
nested :data:`MAX_DEPTH` levels deep, more than Python's default 1,000, so without this the
same query would pass or fail with the depth of the caller's stack."""

if sys.getrecursionlimit() < PYTHON_FRAMES:
    sys.setrecursionlimit(PYTHON_FRAMES)


_UPDATE = re.compile(
    r"^(?:\s|#[^\n]*\n|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    if _UPDATE.match(text):
        return True
    try:
        parseUpdate(text)
    except Exception:  # noqa: BLE001 - any failure means "not an update"
        return False
    return True


def _syntax_error(err: ParseException) -> QuerySyntaxError:
    near = (err.line or "")[max(err.col - 1, 0) :].strip()
    if len(near) > 40:
        near = near[:37] + "..."
    expected = re.sub(r",? found .*$", "", err.msg) or "invalid SPARQL"
    return QuerySyntaxError(err.lineno, err.col, near, expected)


def prepare(text: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """The query as sent to a store: checked, read-only, with kg's missing prefixes declared
    (``prefixes``: the project's, :attr:`kg.vocab.Namespaces.prefixes`)."""
    return _prepare(text, tuple(prefixes.items()))


@functools.lru_cache(maxsize=256)
def _prepare(text: str, prefix_items: tuple[tuple[str, str], ...]) -> str:
    from rdflib.plugins.sparql.algebra import translateQuery

    PREFIXES = dict(prefix_items)  # noqa: N806 - the same name as the default, on purpose
    if not text.strip():
        raise BadQuery("empty query")
    tree = _parse(text)
    used: set[str] = set()
    parts = _parts(tree, used)
    if "ServiceGraphPattern" in parts:
        raise BadQuery(SERVICE_REFUSED)
    if "DatasetClause" in parts:
        raise BadQuery(FROM_REFUSED)
    declared = {dict.get(d, "prefix", "") for d in tree[0] if d.name == "PrefixDecl"}
    missing = {p: ns for p, ns in PREFIXES.items() if p not in declared}
    unknown = sorted(used - declared - set(PREFIXES))
    if unknown:
        known = ", ".join(f"{p}:" for p in PREFIXES)
        raise BadQuery(f"unknown prefix '{unknown[0]}:' (declare it, or use one of {known})")
    try:
        translateQuery(tree, initNs=missing)
    except RecursionError:
        raise BadQuery(TOO_DEEP) from None
    except Exception as err:  # noqa: BLE001 - rdflib raises bare Exception for these
        raise BadQuery(str(err)) from None
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in missing.items()) + text


def _parse(text: str) -> Any:
    """rdflib's parse tree of ``text``; an update, a syntax error or a nesting too deep for the
    parser is one kg error."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except RecursionError:
        raise BadQuery(TOO_DEEP) from None
    except ParseException as err:
        if _is_update(text):
            raise ReadOnly() from None
        raise _syntax_error(err) from None
    except ValueError as err:  # rdflib expanding an escape beyond Unicode (\UFFFFFFFF)
        raise BadQuery(f"the query cannot be read: {printable(str(err))}") from None


def _parts(node: object, prefixes: set[str]) -> set[str]:
    """The names of the grammar's parts in a parsed query; the prefixes of its prefixed names
    are added to ``prefixes``."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "pname":
            prefixes.add(dict.get(node, "prefix", ""))
        return {node.name}.union(*(_parts(v, prefixes) for v in node.values()))
    if isinstance(node, list | tuple | ParseResults):
        return set().union(*(_parts(v, prefixes) for v in node))
    return set()


def variables(text: str) -> set[str]:
    """The names of the variables a query mentions (``?x`` or ``$x``)."""
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", text))


def run(
    store: Store,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    timeout: float | None = None,
    *,
    isolate: bool = True,
) -> QueryResult:
    """Check ``text`` and run it on ``store``, each binding a variable to an RDF term.

    A store that parses queries itself (Oxigraph, in Rust) gets the text with kg's prefixes
    in front at once; only when it refuses the query is rdflib's parser asked why, so the
    error names the line and column. Other stores get the query checked first. With a
    ``timeout`` (seconds) the query runs in a child process, killed when time is up
    (:func:`kg.timeout.call`); without one it runs here, unless the store
    ``isolates_queries`` (Oxigraph, which aborts the whole process when an allocation
    fails): then it runs in a child process with no time limit, its memory bounded, unless
    ``isolate`` is false (kg's own named queries, bounded by design, spared the fork).
    ``SELECT *`` gives its columns in the order the query first mentions them, on every store.
    """
    from kg import timeout as limits

    text = checked_text(text)
    if timeout is not None:
        timeout = limits.check(timeout)
    screen(text)
    prefixes = store.namespaces.prefixes
    sparql = declare_prefixes(text, prefixes) if store.checks_queries else prepare(text, prefixes)
    if bindings:
        unknown = sorted(set(bindings) - variables(text))
        if unknown:
            raise BadParameter(f"unknown parameter '{unknown[0]}': the query has no ?{unknown[0]}")
        sparql = bind_values(sparql, bindings)
    try:
        if timeout is None and not (isolate and getattr(store, "isolates_queries", False)):
            result = store.query(sparql)
        elif hasattr(store, "sendable"):  # the store's own fast form of the answer crosses (Oxigraph's)
            fast: Any = store
            result = fast.received(limits.call(lambda: fast.sendable(sparql), timeout, offline=True))
        else:
            offline = not getattr(store, "remote", False)  # an endpoint's child must reach the endpoint
            result = _restore(limits.call(lambda: _portable(store.query(sparql)), timeout, offline), store)
    except MemoryError:  # rdflib, here: the memory is back once the exception is gone
        raise OutOfMemory() from None
    except StoreError:
        if store.checks_queries:
            prepare(text, prefixes)  # raises the precise reason where rdflib sees one
        raise
    except RecursionError:  # rdflib evaluating what it could parse
        raise BadQuery(TOO_DEEP) from None
    return in_query_order(result, text)


def _portable(result: QueryResult) -> QueryResult | tuple[list[tuple[Node, Node, Node]], list[tuple[str, str]]]:
    """A result as it crosses from the query's process: a graph as its triples and prefixes."""
    if result.graph is None:
        return result
    return list(result.graph), [(p, str(ns)) for p, ns in result.graph.namespaces()]


def _restore(
    sent: QueryResult | tuple[list[tuple[Node, Node, Node]], list[tuple[str, str]]], store: Store
) -> QueryResult:
    if isinstance(sent, QueryResult):
        return sent
    triples, prefixes = sent
    graph = new_graph(store.namespaces)
    for prefix, namespace in prefixes:
        graph.bind(prefix, namespace, override=False)
    for triple in triples:
        graph.add(triple)
    return QueryResult("graph", graph=graph)


def declare_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` after a prologue declaring ``prefixes``; the query's own declarations come later,
    so they win (SPARQL lets a prefix be declared again)."""
    if not text.strip():
        raise BadQuery("empty query")
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + text


_SKIP = re.compile(
    r"#[^\r\n]*"  # a comment
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"  # an IRI
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"  # long strings
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"  # short strings
    r'|"(?:[^"\\\n\r]|\\.)*"'
)
_PN = r"\w\u00b7\u0300-\u036f\u203f\u2040\u200c\u200d"
"""The characters of SPARQL names (PN_CHARS, VARNAME), near enough: the letters and digits ``\\w``
adds are errors to a SPARQL parser, and a name character it lacks only cuts a name in two."""
_LEXEME = re.compile(
    rf"(?P<skip>{_SKIP.pattern})"
    rf"|(?P<var>[?$][{_PN}]+)"
    rf"|(?P<name>(?:[{_PN}.:\-]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])+)"  # keyword, prefixed name, number
    r"|(?P<char>[\s\S])"
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _lexemes(text: str) -> Iterator[re.Match[str]]:
    """The query's tokens as SPARQL reads them, closely enough to find keywords and groups:
    comments, IRIs and strings (``skip``), variables, names, and single characters."""
    return _LEXEME.finditer(text)


def screen(text: str) -> None:
    """Refuse what must not reach a store, before any parser sees it: ``SERVICE``, ``FROM`` and
    ``FROM NAMED`` (no network), and nesting or chains deep enough to overflow a parser's stack
    (Oxigraph's Rust parser crashes the process past a few thousand levels; rdflib's raises
    ``RecursionError`` past a few dozen under Python's default recursion limit, see :data:`PYTHON_FRAMES`).

    The keywords are looked for in every name outside comments, strings and IRIs, in any
    case, up to the name's first ``:``: ``id:tajik-border-service`` is a name, but
    ``SERVICEex:x``, ``trueSERVICE`` and ``1SERVICE`` are the keyword to Oxigraph. The text
    is read again with its ``\\u`` escapes expanded, as rdflib reads it. A prefix whose name
    holds ``service`` or ``from`` is refused with them.
    """
    for candidate in _readings(text):
        upper = candidate.upper()  # as rdflib compares keywords: "ſervice" is SERVICE
        keywords = "SERVICE" in upper or "FROM" in upper
        brackets = candidate.count("{") + candidate.count("(") + candidate.count("[")
        if keywords or brackets > MAX_DEPTH or len(candidate) > MAX_PARTS:
            _screen(candidate)


def refuse_network(text: str) -> None:
    """Refuse ``SERVICE``, ``FROM`` and ``FROM NAMED`` in ``text``: the check every store makes
    itself (:func:`kg.stores.refuse_network`, for a text that holds either word), so a query
    sent to a store object directly never reaches the network either.

    The keywords are found by a SPARQL parser (rdflib's), so no pattern of kg's own decides how
    the text is cut into tokens (``rh:.SERVICE``, ``?a<?b)SERVICE``). A text that holds one of
    the words and does not parse is refused with its syntax error, so that nothing kg cannot
    read runs. Engines disagree on where ``\\u`` escapes apply (rdflib expands them everywhere,
    Oxigraph not inside strings, where ``"\\u0022"`` is a quote of its own), so a text with
    such an escape may not hold either word at all, in any reading (:data:`ESCAPED_WORDS`).
    """

    readings = _readings(text)
    for reading in readings:
        _screen(reading)  # the word where a plain reading finds it, and nesting a parser cannot take
    if len(readings) > 1 and any(w in t.upper() for t in readings for w in ("SERVICE", "FROM")):
        raise BadQuery(ESCAPED_WORDS)
    for candidate in readings:
        parts = _parts(_parse(candidate), set())
        if "ServiceGraphPattern" in parts:
            raise BadQuery(SERVICE_REFUSED)
        if "DatasetClause" in parts:
            raise BadQuery(FROM_REFUSED)


def _screen(text: str) -> None:
    depth = deepest = parts = 0
    for lexeme in _lexemes(text):
        char, name = lexeme.group("char"), lexeme.group("name")
        if char is not None:
            if char in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "})]":
                depth -= 1
            parts += char in _CHAINED
        elif name is not None:
            head = name.split(":", 1)[0].upper()
            if "SERVICE" in head:
                raise BadQuery(SERVICE_REFUSED)
            if "FROM" in head:
                raise BadQuery(FROM_REFUSED)
            parts += head in _CLAUSES
    if deepest > MAX_DEPTH:
        raise BadQuery(f"the query nests {deepest} levels deep (at most {MAX_DEPTH}): flatten it")
    if parts > MAX_PARTS:
        raise BadQuery(
            f"the query chains {parts} clauses and operators (at most {MAX_PARTS}): "
            "use VALUES for long lists of alternatives"
        )


_CHAINED = frozenset("!|&+-*/{")
_CLAUSES = frozenset(("UNION", "FILTER", "BIND", "MINUS", "VALUES", "OPTIONAL", "SELECT", "EXISTS", "GRAPH", "AS"))


def _readings(text: str) -> tuple[str, ...]:
    """The text as written and, if it has ``\\u`` escapes, with them expanded (as rdflib reads it)."""
    expanded = _ESCAPE.sub(_unescape, text) if "\\" in text else text
    return (text,) if expanded == text else (text, expanded)


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code < 0x110000 else "\ufffd"


def _top_level_groups(text: str) -> list[int]:
    """Offsets of the ``{`` opening top-level groups (comments, IRIs and strings skipped)."""
    found: list[int] = []
    depth = parens = 0
    for lexeme in _lexemes(text):
        char = lexeme.group("char")
        if char is None:
            continue
        if char in "()":
            parens += 1 if char == "(" else -1
        elif char == "{":
            if depth == 0 and parens == 0:
                found.append(lexeme.start())
            depth += 1
        elif char == "}":
            depth -= 1
    return found


_STAR = re.compile(r"\bSELECT\s*(?:(?:DISTINCT|REDUCED)\s*)?\*", re.IGNORECASE)


def in_query_order(result: QueryResult, text: str) -> QueryResult:
    """A ``SELECT *`` result with its columns in the order ``text`` first mentions them
    (engines order them each their own way; rdflib's changes from run to run)."""
    if result.kind != "select" or not _STAR.search(text):
        return result
    tokens = [m for m in _lexemes(text) if not (m.group("char") or "x").isspace() and not m.group("skip")]
    select = next((i for i, m in enumerate(tokens) if (m.group("name") or "").upper() == "SELECT"), None)
    if select is None:
        return result
    after = select + 1
    if after < len(tokens) and (tokens[after].group("name") or "").upper() in ("DISTINCT", "REDUCED"):
        after += 1
    if after >= len(tokens) or tokens[after].group() != "*":
        return result
    first: dict[str, int] = {}
    for m in tokens[after:]:
        if m.group("var"):
            first.setdefault(m.group("var")[1:], len(first))
    order = sorted(range(len(result.variables)), key=lambda i: (first.get(result.variables[i], len(first)), i))
    if order == list(range(len(order))):
        return result
    rows = [tuple(row[i] for i in order) for row in result.rows]
    return QueryResult("select", [result.variables[i] for i in order], rows)


def checked_text(text: str) -> str:
    """A query's text without a leading byte-order mark, its line breaks all LF (as every SPARQL
    reader then ends a comment at the same place); text that is not Unicode is refused."""
    text = one_kind_of_line_break(text.removeprefix("\ufeff"))
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:  # bytes that were not UTF-8, kept as surrogates (an argument; a pipe under the C locale)
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as err:
        where = f"U+{ord(text[err.start]):04X} at character {err.start + 1}"
        raise BadQuery(f"the query is not Unicode text: {where}") from None
    return decode(data, "the query")


def decode(data: bytes, where: str) -> str:
    """Query text read as bytes (from ``where``): UTF-8, a leading byte-order mark dropped."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise BadQuery(
            f"{where} is not UTF-8: byte 0x{data[err.start]:02x} at line {line}, column {column} "
            "(save the query as UTF-8)"
        ) from None


def read_text(stream: IO[bytes], where: str) -> str:
    """The text of a query read from a binary stream (a file, standard input), at most
    :data:`MAX_QUERY_BYTES` of it."""
    data = stream.read(MAX_QUERY_BYTES + 1)
    if len(data) > MAX_QUERY_BYTES:
        raise BadQuery(f"{where} holds more than {MAX_QUERY_BYTES >> 20} MiB: that is not a query")
    return decode(data, where)


def bind_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """``sparql`` with a ``VALUES`` block binding each variable to its term, first in the WHERE
    group and first in each branch of its top-level ``UNION``s.

    A trailing ``VALUES`` clause is joined after the WHERE clause, so its FILTERs
    never see it; inline data at the top of the WHERE group is seen by the
    group's FILTERs on every SPARQL 1.1 engine. The same block in each branch of a
    ``UNION`` changes no answer (a join with one row distributes over a union) but
    lets an engine that evaluates a union before joining it (Oxigraph) start each
    branch from the bound terms instead of the whole graph. The terms are written
    by rdflib (escaped), never copied from the user's text.
    """
    groups = _top_level_groups(sparql)
    before = _SKIP.sub(" ", sparql[: groups[0]]) if groups else ""
    if re.search(r"\bCONSTRUCT\s+WHERE\s*$", before, re.IGNORECASE):
        raise BadParameter("CONSTRUCT WHERE takes no parameters: write CONSTRUCT { ... } WHERE { ... }")
    index = 1 if re.search(r"\bCONSTRUCT\s*$", before, re.IGNORECASE) else 0
    if len(groups) <= index:
        raise BadParameter("the query has no WHERE clause to bind parameters in")
    names = sorted(bindings)
    terms = " ".join(_term_n3(n, bindings[n]) for n in names)
    block = f"VALUES ({' '.join(Variable(n).n3() for n in names)}) {{ ({terms}) }}"
    at = groups[index] + 1
    starts = [at, *_union_branches(sparql, at)]
    pieces = [sparql[a:b] for a, b in zip([0, *starts], [*starts, len(sparql)], strict=True)]
    return f" {block}\n".join(pieces)


def _union_branches(text: str, start: int) -> list[int]:
    """Offsets just inside each group that is a branch of a ``UNION`` directly in the group
    opening before ``start`` (comments, IRIs and strings skipped)."""
    depth = 0
    opened: list[int] = []  # the groups directly inside, in order: their offsets after "{"
    union_after: set[int] = set()  # indices of groups followed by UNION
    last_closed: int | None = None
    branches: set[int] = set()
    for lexeme in _LEXEME.finditer(text, start):
        char, name = lexeme.group("char"), lexeme.group("name")
        if char == "{":
            if depth == 0:
                opened.append(lexeme.end())
                if last_closed is not None and last_closed in union_after:
                    branches.update((last_closed, len(opened) - 1))
            depth += 1
        elif char == "}":
            if depth == 0:
                break
            depth -= 1
            if depth == 0:
                last_closed = len(opened) - 1
        elif name is not None and depth == 0:
            if name.upper() == "UNION" and last_closed is not None:
                union_after.add(last_closed)
            else:
                last_closed = None
        elif char is not None and not char.isspace() and depth == 0:
            last_closed = None
    return [opened[i] for i in sorted(branches) if not _SUBSELECT.match(text, opened[i])]


_SUBSELECT = re.compile(r"(?:\s|#[^\n]*\n)*SELECT\b", re.IGNORECASE)
"""A group that is a subquery, where nothing may come before its SELECT."""


def _term_n3(name: str, term: Identifier) -> str:
    """A parameter's term as SPARQL text, checked: an IRI must be one, a blank node cannot be bound."""
    if isinstance(term, BNode) or not isinstance(term, URIRef | Literal):
        raise BadParameter(f"?{name} cannot be bound to {term!r}: give an IRI or a literal")
    iri = term if isinstance(term, URIRef) else term.datatype
    if iri is not None and not _IRI.fullmatch(iri):
        raise BadParameter(f"bad IRI <{iri}> for ?{name}: {_IRI_HINT}")
    if isinstance(term, Literal) and term.language and not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
        raise BadParameter(f"bad language tag '{term.language}' for ?{name}")
    return term.n3()


_TERM = re.compile(r"^(?P<prefix>[A-Za-z][\w.-]*):(?P<local>\S*)$")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")
"""An absolute IRI as SPARQL writes one between ``<`` and ``>``."""
_IRI_HINT = "write an absolute IRI without spaces, e.g. <https://example.org/x>"


def _iri(iri: str, given: str) -> URIRef:
    if not _IRI.fullmatch(iri):
        raise BadParameter(f"bad IRI {given}: {_IRI_HINT}")
    return URIRef(iri)


def parse_term(value: str, find_entity: Callable[[str], URIRef], prefixes: Mapping[str, str] = PREFIXES) -> Identifier:
    """A parameter value as an RDF term: ``<IRI>``, ``id:ttp``, ``"text"``, a number, a date
    (``2021-08-15``) or else an entity's id, label or alias (resolved by ``find_entity``)."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return _iri(text[1:-1], text)
    match = _TERM.match(text)
    if match and match.group("prefix") in prefixes:
        return _iri(prefixes[match.group("prefix")] + match.group("local"), text)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return Literal(text[1:-1])
    if re.fullmatch(r"-?\d+", text):
        return Literal(int(text))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date_literal(text)
    return find_entity(text)


def date_literal(value: str) -> Literal:
    """A day written ``YYYY-MM-DD`` as an ``xsd:date`` literal."""
    try:
        date = parse_date(value.strip())
    except BadDate as err:
        raise BadParameter(str(err)) from None
    if date.precision != "day":
        raise BadParameter(f"bad date '{value}': write YYYY-MM-DD")
    return date.literal()


def unknown_terms(text: str, prefixes: Mapping[str, str] = PREFIXES) -> list[str]:
    """A warning for each ``kg:`` term the query names that kg's ontology does not define,
    with the likely term: such a query runs, and finds nothing, without a word.

    A term counts as ``kg:`` when written with the ``kg:`` prefix (unless the query declares
    ``kg:`` itself as another namespace) or as a full IRI in kg's namespace. A query
    :func:`screen` refuses raises its :class:`BadQuery` first: it gets no warnings.
    """
    from kg.vocab import KG

    screen(text)
    namespace = str(KG._NS)
    declared = re.search(r"PREFIX\s+kg:\s*<([^>]*)>", text, re.IGNORECASE)
    kg_prefix = prefixes.get("kg") == namespace and (declared is None or declared.group(1) == namespace)
    named: list[str] = []
    for lexeme in _lexemes(text):
        token = lexeme.group()
        if lexeme.group("name") and kg_prefix and token.startswith("kg:") and len(token) > 3:
            named.append(token[3:].rstrip("."))
        elif lexeme.group("skip") and token.startswith("<" + namespace) and token.endswith(">"):
            named.append(token[len(namespace) + 1 : -1])
    known = _ontology_terms()
    warnings = []
    for local in dict.fromkeys(named):
        if local and local not in known:
            likely = _likely_term(local, known)
            hint = f" (did you mean 'kg:{likely}'?)" if likely else ""
            warnings.append(f"kg:{local} is not a term of kg's ontology{hint}: the query may find nothing")
    return warnings


def _likely_term(local: str, known: frozenset[str]) -> str | None:
    """The term ``local`` most likely means: the same letters in another case, else the closest."""
    import difflib

    by_case = {k.lower(): k for k in sorted(known, reverse=True)}
    if local.lower() in by_case:
        return by_case[local.lower()]
    close = difflib.get_close_matches(local.lower(), list(by_case), n=1, cutoff=0.6)
    return by_case[close[0]] if close else None


@functools.cache
def _ontology_terms() -> frozenset[str]:
    """The local names of every ``kg:`` term the ontology names, read from its Turtle text (a
    scan, not a parse: the text writes every term as ``kg:Name``, and a query needs no more)."""
    from kg import resources

    text = resources.read_text(*resources.ONTOLOGY)
    return frozenset(re.findall(r"(?<![\w:])kg:([A-Za-z_][\w-]*)", text))
