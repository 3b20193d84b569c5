"""The ``kg`` command: thin click wrappers over the library; errors become one-line messages.

Each command imports what it uses when it runs, so ``kg --help`` and every
``--help`` start without rdflib's SPARQL engine, networkx, stix2, pyshacl or pyvis.
The project, the store and the options that choose them travel in ``ctx.obj``
(a :class:`Session`); tests hand in a store with ``CliRunner().invoke(main, args, obj=store)``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg import __version__
from kg.errors import BadParameter, KgError, ValidationFailed, display_path

if TYPE_CHECKING:
    from kg.api import KnowledgeGraph
    from kg.project import Project
    from kg.queries import NamedQuery
    from kg.stores import Store

RESULT_FORMATS = ("table", "csv", "tsv", "json")
"""``kg query --format`` (:data:`kg.report.FORMATS`)."""
RANKINGS = ("degree", "betweenness", "pagerank")
"""``kg rank --by`` (:data:`kg.network.RANKINGS`)."""
LOAD_FORMATS = ("nq", "nquads", "nt", "ntriples", "trig", "ttl", "turtle")
"""``kg load --format`` (:data:`kg.stores.oxigraph.FORMATS`)."""
PUSH_PROTOCOLS = ("gsp", "update")
"""``kg push --protocol`` (:data:`kg.stores.push.PROTOCOLS`)."""
QUERY_TIMEOUT_MAX = 86400.0
"""``kg query --timeout`` at most (:data:`kg.timeout.MAX_SECONDS`)."""
ENDPOINT_LIMITS = (
    "Each request must connect within 10 s and end within --endpoint-timeout; "
    "answers over 256 MB ($KG_ENDPOINT_MAX_MB) are refused."
)
"""The limits of :class:`kg.stores.http.Limits`, for ``--help`` (which must not import rdflib)."""


def endpoint_timeout_option(callback: Callable[[click.Context, click.Parameter, Any], Any] | None = None) -> Any:
    """``--endpoint-timeout SECONDS`` (:data:`kg.stores.http.TIMEOUT`, ``KG_ENDPOINT_TIMEOUT``)."""

    def check(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
        if value is not None and value != value:  # FloatRange lets nan through
            raise click.BadParameter("nan is not a number of seconds", ctx, param)
        return callback(ctx, param, value) if callback else value

    return click.option(
        "--endpoint-timeout",
        type=click.FloatRange(min=0, min_open=True, max=7 * 24 * 3600),
        default=None,
        metavar="SECONDS",
        expose_value=callback is None,
        callback=check,
        help="With an endpoint: seconds one request may take in all (default: $KG_ENDPOINT_TIMEOUT, else 120).",
    )


@dataclass
class Session:
    """What one ``kg`` invocation works on: the project, and the store chosen by options."""

    project_dir: Path | None = None
    seeds: Path | None = None
    store_spec: str | None = None
    graph_iri: str | None = None
    endpoint_timeout: float | None = None
    given: Store | None = None
    """A store handed in by the caller (tests), used instead of opening one."""

    def project(self) -> Project:
        """The project: ``--project``, else the nearest ``kg.toml``; ``--seeds`` overrides its seeds.

        With ``--seeds`` and no project, the seeds alone are a project (no cache, default base).
        """
        from kg.errors import NoProject
        from kg.project import find_project, load_project, seeds_project

        try:
            found = load_project(self.project_dir) if self.project_dir else find_project()
        except NoProject:
            if self.seeds is None:
                raise
            return seeds_project(self.seeds)
        return replace(found, seeds=self.seeds) if self.seeds else found

    def sources(self, given: Path | None) -> Path | None:
        """The source texts to check pointers against: ``--sources``, else the project's when
        its own seeds are read (other seeds have other texts)."""
        if given is not None or self.seeds is not None:
            return given
        return self.project().source_texts()

    def store(self, shapes: bool = False) -> Store:
        """The store to read: handed in, chosen by ``--store``/``--endpoint``, else the project's.

        Other seeds than the project's (``--seeds``) are compiled in memory, not cached. An
        Oxigraph store or an endpoint needs no project; with one, its namespaces are used.
        """
        if self.given is not None:
            return self.given
        from kg.stores import open_store

        spec = self.store_spec
        if spec is None and self.seeds is not None and not _environment_store():
            spec = "memory"
        project = self.project_or_none() if _needs_no_project(spec) else self.project()
        return open_store(spec, project, self.graph_iri, shapes, self.endpoint_timeout)

    def project_or_none(self) -> Project | None:
        """The project if there is one."""
        try:
            return self.project()
        except KgError:
            return None

    def graph(self) -> KnowledgeGraph:
        """The store, with the questions kg asks of it."""
        from kg.api import KnowledgeGraph

        project = self.project_or_none()
        return KnowledgeGraph(self.store(), extra_queries=project.queries if project else None)


def _needs_no_project(spec: str | None) -> bool:
    spec = spec or os.environ.get("KG_ENDPOINT") or os.environ.get("KG_STORE") or ""
    return spec.startswith(("oxigraph:", "http://", "https://"))


def _environment_store() -> bool:
    return bool(os.environ.get("KG_ENDPOINT") or os.environ.get("KG_STORE"))


class KgGroup(click.Group):
    """The command group: kg's errors and the system's become one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationFailed as err:
            from kg.terminal import printable

            for problem in err.problems:
                click.echo(printable(str(problem)), err=True)
            count = len(err.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} found", err=True)
            sys.exit(1)
        except KgError as err:
            from kg.terminal import printable

            click.echo(f"error: {printable(str(err))}", err=True)
            sys.exit(1)
        except BrokenPipeError:  # the reader went away (kg ... | head): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as err:
            where = f": {display_path(Path(err.filename))}" if err.filename else ""
            click.echo(f"error: {err.strerror or err}{where}", err=True)
            sys.exit(1)


def session() -> Session:
    """The current invocation's :class:`Session`."""
    obj = click.get_current_context().find_root().obj
    assert isinstance(obj, Session)
    return obj


seeds_option = click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of curated seeds (default: the project's).",
)
sources_option = click.option(
    "--sources",
    "sources_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of source texts: also check every pointer against them (default: the project's, if it has them).",
)


def _seeds(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--seeds``, stored in the session."""

    def callback(ctx: click.Context, _: click.Parameter, value: Path | None) -> Path | None:
        if value is not None:
            session().seeds = value
        return value

    return click.option(
        "--seeds",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        expose_value=False,
        callback=callback,
        help="Folder of curated seeds (default: the project's).",
    )(command)


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--store``, ``--endpoint`` and ``--graph`` (and ``--seeds``), stored in the session."""

    def remember(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
        def callback(ctx: click.Context, _: click.Parameter, value: Any) -> Any:
            if value is not None:
                setattr(session(), name, value)
            return value

        return callback

    options = [
        click.option(
            "--store",
            default=None,
            metavar="SPEC",
            expose_value=False,
            callback=remember("store_spec"),
            help="memory (the seeds, compiled now), oxigraph:PATH or an endpoint URL "
            "(default: $KG_ENDPOINT, else $KG_STORE, else the project's cached graph).",
        ),
        click.option(
            "--endpoint",
            default=None,
            metavar="URL",
            expose_value=False,
            callback=remember("store_spec"),
            help="A SPARQL 1.1 endpoint to read instead (credentials as "
            "http://USER:PASSWORD@host/... or in KG_ENDPOINT_USER/_PASSWORD). " + ENDPOINT_LIMITS,
        ),
        endpoint_timeout_option(remember("endpoint_timeout")),
        click.option(
            "--graph",
            default=None,
            envvar="KG_GRAPH",
            metavar="IRI",
            expose_value=False,
            callback=remember("graph_iri"),
            help="With an endpoint: the named graph to read (default: the project's).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return _seeds(command)


@click.group(cls=KgGroup)
@click.version_option(__version__, prog_name="kg")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="KG_PROJECT",
    help="The project folder (with kg.toml). Default: the nearest kg.toml in the working directory or above.",
)
@click.pass_context
def main(ctx: click.Context, project_dir: Path | None) -> None:
    """kg: a source-backed knowledge graph of armed actors."""
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.errors == "strict":
        sys.stdout.reconfigure(errors="backslashreplace")  # a Latin-1 terminal gets \u0422, not a crash
    given = ctx.obj
    if isinstance(given, Session):
        given.project_dir = given.project_dir or project_dir
        return
    ctx.obj = Session(project_dir=project_dir, given=given)


# --- projects ---


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default=None, help="The project's name (default: the folder's).")
@click.option(
    "--base",
    default=None,
    metavar="IRI",
    help="The base IRI of the project's ids (default: https://example.org/NAME/).",
)
def init_command(directory: Path, name: str | None, base: str | None) -> None:
    """Make a new graph project in DIRECTORY, with a worked example source that builds."""
    from kg.project import init_project

    project = init_project(directory, name, base)
    click.echo(f"made project '{project.name}' in {display_path(project.root)} (ids under {project.base}id/)")
    click.echo(f"next: cd {display_path(project.root)} && kg build && kg show 'Red Hand'")


@main.command("build")
@_seeds
@click.option(
    "--exports",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder the exports are written to (default: the project's).",
)
@sources_option
def build_command(exports: Path | None, sources_dir: Path | None) -> None:
    """Validate the seeds, build the graph, check SHACL and write every export."""
    from kg.release import build
    from kg.stats import stats
    from kg.stores.memory import MemoryStore

    current = session()
    project = current.project()
    result = build(project, exports, current.sources(sources_dir), cache=current.seeds is None)
    counts = stats(MemoryStore(result.graph))
    click.echo(
        f"built {counts.triples} triples: {sum(counts.entities.values())} entities, "
        f"{sum(counts.relations.values())} facts, {sum(counts.events.values())} events, "
        f"{sum(counts.claims.values())} claims ({counts.disputed_claims} disputed) "
        f"from {len(counts.sources)} sources"
    )
    if result.checked_sources is not None:
        click.echo(f"checked every pointer against {os.path.relpath(result.checked_sources)}")
    for name, size in result.files.items():
        click.echo(f"wrote {display_path((exports or project.exports) / name)} ({size} bytes)")


@main.command("validate")
@_seeds
@sources_option
def validate_command(sources_dir: Path | None) -> None:
    """Check the seeds and report every problem as FILE:LINE: message."""
    from kg.pipeline import check

    project = session().project()
    sources_dir = session().sources(sources_dir)
    corpus = check(project.seeds, sources_dir, project.namespaces)
    records = sum(len(s.facts) + len(s.events) + len(s.claims) for s in corpus.sources)
    checked = " and every pointer against the sources" if sources_dir else ""
    click.echo(f"ok: {len(corpus.entities)} entities, {records} records in {len(corpus.sources)} sources{checked}")


def _table(title: str, rows: dict[str, int]) -> None:
    click.echo(title)
    width = max((len(k) for k in rows), default=0)
    for key, value in rows.items():
        click.echo(f"  {key:<{width}}  {value:>5}")


@main.command("stats")
@store_options
def stats_command() -> None:
    """Counts by entity type, event type, relation, source, claim type and disputes."""
    from kg.stats import stats

    counts = stats(session().store())
    click.echo(f"triples: {counts.triples}")
    _table("entities by type:", counts.entities)
    _table("events by type:", counts.events)
    _table("facts by relation:", counts.relations)
    click.echo("records by source:")
    for source, kinds in counts.sources.items():
        parts = ", ".join(f"{v} {k}" for k, v in kinds.items())
        click.echo(f"  {source}  {parts}")
    _table("claims by type:", counts.claims)
    click.echo(f"disputed claims: {counts.disputed_claims} ({counts.dispute_links} dispute links)")


def _export_names() -> list[str]:
    from kg.export import export_names

    return export_names()


@main.command("export")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(_export_names()),
    help="A format, or one file of exports/ by name (e.g. edges.csv).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File or folder to write to (csv: a folder); a FIFO or device (/dev/stdout) is written into, "
    "never replaced. Default: standard output.",
)
@store_options
def export_command(fmt: str, output: Path | None) -> None:
    """Write the graph in one format, to standard output or to a file (csv: a folder)."""
    from kg.export import export, save, single

    files = export(session().store(shapes=True).graph(), fmt)
    if output is None:
        sys.stdout.buffer.write(single(files, fmt))
        sys.stdout.flush()
        return
    from kg.files import is_stream

    for path, data in zip(save(files, output), [files[name] for name in sorted(files)], strict=True):
        stream = is_stream(path)  # /dev/stdout, a FIFO: named as given, the message kept out of it
        click.echo(f"wrote {path if stream else display_path(path)} ({len(data)} bytes)", err=stream)


@main.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--store",
    "spec",
    default=None,
    metavar="oxigraph:PATH",
    help="The Oxigraph store to load into, created if missing (default: $KG_STORE).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(LOAD_FORMATS),
    default=None,
    help="The files' format (default: from each name, under any .gz).",
)
def load_command(files: tuple[Path, ...], spec: str | None, fmt: str | None) -> None:
    """Bulk-load RDF files (N-Triples, Turtle, N-Quads, TriG; .gz too) into an Oxigraph store.

    All files load or none: on a bad line the store is left as it was.
    """
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from kg.stores import oxigraph_path
    from kg.stores.oxigraph import load

    path = oxigraph_path(spec)
    total = sum(f.stat().st_size for f in files if f.is_file())
    console = Console(stderr=True)
    with Progress(
        "loading",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("load", total=total)
        result = load(files, path, fmt, lambda n: bar.advance(task, n))
    if result.recovered:
        click.echo(f"put back {display_path(path)} as it was before an interrupted load", err=True)
    click.echo(
        f"loaded {len(result.files)} file{'s' if len(result.files) != 1 else ''} "
        f"({result.bytes} bytes) into {display_path(path)}: "
        f"{result.after} triples, {result.after - result.before} new"
    )


@main.command("push")
@click.option(
    "--endpoint",
    "url",
    required=True,
    metavar="URL",
    help="Graph Store URL (with --protocol update, the Update URL); "
    "credentials as http://USER:PASSWORD@host/... or in "
    "KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD. " + ENDPOINT_LIMITS,
)
@click.option(
    "--graph",
    "iri",
    default=None,
    metavar="IRI",
    help="The named graph to replace (default: the project's, BASE + 'graph').",
)
@click.option(
    "--protocol",
    type=click.Choice(PUSH_PROTOCOLS),
    default="gsp",
    show_default=True,
    help="SPARQL 1.1 Graph Store Protocol or Update.",
)
@click.option(
    "--update",
    "update_url",
    default=None,
    metavar="URL",
    help="With gsp: the server's Update URL; the graph is PUT into a fresh graph "
    "and moved in place in one step, so a failure changes nothing.",
)
@endpoint_timeout_option()
@_seeds
def push_command(
    url: str, iri: str | None, protocol: str, update_url: str | None, endpoint_timeout: float | None
) -> None:
    """Upload the project's graph to a SPARQL server, replacing one named graph."""
    from kg.stores.http import Endpoint, Limits
    from kg.stores.push import push

    limits = Limits.from_environment(endpoint_timeout)
    for given in (url, update_url):  # a bad URL is reported before the graph is built
        if given:
            Endpoint.parse(given, limits)
    current = session()
    store = current.store(shapes=True)
    graph_iri = iri or store.namespaces.graph
    result = push(store.graph(), url, graph_iri, protocol, update_url, limits)  # type: ignore[arg-type]
    click.echo(f"pushed {result.triples} triples to <{result.graph}> at {result.url} ({result.method})")


@main.command("view")
@click.argument("entity", required=False)
@click.option(
    "--depth", type=click.IntRange(min=0), default=1, show_default=True, help="With ENTITY: how many steps out from it."
)
@click.option(
    "--relation",
    "relations",
    multiple=True,
    metavar="R",
    help="Only these relations (e.g. alliedWith or 'allied with'); repeatable.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="T",
    help="Only entities of these types (e.g. ArmedGroup, 'armed group', place, event); repeatable.",
)
@click.option("--since", default=None, metavar="DATE", help="Drop what is dated before DATE.")
@click.option("--until", default=None, metavar="DATE", help="Drop what is dated after DATE.")
@click.option("--include-claims", "claims", is_flag=True, help="Draw claimed and disputed relationships too (dashed).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write; a FIFO or device is written into, never replaced. Default: network.html, or ENTITY.html.",
)
@store_options
def view_command(
    entity: str | None,
    depth: int,
    relations: tuple[str, ...],
    types: tuple[str, ...],
    since: str | None,
    until: str | None,
    claims: bool,
    output: Path | None,
) -> None:
    """Write an offline HTML network of the whole graph or of ENTITY's neighbourhood."""
    from kg.files import is_stream, write_output
    from kg.view import ViewSpec, view

    spec = ViewSpec(entity, depth, relations, types, since, until, claims)
    drawn = view(session().store(), spec)
    output = output or Path(drawn.filename)
    write_output(output, drawn.html)
    nodes, edges = drawn.graph.number_of_nodes(), drawn.graph.number_of_edges()
    stream = is_stream(output)
    click.echo(
        f"wrote {output if stream else display_path(output)} ({nodes} entit{'y' if nodes == 1 else 'ies'}, "
        f"{edges} relationship{'' if edges == 1 else 's'})",
        err=stream,
    )


# --- asking the graph ---


def _stdin() -> str | None:
    from kg.sparql import read_text

    stream = sys.stdin
    return None if stream is None or stream.isatty() else read_text(stream.buffer, "standard input")


def _print(text: str) -> None:
    """``text`` on standard output; a closed or full one is an error, not silence."""
    if sys.stdout is None:
        raise KgError("standard output is closed: nowhere to print the answer (redirect it to a file or /dev/null)")
    try:
        click.echo(text, color=True)  # as given: click would drop ESC[...m from --format csv data
    except BrokenPipeError:
        raise
    except OSError as err:
        with contextlib.suppress(OSError, ValueError):  # nothing left to flush at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise KgError(f"cannot write to standard output: {err.strerror or err}") from None


def _timeout(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and value != value:  # FloatRange lets nan through
        raise click.BadParameter("nan is not a number of seconds", ctx, param)
    return value


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
@store_options
def query_command(
    query: str | None,
    expression: str | None,
    params: tuple[str, ...],
    fmt: str,
    timeout: float | None,
    list_queries: bool,
) -> None:
    """Run SPARQL from -e, a .rq file, a named query or standard input (read-only).

    kg's prefixes are declared for you. SELECT prints a table (or --format csv, tsv,
    json); ASK prints true or false and exits 1 on false; CONSTRUCT and DESCRIBE
    print Turtle.
    """
    from kg import report

    if list_queries:
        from kg.queries import listing

        _print(report.table(["name", "parameters", "title"], listing(_library())))
        return
    graph = session().graph()
    source = query_text(query, expression, _stdin, graph.named_query)
    if isinstance(source, str):
        result = graph.query(source, parse_params(params), timeout)
    else:
        result = graph.run(source.name, timeout, **parse_params(params))
    _print(report.render(result, fmt, graph.store.namespaces.prefixes))
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
@store_options
def path_command(a: str, b: str, include_claims: bool, limit: int) -> None:
    """The shortest chains of relationships linking A and B, each step with its source."""
    from kg import report

    graph = session().graph()
    found = graph.path(a, b, include_claims, limit)
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
    _print(report.neighbours(found, graph.network(claims=include_claims)))


@main.command("rank")
@click.option("--by", type=click.Choice(RANKINGS), default="degree", show_default=True, help="The centrality measure.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many actors.")
@click.option("--include-claims", is_flag=True, help="Count claimed relationships too.")
@store_options
def rank_command(by: str, top: int, include_claims: bool) -> None:
    """The most central actors of the actor network (see kg.network.actor_network)."""
    from kg import report

    graph = session().graph()
    found = graph.rank(by, top, include_claims)
    _print(report.ranking(found, graph.network(claims=include_claims, events=False), by))


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (not loopback: --token).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: a free one).")
@click.option(
    "--token",
    default=None,
    envvar="KG_SERVE_TOKEN",
    metavar="SECRET",
    help="Secret every request must carry, as Authorization: Bearer or ?token= (default: $KG_SERVE_TOKEN).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True, max=QUERY_TIMEOUT_MAX),
    default=30.0,
    callback=_timeout,
    show_default=True,
    metavar="SECONDS",
    help="Stop each query after this long.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Refuse answers with more rows or triples.",
)
@store_options
def serve_command(host: str, port: int, token: str | None, timeout: float, max_rows: int) -> None:
    """Serve the graph read-only: a SPARQL 1.1 endpoint at /sparql and pages at /, until Ctrl-C."""
    from kg.serve import Limits, serve

    current = session()
    texts = current.sources(None) if current.project_or_none() else None  # the project's, for its own seeds
    serve(current.graph(), host, port, token, Limits(timeout, max_rows), click.echo, texts)


# --- adding a source ---


@main.command("draft")
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def draft_command(article: Path) -> None:
    """Give ARTICLE (a text file) the next source id and write seeds/sources/ID.yaml to fill.

    The text is kept in the project's source-texts folder; the new file holds the metadata the
    text gives and, per paragraph, the entities it names, new names, dates and figures.
    """
    from kg.curation import read_seeds
    from kg.draft import draft

    project = session().project()
    made = draft(project, read_seeds(project.seeds), article)
    click.echo(
        f"source {made.source}: text in {display_path(made.text)}, "
        f"{made.mentions} mention{'s' if made.mentions != 1 else ''} found"
    )
    click.echo(f"wrote {display_path(made.seeds_file)}" + (f" (fill in: {', '.join(made.todo)})" if made.todo else ""))


@main.command("mentions")
@click.argument("article", metavar="ARTICLE | SOURCE_ID")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def mentions_command(article: str, fmt: str) -> None:
    """The registry entities a text names: paragraph, the words, the entity, the name that matched."""
    import json

    from kg import report
    from kg.curation import read_seeds
    from kg.draft import text_paragraphs
    from kg.mentions import Matcher, find_mentions, registry_names

    project = session().project()
    path = _article_path(project, article)
    found = find_mentions(
        text_paragraphs(path.read_text(encoding="utf-8-sig")),
        Matcher(registry_names(read_seeds(project.seeds).entities)),
    )
    if fmt == "json":
        rows = [
            {
                "paragraph": m.paragraph,
                "words": m.words,
                "entity": m.entity,
                "alias": m.alias,
                "start": m.start,
                "end": m.end,
            }
            for m in found
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(
        report.table(
            ["paragraph", "words", "entity", "alias"], [[str(m.paragraph), m.words, m.entity, m.alias] for m in found]
        )
    )
    click.echo(f"({len(found)} mention{'s' if len(found) != 1 else ''})")


@main.command("diff")
@click.argument("revisions", nargs=-1, metavar="[REV1 [REV2]]")
@click.option(
    "--seeds",
    "folders",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Compare two seeds folders instead: --seeds A --seeds B.",
)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def diff_command(revisions: tuple[str, ...], folders: tuple[Path, ...], fmt: str) -> None:
    """What a change does to the graph, record by record (default: the last commit against the
    working tree): entities, sources, facts, events, counts, claims, disputes, passage notes."""
    import json

    from kg import diff

    if folders:
        if len(folders) != 2 or revisions:
            raise BadParameter("give two folders: kg diff --seeds A --seeds B (and no revisions)")
        old, new = diff.corpus_of(folders[0], None), diff.corpus_of(folders[1], None)
        names = (display_path(folders[0]), display_path(folders[1]))
    else:
        if len(revisions) > 2:
            raise BadParameter("give at most two revisions: kg diff [REV1 [REV2]]")
        seeds = session().project().seeds
        first = revisions[0] if revisions else "HEAD"
        second = revisions[1] if len(revisions) == 2 else None
        old, new = diff.corpus_of(seeds, first), diff.corpus_of(seeds, second)
        names = (first, second or diff.WORKING_TREE)
    for corpus, name in ((old, names[0]), (new, names[1])):
        if corpus.problems:
            click.echo(
                f"note: {len(corpus.problems)} problem{'s' if len(corpus.problems) != 1 else ''} reading the "
                f"seeds of {name}: the diff shows what could be read (kg validate lists them)",
                err=True,
            )
    changes = diff.compare(old, new)
    if fmt == "json":
        click.echo(json.dumps(diff.as_json(changes, *names), indent=2, ensure_ascii=False, sort_keys=True))
    else:
        click.echo(diff.render(changes, *names))


@main.command("review")
@click.argument("source")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: SOURCE_ID.review.html).",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the browser.")
def review_command(source: str, output: Path | None, open_page: bool) -> None:
    """Write an offline page of SOURCE's text beside the records that cite each paragraph."""
    from kg.curation import read_seeds
    from kg.files import write_atomic
    from kg.review import find_source, review

    project = session().project()
    corpus = read_seeds(project.seeds)
    found = find_source(corpus, source)
    page = review(corpus, found, project.source_texts())
    output = output or Path(f"{found.id}.review.html")
    write_atomic(output, page.encode("utf-8"))
    click.echo(f"wrote {display_path(output)}")
    if open_page:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())


def _article_path(project: Project, article: str) -> Path:
    """A text file, or the text of a source of the project by its id or number."""
    path = Path(article)
    if path.is_file():
        return path
    texts = project.source_texts()
    if texts is not None:
        found = sorted(p for p in texts.glob("*.txt") if p.stem == article or p.stem.split("_")[0] == article)
        if len(found) == 1:
            return found[0]
    where = f" or a source of {display_path(texts)}" if texts else ""
    raise KgError(f"no such article: {article} (give a text file{where})")


# --- parsing options ---


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` options as a dictionary."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadParameter(f"bad --param '{pair}': write NAME=VALUE")
        params[name.strip()] = value
    return params


def query_text(
    argument: str | None,
    expression: str | None,
    read_stdin: Callable[[], str | None],
    named: Callable[[str], NamedQuery],
) -> str | NamedQuery:
    """What to run: ``-e`` text, a ``.rq`` file, a named query, or standard input.

    ``read_stdin`` returns standard input's text, or None when it is a terminal;
    ``named`` finds a named query.
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
            from kg.sparql import read_text

            with path.open("rb") as stream:
                return read_text(stream, argument)
        return named(argument)
    text = read_stdin()
    if text is None:
        raise BadParameter(
            "no query: give -e TEXT, a .rq file or a query name, "
            "or pipe SPARQL in (kg query --list lists the named queries)"
        )
    return text
