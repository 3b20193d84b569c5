"""The ``kg`` command: thin click wrappers over the library; errors become one-line messages.

This module holds the command group, the :class:`Session` and the shared options; the
commands are in ``projects``, ``asking``, ``publishing``, ``serving`` and ``sources``.

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
        value = _timeout(ctx, param, value)
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
        from kg.stores.choose import open_store

        spec = self.store_spec or os.environ.get("KG_ENDPOINT") or os.environ.get("KG_STORE") or None
        if spec is None and self.seeds is not None:
            spec = "memory"
        needs_no_project = (spec or "").lower().startswith(("oxigraph:", "http://", "https://"))
        project = self.project_or_none() if needs_no_project else self.project()
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
        except BrokenPipeError:
            if not _stdout_gone():  # a FIFO given with -o whose reader left, a socket: say so
                click.echo("error: the output was closed before all of it was written (broken pipe)", err=True)
                sys.exit(1)
            # the reader of standard output went away (kg ... | head): it has what it wanted, as when
            # the answer fitted in the pipe before it left, so every command stops quietly with 0
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as err:
            named = isinstance(err.filename, (str, os.PathLike)) and str(err.filename)
            where = f": {display_path(Path(err.filename))}" if named else ""
            click.echo(f"error: {err.strerror or err}{where}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as err:  # the last line of defence: a bug is one line, its traceback on request
            if os.environ.get("KG_DEBUG", "") not in ("", "0"):
                raise
            from kg.terminal import printable

            what = printable(f"{type(err).__name__}: {err}")
            what = what if len(what) <= 200 else what[:199] + "…"
            click.echo(
                f"error: internal error ({what}): this is a bug in kg; run again with KG_DEBUG=1 to see where", err=True
            )
            sys.exit(1)


def _stdout_gone() -> bool:
    """Whether standard output is a pipe or socket whose reader has gone away."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.__stdout__.fileno(), select.POLLOUT)  # type: ignore[union-attr]
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no descriptor (a test's capture), or closed
        return False


def session() -> Session:
    """The current invocation's :class:`Session`."""
    obj = click.get_current_context().find_root().obj
    assert isinstance(obj, Session)
    return obj


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


# The commands, one module per concern; importing them adds them to ``main``.
from kg.cli import asking, projects, publishing, serving, sources  # noqa: E402,F401
