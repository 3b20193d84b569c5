"""Views: what is selected and how it is drawn, the page offline and inert, and in Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, REPO

from kg import ontology
from kg.cli import main
from kg.errors import KgError, ViewError
from kg.network import to_networkx
from kg.pipeline import compile_graph
from kg.release import render_exports
from kg.stores.memory import MemoryStore
from kg.view import (
    CATEGORIES,
    FAMILIES,
    ViewSpec,
    annotated,
    category,
    in_window,
    node_size,
    page_data,
    render_html,
    render_views,
    select,
    view,
)

MINI = DATA / "mini"
XSS = DATA / "xss"
ARTIFACTS = REPO / "test-artifacts"
SOURCE = "900_00000000000000aa"
PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def mini() -> MemoryStore:
    return MemoryStore(compile_graph(MINI, shapes=False))


@pytest.fixture(scope="module")
def full(mini):
    return annotated(mini)


def ids(net) -> tuple[list[str], list[str]]:
    return sorted(net), sorted(key for _, _, key in net.edges(keys=True))


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


# --- the annotated projection and what a spec selects ---


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
    assert ids(select(full, ViewSpec())) == ids(to_networkx(mini))


def test_neighbourhood_by_id_alias_and_label(mini, full):
    assert ids(select(full, ViewSpec("red-hand"))) == (
        ["freeland", "red-hand"],
        [f"{SOURCE}.red-hand.targets.freeland"],
    )
    assert ids(view(mini, ViewSpec("RH", claims=True)).graph) == (
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


def test_select_takes_an_id(full):
    with pytest.raises(ViewError, match="^'RH' is not a node of the graph to draw$"):
        select(full, ViewSpec("RH"))


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


def test_build_writes_the_network_and_a_page_per_armed_group(mini):
    views = render_views(mini.graph())
    assert sorted(views) == ["groups/red-hand.html", "network.html"]
    files = render_exports(mini.graph())
    assert files["network.html"] == views["network.html"]


# --- the command ---


def test_view_command_writes_the_page(tmp_path):
    runner = CliRunner()
    out = tmp_path / "rh.html"
    result = runner.invoke(main, ["view", "RH", "--seeds", str(MINI), "--include-claims", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (3 entities, 2 relationships)\n"
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(main, ["view", "--seeds", str(MINI), "--relation", "partOf"])
        assert result.output == "wrote network.html (2 entities, 1 relationship)\n"
        assert Path("network.html").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["red-hnd"], "unknown entity 'red-hnd' (did you mean 'red-hand'?)"),
        (
            ["freeland-blames-red-hand"],
            "'freeland-blames-red-hand' is a claim, not a node: views draw entities and events (a claim is an edge)",
        ),
        (["--type", "actors"], "unknown type 'actors' (did you mean 'actor'?)"),
        (["--since", "2020-13"], "impossible date '2020-13': month must be in 1..12"),
    ],
)
def test_view_command_reports_one_line_errors(args, message):
    result = CliRunner().invoke(main, ["view", *args, "--seeds", str(MINI)])
    assert (result.exit_code, result.output) == (1, f"error: {message}\n")


@pytest.mark.parametrize("spelling", ["partOf", "kg:partOf", "part of", "part-of", "PART-OF", "partof"])
def test_view_and_neighbors_take_the_same_relation_names(spelling, tmp_path):
    runner = CliRunner()
    out = str(tmp_path / "v.html")
    drawn = runner.invoke(main, ["view", "--seeds", str(MINI), "--relation", spelling, "-o", out])
    near = runner.invoke(main, ["neighbors", "freeland", "--seeds", str(MINI), "--relation", spelling])
    assert (drawn.exit_code, near.exit_code) == (0, 0), drawn.output + near.output
    assert drawn.output.endswith("(2 entities, 1 relationship)\n")
    assert "freeland-border-guard  government body" in near.output


@pytest.mark.parametrize(
    "spelling, hint",
    [("part_of", " (did you mean 'partOf'?)"), ("aliedWith", " (did you mean 'alliedWith' or 'affiliatedWith'?)")],
)
def test_view_and_neighbors_refuse_the_same_relation_names(spelling, hint, tmp_path):
    runner = CliRunner()
    out = str(tmp_path / "v.html")
    drawn = runner.invoke(main, ["view", "--seeds", str(MINI), "--relation", spelling, "-o", out])
    near = runner.invoke(main, ["neighbors", "freeland", "--seeds", str(MINI), "--relation", spelling])
    error = f"error: unknown relation '{spelling}'{hint}\n"
    assert (drawn.exit_code, drawn.output, near.exit_code, near.output) == (1, error, 1, error)


# --- in Chromium ---

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
]


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing (CI=true: browser tests must run)")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test, logging console and network."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium")
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        _missing("chromium or chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, path: Path) -> tuple[list[dict], list[str]]:
    """Load a page and wait until its layout settles: (console messages, URLs requested)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri())
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return !!(window.kgView && window.kgView.ready)"))
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return driver.get_log("browser"), requests


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
def test_real_network_in_chromium(browser, tmp_path):
    store = MemoryStore(compile_graph(REPO / "seeds", shapes=False))
    page = tmp_path / "network.html"
    page.write_bytes(render_views(store.graph())["network.html"])
    console, requests = open_page(browser, page)
    browser.save_screenshot(str(ARTIFACTS / "view-network.png"))
    projection = to_networkx(store, claims=True)
    assert console == []
    assert requests == [page.as_uri()]
    assert drawn(browser) == {
        "nodes": projection.number_of_nodes(),
        "edges": projection.number_of_edges(),
        "physics": False,
    }
    assert overlapping_labels(browser) == []


@pytest.mark.browser
def test_hovering_a_node_shows_its_sources(browser, tmp_path):
    page = tmp_path / "red-hand.html"
    page.write_bytes(render_views(compile_graph(MINI, shapes=False))["groups/red-hand.html"])
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
