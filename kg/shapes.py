"""The built graph checked against the SHACL shapes of ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

import re

from rdflib import Graph, URIRef

from kg import resources
from kg.errors import ShapeViolation


def check_shapes(graph: Graph) -> None:
    """Check the built graph against ``ontology/shapes.ttl``; raise :class:`ShapeViolation`."""
    import pyshacl  # slow to import; only needed here

    shapes = Graph().parse(data=resources.read_text(*resources.SHAPES), format="turtle")
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, advanced=True, allow_warnings=True)
    if conforms:
        return
    from rdflib.namespace import SH

    names = graph.namespace_manager

    def short(term: object) -> str:
        return names.normalizeUri(term) if isinstance(term, URIRef) else str(term)

    messages = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        path = report.value(result, SH.resultPath)
        text = re.sub(
            r"https?://[^\s'\"]+", lambda m: short(URIRef(m.group(0))), str(report.value(result, SH.resultMessage))
        )
        where = short(report.value(result, SH.focusNode)) + (f" {short(path)}" if path else "")
        messages.append(f"{where}: {text}")
    raise ShapeViolation(messages or ["the graph does not conform to the shapes"])
