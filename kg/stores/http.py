"""HTTP for SPARQL servers: credentials, limits and requests (answers are read in :mod:`kg.stores.answers`).

Standard library only (``urllib``), so talking to a server needs nothing more
than Python. Credentials come from the URL (``http://user:pass@host/sparql``)
or from ``KG_ENDPOINT_USER`` and ``KG_ENDPOINT_PASSWORD``; both HTTP Basic and
Digest challenges are answered (Virtuoso's ``/sparql-auth`` asks for Digest).
Credentials never appear in a message: every URL kg prints goes through :func:`mask`, which
hides the user and password and the values of secret query parameters (``?apikey=``, ``token=``...).

Every request is limited (:class:`Limits`): a connection within ``CONNECT_TIMEOUT``
seconds, the whole exchange within ``TIMEOUT`` (``KG_ENDPOINT_TIMEOUT``), an answer of
at most ``MAX_MB`` megabytes (``KG_ENDPOINT_MAX_MB``). A redirect to another server is
refused (it would be sent the request, and could ask for the credentials).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import math
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import EndpointError, KgError, StoreError
from kg.stores.answers import excerpt, printable

TIMEOUT = 120.0
"""Seconds one request may take in all, by default: connecting, sending, the server's work, the answer."""
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a connection (TCP and TLS), at most."""
MAX_MB = 256
"""Megabytes an answer may have, by default."""
MAX_TIMEOUT = 7 * 24 * 3600
"""The longest limit kg accepts, in seconds (a week)."""
MB = 1 << 20

CREDENTIALS = " (give credentials as http://USER:PASSWORD@host/... or in KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD)"
MORE_TIME = "allow more with --endpoint-timeout or KG_ENDPOINT_TIMEOUT"
_READ = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What one request to a server may take: seconds in all, seconds to connect, answer bytes."""

    timeout: float = TIMEOUT
    connect: float = CONNECT_TIMEOUT
    max_bytes: int = MAX_MB * MB

    @classmethod
    def from_environment(cls, timeout: float | None = None) -> Limits:
        """``timeout`` (else ``KG_ENDPOINT_TIMEOUT``, else ``TIMEOUT``) and ``KG_ENDPOINT_MAX_MB``."""
        if timeout is None:
            timeout = _setting("KG_ENDPOINT_TIMEOUT", TIMEOUT, MAX_TIMEOUT, "a number of seconds")
        elif not 0 < timeout <= MAX_TIMEOUT:  # also refuses nan
            raise StoreError(f"the endpoint timeout must be above 0 and at most {MAX_TIMEOUT} seconds, not {timeout}")
        megabytes = _setting("KG_ENDPOINT_MAX_MB", MAX_MB, 1 << 20, "a number of megabytes")
        return cls(timeout, min(CONNECT_TIMEOUT, timeout), max(int(megabytes * MB), 1))


def _setting(name: str, default: float, most: float, what: str) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= most:
        raise StoreError(f"{name} must be {what} above 0 and at most {most:g}, not {text!r}")
    return value


# --- what kg prints of URLs ---


def mask(url: str) -> str:
    """``url`` with its user and password, if any, replaced by ``***``; control characters escaped.

    Works on malformed URLs too: a password with a ``/``, ``?`` or ``#`` in it ends the host
    part early, so then everything up to the ``@`` after it is hidden as well.
    """
    start = url.find("://")
    start = start + 3 if start >= 0 else 0
    rest = url[start:]
    host_end = min([i for i in (rest.find(c) for c in "/?#") if i >= 0], default=len(rest))
    at = rest.rfind("@", 0, host_end)
    if at < 0 and not re.fullmatch(r"(\[[^\]]*\]|[^:\[\]@]*)(:\d*)?", rest[:host_end]):
        at = rest.rfind("@")  # not HOST[:PORT]: the host part was cut at a character of the password
    elif at < 0:
        path_end = min([i for i in (rest.find(c) for c in "?#") if i >= 0], default=len(rest))
        at = rest.rfind("@", 0, path_end)  # an '@' in the path: the end of a password with a '/'
    shown = url if at < 0 else url[:start] + "***@" + rest[at + 1 :]
    shown = _mask_parameters(shown)
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m[0]):02x}", shown)


def _mask_text(text: str) -> str:
    """``text`` with the credentials of any URL in it hidden (user, password, secret parameters)."""
    return _mask_parameters(re.sub(r"([A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#'\"]*@", r"\1***@", text))


SECRET_PARAMETER = re.compile(
    r"(?:api|access|auth|client|private|session|secret|refresh|bearer|id)?[-_.]?"
    r"(?:key|token|secret|passw(?:or)?d|pass|pwd|auth|authorization|credentials?|sig|signature|code|sessionid|sid)",
    re.IGNORECASE,
)
"""Names of URL query parameters whose values are secrets (``apikey``, ``access_token``, ``password``...)."""
_PARAMETER = re.compile(r"([?&;])([^=&;#?\s'\"]*)=([^&;#\s'\"]*)")


def _mask_parameters(text: str) -> str:
    """``text`` with the values of secret-looking query parameters (:data:`SECRET_PARAMETER`) as ``***``."""
    if "=" not in text:
        return text

    def hide(found: re.Match[str]) -> str:
        name = urllib.parse.unquote(found[2])
        if SECRET_PARAMETER.fullmatch(name) and found[3]:
            return f"{found[1]}{found[2]}=***"
        return found[0]

    return _PARAMETER.sub(hide, text)


# --- requests, each within its limits ---


class _ConnectTimeout(TimeoutError):
    """No connection within the connect limit."""


class _Deadline:
    """One request's time limit. When it passes, the request's sockets are shut down, which ends
    any read or write blocked on them: a per-read timeout alone lets a server that sends a byte
    a second keep a request going for ever."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.end = time.monotonic() + limits.timeout
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(limits.timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(self.end - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    try:  # socket.socket's own shutdown, also for TLS sockets: the reading thread still holds the TLS state
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class _LimitedHTTP(http.client.HTTPConnection):
    """A connection made within the connect limit, its socket then watched by the deadline."""

    deadline: _Deadline

    def connect(self) -> None:
        self.timeout = min(self.deadline.limits.connect, self.deadline.remaining())
        try:
            super().connect()
        except TimeoutError as err:
            raise _ConnectTimeout(f"no connection within {self.timeout:g} s") from err
        self.sock.settimeout(self.deadline.remaining())
        self.deadline.watch(self.sock)


class _LimitedHTTPS(_LimitedHTTP, http.client.HTTPSConnection):
    """The same over TLS (the handshake is bounded by the connect limit as a whole)."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = _LimitedHTTP(host, **kwargs)
        connection.deadline = self.deadline
        return connection

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = _LimitedHTTPS(host, **kwargs)
        connection.deadline = self.deadline
        return connection

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


_ESCAPES = "'/', '?', '#' and '@' as %2F, %3F, %23 and %40"


def _port_ok(parts: urllib.parse.SplitResult) -> bool:
    try:
        parts.port  # noqa: B018 - raises ValueError when the port is not one
    except ValueError:
        return False
    return True


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme, (parts.hostname or ""), parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None


class _SameServer(urllib.request.HTTPRedirectHandler):
    """Follows redirects on the same server only (scheme, host and port)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) is None or _origin(newurl) != _origin(req.full_url):
            fp.close()
            raise EndpointError(
                mask(self.url),
                f"refused a redirect to another server ({mask(newurl)}): give that URL instead if you trust it",
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass(frozen=True)
class Endpoint:
    """A server URL without credentials, the credentials to use for it, if any, and the limits."""

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    limits: Limits = Limits()

    @property
    def shown(self) -> str:
        """The URL as messages show it: the values of secret query parameters hidden (:func:`mask`)."""
        return mask(self.url)

    @classmethod
    def parse(cls, url: str, limits: Limits | None = None) -> Endpoint:
        """Split ``http://user:pass@host/path`` into the URL and credentials (else from env)."""
        shown = mask(url)
        bad = re.search(r"[\x00-\x20\x7f-\x9f]", url)
        if bad:
            what = "a space; write it as %20" if bad[0] == " " else f"the control character {bad[0]!r}"
            raise EndpointError(shown, f"not a valid URL (it contains {what})")
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError as err:
            raise EndpointError(shown, f"not a valid URL ({_url_problem(err)})") from err
        if parts.scheme not in ("http", "https"):
            raise EndpointError(shown, "not an http(s) URL")
        after = url[url.find("//") + 2 + len(parts.netloc) :]
        if "@" not in parts.netloc and ("@" in parts.path or ("@" in after and not _port_ok(parts))):
            raise EndpointError(shown, f"not a valid URL (in a user or password, write {_ESCAPES})")
        try:
            port = parts.port
        except ValueError as err:
            raw = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
            problem = "is out of range 1-65535" if raw.isdigit() else "is not a number"
            raise EndpointError(shown, f"not a valid URL (port {raw!r} {problem})") from err
        if not parts.hostname:
            raise EndpointError(shown, "not a valid URL (no host: write http://HOST[:PORT]/PATH)")
        if port == 0:
            raise EndpointError(shown, "not a valid URL (port '0' is out of range 1-65535)")
        user = urllib.parse.unquote(parts.username) if parts.username else None
        password = urllib.parse.unquote(parts.password) if parts.password else None
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        netloc = host + (f":{port}" if port else "")
        path = re.sub(r"[^\x00-\x7f]+", lambda m: urllib.parse.quote(m[0]), parts.path)
        query = re.sub(r"[^\x00-\x7f]+", lambda m: urllib.parse.quote(m[0]), parts.query)
        bare = urllib.parse.urlunsplit(parts._replace(netloc=netloc, path=path, query=query))
        user = user or os.environ.get("KG_ENDPOINT_USER") or None
        password = password or os.environ.get("KG_ENDPOINT_PASSWORD") or None
        return cls(bare, user, password, limits or Limits.from_environment())

    def secrets(self) -> list[str]:
        """Every form in which a server could quote this endpoint's secrets back (the password,
        ``user:password``, secret query-parameter values; raw, URL-encoded and base64), longest first."""
        found: set[str] = set()
        if self.password:
            found.add(self.password)
            pair = f"{self.user or ''}:{self.password}"
            found |= {pair, base64.b64encode(pair.encode()).decode()}
        for name, value in urllib.parse.parse_qsl(urllib.parse.urlsplit(self.url).query, keep_blank_values=True):
            if value and SECRET_PARAMETER.fullmatch(name):
                found.add(value)
        for secret in list(found):
            found |= {urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret), urllib.parse.quote(secret)}
            found.add(base64.b64encode(secret.encode()).decode().rstrip("="))
        return sorted((s for s in found if len(s) >= 3), key=len, reverse=True)

    def hide(self, text: str) -> str:
        """``text`` (a server's words, a message) with every form of this endpoint's secrets as ``***``."""
        for secret in self.secrets():
            text = text.replace(secret, "***")
        return text

    @contextlib.contextmanager
    def hiding(self) -> Iterator[None]:
        """Re-raise kg's errors with this endpoint's secrets hidden, whatever server text they quote."""
        try:
            yield
        except KgError as err:
            if isinstance(err, EndpointError):
                err.url, err.reason = self.hide(err.url), self.hide(err.reason)
                err.args = (str(err),)
            else:
                err.args = tuple(self.hide(a) if isinstance(a, str) else a for a in err.args)
            raise

    def _passwords(self, user: str) -> urllib.request.HTTPPasswordMgrWithDefaultRealm:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, self.url, user, self.password or "")
        return passwords

    def _opener(self, deadline: _Deadline, auth: bool = True) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = [
            _HTTPHandler(deadline),
            _HTTPSHandler(deadline),
            _SameServer(self.url),
        ]
        if auth and self.user is not None:
            passwords = self._passwords(self.user)
            handlers += [
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            ]
        return urllib.request.build_opener(*handlers)

    def authorize(self, req: urllib.request.Request, deadline: _Deadline) -> None:
        """Answer the server's challenge up front, found with a HEAD request.

        A server that asks for credentials closes the connection without reading a
        request's body, so a large upload must carry them the first time.
        """
        if self.user is None:
            return
        try:
            with self._opener(deadline, auth=False).open(urllib.request.Request(req.full_url, method="HEAD")):
                return
        except urllib.error.HTTPError as err:
            challenge = err.headers.get("www-authenticate", "") if err.code == 401 else ""
            err.close()
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError):
            return  # the request itself will report it
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() == "digest":
            handler = urllib.request.HTTPDigestAuthHandler(self._passwords(self.user))
            probe = urllib.request.Request(req.full_url, method="HEAD")
            try:
                chal = urllib.request.parse_keqv_list([p for p in urllib.request.parse_http_list(params) if "=" in p])
                probe_answer, answer = handler.get_authorization(probe, chal), handler.get_authorization(req, chal)
            except (KeyError, ValueError, urllib.error.URLError) as err:
                raise EndpointError(
                    self.shown, f"the server's Digest challenge is malformed: {printable(challenge)}"
                ) from err
            self._check(probe, deadline, "digest", f"Digest {probe_answer}")
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            probe = urllib.request.Request(req.full_url, method="HEAD")
            self._check(probe, deadline, "basic", f"Basic {token}")
            req.add_unredirected_header("Authorization", f"Basic {token}")

    def _check(self, probe: urllib.request.Request, deadline: _Deadline, scheme: str, authorization: str) -> None:
        """Try the credentials on a body-less request, so wrong ones are reported as such
        rather than as the broken pipe of a server that hung up on the upload."""
        probe.add_unredirected_header("Authorization", authorization)
        try:
            with self._opener(deadline, auth=False).open(probe):
                return
        except urllib.error.HTTPError as err:
            err.close()
            if err.code == 401:
                raise EndpointError(self.shown, f"HTTP 401 {scheme} auth failed{CREDENTIALS}") from err
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError):
            return  # the request itself will report it


@dataclass
class Response:
    """A server's answer: status, media type (no parameters), headers, body."""

    status: int
    media_type: str
    headers: dict[str, str]
    body: bytes


def request(
    endpoint: Endpoint, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> Response:
    """Send one request within the endpoint's limits; raise EndpointError, in one line, on failure
    (the endpoint's secrets hidden in whatever the server said)."""
    with endpoint.hiding():
        return _request(endpoint, method, url, body, headers)


def _request(
    endpoint: Endpoint, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> Response:
    deadline = _Deadline(endpoint.limits)
    try:
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        if body:
            endpoint.authorize(req, deadline)
        with endpoint._opener(deadline).open(req) as answer:
            data = _read(answer, endpoint, deadline)
            status = answer.status
            found = {k.lower(): v for k, v in answer.headers.items()}
        if deadline.expired:
            raise EndpointError(endpoint.shown, _late(endpoint.limits))
    except urllib.error.HTTPError as err:
        detail = _read_error(err)
        if deadline.expired:
            raise EndpointError(endpoint.shown, _late(endpoint.limits)) from err
        hint = CREDENTIALS if err.code == 401 else ""
        where = f" (to {mask(err.headers.get('location', ''))})" if 300 <= err.code < 400 else ""
        reason = printable(_mask_text(str(err.reason)))
        raise EndpointError(endpoint.shown, f"HTTP {err.code} {reason}{where}: {detail}{hint}") from err
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as err:
        raise EndpointError(endpoint.shown, _failure(err, deadline)) from err
    finally:
        deadline.cancel()
    media = found.get("content-type", "").split(";")[0].strip().lower()
    return Response(status, media, found, data)


def _read(answer: http.client.HTTPResponse, endpoint: Endpoint, deadline: _Deadline) -> bytes:
    """The body, refused once it is larger than the limit (before reading it, when the server says so)."""
    limit = endpoint.limits.max_bytes
    most = f"{limit / MB:g} MB" if limit >= MB else f"{limit} bytes"
    too_large = f"the answer is larger than {most} (allow more with KG_ENDPOINT_MAX_MB)"
    length = answer.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > limit:
        raise EndpointError(endpoint.shown, too_large)
    chunks: list[bytes] = []
    size = 0
    while chunk := answer.read(min(_READ, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise EndpointError(endpoint.shown, too_large)
    if deadline.expired:
        raise EndpointError(endpoint.shown, _late(endpoint.limits))
    if length.isdigit() and size < int(length):  # http.client's read(n) does not check
        raise EndpointError(
            endpoint.shown,
            f"the server closed the connection before the answer was complete ({size} of {length} bytes)",
        )
    return b"".join(chunks)


def _late(limits: Limits) -> str:
    return f"no complete answer within {limits.timeout:g} s ({MORE_TIME})"


def _read_error(err: urllib.error.HTTPError) -> str:
    """The first line of an error page (its first 64 KB at most)."""
    try:
        with err:
            return excerpt(err.read(_READ))
    except (OSError, http.client.HTTPException, ValueError):
        return "an incomplete body"


def _failure(err: Exception, deadline: _Deadline) -> str:
    """Why a request failed, in a few words, from the exception urllib or http.client raised."""
    reason: object = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(reason, _ConnectTimeout) and not deadline.expired:
        return f"{reason} (is the server up, and the URL right?)"
    if deadline.expired or isinstance(reason, TimeoutError):
        return _late(deadline.limits)
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(reason, http.client.BadStatusLine):
        return f"the server did not answer in HTTP: {printable(str(reason.args[0]) if reason.args else '')}"
    if isinstance(reason, http.client.IncompleteRead):
        return "the server closed the connection before the answer was complete"
    if isinstance(reason, ConnectionResetError):
        return "the server reset the connection"
    if isinstance(reason, BrokenPipeError):
        return "the server closed the connection while the request was being sent"
    if isinstance(reason, http.client.HTTPException):
        return f"the server sent a malformed HTTP answer ({printable(_mask_text(str(reason)))})"
    return f"cannot reach the server ({printable(_mask_text(str(reason)))})"


def _url_problem(err: ValueError) -> str:
    text = str(err)
    if "Invalid IPv6 URL" in text:
        return "unbalanced brackets around an IPv6 address"
    found = re.match(r"'(.*)' does not appear to be an IPv4 or IPv6 address", text)
    if found:
        return f"'[{found[1]}]' is not an IPv6 address"
    return printable(_mask_text(text))
