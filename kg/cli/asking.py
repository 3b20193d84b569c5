"""``kg query``, ``show``, ``path``, ``neighbors``, ``rank``: asking the graph."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from kg.cli import (
    QUERY_TIMEOUT_MAX,
    RANKINGS,
    RESULT_FORMATS,
    _print,
    _stdin,
    _timeout,
    main,
    parse_params,
    query_text,
    session,
    store_options,
)

if TYPE_CHECKING:
    from kg.queries import NamedQuery


@main.command("query")
@click.argument("query", required=False, metavar="[NAME | FILE.rq]")
@click.option("-e", "expression", metavar="SPARQL", default=None, help="The query's text.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help='Bind ?NAME: an entity name, id:..., <IRI>, "text", number or YYYY-MM-DD; repeatable.',
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="How to print SELECT results.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True, max=QUERY_TIMEOUT_MAX),
    default=None,
    callback=_timeout,
    metavar="SECONDS",
    help="Stop the query after this long (at most a day): it runs in a child process, killed when time is up.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N", help="A named query: at most N rows.")
@click.option(
    "--offset", type=click.IntRange(min=0), default=0, metavar="N", help="A named query: skip its first N rows."
)
@store_options
def query_command(
    query: str | None,
    expression: str | None,
    params: tuple[str, ...],
    fmt: str,
    timeout: float | None,
    list_queries: bool,
    limit: int | None,
    offset: int,
) -> None:
    """Run SPARQL from -e, a .rq file, a named query or standard input (read-only).

    kg's prefixes are declared for you. SELECT prints a table (or --format csv, tsv,
    json); ASK prints true or false and exits 1 on false; CONSTRUCT and DESCRIBE
    print Turtle. A named query's table shows labels beside ids and sources by outlet,
    date and title; what it leaves out is said on standard error.
    """
    from kg import report

    if list_queries:
        from kg.queries import listing

        _print(report.table(["name", "parameters", "title"], listing(_library())))
        return
    graph = session().graph()
    source = query_text(query, expression, _stdin, graph.named_query)
    from kg.sparql import unknown_terms

    described = None
    text = source if isinstance(source, str) else source.sparql
    for warning in unknown_terms(text, graph.store.namespaces.prefixes):
        click.echo(f"warning: {warning}", err=True)
    if isinstance(source, str):
        from kg.errors import BadParameter

        if limit is not None or offset:
            raise BadParameter("--limit and --offset page a named query: write LIMIT and OFFSET in your own")
        result = graph.query(source, parse_params(params), timeout)
    else:
        from kg.queries import describe

        result = graph.run(source.name, timeout, limit=limit, offset=offset, **parse_params(params))
        for note in getattr(result, "notes", ()):
            click.echo(f"note: {note}", err=True)
        described = describe(graph.store, result) if fmt == "table" and result.kind == "select" else None
    _print(report.render(result, fmt, graph.store.namespaces.prefixes, described))
    if result.kind == "ask" and not result.boolean:
        sys.exit(1)


def _library() -> dict[str, NamedQuery]:
    """kg's named queries, and the project's own when it has a queries folder."""
    from kg.queries import library

    project = session().project_or_none()
    return library(extra=project.queries if project else None)


@main.command("show")
@click.argument("entity")
@store_options
def show_command(entity: str) -> None:
    """Profile ENTITY (an id, label or alias): relationships, events and claims, with sources."""
    _print(str(session().graph().show(entity)))


@main.command("path")
@click.argument("a")
@click.argument("b")
@click.option("--include-claims", is_flag=True, help="Walk claimed relationships too.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most this many paths.")
@click.option(
    "--exclude-types",
    "exclude",
    multiple=True,
    metavar="TYPES",
    help="Pass through no entity of these types (e.g. Place,Event; narrower types too); repeatable.",
)
@click.option("--max-length", type=click.IntRange(min=1), default=None, metavar="N", help="At most N steps.")
@store_options
def path_command(
    a: str, b: str, include_claims: bool, limit: int, exclude: tuple[str, ...], max_length: int | None
) -> None:
    """The shortest chains of relationships linking A and B, each step with its source."""
    from kg import report

    graph = session().graph()
    types = [t.strip() for value in exclude for t in value.split(",") if t.strip()]
    found = graph.path(a, b, include_claims, limit, types, max_length)
    _print(report.paths(found, graph.find(a), graph.find(b)))


@main.command("neighbors")
@click.argument("entity")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, help="How many steps out.")
@click.option(
    "--relation",
    "relations",
    multiple=True,
    metavar="R",
    help="Only through this relation (e.g. alliedWith); repeatable.",
)
@click.option("--include-claims", is_flag=True, help="Walk claimed relationships too.")
@store_options
def neighbors_command(entity: str, depth: int, relations: tuple[str, ...], include_claims: bool) -> None:
    """The entities within --depth steps of ENTITY, and the links that reach them."""
    from kg import report

    graph = session().graph()
    found = graph.neighbors(entity, depth, relations, include_claims)
    _print(report.neighbours(found, graph.near(entity, depth, relations, include_claims)))


@main.command("rank")
@click.option("--by", type=click.Choice(RANKINGS), default="degree", show_default=True, help="The centrality measure.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many actors.")
@click.option("--include-claims", is_flag=True, help="Count claimed relationships too.")
@click.option(
    "--type", "types", multiple=True, metavar="TYPE", help="Only actors of this type (e.g. ArmedGroup); repeatable."
)
@store_options
def rank_command(by: str, top: int, include_claims: bool, types: tuple[str, ...]) -> None:
    """The most central actors of the actor network (see kg.network.actor_network)."""
    from kg import report

    graph = session().graph()
    found = graph.rank(by, top, include_claims, types)
    _print(report.ranking(found, graph.network(claims=include_claims, events=False), by))
