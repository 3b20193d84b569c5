"""Finding an entity by what a person types: its id, label or an alias, whatever the case or accents.

Entities, events and claims are all found (anything with an ``id:`` IRI and a
``dcterms:identifier``); an id may be typed with spaces for its hyphens
(``ishkobod attack``). An id wins over a label, a label over an alias; a name
that fits several entities equally is reported as ambiguous, an unknown one with
the closest names.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import AmbiguousName, BadParameter, UnknownEntity
from kg.vocab import DEFAULT, Namespaces

if TYPE_CHECKING:
    from rdflib import URIRef

    from kg.stores import Store

_NAMES = """
SELECT ?e ?name ?rank WHERE {
    { ?e dcterms:identifier ?name . BIND (0 AS ?rank) }
    UNION { ?e rdfs:label ?name . BIND (1 AS ?rank) }
    UNION { ?e skos:altLabel ?name . BIND (2 AS ?rank) }
    ?e dcterms:identifier ?id .
    FILTER (STRSTARTS(STR(?e), STR(id:)))
}
"""


def normalise(text: str) -> str:
    """Text folded for matching: no accents, no case, plain quotes and dashes, single spaces, and no
    format characters (a zero-width joiner or non-joiner never tells two names apart)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    text = text.translate(str.maketrans("’‘“”–—", "''\"\"--"))  # curly quotes and long dashes to plain
    return " ".join(text.casefold().split())


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean ...?)' suffix naming up to three close candidates, or ''."""
    lowered: dict[str, str] = {}
    for candidate in candidates:
        lowered.setdefault(candidate.lower(), candidate)
    close = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{lowered[c]}'" for c in close) + "?)"


@dataclass
class Names:
    """Every id, label and alias of the graph, folded by :func:`kg.validate.normalise`."""

    ids: set[str] = field(default_factory=set)
    namespaces: Namespaces = DEFAULT
    by_rank: list[dict[str, set[str]]] = field(
        default_factory=lambda: [defaultdict(set), defaultdict(set), defaultdict(set)]
    )

    def to_json(self) -> dict[str, object]:
        """The index as JSON-ready data (sorted, so the same graph gives the same bytes)."""
        return {
            "ids": sorted(self.ids),
            "by_rank": [{k: sorted(v) for k, v in sorted(rank.items())} for rank in self.by_rank],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], namespaces: Namespaces) -> Names:
        """The index :meth:`to_json` wrote."""
        index = cls(ids=set(data["ids"]), namespaces=namespaces)
        for rank, names in zip(index.by_rank, data["by_rank"], strict=True):
            for key, ids in names.items():
                rank[key] = set(ids)
        return index

    def find(self, name: str) -> str:
        """The id of the entity ``name`` names (id, ``id:`` name, IRI, label or alias)."""
        text = name.strip()
        for prefix in ("id:", str(self.namespaces.id)):
            if text.startswith(prefix) and text[len(prefix) :] in self.ids:
                return text[len(prefix) :]
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
    from kg.stores import as_literal

    index = Names(namespaces=store.namespaces)
    ids = str(store.namespaces.id)
    for row in store.query(store.namespaces.prologue + _NAMES).dicts():
        ident = str(row["e"])[len(ids) :]
        index.ids.add(ident)
        rank, name = int(as_literal(row["rank"])), str(row["name"])
        index.by_rank[rank][normalise(name)].add(ident)
        if rank == 0:
            index.by_rank[rank][normalise(name.replace("-", " "))].add(ident)
    return index


def find_entity(store: Store, name: str) -> URIRef:
    """The IRI of the entity ``name`` names in ``store`` (see :class:`Names`)."""
    return store.namespaces.id[names(store).find(name)]


def find_source(value: str, sources: list[str], ns: Namespaces = DEFAULT) -> str:
    """The id of the source ``value`` names: its id, its three-digit number or ``src:`` name."""
    text = value.strip().removeprefix("src:").removeprefix(str(ns.src))
    found = [s for s in sources if s == text or s.split("_")[0] == text]
    if len(found) == 1:
        return found[0]
    raise BadParameter(f"unknown source '{value}' (sources: {', '.join(sorted(sources)) or 'none'})")


def find_relation(value: str) -> URIRef:
    """The ``kg:`` IRI of the relation ``value`` names: ``alliedWith``, ``kg:alliedWith`` or
    its label ``allied with`` (or ``allied-with``), in any case."""
    from rdflib import RDFS

    from kg import ontology

    name = value.strip().removeprefix("kg:")
    relations = ontology.relations()
    vocab = ontology.ontology_graph()
    key = normalise(name.replace("-", " "))
    for local, term in relations.items():
        if key in (local.lower(), normalise(str(vocab.value(term, RDFS.label)).replace("-", " "))):
            return term
    raise BadParameter(f"unknown relation '{value}'{suggest(name, relations)}")


def find_type(value: str, also: Iterable[str] = ()) -> str:
    """The label of the kg class ``value`` names: ``ArmedGroup``, ``kg:ArmedGroup`` or its
    label ``armed group`` (or ``armed-group``), in any case; or the word of ``also`` it names.

    ``also`` are words a caller accepts beside the classes (the view's kinds and drawing
    categories, ``actor``, ``place``...), matched and suggested as the labels are.
    """
    from rdflib import RDFS

    from kg import ontology

    vocab = ontology.ontology_graph()
    words: dict[str, str] = {}
    for local, term in (ontology.entity_types() | ontology.event_types()).items():
        label = str(vocab.value(term, RDFS.label) or local)
        words |= {local.lower(): label, normalise(label.replace("-", " ")): label}
    words |= {normalise(word.replace("-", " ")): word for word in also}
    key = normalise(value.strip().removeprefix("kg:").replace("-", " "))
    if key in words:
        return words[key]
    raise BadParameter(f"unknown type '{value}'{suggest(value, sorted(set(words.values())))}")
