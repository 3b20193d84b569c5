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
