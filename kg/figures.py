"""Totals of reported counts: the figures of an event, by the rules every aggregate follows.

Figures from different reporters for the same event, measure, side and party are never
added: for each (measure, side, party), over the counts that are not a subset
(``kg:subset true`` or ``kg:subsetOf``), the low end is the smallest ``rdf:value`` or
``kg:minValue`` and the high end the largest ``rdf:value``, ``kg:maxValue`` or
``kg:minValue``; the ends are then summed over sides and parties. A total reads ``17``,
``4-5`` (reporters differ) or ``≥7`` (the high end rests on an "at least": a
``kg:minValue`` without a ``kg:maxValue``).

>>> print(total([Figure(value=5, reporter="a"), Figure(value=4, reporter="b")]))
4-5
>>> print(total([Figure(minimum=7), Figure(value=5, party="imu", subset=True)]))
≥7
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import RDF, URIRef
from rdflib.term import Identifier

from kg.stores import Store
from kg.stores.values import integer
from kg.vocab import KG

BATCH = 500
"""Owners per query: a VALUES block of this many IRIs stays a small query on every engine."""


@dataclass(frozen=True)
class Figure:
    """One reported count: its side and party, its value or bounds, whether it is a subset."""

    side: str | None = None
    party: str | None = None
    value: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    subset: bool = False
    reporter: str | None = None
    taken_by: str | None = None
    taken_from: str | None = None
    approximate: bool = False

    @property
    def low(self) -> int | None:
        """The smallest number the figure allows."""
        return self.value if self.value is not None else self.minimum

    @property
    def high(self) -> int | None:
        """The largest number the figure names (an "at least" names only its bound)."""
        for bound in (self.value, self.maximum, self.minimum):
            if bound is not None:
                return bound
        return None

    @property
    def at_least(self) -> bool:
        """Whether the figure is only a lower bound ("at least 7")."""
        return self.value is None and self.maximum is None and self.minimum is not None

    def shown(self, about: str = "~") -> str:
        """The figure as reported: ``7``, ``6000-7000``, ``≥7``; an estimate marked with ``about``."""
        if self.at_least:
            text = f"≥{self.minimum}"
        elif self.low == self.high:
            text = str(self.low)
        else:
            text = f"{self.low}-{self.high}"
        return f"{about}{text}" if self.approximate else text


@dataclass(frozen=True)
class Total:
    """A total over sides and parties: its low and high ends, and whether the high end is open."""

    low: int
    high: int
    at_least: bool = False

    def __str__(self) -> str:
        text = str(self.low) if self.low == self.high else f"{self.low}-{self.high}"
        return f"≥{text}" if self.at_least else text


def total(figures: Iterable[Figure]) -> Total | None:
    """The total of ``figures`` (one measure of one owner; for seizures, one item) by the rules
    above, grouped by side, party and, for seizures, who took from whom; None without any.

    The high end is open ("≥") only when every figure that sets it is an "at least": another
    reporter's exact figure equal to the bound closes it.
    """
    groups: dict[tuple[str | None, ...], list[Figure]] = {}
    for figure in figures:
        if not figure.subset and figure.high is not None:
            whose = (figure.side, figure.party, figure.taken_by, figure.taken_from)
            groups.setdefault(whose, []).append(figure)
    if not groups:
        return None
    low = high = 0
    at_least = False
    for group in groups.values():
        top = max(f.high for f in group if f.high is not None)
        low += min((f.low if f.low is not None else top) for f in group)
        high += top
        at_least = at_least or all(f.at_least for f in group if f.high == top)
    return Total(low, high, at_least)


_FIGURES = """
SELECT ?owner ?measure ?count ?side ?party ?value ?min ?max ?subset ?total ?reporter WHERE {
  VALUES ?owner { %s }
  ?owner kg:reportedCount ?count .
  ?count kg:measure ?measure .
  OPTIONAL { ?count kg:side ?side }
  OPTIONAL { ?count kg:party ?party }
  OPTIONAL { ?count rdf:value ?value }
  OPTIONAL { ?count kg:minValue ?min }
  OPTIONAL { ?count kg:maxValue ?max }
  OPTIONAL { ?count kg:subset ?subset }
  OPTIONAL { ?count kg:subsetOf ?total }
  OPTIONAL { ?count kg:reportedBy ?reporter }
}
"""


def _number(term: Identifier | None, count: Identifier, prop: URIRef) -> int | None:
    return None if term is None else integer(term, count, prop)


def totals(store: Store, owners: Sequence[URIRef]) -> dict[URIRef, dict[URIRef, Total]]:
    """The total of every measure counted for each of ``owners`` (events, mostly), by owner."""
    found: dict[URIRef, dict[URIRef, dict[Identifier, Figure]]] = {}
    unique = sorted(set(owners))
    for start in range(0, len(unique), BATCH):
        block = " ".join(o.n3() for o in unique[start : start + BATCH])
        result = store.query(store.namespaces.prologue + _FIGURES % block)
        for row in result.dicts():
            owner, measure, count = row["owner"], row["measure"], row["count"]
            assert isinstance(owner, URIRef) and isinstance(measure, URIRef) and count is not None
            subset = row["total"] is not None or str(row["subset"]).lower() in ("true", "1")
            figure = Figure(
                side=None if row["side"] is None else str(row["side"]),
                party=None if row["party"] is None else str(row["party"]),
                value=_number(row["value"], count, RDF.value),
                minimum=_number(row["min"], count, KG.minValue),
                maximum=_number(row["max"], count, KG.maxValue),
                subset=subset,
                reporter=None if row["reporter"] is None else str(row["reporter"]),
            )
            found.setdefault(owner, {}).setdefault(measure, {})[count] = figure
    out: dict[URIRef, dict[URIRef, Total]] = {}
    for owner, measures in found.items():
        for measure, figures in measures.items():
            summed = total(figures.values())
            if summed is not None:
                out.setdefault(owner, {})[measure] = summed
    return out


def figure_columns(
    store: Store, owners: Sequence[URIRef | None], measures: Mapping[str, URIRef]
) -> list[list[str | None]]:
    """For each owner, its total of each of ``measures`` as text (None where nothing was counted)."""
    known = totals(store, [o for o in owners if o is not None])
    return [
        [None if o is None or m not in known.get(o, {}) else str(known[o][m]) for m in measures.values()]
        for o in owners
    ]
