"""``kg serve``: the graph as a local, read-only SPARQL 1.1 endpoint (Starlette on uvicorn).

:func:`serve` binds the socket itself, so a port in use or a host that needs a token is
one line of error before anything starts; Ctrl-C stops the server cleanly. A client has
:data:`HEADER_TIMEOUT` seconds to send a request's head and
:data:`kg.serve.app.BODY_TIMEOUT` its body, so a slow client (slowloris) holds no connection
for ever; at most :data:`MAX_CONNECTIONS` are served at once. The app is
in :mod:`kg.serve.app`, the protocol in :mod:`kg.serve.sparql`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.api import KnowledgeGraph
from kg.errors import KgError
from kg.serve.sparql import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    import uvicorn

__all__ = ["Limits", "bind", "in_background", "is_loopback", "serve", "url"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``127.0.0.1``, ``::1``, ``localhost``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int, token: str | None) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one); another host than loopback
    needs a token."""
    if not is_loopback(host) and not token:
        raise KgError(f"--host {host} opens the graph to the network: give --token SECRET (or KG_SERVE_TOKEN) too")
    if token is not None and (len(token) < 8 or not token.isprintable() or not token.isascii()):
        raise KgError("the token must be at least 8 printable ASCII characters")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise KgError(f"cannot serve on {host}: {err.strerror}") from None
    family, kind, proto, _, address = found[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as err:
        sock.close()
        raise KgError(f"cannot serve on {host}:{port}: {err.strerror or err}") from None
    return sock


def url(sock: socket.socket) -> str:
    """The base URL a bound socket serves."""
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


HEADER_TIMEOUT = 10.0
"""Seconds a connection has to send a whole request head (uvicorn has no such limit of its own)."""
MAX_CONNECTIONS = 128
"""Connections served at once; a request past them is answered 503 (uvicorn's ``limit_concurrency``)."""
MAX_HEAD = 16 << 10
"""The largest request head read, in bytes (uvicorn's ``h11_max_incomplete_event_size``)."""


@functools.cache
def _protocol() -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, closing a connection whose request head is not in within
    :data:`HEADER_TIMEOUT` seconds (a client dripping its headers, or sending none, holds no
    connection for ever)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeadInTime(H11Protocol):
        head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.head_timer = self.loop.call_later(HEADER_TIMEOUT, self._head_late)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not None and self.head_timer is not None:  # a whole head came: in time
                self.head_timer.cancel()
                self.head_timer = None

        def connection_lost(self, exc: Exception | None) -> None:
            if self.head_timer is not None:
                self.head_timer.cancel()
            super().connection_lost(exc)

        def _head_late(self) -> None:
            self.head_timer = None
            if self.cycle is None and not self.transport.is_closing():
                self.transport.close()

    return HeadInTime


def _server(graph: KnowledgeGraph, host: str, token: str | None, limits: Limits, texts: Path | None) -> uvicorn.Server:
    import uvicorn

    from kg.serve.app import application

    app = application(graph, limits, token, loopback=is_loopback(host), texts=texts)
    config = uvicorn.Config(
        app,
        http=_protocol(),
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        timeout_keep_alive=5,
        limit_concurrency=MAX_CONNECTIONS,
        h11_max_incomplete_event_size=MAX_HEAD,
    )
    return uvicorn.Server(config)


def serve(
    graph: KnowledgeGraph,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    say: Callable[[str], None] = print,
    texts: Path | None = None,
) -> None:
    """Serve ``graph`` until Ctrl-C (or SIGTERM), telling ``say`` where; ``texts``: the folder of the
    source texts, whose cited paragraphs the entity pages show."""
    sock = bind(host, port, token)
    server = _server(graph, host, token, limits, texts)
    base = url(sock)
    say(f"serving the graph at {base} (SPARQL at {base}sparql); Ctrl-C stops")
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the signal again once it has shut down
        pass
    finally:
        sock.close()
    say("stopped")


@contextlib.contextmanager
def in_background(
    graph: KnowledgeGraph,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    texts: Path | None = None,
) -> Iterator[str]:
    """Serve ``graph`` from a thread while the block runs (tests, benchmarks); yields the base URL.

    >>> import kg
    >>> with in_background(kg.load()) as base:  # doctest: +SKIP
    ...     print(base)
    http://127.0.0.1:40613/
    """
    import time

    sock = bind(host, port, token)
    server = _server(graph, host, token, limits, texts)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="kg-serve", daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise KgError("the server stopped as it started")
            time.sleep(0.01)
        yield url(sock)
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
