"""kg.view on the model's qualifiers (``tests/data/qualified``): suspected parties, an event a
claim disputes, facts on the curator's knowledge, an unnamed claimant; claimants named by label;
claims drawn by default, as on the pages ``kg build`` writes, and hidden by the page's box."""

from __future__ import annotations

import pytest
from conftest import DATA, NETWORK_SETTLED, open_in_browser

from kg.pipeline import compile_graph
from kg.stores.memory import MemoryStore
from kg.view import ViewSpec, annotated, page_data, render_views, select, view

QUALIFIED = "902_00000000000000cc"


@pytest.fixture(scope="module")
def qualified():
    return MemoryStore(compile_graph(DATA / "qualified"))


@pytest.fixture(scope="module")
def data(qualified):
    return page_data(select(annotated(qualified), ViewSpec()), "t")


def test_a_suspected_party_says_so(data):
    key = f"{QUALIFIED}.ford-post-arrests.target.red-hand"
    card = data["details"]["edges"][key]
    assert (card["subtitle"], card["rows"]) == (
        "fact (suspected)",
        [["relation", "target"], ["status", "fact (suspected)"]],
    )
    assert data["edgeLabels"][key] == "target (suspected)"
    assert data["edgeLabels"][f"{QUALIFIED}.ford-post-attack.perpetrator.red-hand"] == "perpetrator"


def test_a_disputed_event_is_marked(data):
    card = data["details"]["nodes"]["ford-post-attack"]
    assert ["disputed by", "red-hand-denies-attack (by Red Hand)"] in card["rows"]
    [node] = [n for n in data["nodes"] if n["id"] == "ford-post-attack"]
    assert (node["borderWidth"], node["color"]["border"]) == (3, "#cc0000")
    [other] = [n for n in data["nodes"] if n["id"] == "ford-post-arrests"]
    assert "borderWidth" not in other


def test_facts_on_the_curators_knowledge_are_drawn_without_a_source(data):
    card = data["details"]["edges"][f"{QUALIFIED}.ford-post.locatedIn.freeland"]
    assert card == {
        "title": "Ford Post → located in → Freeland",
        "subtitle": "fact, on the curator's knowledge",
        "rows": [
            ["relation", "locatedIn"],
            ["status", "fact"],
            [
                "rests on",
                "curator's knowledge: The curator knows the post is in Freeland; the text names the post only.",
            ],
        ],
        "sources": [],
    }
    assert data["details"]["nodes"]["freeland"]["sources"] == []  # its only edges rest on the curator


def test_an_unnamed_claimant_is_named_by_its_label(data):
    card = data["details"]["edges"]["official-blames-blue-hand.1"]
    assert card["subtitle"] == "claim by an unnamed official"
    assert ["reported by", "Test wire"] in card["rows"]


def test_claimants_are_named_by_label_even_outside_the_view(mini):
    drawn = view(mini, ViewSpec("ford-post-raid", relations=("perpetrator",)))
    assert sorted(drawn.graph) == ["ford-post-raid", "red-hand"]  # Freeland, the claimant, is not drawn
    data = page_data(drawn.graph, "t")
    assert data["details"]["edges"]["freeland-blames-red-hand.1"]["subtitle"] == "disputed claim by Freeland"


def test_kg_view_and_the_group_pages_draw_the_same(mini):
    assert view(mini, ViewSpec("red-hand")).html == render_views(mini.graph())["groups/red-hand.html"]
    facts = view(mini, ViewSpec("red-hand", claims=False))
    assert sorted(k for _, _, k in facts.graph.edges(keys=True)) == ["900_00000000000000aa.red-hand.targets.freeland"]
    assert page_data(facts.graph, "t")["claimEdges"] == []
    assert page_data(view(mini, ViewSpec("red-hand")).graph, "t")["claimEdges"] == ["freeland-blames-red-hand.1"]


@pytest.mark.browser
def test_the_page_hides_claims_with_its_box(browser, tmp_path, mini):
    from selenium.webdriver.common.by import By

    page = tmp_path / "red-hand.html"
    page.write_bytes(render_views(mini.graph())["groups/red-hand.html"])
    console, requests = open_in_browser(browser, page.as_uri(), NETWORK_SETTLED)
    assert (console, requests) == ([], [page.as_uri()])
    shown = "return kgView.network.body.data.edges.get({filter: e => !e.hidden}).map(e => e.id).sort();"
    assert browser.execute_script(shown) == [
        "900_00000000000000aa.red-hand.targets.freeland",
        "freeland-blames-red-hand.1",
    ]
    box = browser.find_element(By.ID, "kg-claims")
    assert box.is_displayed() and box.is_selected()
    box.click()
    assert browser.execute_script(shown) == ["900_00000000000000aa.red-hand.targets.freeland"]
    box.click()
    assert len(browser.execute_script(shown)) == 2
    assert browser.get_log("browser") == []
