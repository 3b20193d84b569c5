"""kg.names: finding entities by id, label or alias (any case or accents), with suggestions."""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal
from rdflib.namespace import DCTERMS, SKOS

from kg.errors import AmbiguousName, UnknownEntity
from kg.names import names
from kg.stores.memory import MemoryStore
from kg.vocab import ID


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("ttp", "ttp"),
        ("id:ttp", "ttp"),
        (str(ID.ttp), "ttp"),
        ("TTP", "ttp"),
        ("Tehrik-e-Taliban Pakistan", "ttp"),
        ("pakistani  TALIBAN", "ttp"),
        ("Taliban", "afghan-taliban"),
        ("Kurgan-Tyube", "qurghonteppa"),
        ("ishkobod attack", "ishkobod-attack"),
        ("Qurghonteppa", "qurghonteppa"),
        ("DUSHANBÉ", "dushanbe"),
        ("zubov-is-airlift", "zubov-is-airlift"),
    ],
)
def test_find_by_id_label_or_alias(kg_graph, name, ident):
    assert kg_graph.find(name) == ident


def test_unknown_names_suggest_the_closest(kg_graph):
    with pytest.raises(
        UnknownEntity,
        match=r"^unknown entity 'Islamic Stat' \(did you mean "
        r"'islamic-state' or 'islamic-state-khorasan'\?\)$",
    ):
        kg_graph.find("Islamic Stat")
    with pytest.raises(UnknownEntity, match=r"^unknown entity 'xyzzy'$"):
        kg_graph.find("xyzzy")


def test_a_name_of_two_entities_is_ambiguous():
    graph = Graph()
    for ident in ("north-a", "north-b"):
        graph.add((ID[ident], DCTERMS.identifier, Literal(ident)))
        graph.add((ID[ident], RDFS.label, Literal(f"Region {ident[-1]}")))
        graph.add((ID[ident], SKOS.altLabel, Literal("The North")))
    with pytest.raises(
        AmbiguousName,
        match=r"^'the north' names several entities: "
        r"north-a, north-b$",
    ):
        names(MemoryStore(graph)).find("the north")
    assert names(MemoryStore(graph)).find("Region A") == "north-a"


def test_a_zero_width_joiner_or_non_joiner_never_tells_two_names_apart():
    from kg.names import normalise

    assert normalise("Ca\u200dfe") == normalise("Cafe") == "cafe"
    assert normalise("Jamaat\u200c-e Ansar\ufeff") == "jamaat-e ansar"
    graph = Graph()
    graph.add((ID["cafe"], DCTERMS.identifier, Literal("cafe")))
    graph.add((ID["cafe"], RDFS.label, Literal("Ca\u200dfe")))
    assert names(MemoryStore(graph)).find("CAFE") == "cafe"
