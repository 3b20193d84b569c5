"""kg's package data: the vocabulary, the SHACL shapes, the JSON-LD context, the named queries
and the view template, read with :mod:`importlib.resources` wherever kg is installed.

The vocabulary and the named queries are the package's own folders ``kg/ontology`` and
``kg/queries``; the repository's top-level ``ontology/`` and ``queries/`` are links to them,
so there is one copy, in the wheel as in a checkout.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def data(*parts: str) -> Traversable:
    """A file or folder of kg's package data: ``data("ontology", "kg.ttl")``."""
    return resources.files("kg").joinpath(*parts)


def read_text(*parts: str) -> str:
    """The text of a package data file."""
    return data(*parts).read_text(encoding="utf-8")


ONTOLOGY = ("ontology", "kg.ttl")
SHAPES = ("ontology", "shapes.ttl")
CONTEXT = ("ontology", "context.jsonld")
QUERIES = ("queries",)
VIEW_TEMPLATE = ("templates", "view.html")
