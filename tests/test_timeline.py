"""kg.view.timeline: the dated events and relationships of the graph, their page, and the offline
file ``kg build`` writes (opened from disk in Chromium)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from conftest import ARTIFACTS, DATA, open_in_browser
from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.pipeline import compile_graph
from kg.stores.memory import MemoryStore
from kg.view.timeline import (
    SCRIPT,
    STYLE,
    Item,
    Party,
    days,
    item_data,
    page_data,
    precision_of,
    render_page,
    render_timeline,
    timeline,
    vendored,
)

READY = "return !!(window.kgTimeline && window.kgTimeline.ready)"
ISHKOBOD = ["ishkobod-attackers-crossing", "esanboy-detentions", "ishkobod-attack"]


@pytest.fixture(scope="module")
def curated(store):
    return timeline(store)


@pytest.fixture(scope="module")
def qualified():
    return compile_graph(DATA / "qualified")


def dated(graph, statement_end: str, date: str):
    """``graph`` with ``date`` put on the fact statement whose IRI ends with ``statement_end``."""
    out = graph.__class__()
    for triple in graph:
        out.add(triple)
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns)
    [st] = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).endswith(statement_end)}
    out.add((st, DCTERMS.date, Literal(date, datatype=XSD.date)))
    return out


# --- dates ---


def test_dates_span_their_precision():
    assert [precision_of(d) for d in ("2018", "2018-11", "2018-11-06", "--01-28")] == [
        "year",
        "month",
        "day",
        "month-day",
    ]
    assert days("2020-02") == ("2020-02-01", "2020-02-29")
    assert days("2018-11") == ("2018-11-01", "2018-11-30")
    assert days("2018-11-06") == ("2018-11-06", "2018-11-06")
    assert days("--01-28") is None


# --- the items of the curated graph ---


def test_the_ishkobod_attack_on_its_day(curated):
    [attack] = [i for i in curated.items if i.id == "ishkobod-attack"]
    assert (attack.kind, attack.title, attack.type) == ("event", "Attack on the Ishkobod border post", "attack")
    assert (attack.date, attack.precision, attack.first, attack.last, attack.when) == (
        "2018-11-06",
        "day",
        "2018-11-06",
        "2018-11-06",
        "2018-11-06",
    )
    assert attack.inferred.startswith("Month and day from paragraphs 4 and 8; year from the curator's knowledge")
    assert ("perpetrator", "ishkobod-attackers", "Ishkobod attackers", "") in [
        (p.role, p.id, p.label, p.status) for p in attack.parties
    ]
    assert attack.places == ("ishkobod-border-post", "rudaki-district", "tajikistan")
    assert "ishkobod-border-post" not in attack.actors and "ishkobod-attackers" in attack.actors
    assert (attack.source, attack.outlet) == ("002_5f06e7e4ae4f28ef", "CABAR.asia")
    data = item_data(attack)
    assert (data["start"], data["type"], data["group"]) == ("2018-11-06", "point", "event")
    assert "end" not in data
    assert data["className"] == "kg-event kg-day kg-inferred"
    assert data["text"] == "Attack on the Ishkobod border post (year inferred)"
    assert ["date", "2018-11-06 (day)"] in data["rows"]


def test_dated_relationships_span_their_years(curated):
    [studies] = [i for i in curated.items if i.id.endswith("sergey-kwan.memberOf.bishkek-polytechnic-institute")]
    assert (studies.kind, studies.title, studies.when, studies.precision) == (
        "relationship",
        "Sergey Kwan member of Bishkek Polytechnic Institute",
        "1990–1994",
        "year",
    )
    data = item_data(studies)
    assert (data["start"], data["end"], data["type"], data["group"]) == (
        "1990-01-01",
        "1995-01-01",
        "range",
        "relationship",
    )
    assert studies.cited == "The Times of Central Asia · 000_c8205b38d0f11d5b · ¶ 11"
    [times] = [i for i in curated.items if i.id.endswith("sergey-kwan.worksFor.times-of-central-asia")]
    assert (times.when, times.precision, times.first, times.last) == (
        "from 1999-03",
        "month",
        "1999-03-01",
        "1999-03-31",
    )


def test_items_are_in_date_order_each_once(curated):
    keys = [(i.first or "", i.last or "") for i in curated.items]
    assert keys == sorted(keys)
    assert len({i.id for i in curated.items}) == len(curated.items)
    assert curated.items[0].id.endswith("sergey-kwan.memberOf.bishkek-polytechnic-institute")
    assert (
        timeline(MemoryStore(compile_graph(DATA / "mini"))).items
        == timeline(MemoryStore(compile_graph(DATA / "mini"))).items
    )


def test_filters_by_actor_and_by_place_through_containment(curated):
    assert [i.id for i in curated.only(actor="ishkobod-attackers")] == ISHKOBOD
    assert [i.id for i in curated.only(place="khatlon")] == ["ishkobod-attackers-crossing"]
    assert [i.id for i in curated.only(place="sughd")] == ["mastchoh-operation-2013", "istaravshan-grenade-2013"]
    assert [i.id for i in curated.only(actor="tajik-interior-ministry", place="sughd")] == [
        "mastchoh-operation-2013",
        "istaravshan-grenade-2013",
    ]
    assert curated.only(actor="ishkobod-attackers", place="sughd") == ()
    assert ("khatlon", "Khatlon Region") in curated.places
    assert ("ishkobod-attackers", "Ishkobod attackers") in curated.actors
    assert "ishkobod-border-post" not in dict(curated.actors)


# --- the new terms: suspected, disputed events, the curator's knowledge ---


def test_suspected_parties_and_disputed_events(qualified):
    found = timeline(MemoryStore(qualified))
    items = {i.id: i for i in found.items}
    assert Party("target", "red-hand", "Red Hand", "suspected") in items["ford-post-arrests"].parties
    assert items["ford-post-attack"].disputed_by == ("red-hand-denies-attack (by Red Hand)",)
    assert items["ford-post-arrests"].disputed_by == ()
    data = item_data(items["ford-post-attack"])
    assert data["className"] == "kg-event kg-day kg-disputed"
    assert ["disputed by", "red-hand-denies-attack (by Red Hand)"] in data["rows"]
    assert ["target", "Red Hand (suspected)"] in item_data(items["ford-post-arrests"])["rows"]
    assert items["ford-post-attack"].places == ("ford-post", "freeland")  # the curator's containment


def test_a_date_worked_out_by_the_curator_says_so(qualified):
    found = timeline(MemoryStore(qualified))
    arrests = next(i for i in found.items if i.id == "ford-post-arrests")
    reason = "Paragraph 3 gives no day; the wire of 6 May reports the arrests with the attack of the night before."
    assert (arrests.inferred_part, arrests.inferred) == ("date", reason)
    data = item_data(arrests)
    assert data["text"] == "Red Hand suspects detained after the Ford Post attack (date inferred)"
    assert ["date inferred", reason] in data["rows"] and "kg-inferred" in data["className"]
    assert f'2021-05-05 <span class="kg-inferred-note" title="{reason}">(date inferred)</span>' in render_page(found)


def test_a_fact_on_the_curators_knowledge_says_so(qualified):
    found = timeline(MemoryStore(dated(qualified, "ford-post.locatedIn.freeland", "2021-05-01")))
    [fact] = [i for i in found.items if i.kind == "relationship"]
    assert fact.cited == "curator's knowledge: The curator knows the post is in Freeland; the text names the post only."
    assert (fact.source, fact.paragraphs) == ("", ())
    assert ["rests on", fact.cited] in item_data(fact)["rows"]


def test_an_item_without_a_year_is_listed_not_placed():
    item = Item("x", "event", "X", "attack", "month-day", None, None, date="--01-28")
    assert "start" not in item_data(item)
    assert item.when == "--01-28"


# --- the page ---


def test_undated_events_are_listed_beside_the_timeline(curated):
    assert [ident for ident, _ in curated.undated] == [
        "ja-operation-vanj-2023-04",
        "qabodiyon-counter-recruitment-2013",
        "militants-crossing-khatlon-2026-01",
        "kizil-nishon-arrests-2013",
        "ja-shootout-2023-08",
        "tajik-crackdown-imu-2013",
        "khatlon-operation-2026-01",
        "taliban-seize-andsf-equipment",
        "unsc-counter-terrorism-briefing-2023",
        "us-withdrawal-afghanistan",
    ]
    assert not {ident for ident, _ in curated.undated} & {i.id for i in curated.items}
    page = render_page(curated)
    assert '<h2 id="kg-undated-heading">Undated events (10)</h2>' in page
    assert "<li>Tajik forces kill four militants in Khatlon (khatlon-operation-2026-01)</li>" in page


def test_the_offline_file_is_deterministic_and_loads_nothing(graph, files):
    page = files["timeline.html"]
    assert page == render_timeline(graph)["timeline.html"]
    text = page.decode("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert "<link" not in text and text.count("<script") == 3
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", text, re.DOTALL)
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert vendored(SCRIPT) in text and vendored(STYLE) in text
    assert "sourceMappingURL" not in text


def test_the_table_lists_the_filtered_items(curated):
    text = render_page(curated, actor="ishkobod-attackers", inline=False, home="/")
    shown = re.findall(r'<tr data-id="([^"]+)" class', text)
    assert shown == ISHKOBOD
    assert len(re.findall(r"<tr data-id", text)) == len(curated.items)
    assert '<option value="ishkobod-attackers" selected>Ishkobod attackers</option>' in text
    assert f"{len(ISHKOBOD)} of {len(curated.items)} items" in text
    assert '<script src="/static/vis-timeline.min.js"></script>' in text


def test_page_data_holds_every_placed_item(curated):
    data = page_data(curated, "t")
    assert [i["id"] for i in data["items"]] == [i.id for i in curated.items if i.first]
    assert [g["id"] for g in data["groups"]] == ["event", "relationship"]


def test_hostile_labels_stay_text():
    hostile = compile_graph(DATA / "xss", shapes=False)
    found = timeline(MemoryStore(dated(hostile, "xss-group.operatesIn.xss-state", "2020-03-03")))
    [fact] = found.items
    assert fact.title == "<img src=x onerror=alert(1)> operates in Markupland"
    text = render_page(found)
    assert "<img" not in text.replace("<img src=x onerror=alert(1)>", "", 0)
    assert "&lt;img src=x onerror=alert(1)&gt; operates in Markupland" in text
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in text  # in the data block, escaped


# --- in Chromium, from disk ---


@pytest.mark.browser
def test_exports_timeline_opens_from_file(browser, files, tmp_path, curated):
    from selenium.webdriver.support.ui import Select

    page = tmp_path / "timeline.html"
    page.write_bytes(files["timeline.html"])
    url = page.as_uri()
    console, requests = open_in_browser(browser, url, READY)
    browser.save_screenshot(str(ARTIFACTS / "timeline-file.png"))
    assert console == []
    assert requests == [url]
    placed = [i.id for i in curated.items if i.first]
    assert browser.execute_script("return kgTimeline.view.getIds();") == placed
    drawn = browser.execute_script("return document.querySelectorAll('#kg-timeline .vis-item .kg-item-text').length;")
    assert drawn == len(placed)
    Select(browser.find_element("id", "kg-actor")).select_by_value("ishkobod-attackers")
    assert browser.execute_script("return kgTimeline.view.getIds();") == ISHKOBOD
    assert (
        browser.execute_script("return document.querySelectorAll('#kg-timeline .vis-item .kg-item-text').length;") == 3
    )
    rows = browser.execute_script(
        "return [...document.querySelectorAll('#kg-items tbody tr:not([hidden])')].map(r => r.dataset.id);"
    )
    assert rows == ISHKOBOD
    assert browser.find_element("id", "kg-count").text == f"3 of {len(curated.items)} items"
    assert browser.get_log("browser") == []


@pytest.mark.browser
def test_exports_timeline_takes_its_filters_from_the_url(browser, files, tmp_path):
    page = tmp_path / "timeline.html"
    page.write_bytes(files["timeline.html"])
    console, _ = open_in_browser(browser, page.as_uri() + "?place=sughd", READY)
    assert console == []
    assert browser.execute_script("return kgTimeline.view.getIds();") == [
        "mastchoh-operation-2013",
        "istaravshan-grenade-2013",
    ]
