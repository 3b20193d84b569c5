"""kg.view: what a view spec draws (`view()`), its errors, and the pages `kg build` writes."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.release import render_exports
from kg.view import ViewSpec, render_views, select, view

SOURCE = "900_00000000000000aa"


def ids(net) -> tuple[list[str], list[str]]:
    return sorted(net), sorted(key for _, _, key in net.edges(keys=True))


def test_neighbourhood_by_id_alias_and_label(mini, full):
    assert ids(select(full, ViewSpec("red-hand", claims=False))) == (
        ["freeland", "red-hand"],
        [f"{SOURCE}.red-hand.targets.freeland"],
    )
    assert ids(view(mini, ViewSpec("RH")).graph) == (
        ["ford-post-raid", "freeland", "red-hand"],
        [f"{SOURCE}.red-hand.targets.freeland", "freeland-blames-red-hand.1"],
    )
    assert sorted(view(mini, ViewSpec("red hand", depth=2, claims=True)).graph) == [
        "ford-post",
        "ford-post-raid",
        "freeland",
        "freeland-border-guard",
        "red-hand",
    ]
    assert sorted(view(mini, ViewSpec("Red Hand", depth=0)).graph) == ["red-hand"]
    assert view(mini, ViewSpec("RH")).filename == "red-hand.html"


@pytest.mark.parametrize(
    "spec, message",
    [
        (ViewSpec("red-hnd"), "unknown entity 'red-hnd' (did you mean 'red-hand'?)"),
        (
            ViewSpec(relations=("alliedwth",)),
            "unknown relation 'alliedwth' (did you mean 'alliedWith' or 'affiliatedWith'?)",
        ),
        (ViewSpec(types=("armed",)), "unknown type 'armed' (did you mean 'armed group'?)"),
        (ViewSpec(since="2020-02-30"), "impossible date '2020-02-30': day is out of range for month"),
        (ViewSpec(until="--03-01"), "'--03-01' has no year: give YYYY, YYYY-MM or YYYY-MM-DD"),
        (ViewSpec(relations=("alliedWith",)), "nothing to draw: no entity matches the filters"),
    ],
)
def test_bad_specs(mini, spec, message):
    with pytest.raises(KgError) as err:
        view(mini, spec)
    assert str(err.value) == message


def test_build_writes_the_network_and_a_page_per_armed_group(mini):
    views = render_views(mini.graph())
    assert sorted(views) == ["groups/red-hand.html", "network.html"]
    files = render_exports(mini.graph())
    assert files["network.html"] == views["network.html"]
