"""The HTML pages of ``kg serve``: home, search, an entity's profile, a page per named query,
an entity's network, and the timeline.

Rendered on the server from ``kg/templates/serve/`` by Jinja2 with autoescape on, so
every label shows as text; the pages need no JavaScript, and load only ``/static/serve.css``
(the Content-Security-Policy of :mod:`kg.serve.app` allows nothing else). The network is
the offline page of ``kg view`` (:mod:`kg.view`), whose inline scripts its own policy
allows by their hashes (:func:`network_csp`). The timeline is :mod:`kg.view.timeline`'s page
naming its scripts under ``/static/`` (:data:`TIMELINE_CSP`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

from kg.api import KnowledgeGraph
from kg.curation import read_paragraphs
from kg.errors import AmbiguousName, KgError, UnknownEntity, UnknownQuery, UnreadableFile, ViewError
from kg.names import normalise
from kg.report import short
from kg.serve.sparql import Limits
from kg.stores import QueryResult

if TYPE_CHECKING:
    from kg.queries import Answer
    from kg.view.timeline import Timeline

MAX_FOUND = 50
"""The most entities a search lists."""
MAX_DEPTH = 3
"""The deepest neighbourhood a network page draws."""
SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
"""An inline script that runs (the data block, ``type="application/json"``, does not)."""


TIMELINE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""The timeline's policy: its scripts and stylesheets from the server only. Styles also need
'unsafe-inline': vis-timeline sets style attributes on the elements it draws."""


def network_csp(page: bytes) -> str:
    """The Content-Security-Policy of a ``kg view`` page: its own inline scripts (by their
    SHA-256) and styles, ``data:`` images, and nothing else from anywhere."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'" for m in SCRIPT.finditer(page)
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


@functools.cache
def environment() -> Environment:
    """The templates, autoescaped."""
    return Environment(
        loader=PackageLoader("kg", "templates/serve"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def stylesheet() -> bytes:
    """The pages' one stylesheet."""
    from kg.resources import data

    return data("templates", "serve", "serve.css").read_bytes()


@functools.cache
def timeline_assets() -> dict[str, tuple[bytes, str]]:
    """What the timeline page loads from ``/static/``: name -> (content, media type)."""
    from kg.view.timeline import SCRIPT, STYLE, asset, vendored

    return {
        "vis-timeline.min.js": (vendored(SCRIPT).encode("utf-8"), "text/javascript; charset=utf-8"),
        "vis-timeline.min.css": (vendored(STYLE).encode("utf-8"), "text/css; charset=utf-8"),
        "timeline.js": (asset("timeline.js").encode("utf-8"), "text/javascript; charset=utf-8"),
        "timeline.css": (asset("timeline.css").encode("utf-8"), "text/css; charset=utf-8"),
    }


class Pages:
    """The pages of one graph; each method returns ``(status, html)``."""

    def __init__(self, graph: KnowledgeGraph, limits: Limits, texts: Path | None = None) -> None:
        self.graph = graph
        self.limits = limits
        self.texts = texts
        self._lock = threading.Lock()
        self._counts: dict[str, int] | None = None
        self._timeline: Timeline | None = None

    def render(self, template: str, status: int = 200, **values: Any) -> tuple[int, str]:
        return status, environment().get_template(template).render(**values)

    def counts(self) -> dict[str, int]:
        """What the home page counts, worked out once."""
        with self._lock:
            if self._counts is None:
                from kg.stats import stats

                found = stats(self.graph.store)
                self._counts = {
                    "triples": found.triples,
                    "entities": sum(found.entities.values()),
                    "facts": sum(found.relations.values()),
                    "events": sum(found.events.values()),
                    "claims": sum(found.claims.values()),
                    "disputed": found.disputed_claims,
                    "sources": len(found.sources),
                }
            return self._counts

    def home(self) -> tuple[int, str]:
        return self.render("home.html", title="The graph", counts=self.counts(), queries=self.graph.queries())

    def search(self, q: str) -> tuple[int, str]:
        """Entities whose id, label or alias holds ``q`` (folded); did-you-mean when none does."""
        key = normalise(q)
        names = self.graph.names
        found: dict[str, str] = {}
        if key:
            for ranked in names.by_rank:
                for name, idents in sorted(ranked.items()):
                    if key in name:
                        for ident in sorted(idents):
                            found.setdefault(ident, name)
        suggestions = re.findall(r"'([^']*)'", names.hint(key)) if key and not found else []
        rows = sorted(found.items(), key=lambda item: (item[1] != key, item[0]))[:MAX_FOUND]
        title = f"Search: {q}" if q else "Search"
        return self.render("search.html", title=title, q=q, found=rows, suggestions=suggestions)

    def entity(self, ident: str) -> tuple[int, str]:
        try:
            profile = self.graph.show(ident)
        except UnknownEntity as err:
            return self.render("error.html", 404, title="Not found", message=str(err))
        except AmbiguousName as err:
            return self.render("error.html", 400, title="Ambiguous", message=str(err))
        return self.render(
            "entity.html", title=profile.label, p=profile, links=self.graph.names.ids, passages=self.passages
        )

    def network(self, ident: str, depth: str = "1", claims: str = "") -> tuple[int, str | bytes, str | None]:
        """The network page of ``ident``'s neighbourhood (what ``kg view ID --depth D`` writes: claims
        included, unless ``claims`` is ``0``, ``false`` or ``no``), and its Content-Security-Policy
        (None: an error page)."""
        from kg.view import ViewSpec, view

        steps = int(depth) if depth.isdigit() else -1
        if not 0 <= steps <= MAX_DEPTH:
            return (*self.render("error.html", 400, title="Bad depth", message=f"depth is 0 to {MAX_DEPTH}"), None)
        try:
            drawn = view(self.graph.store, ViewSpec(ident, steps, claims=claims.lower() not in ("0", "false", "no")))
        except UnknownEntity as err:
            return (*self.render("error.html", 404, title="Not found", message=str(err)), None)
        except (AmbiguousName, ViewError) as err:
            return (*self.render("error.html", 400, title="No network", message=str(err)), None)
        return 200, drawn.html, network_csp(drawn.html)

    def timeline(self, actor: str = "", place: str = "") -> tuple[int, str]:
        """The timeline page, its table narrowed to ``actor`` and ``place`` (ids, labels or aliases)."""
        from kg.view.timeline import render_page

        found = self.dated()
        chosen: dict[str, str | None] = {"actor": None, "place": None}
        for key, name in (("actor", actor), ("place", place)):
            if not name.strip():
                continue
            try:
                chosen[key] = self.graph.find(name)
            except (UnknownEntity, AmbiguousName) as err:
                page = render_page(found, None, None, inline=False, home="/", error=str(err))
                return 404 if isinstance(err, UnknownEntity) else 400, page
        return 200, render_page(found, chosen["actor"], chosen["place"], inline=False, home="/")

    def dated(self) -> Timeline:
        """The graph's timeline, worked out once (the store is read-only while served)."""
        from kg.view.timeline import timeline

        with self._lock:
            if self._timeline is None:
                self._timeline = timeline(self.graph.store)
            return self._timeline

    def passages(self, source: str, numbers: Iterable[int]) -> list[tuple[int, str]]:
        """The cited paragraphs of a source, read now from the source texts (none without them)."""
        if self.texts is None or not re.fullmatch(r"[A-Za-z0-9_-]+", source):
            return []
        try:
            found = read_paragraphs(self.texts / f"{source}.txt")
        except (OSError, UnicodeDecodeError, UnreadableFile):
            return []
        return [(n, found[n - 1]) for n in numbers if 0 < n <= len(found)]

    def query(self, name: str, values: Mapping[str, str]) -> tuple[int, str]:
        try:
            named = self.graph.named_query(name)
        except UnknownQuery as err:
            return self.render("error.html", 404, title="Not found", message=str(err))
        given = {p.name: values[p.name] for p in named.parameters if values.get(p.name, "").strip()}
        result: Answer | None = None
        error, status = None, 200
        if len(given) == len(named.parameters):
            try:
                params: dict[str, Any] = given  # the query's own parameters, never limit or offset
                result = self.graph.run(name, self.limits.timeout, **params)
            except KgError as err:
                error, status = str(err), 400
        rows = self._rows(result) if result is not None else []
        notes = result.notes if result is not None else []
        return self.render(
            "query.html",
            status,
            title=named.title,
            query=named,
            values=given,
            result=result,
            rows=rows,
            error=error,
            notes=notes,
        )

    def _rows(self, result: QueryResult) -> list[list[tuple[str, str | None]]]:
        """Each cell as its text and, for an entity, the link to its page."""
        namespaces = self.graph.store.namespaces
        ids, prefixes = str(namespaces.id), namespaces.prefixes
        known = self.graph.names.ids
        return [
            [
                (short(term, prefixes), "/entity/" + urllib.parse.quote(str(term)[len(ids) :]))
                if term is not None and str(term).startswith(ids) and str(term)[len(ids) :] in known
                else (short(term, prefixes), None)
                for term in row
            ]
            for row in result.rows[: self.limits.max_rows]
        ]
