"""kg.view.html: how a view is drawn, the page offline, deterministic and inert, and in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ARTIFACTS, DATA, NETWORK_SETTLED, open_in_browser

from kg import ontology
from kg.pipeline import compile_graph
from kg.stores.memory import MemoryStore
from kg.view import (
    CATEGORIES,
    FAMILIES,
    ViewSpec,
    annotated,
    category,
    node_size,
    page_data,
    render_html,
    render_views,
    select,
    view,
)

XSS = DATA / "xss"
SOURCE = "900_00000000000000aa"
PAYLOAD = "<img src=x onerror=alert(1)>"


# --- the vocabulary of the drawing ---


def test_every_relation_has_one_family():
    members = [r for _, _, rels in FAMILIES.values() for r in rels]
    assert sorted(members) == sorted(ontology.relations())


def test_every_type_has_a_category():
    kinds = {
        **{t: "actor" for t in ontology.actor_types()},
        **{t: "place" for t in ontology.place_types() - ontology.actor_types()},
        **{t: "document" for t in ontology.document_types()},
        **{t: "event" for t in ontology.event_types()},
    }
    graph = ontology.ontology_graph()
    from rdflib import RDFS

    labels = {
        name: str(graph.value(iri, RDFS.label))
        for name, iri in (ontology.entity_types() | ontology.event_types()).items()
    }
    got = {name: category({"type": labels[name], "kind": kinds[name]}) for name in sorted(kinds)}
    assert {k: v for k, v in got.items() if v not in ("place", "event", "organisation")} == {
        "ArmedGroup": "armed group",
        "Document": "document",
        "GovernmentBody": "government body",
        "MediaOutlet": "media outlet",
        "Person": "person",
        "State": "state",
    }
    assert got["BorderPost"] == "place" and got["Attack"] == "event"
    assert got["InternationalOrganisation"] == "organisation"
    assert set(got.values()) == set(CATEGORIES)


# --- how it is drawn ---


def test_nodes_and_edges_are_styled_by_type_relation_and_status(full):
    data = page_data(select(full, ViewSpec(claims=True)), "t")
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {e["id"]: e for e in data["edges"]}
    assert (nodes["red-hand"]["shape"], nodes["red-hand"]["color"]["background"]) == ("diamond", "#d62728")
    assert nodes["red-hand"]["size"] == node_size(2) == 15.7
    assert (nodes["freeland"]["shape"], nodes["ford-post"]["shape"]) == ("square", "triangleDown")
    assert nodes["ford-post-raid"]["shape"] == "box"
    fact = edges[f"{SOURCE}.red-hand.targets.freeland"]
    disputed = edges["freeland-blames-red-hand.1"]
    assert (fact["dashes"], fact["color"]["color"], fact["arrows"]["middle"]["enabled"]) == (False, "#d62728", False)
    assert (disputed["dashes"], disputed["color"]["color"], disputed["arrows"]["middle"]) == (
        [2, 5],
        "#f28e2b",
        {"enabled": True, "type": "bar", "scaleFactor": 0.8},
    )
    # the raid's target and responder are one pair of nodes: bent apart, both visible
    assert {
        edges[f"{SOURCE}.ford-post-raid.{r}.freeland-border-guard"]["smooth"]["type"]
        for r in ("target", "respondingForce")
    } == {"curvedCW", "curvedCCW"}
    assert data["edgeLabels"]["freeland-blames-red-hand.1"] == "perpetrator (disputed)"
    assert data["subtitle"] == "6 entities, 7 relationships"
    assert data["options"]["layout"]["randomSeed"] == 7
    assert data["legend"]["status"] == [["fact", False], ["disputed", [2, 5]]]
    assert [row[0] for row in data["legend"]["nodes"]] == [
        "armed group",
        "state",
        "government body",
        "media outlet",
        "place",
        "event",
    ]


def test_details_name_sources_with_their_outlet(full):
    data = page_data(select(full, ViewSpec(claims=True)), "t")
    assert data["details"]["nodes"]["red-hand"] == {
        "title": "Red Hand",
        "subtitle": "armed group",
        "rows": [["id", "red-hand"], ["aliases", "RH, Red Hand rebels"], ["connections", "2"]],
        "sources": [["Test wire", SOURCE, "¶ 2"]],
    }
    assert data["details"]["nodes"]["ford-post-raid"]["sources"] == [["Test wire", SOURCE, "¶ 2, 3"]]
    assert data["details"]["edges"]["freeland-blames-red-hand.1"] == {
        "title": "Raid on the Ford Post → perpetrator → Red Hand",
        "subtitle": "disputed claim by Freeland",
        "rows": [
            ["relation", "perpetrator"],
            ["status", "disputed"],
            ["claim", "Freeland says the Red Hand carried out the raid."],
            ["claim id", "freeland-blames-red-hand"],
            ["reported by", "Test wire"],
        ],
        "sources": [["Test wire", SOURCE, "¶ 2"]],
    }


REMOTE = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//|<link\b""", re.IGNORECASE
)


def test_page_links_nothing_remote(full):
    page = render_html(select(full, ViewSpec(claims=True)), "t").decode()
    assert REMOTE.findall(page) == []
    assert page.count("</script>") == 3  # the data, vis-network, the page's own code
    assert "default-src 'none'" in page


def test_page_is_deterministic(mini):
    first = view(mini, ViewSpec(claims=True)).html
    assert first == view(mini, ViewSpec(claims=True)).html
    assert b"randomSeed" in first


def test_markup_in_the_data_stays_text():
    store = MemoryStore(compile_graph(XSS, shapes=False))
    drawn = view(store, ViewSpec("xss-group", claims=True))
    page = drawn.html.decode()
    head, rest = page.split('id="kg-data">')
    block = rest.split("</script>")[0]
    assert "<img" not in head and "<" not in block
    data = json.loads(block)
    assert data["details"]["nodes"]["xss-group"]["title"] == PAYLOAD
    assert drawn.filename == "xss-group.html"
    title = view(store, ViewSpec("<img src=x onerror=alert(1)>")).html.decode()
    assert "<title>&lt;img src=x onerror=alert(1)&gt;: neighbourhood, depth 1</title>" in title


# --- in Chromium ---


def open_page(driver, path: Path) -> tuple[list[dict], list[str]]:
    """Load a page and wait until its layout settles: (console messages, URLs requested)."""
    return open_in_browser(driver, path.as_uri(), NETWORK_SETTLED)


def drawn(driver) -> dict:
    return driver.execute_script("""
        const body = kgView.network.body;
        return {nodes: body.nodeIndices.length, edges: body.edgeIndices.length,
                physics: kgView.network.physics.physicsEnabled};""")


def overlapping_labels(driver) -> list:
    return driver.execute_script("""
        const n = kgView.network, ids = n.body.nodeIndices, out = [];
        const boxes = ids.map(id => n.getBoundingBox(id));
        for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
                out.push([ids[i], ids[j]]);
        }
        return out;""")


def hover(driver, node: str) -> str:
    """Move the mouse onto ``node`` and return the tooltip's text."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    at = driver.execute_script(
        "const n = kgView.network; return n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]]);", node
    )
    canvas = driver.find_element(By.CSS_SELECTOR, "#kg-graph canvas")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(
        canvas, round(at["x"] - size["width"] / 2), round(at["y"] - size["height"] / 2)
    ).perform()
    tooltip = driver.find_element(By.ID, "kg-tooltip")
    WebDriverWait(driver, 10).until(lambda d: tooltip.is_displayed())
    return tooltip.text


@pytest.mark.browser
def test_real_network_in_chromium(browser, tmp_path, store, files):
    page = tmp_path / "network.html"
    page.write_bytes(files["network.html"])  # as `kg build` writes it
    console, requests = open_page(browser, page)
    browser.save_screenshot(str(ARTIFACTS / "view-network.png"))
    projection = annotated(store)  # the projection with claims, and the facts on the curator's knowledge
    assert console == []
    assert requests == [page.as_uri()]
    assert drawn(browser) == {
        "nodes": projection.number_of_nodes(),
        "edges": projection.number_of_edges(),
        "physics": False,
    }
    assert overlapping_labels(browser) == []


@pytest.mark.browser
def test_hovering_a_node_shows_its_sources(browser, tmp_path, mini):
    page = tmp_path / "red-hand.html"
    page.write_bytes(render_views(mini.graph())["groups/red-hand.html"])
    console, requests = open_page(browser, page)
    assert (console, requests) == ([], [page.as_uri()])
    assert drawn(browser) == {"nodes": 3, "edges": 2, "physics": False}
    assert hover(browser, "red-hand").splitlines() == [
        "Red Hand",
        "armed group",
        "id",
        "red-hand",
        "aliases",
        "RH, Red Hand rebels",
        "connections",
        "2",
        "Sources",
        f"Test wire · {SOURCE} · ¶ 2",
    ]
    browser.save_screenshot(str(ARTIFACTS / "view-hover.png"))


@pytest.mark.browser
def test_markup_shows_as_text_and_runs_nothing(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    page = tmp_path / "xss.html"
    store = MemoryStore(compile_graph(XSS, shapes=False))
    page.write_bytes(view(store, ViewSpec("xss-group", claims=True)).html)
    console, requests = open_page(browser, page)
    assert (console, requests) == ([], [page.as_uri()])
    text = hover(browser, "xss-group")
    browser.save_screenshot(str(ARTIFACTS / "view-xss.png"))
    assert text.splitlines()[:6] == [
        PAYLOAD,
        "armed group",
        "id",
        "xss-group",
        "aliases",
        '"><svg onload=alert(3)>, <script>alert(2)</script>',
    ]
    assert "<b onmouseover=alert(5)>Wire</b> · 900_00000000000000aa · ¶ 1, 2" in text
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.find_elements(By.CSS_SELECTOR, "img, iframe, b") == []
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 3
