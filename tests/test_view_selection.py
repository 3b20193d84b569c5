"""kg.view.selection: the annotated projection and what a spec selects (entity, relations, types, dates)."""

from __future__ import annotations

import pytest

from kg.errors import ViewError
from kg.network import to_networkx
from kg.view import ViewSpec, in_window, select

SOURCE = "900_00000000000000aa"


def ids(net) -> tuple[list[str], list[str]]:
    return sorted(net), sorted(key for _, _, key in net.edges(keys=True))


def test_annotated_adds_outlets_summaries_and_event_passages(full):
    assert full.nodes["ford-post-raid"] == {
        "id": "ford-post-raid",
        "label": "Raid on the Ford Post",
        "type": "attack",
        "kind": "event",
        "aliases": (),
        "date": "2020-03-03",
        "source": SOURCE,
        "paragraphs": (2, 3),
        "outlet": "Test wire",
    }
    edge = full.edges["ford-post-raid", "red-hand", "freeland-blames-red-hand.1"]
    assert edge["status"] == "disputed" and edge["outlet"] == "Test wire"
    assert edge["summary"] == "Freeland says the Red Hand carried out the raid."


def test_whole_graph_is_the_projection(mini, full):
    net = select(full, ViewSpec(claims=True))
    projection = to_networkx(mini, claims=True)
    assert ids(net) == ids(projection)
    assert ids(select(full, ViewSpec())) == ids(net)  # claims are drawn by default
    assert ids(select(full, ViewSpec(claims=False))) == ids(to_networkx(mini))


def test_filters_by_relation_type_and_date(full):
    assert ids(select(full, ViewSpec(relations=("part of", "locatedIn")))) == (
        ["ford-post", "freeland", "freeland-border-guard"],
        [f"{SOURCE}.ford-post.locatedIn.freeland", f"{SOURCE}.freeland-border-guard.partOf.freeland"],
    )
    assert sorted(select(full, ViewSpec(types=("place", "State")))) == ["ford-post", "freeland"]
    assert sorted(select(full, ViewSpec(types=("kg:ArmedGroup", "Government-Body")))) == [
        "freeland-border-guard",
        "red-hand",
    ]
    assert sorted(select(full, ViewSpec(types=("event",)))) == ["ford-post-raid"]
    # the raid (2020-03-03) and its edges go; undated facts stay
    assert sorted(select(full, ViewSpec(since="2021", claims=True))) == [
        "ford-post",
        "freeland",
        "freeland-border-guard",
        "red-hand",
    ]
    assert "ford-post-raid" in select(full, ViewSpec(since="2020-03", until="2020-03-03"))
    assert "ford-post-raid" not in select(full, ViewSpec(until="2020-03-02"))


def test_date_windows():
    assert in_window({"date": "2018"}, "2018-12-31", None)
    assert not in_window({"date": "2018-01"}, "2018-02-01", None)
    assert in_window({"start": "1999-03"}, "2024-01-01", "2024-12-31")
    assert not in_window({"start": "1996", "end": "1997"}, "1998-01-01", None)
    assert in_window({"date": "--01-28"}, "2030-01-01", None)
    assert in_window({}, "2030-01-01", "2030-12-31")


def test_select_takes_an_id(full):
    with pytest.raises(ViewError, match="^'RH' is not a node of the graph to draw$"):
        select(full, ViewSpec("RH"))
