"""Finding an entity by what a person types: its id, label or an alias, whatever the case or accents.

Entities, events and claims are all found (anything with an ``id:`` IRI and a
``dcterms:identifier``); an id may be typed with spaces for its hyphens
(``ishkobod attack``). An id wins over a label, a label over an alias; a name
that fits several entities equally is reported as ambiguous, an unknown one with
the closest names.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.errors import KgError
from kg.store import PROLOGUE, Store
from kg.validate import normalise
from kg.vocab import ID, PREFIXES

_NAMES = """
SELECT ?e ?name ?rank WHERE {
    { ?e dcterms:identifier ?name . BIND (0 AS ?rank) }
    UNION { ?e rdfs:label ?name . BIND (1 AS ?rank) }
    UNION { ?e skos:altLabel ?name . BIND (2 AS ?rank) }
    ?e dcterms:identifier ?id .
    FILTER (STRSTARTS(STR(?e), STR(id:)))
}
"""


class UnknownEntity(KgError):
    """No entity has the name a user gave."""

    def __init__(self, name: str, hint: str) -> None:
        self.name = name
        super().__init__(f"unknown entity '{name}'{hint}")


class AmbiguousName(KgError):
    """A name shared by several entities."""

    def __init__(self, name: str, ids: list[str]) -> None:
        self.name, self.ids = name, ids
        super().__init__(f"'{name}' names several entities: " + ", ".join(ids))


@dataclass
class Names:
    """Every id, label and alias of the graph, folded by :func:`kg.validate.normalise`."""

    ids: set[str] = field(default_factory=set)
    by_rank: list[dict[str, set[str]]] = field(
        default_factory=lambda: [defaultdict(set), defaultdict(set), defaultdict(set)])

    def find(self, name: str) -> str:
        """The id of the entity ``name`` names (id, ``id:`` name, IRI, label or alias)."""
        text = name.strip()
        for prefix in ("id:", str(ID)):
            if text.startswith(prefix) and text[len(prefix):] in self.ids:
                return text[len(prefix):]
        key = normalise(text)
        for names in self.by_rank:
            found = sorted(names.get(key, ()))
            if len(found) == 1:
                return found[0]
            if found:
                raise AmbiguousName(name, found)
        raise UnknownEntity(name, self.hint(key))

    def hint(self, key: str) -> str:
        """A ' (did you mean ...?)' suffix naming the closest entities' ids."""
        pool: dict[str, list[str]] = defaultdict(list)
        for names in self.by_rank:
            for name, idents in names.items():
                pool[name].extend(sorted(idents))
        close: list[str] = []
        for name in difflib.get_close_matches(key, list(pool), n=6, cutoff=0.6):
            close.extend(i for i in pool[name] if i not in close)
        if not close:
            return ""
        return " (did you mean " + " or ".join(f"'{i}'" for i in close[:3]) + "?)"


def names(store: Store) -> Names:
    """Index every name of every entity in ``store``."""
    index = Names()
    for row in store.query(PROLOGUE + _NAMES).dicts():
        ident = str(row["e"])[len(PREFIXES["id"]):]
        index.ids.add(ident)
        rank, name = int(row["rank"]), str(row["name"])
        index.by_rank[rank][normalise(name)].add(ident)
        if rank == 0:
            index.by_rank[rank][normalise(name.replace("-", " "))].add(ident)
    return index


def find_entity(store: Store, name: str) -> URIRef:
    """The IRI of the entity ``name`` names in ``store`` (see :class:`Names`)."""
    return ID[names(store).find(name)]
