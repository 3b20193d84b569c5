"""kg serve in a real browser: headless Chromium opens the home, an entity, a named query and an
entity's network from a running server, with no console error and no request off the server.

The server is started by the tests on a free loopback port; every request the browser logs
must go to that server.
"""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS, DATA, NETWORK_SETTLED, PAGE_LOADED, open_in_browser

from kg.api import KnowledgeGraph
from kg.pipeline import compile_graph
from kg.serve import in_background
from kg.stores.memory import MemoryStore

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(kg_graph):
    with in_background(kg_graph) as url:
        yield url


def visit(driver, url: str, network: bool = False) -> tuple[list[dict], list[str]]:
    """Load ``url`` and wait until it has loaded (a network: until its layout settles):
    (console messages, URLs requested)."""
    return open_in_browser(driver, url, NETWORK_SETTLED if network else PAGE_LOADED)


def test_home_page(browser, base, kg_graph):
    from selenium.webdriver.common.by import By

    console, requests = visit(browser, base)
    browser.save_screenshot(str(ARTIFACTS / "serve-home.png"))
    assert console == []
    assert requests and all(url.startswith(base) for url in requests)
    assert base + "static/serve.css" in requests
    assert browser.find_element(By.TAG_NAME, "h1").text == "The graph"
    links = {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a")}
    assert {base + "query/" + q.name for q in kg_graph.queries()} <= links


def test_entity_page_links_its_network(browser, base):
    from selenium.webdriver.common.by import By

    console, requests = visit(browser, base + "entity/ttp")
    browser.save_screenshot(str(ARTIFACTS / "serve-entity.png"))
    assert console == []
    assert requests and all(url.startswith(base) for url in requests)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Tehrik-e-Taliban Pakistan"
    link = browser.find_element(By.LINK_TEXT, "Network")
    assert link.get_attribute("href") == base + "entity/ttp/network"


def test_named_query_page(browser, base, kg_graph):
    from selenium.webdriver.common.by import By

    console, requests = visit(browser, base + "query/allies?actor=ttp")
    browser.save_screenshot(str(ARTIFACTS / "serve-query.png"))
    assert console == []
    assert requests and all(url.startswith(base) for url in requests)
    rows = browser.find_elements(By.CSS_SELECTOR, "main table tr")
    assert len(rows) - 1 == len(kg_graph.run("allies", actor="ttp").rows)
    assert browser.find_element(By.CSS_SELECTOR, "input[name=actor]").get_attribute("value") == "ttp"


def test_network_page_draws_the_neighbourhood(browser, base, kg_graph):
    from kg.view import ViewSpec, view

    console, requests = visit(browser, base + "entity/ttp/network", network=True)
    browser.save_screenshot(str(ARTIFACTS / "serve-network.png"))
    assert console == []
    assert requests == [base + "entity/ttp/network"]  # the page inlines everything it needs
    expected = view(kg_graph.store, ViewSpec("ttp")).graph
    assert browser.execute_script(
        "const b = kgView.network.body; return [b.nodeIndices.length, b.edgeIndices.length];"
    ) == [expected.number_of_nodes(), expected.number_of_edges()]
    assert browser.title == "Tehrik-e-Taliban Pakistan: neighbourhood, depth 1"


def test_hostile_network_shows_markup_as_text(browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    graph = KnowledgeGraph(MemoryStore(compile_graph(DATA / "xss", shapes=False)))
    with in_background(graph) as url:
        for page, network in ((url + "entity/xss-group", False), (url + "entity/xss-group/network?claims=1", True)):
            console, requests = visit(browser, page, network)
            assert console == []
            assert requests and all(r.startswith(url) for r in requests)
            with pytest.raises(NoAlertPresentException):
                browser.switch_to.alert.text  # noqa: B018
            assert browser.find_elements(By.CSS_SELECTOR, "img, iframe, svg[onload], b") == []


TIMELINE_READY = "return !!(window.kgTimeline && window.kgTimeline.ready)"
ISHKOBOD = ["ishkobod-attackers-crossing", "esanboy-detentions", "ishkobod-attack"]


def test_timeline_page_draws_the_items_and_filters_them(browser, base, store):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from kg.view.timeline import timeline

    found = timeline(store)
    placed = [i.id for i in found.items if i.first]
    browser.get(base)
    browser.find_element(By.LINK_TEXT, "Timeline").click()
    console, requests = open_in_browser(browser, browser.current_url, TIMELINE_READY)
    browser.save_screenshot(str(ARTIFACTS / "serve-timeline.png"))
    assert console == []
    assert requests and all(url.startswith(base) for url in requests)
    assert base + "static/vis-timeline.min.js" in requests
    assert browser.execute_script("return kgTimeline.view.getIds();") == placed
    drawn = "return document.querySelectorAll('#kg-timeline .vis-item .kg-item-text').length;"
    assert browser.execute_script(drawn) == len(placed)
    Select(browser.find_element(By.ID, "kg-place")).select_by_value("sughd")
    assert browser.execute_script("return kgTimeline.view.getIds();") == [
        "mastchoh-operation-2013",
        "istaravshan-grenade-2013",
    ]
    assert browser.execute_script(drawn) == 2
    assert browser.get_log("browser") == []


def test_timeline_page_takes_its_filters_from_the_query(browser, base):
    from selenium.webdriver.common.by import By

    console, requests = open_in_browser(browser, base + "timeline?actor=ishkobod-attackers", TIMELINE_READY)
    assert console == []
    assert all(url.startswith(base) for url in requests)
    assert browser.execute_script("return kgTimeline.view.getIds();") == ISHKOBOD
    browser.find_element(By.CSS_SELECTOR, ".kg-item-text").click()
    assert browser.find_element(By.CSS_SELECTOR, "#kg-details .kg-card-title").text.endswith("(year inferred)")


def test_hostile_timeline_shows_markup_as_text(browser):
    from rdflib import XSD, Literal, URIRef
    from rdflib.namespace import DCTERMS
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    hostile = compile_graph(DATA / "xss", shapes=False)
    [st] = {
        s for s in hostile.subjects() if isinstance(s, URIRef) and str(s).endswith("xss-group.operatesIn.xss-state")
    }
    hostile.add((st, DCTERMS.date, Literal("2020-03-03", datatype=XSD.date)))
    with in_background(KnowledgeGraph(MemoryStore(hostile))) as url:
        console, requests = open_in_browser(browser, url + "timeline", TIMELINE_READY)
        assert console == []
        assert all(r.startswith(url) for r in requests)
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018
        assert browser.find_elements(By.CSS_SELECTOR, "img, iframe, svg[onload], b") == []
        assert (
            browser.find_element(By.CSS_SELECTOR, ".kg-item-text").text
            == "<img src=x onerror=alert(1)> operates in Markupland"
        )
