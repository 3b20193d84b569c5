"""``kg serve``: the graph as a local SPARQL endpoint and site."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from kg.cli import (
    QUERY_TIMEOUT_MAX,
    _timeout,
    main,
    session,
    store_options,
)

if TYPE_CHECKING:
    pass


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
