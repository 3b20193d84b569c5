"""The Starlette application of ``kg serve``: the SPARQL endpoint and the pages, behind a token and strict headers.

Every answer carries a Content-Security-Policy that lets a page load nothing from
anywhere (``default-src 'none'``; the network page's own runs its inline scripts, by their
hashes, and still loads nothing), and ``nosniff``; with a token, every request must
carry it (``Authorization: Bearer TOKEN`` or ``?token=TOKEN``); bound to loopback, a
request must name a loopback host in one well-formed ``Host: host[:port]`` (no DNS rebinding
from a web page). Answers and pages are
kept while the server runs (:mod:`kg.serve.cache`): the graph does not change under it.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import re
import urllib.parse
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.api import KnowledgeGraph
from kg.serve import is_loopback, sparql
from kg.serve.cache import Kept, cacheable
from kg.serve.pages import TIMELINE_CSP, Pages, stylesheet, timeline_assets
from kg.serve.sparql import DEFAULT_LIMITS, Limits, ProtocolError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""The Content-Security-Policy of every answer: nothing loads from off the server, no script runs."""
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
COOKIE = "kg_token"
"""The cookie a browser keeps the token in once it has given it as ``?token=``."""
MAX_BODY = 8 << 20
"""The largest request body read (:data:`kg.sparql.MAX_QUERY_BYTES`)."""
BODY_TIMEOUT = 30.0
"""Seconds a request has to send its whole body (its head has :data:`kg.serve.HEADER_TIMEOUT`)."""


class Guard:
    """ASGI middleware: the token on every request (if there is one), kg's headers on every answer."""

    def __init__(self, app: ASGIApp, token: str | None, loopback: bool) -> None:
        self.app = app
        self.token = token
        self.loopback = loopback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal, extra = self._check(scope)

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = list(message.get("headers", []))
                ours = HEADERS if all(k != HEADERS[0][0] for k, _ in own) else HEADERS[1:]  # a page's own policy
                message["headers"] = [*own, *ours, *extra]
            await send(message)

        await (refusal or self.app)(scope, receive, guarded)

    def _check(self, scope: Scope) -> tuple[Response | None, list[tuple[bytes, bytes]]]:
        """The answer refusing the request (None: let it through), and the headers to add."""
        if self.loopback and not _loopback_host(scope):
            return PlainTextResponse("this server answers requests to a loopback host only\n", 400), []
        if self.token is None:
            return None, []
        how = self._allowed(scope)
        if not how:
            message = "a token is required: send Authorization: Bearer TOKEN or ?token=TOKEN\n"
            return PlainTextResponse(message, 401, headers={"WWW-Authenticate": 'Bearer realm="kg"'}), []
        if how == "url":  # a browser given ?token= once keeps it for the pages it links to
            return None, [(b"set-cookie", f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode())]
        return None, []

    def _allowed(self, scope: Scope) -> str:
        """How the request carried the token (``bearer``, ``cookie``, ``url``), or '' if it did not."""
        assert self.token is not None
        expected = self.token.encode()
        for name, value in scope.get("headers", []):
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                return "bearer" if hmac.compare_digest(value[7:].strip(), expected) else ""
            if name == b"cookie":
                for part in value.split(b";"):
                    key, _, given = part.strip().partition(b"=")
                    if key == COOKIE.encode() and hmac.compare_digest(given, expected):
                        return "cookie"
        query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
        return "url" if any(hmac.compare_digest(given.encode(), expected) for given in query.get("token", [])) else ""


_HOST = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9.-]+))(?::(?P<port>[0-9]{1,5}))?")
"""A ``Host`` header as RFC 9110 writes one: a name or IPv4 address, or an IPv6 address in brackets, and a port."""


def _loopback_host(scope: Scope) -> bool:
    """Whether the request's one ``Host`` names this machine (a page elsewhere may point a name at
    127.0.0.1); anything but ``host[:port]`` (``127.0.0.1:80@evil``) is refused."""
    hosts = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"]
    found = _HOST.fullmatch(hosts[0]) if len(hosts) == 1 else None
    if found is None:
        return False
    return is_loopback(found["ipv6"] or found["name"])


def application(
    graph: KnowledgeGraph,
    limits: Limits = DEFAULT_LIMITS,
    token: str | None = None,
    loopback: bool = True,
    texts: Path | None = None,
) -> Starlette:
    """The app serving ``graph``: SPARQL at ``/sparql``, the pages (citing ``texts``, the source
    texts' folder, if given); ``loopback``: only loopback Host names."""
    prefixes = graph.store.namespaces.prefixes
    served = graph.store.namespaces.graph

    async def endpoint(request: Request) -> Response:
        try:
            body = await _body(request)
            params = urllib.parse.parse_qs(request.url.query, keep_blank_values=True)
            content_type = request.headers.get("content-type", "")
            if request.method == "POST" and content_type.split(";")[0].strip().lower() in (
                "application/x-www-form-urlencoded",
                "",
            ):
                for key, values in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            text = sparql.query_text(request.method, content_type, params, body, served)
            if text is None:
                url = str(request.url.replace(query=""))
                return Response(sparql.service_description(url, served, None), media_type="text/turtle")
            formats = params.get("format") or params.get("output") or []
            fmt = formats[-1] if formats else None
            accept = request.headers.get("accept", "")
            asked = (text, fmt, accept)
            found = answers.get(asked) if answers is not None else None
            if found is None:
                found = await run_in_threadpool(sparql.answer, graph, text, fmt, accept, limits, prefixes)
                if answers is not None and found.status == 200:
                    answers.put(asked, found)
        except ProtocolError as err:
            return PlainTextResponse(err.message + "\n", err.status)
        except UnicodeDecodeError:
            return PlainTextResponse("the request body is not UTF-8\n", 400)
        return Response(found.body, found.status, media_type=found.media_type)

    pages = Pages(graph, limits, texts)
    keep = cacheable(graph.store)
    answers: Kept[sparql.Answer] | None = Kept(lambda a: len(a.body)) if keep else None
    kept_pages: Kept[tuple[int, str]] | None = Kept(lambda p: len(p[1])) if keep else None

    async def html(work: Callable[[], tuple[int, str]], request: Request | None = None) -> Response:
        key = (request.url.path, _without_token(request.url.query)) if request is not None else None
        found = kept_pages.get(key) if kept_pages is not None and key is not None else None
        if found is None:
            found = await run_in_threadpool(work)
            if kept_pages is not None and key is not None and found[0] == 200:
                kept_pages.put(key, found)
        return HTMLResponse(found[1], found[0])

    async def home(request: Request) -> Response:
        return await html(pages.home, request)

    async def search(request: Request) -> Response:
        return await html(lambda: pages.search(request.query_params.get("q", "")), request)

    async def entity(request: Request) -> Response:
        return await html(lambda: pages.entity(request.path_params["ident"]), request)

    async def network(request: Request) -> Response:
        params = request.query_params
        ident, depth, claims = request.path_params["ident"], params.get("depth", "1"), params.get("claims", "")
        status, text, policy = await run_in_threadpool(pages.network, ident, depth, claims)
        headers = {"content-security-policy": policy} if policy else None
        return HTMLResponse(text, status, headers=headers)

    async def query(request: Request) -> Response:
        return await html(lambda: pages.query(request.path_params["name"], dict(request.query_params)), request)

    async def css(request: Request) -> Response:
        return Response(stylesheet(), media_type="text/css")

    async def timeline(request: Request) -> Response:
        params = request.query_params
        work = functools.partial(pages.timeline, params.get("actor", ""), params.get("place", ""))
        status, text = await run_in_threadpool(work)
        return HTMLResponse(text, status, headers={"content-security-policy": TIMELINE_CSP})

    async def timeline_asset(request: Request) -> Response:
        text, media = timeline_assets()[request.url.path.rsplit("/", 1)[1]]
        return Response(text, media_type=media)

    async def favicon(request: Request) -> Response:  # no icon, said so: a browser asks on every page
        return Response(status_code=204)

    routes = [
        Route("/sparql", endpoint, methods=["GET", "POST"]),
        Route("/", home),
        Route("/search", search),
        Route("/entity/{ident}", entity),
        Route("/entity/{ident}/network", network),
        Route("/query/{name}", query),
        Route("/timeline", timeline),
        Route("/static/serve.css", css),
        *(Route(f"/static/{name}", timeline_asset) for name in timeline_assets()),
        Route("/favicon.ico", favicon),
    ]
    middleware = [Middleware(Guard, token=token, loopback=loopback)]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.answers, app.state.pages = answers, kept_pages
    return app


def _without_token(query: str) -> str:
    """A query string without its ``token=`` (the same page, whoever asks)."""
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    return urllib.parse.urlencode([(k, v) for k, v in pairs if k != "token"])


async def _body(request: Request) -> bytes:
    """The request's body, at most :data:`MAX_BODY` bytes within :data:`BODY_TIMEOUT` seconds; a
    client gone before sending it all gets a 400 that nobody reads, not a traceback in the log."""
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT):
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY:
                    raise ProtocolError(
                        413, f"the request body holds more than {MAX_BODY >> 20} MiB: that is not a query"
                    )
                chunks.append(chunk)
    except ClientDisconnect:
        raise ProtocolError(400, "the client closed the connection before sending the whole body") from None
    except TimeoutError:
        raise ProtocolError(408, f"the request body did not come within {BODY_TIMEOUT:g} seconds") from None
    return b"".join(chunks)
