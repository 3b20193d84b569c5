"""SPARQL over the graph: checked read-only queries, parameters, timeouts, result formats.

A query is checked with rdflib's SPARQL parser before it reaches the store:
a syntax error is reported with its line, column and text, an update is
refused, and kg's prefixes (``kg:``, ``id:``, ``src:``, ``stmt:``, ``rdf:``,
``rdfs:``, ``owl:``, ``xsd:``, ``skos:``, ``prov:``, ``dcterms:``) are declared
in front of it unless it declares a prefix of the same name itself.

Parameters are RDF terms, bound by a ``VALUES`` block that rdflib writes at the
top of the WHERE group (:func:`bind_values`), so FILTERs see them; the user's
text is never pasted into a query. The named queries of ``queries/`` are in
:mod:`kg.queries`; results are rendered as text by :mod:`kg.report`.
"""

from __future__ import annotations

import ctypes
import functools
import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from rdflib import Literal, URIRef
from rdflib.term import Identifier, Variable

from kg.dates import parse_date
from kg.errors import BadDate, BadParameter, BadQuery, QuerySyntaxError, QueryTimeout, ReadOnly, StoreError
from kg.stores import QueryResult, Store
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from pyparsing import ParseException

T = TypeVar("T")


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
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    PREFIXES = dict(prefix_items)  # noqa: N806 - the same name as the default, on purpose
    if not text.strip():
        raise BadQuery("empty query")
    try:
        tree = parseQuery(text)
    except ParseException as err:
        if _is_update(text):
            raise ReadOnly() from None
        raise _syntax_error(err) from None
    declared = {dict.get(d, "prefix", "") for d in tree[0] if d.name == "PrefixDecl"}
    missing = {p: ns for p, ns in PREFIXES.items() if p not in declared}
    unknown = sorted(_prefixes_used(tree) - declared - set(PREFIXES))
    if unknown:
        known = ", ".join(f"{p}:" for p in PREFIXES)
        raise BadQuery(f"unknown prefix '{unknown[0]}:' (declare it, or use one of {known})")
    try:
        translateQuery(tree, initNs=missing)
    except Exception as err:  # noqa: BLE001 - rdflib raises bare Exception for these
        raise BadQuery(str(err)) from None
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in missing.items()) + text


def _prefixes_used(node: object) -> set[str]:
    """The prefixes of every prefixed name in a parsed query."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        found = {dict.get(node, "prefix", "")} if node.name == "pname" else set()
        return found.union(*(_prefixes_used(v) for v in node.values()))
    if isinstance(node, list | tuple | ParseResults):
        return set().union(*(_prefixes_used(v) for v in node))
    return set()


def variables(text: str) -> set[str]:
    """The names of the variables a query mentions (``?x`` or ``$x``)."""
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", text))


def with_timeout(work: Callable[[], T], seconds: float | None) -> T:
    """``work()``, stopped with :class:`QueryTimeout` when it runs longer than ``seconds``.

    rdflib has no timeout, so the work runs in a daemon thread; when time is up
    the caller stops waiting and the thread gets an asynchronous exception, which
    ends a pure-Python query at its next step.
    """
    if seconds is None:
        return work()
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except _Stopped:
            pass
        except BaseException as err:  # noqa: BLE001 - handed back to the caller
            outcome["error"] = err

    thread = threading.Thread(target=target, name="kg-query", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident or 0), ctypes.py_object(_Stopped))
        raise QueryTimeout(seconds)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


class _Stopped(Exception):
    """Raised inside a query thread whose caller gave up waiting."""


def run(
    store: Store, text: str, bindings: Mapping[str, Identifier] | None = None, timeout: float | None = None
) -> QueryResult:
    """Check ``text`` and run it on ``store``, each binding a variable to an RDF term.

    A store that parses queries itself (Oxigraph, in Rust) gets the text with kg's prefixes
    in front at once; only when it refuses the query is rdflib's parser asked why, so the
    error names the line and column. Other stores get the query checked first.
    """
    prefixes = store.namespaces.prefixes
    sparql = declare_prefixes(text, prefixes) if store.checks_queries else prepare(text, prefixes)
    if bindings:
        unknown = sorted(set(bindings) - variables(text))
        if unknown:
            raise BadParameter(f"unknown parameter '{unknown[0]}': the query has no ?{unknown[0]}")
        sparql = bind_values(sparql, bindings)
    try:
        return with_timeout(lambda: store.query(sparql), timeout)
    except StoreError:
        if store.checks_queries:
            prepare(text, prefixes)  # raises the precise reason where rdflib sees one
        raise


def declare_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` after a prologue declaring ``prefixes``; the query's own declarations come later,
    so they win (SPARQL lets a prefix be declared again)."""
    if not text.strip():
        raise BadQuery("empty query")
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + text


_SKIP = re.compile(
    r"#[^\n]*"  # a comment
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"  # an IRI
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"  # long strings
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"  # short strings
    r'|"(?:[^"\\\n]|\\.)*"'
)


def _top_level_groups(text: str) -> list[int]:
    """Offsets of the ``{`` opening top-level groups (comments, IRIs and strings skipped)."""
    found: list[int] = []
    depth = parens = i = 0
    while i < len(text):
        skipped = _SKIP.match(text, i) if text[i] in "#<'\"" else None
        if skipped:
            i = skipped.end()
            continue
        char = text[i]
        if char in "()":
            parens += 1 if char == "(" else -1
        elif char == "{":
            if depth == 0 and parens == 0:
                found.append(i)
            depth += 1
        elif char == "}":
            depth -= 1
        i += 1
    return found


def bind_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """``sparql`` with a ``VALUES`` block binding each variable to its term, first in the WHERE.

    A trailing ``VALUES`` clause is joined after the WHERE clause, so its FILTERs
    never see it; inline data at the top of the WHERE group is seen by the
    group's FILTERs on every SPARQL 1.1 engine. The terms are written by rdflib
    (escaped), never copied from the user's text.
    """
    groups = _top_level_groups(sparql)
    before = _SKIP.sub(" ", sparql[: groups[0]]) if groups else ""
    if re.search(r"\bCONSTRUCT\s+WHERE\s*$", before, re.IGNORECASE):
        raise BadParameter("CONSTRUCT WHERE takes no parameters: write CONSTRUCT { ... } WHERE { ... }")
    index = 1 if re.search(r"\bCONSTRUCT\s*$", before, re.IGNORECASE) else 0
    if len(groups) <= index:
        raise BadParameter("the query has no WHERE clause to bind parameters in")
    names = sorted(bindings)
    block = f"VALUES ({' '.join(Variable(n).n3() for n in names)}) {{ ({' '.join(bindings[n].n3() for n in names)}) }}"
    at = groups[index] + 1
    return f"{sparql[:at]} {block}\n{sparql[at:]}"


_TERM = re.compile(r"^(?P<prefix>[A-Za-z][\w.-]*):(?P<local>\S*)$")


def parse_term(value: str, find_entity: Callable[[str], URIRef], prefixes: Mapping[str, str] = PREFIXES) -> Identifier:
    """A parameter value as an RDF term: ``<IRI>``, ``id:ttp``, ``"text"``, a number, a date
    (``2021-08-15``) or else an entity's id, label or alias (resolved by ``find_entity``)."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    match = _TERM.match(text)
    if match and match.group("prefix") in prefixes:
        return URIRef(prefixes[match.group("prefix")] + match.group("local"))
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
