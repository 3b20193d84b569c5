"""kg.serve.pages: the home, search, entity and named-query pages, over HTTP from a running server.

The hostile fixture ``tests/data/xss`` (labels, aliases, titles and notes that are markup)
must show as text: no tag of it reaches a page unescaped.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import DATA
from test_serve import get

from kg.api import KnowledgeGraph
from kg.pipeline import compile_graph
from kg.serve import in_background
from kg.serve.app import CSP
from kg.stores.memory import MemoryStore

HTML = "text/html; charset=utf-8"


@pytest.fixture(scope="module")
def base(kg_graph):
    with in_background(kg_graph) as url:
        yield url


@pytest.fixture(scope="module")
def hostile():
    graph = KnowledgeGraph(MemoryStore(compile_graph(DATA / "xss", shapes=False)))
    with in_background(graph) as url:
        yield url


def page(url: str) -> tuple[int, str, str]:
    status, media, body = get(url)
    return status, media, body.decode("utf-8")


def cells(html: str) -> list[list[str]]:
    """The rows of the page's last table, as the text of their cells (tags dropped)."""
    table = html.rsplit("<table>", 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table)
        if "<td>" in row
    ]


def test_home_counts_the_graph_and_lists_the_named_queries(base, kg_graph):
    status, media, html = page(base)
    assert (status, media) == (200, HTML)
    assert '<form action="/search" method="get"' in html
    for query in kg_graph.queries():
        assert f'<a href="/query/{query.name}">' in html
    assert re.search(r"<th>triples</th><td>\d+</td>", html)


def test_search_finds_by_alias_and_suggests_when_nothing_matches(base):
    status, _, html = page(base + "search?q=pakistani+taliban")
    assert status == 200
    assert cells(html) == [["ttp", "pakistani taliban"]]
    _, _, html = page(base + "search?q=talibn")
    assert "Did you mean " in html
    assert '<a href="/entity/afghan-taliban">afghan-taliban</a>' in html


def test_entity_page_shows_the_profile_with_links(base, kg_graph):
    status, media, html = page(base + "entity/ttp")
    assert (status, media) == (200, HTML)
    assert "<h1>Tehrik-e-Taliban Pakistan</h1>" in html
    profile = kg_graph.show("ttp")
    assert f"<h2>Relationships ({len(profile.relationships)})</h2>" in html
    assert (
        '<tr><td><a href="/entity/ttp">ttp</a></td><td>alliedWith</td>'
        '<td><a href="/entity/afghan-taliban">afghan-taliban</a></td><td></td><td>fact</td>'
        '<td><a href="#source-001_084b21e3a6584c55">001</a> ¶18</td></tr>'
    ) in html


def test_unknown_entity_is_a_404_with_did_you_mean(base):
    status, _, html = page(base + "entity/talibn")
    assert status == 404
    assert "did you mean &#39;afghan-taliban&#39;" in html


def test_named_query_page_has_a_form_and_its_results_with_links(base, kg_graph):
    status, _, html = page(base + "query/allies")
    assert status == 200
    assert '<input name="actor" value="" required>' in html
    status, _, html = page(base + "query/allies?actor=" + urllib.parse.quote("Pakistani Taliban"))
    assert status == 200
    expected = kg_graph.run("allies", actor="ttp")
    assert len(cells(html)) == len(expected.rows) == 7
    assert cells(html)[3][:4] == ["id:ttp", "kg:alliedWith", "id:afghan-taliban", "fact"]
    assert '<td><a href="/entity/ttp">id:ttp</a></td>' in html
    assert "<p>(7 rows)</p>" in html


def test_a_bad_parameter_is_shown_on_the_query_page(base):
    status, _, html = page(base + "query/allies?actor=nobody-at-all")
    assert status == 400
    assert '<p class="error">unknown entity' in html


@pytest.mark.parametrize("path", ["", "search?q=script", "search?q=%3Cimg", "entity/xss-group", "entity/xss-claim"])
def test_hostile_labels_show_as_text(hostile, path):
    status, media, html = page(hostile + path)
    assert (status, media) == (200, HTML)
    for tag in ("<script", "<img", "<svg", "<iframe", "<b onmouseover"):
        assert tag not in html.lower()


def test_hostile_entity_page_shows_the_markup_escaped(hostile):
    _, _, html = page(hostile + "entity/xss-group")
    assert "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in html  # the source's title


def test_a_query_name_that_is_markup_is_escaped(hostile):
    status, _, html = page(hostile + "query/" + urllib.parse.quote("<img src=x onerror=alert(1)>", safe=""))
    assert status == 404
    assert "<img" not in html
    assert "unknown query &#39;&lt;img src=x onerror=alert(1)&gt;&#39;" in html


def test_the_stylesheet_is_the_one_file_a_page_loads(base):
    status, media, body = get(base + "static/serve.css")
    assert (status, media) == (200, "text/css; charset=utf-8")
    _, _, html = page(base + "entity/ttp")
    assert re.findall(r'(?:src|href)="(?!/|#)([^"]*)"', html) == []


def test_entity_page_shows_the_cited_paragraphs_read_from_the_source_texts():
    graph = KnowledgeGraph(MemoryStore(compile_graph(DATA / "mini", shapes=False)))
    with in_background(graph, texts=DATA / "texts") as url:
        _, _, html = page(url + "entity/red-hand")
    with in_background(graph) as url:
        _, _, without = page(url + "entity/red-hand")
    quote = (
        "<blockquote><b>¶2</b> The Red Hand rebels raided the Ford Post on the river on 3 March 2020, "
        "officials of Freeland said.</blockquote>"
    )
    assert quote in html
    assert "<blockquote><b>¶3</b> Freeland&#39;s border guards drove them back" in html
    assert "<blockquote>" not in without


def test_a_source_text_missing_or_not_a_file_shows_no_passages(tmp_path):
    import os

    graph = KnowledgeGraph(MemoryStore(compile_graph(DATA / "mini", shapes=False)))
    with in_background(graph, texts=tmp_path) as url:  # no text of the source there
        status, _, missing = page(url + "entity/red-hand")
    os.mkfifo(tmp_path / "900_00000000000000aa.txt")  # a FIFO would block a reader
    with in_background(graph, texts=tmp_path) as url:
        fifo_status, _, fifo = page(url + "entity/red-hand")
    assert (status, fifo_status) == (200, 200)
    assert "<blockquote>" not in missing and "<blockquote>" not in fifo


def network(url: str) -> tuple[int, list[str], str]:
    """Status, Content-Security-Policy headers and body of a network page."""
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=30) as found:
            return found.status, found.headers.get_all("content-security-policy"), found.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get_all("content-security-policy"), err.read().decode()


def test_network_page_is_the_view_of_kg_view_with_its_scripts_allowed_by_hash(base, kg_graph):
    from kg.serve.pages import network_csp
    from kg.view import ViewSpec, view

    status, policies, html = network(base + "entity/ttp/network")
    drawn = view(kg_graph.store, ViewSpec("ttp")).html
    assert status == 200
    assert html.encode() == drawn
    assert policies == [network_csp(drawn)]  # its own policy only, not the pages' as well
    directives = dict(d.strip().split(" ", 1) for d in policies[0].split(";"))
    assert directives["default-src"] == "'none'"
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}=' 'sha256-[A-Za-z0-9+/]{43}='", directives["script-src"])
    assert (directives["style-src"], directives["img-src"]) == ("'unsafe-inline'", "data:")
    _, _, deeper = network(base + "entity/Pakistani%20Taliban/network?depth=2&claims=1")
    assert deeper.encode() == view(kg_graph.store, ViewSpec("ttp", 2, claims=True)).html


def test_network_page_refuses_what_it_cannot_draw(base, kg_graph):
    claim = kg_graph.show("ttp").claims_about[0].id
    for path, expected in (
        ("entity/nobody-at-all/network", 404),
        ("entity/ttp/network?depth=4", 400),
        ("entity/ttp/network?depth=x", 400),
        (f"entity/{claim}/network", 400),
    ):
        status, policies, html = network(base + path)
        assert (status, policies) == (expected, [CSP])  # an error page, under the pages' policy: no script
        assert "<script" not in html


def test_entity_page_links_its_network_but_a_claim_has_none(base, kg_graph):
    _, _, html = page(base + "entity/ttp")
    assert '<a href="/entity/ttp/network">Network</a>' in html
    claim = kg_graph.show("ttp").claims_about[0].id
    _, _, html = page(base + "entity/" + claim)
    assert "/network" not in html


# --- the timeline ---


def test_timeline_page_lists_the_items_of_an_actor_with_its_own_policy(base, store):
    from kg.serve.pages import TIMELINE_CSP
    from kg.view.timeline import render_page, timeline

    status, policies, html = network(base + "timeline?actor=Ishkobod%20attackers")
    assert (status, policies) == (200, [TIMELINE_CSP])
    assert html == render_page(timeline(store), "ishkobod-attackers", inline=False, home="/")
    assert re.findall(r'<tr data-id="([^"]+)" class', html) == [
        "ishkobod-attackers-crossing",
        "esanboy-detentions",
        "ishkobod-attack",
    ]
    assert re.findall(r'(?:src|href)="(?!/|#)([^"]*)"', html) == []
    _, _, by_place = page(base + "timeline?place=khatlon")
    assert re.findall(r'<tr data-id="([^"]+)" class', by_place) == ["ishkobod-attackers-crossing"]


def test_timeline_page_names_an_unknown_filter(base):
    status, _, html = page(base + "timeline?place=khatlonn")
    assert status == 404
    assert "unknown entity &#39;khatlonn&#39; (did you mean &#39;khatlon&#39;?)" in html


def test_timeline_scripts_are_served_from_the_package(base):
    from kg.view.timeline import SCRIPT, vendored

    status, media, body = get(base + "static/vis-timeline.min.js")
    assert (status, media) == (200, "text/javascript; charset=utf-8")
    assert body.decode("utf-8") == vendored(SCRIPT)
    for name, media in (
        ("vis-timeline.min.css", "text/css"),
        ("timeline.js", "text/javascript"),
        ("timeline.css", "text/css"),
    ):
        assert get(base + "static/" + name)[:2] == (200, media + "; charset=utf-8")
    assert get(base + "static/other.js")[0] == 404


def test_home_and_entity_pages_link_the_timeline(base):
    _, _, home = page(base)
    assert '<a href="/timeline">Timeline</a>' in home
    _, _, entity = page(base + "entity/khatlon")
    assert '<a href="/timeline?place=khatlon">Timeline</a>' in entity
    _, _, actor = page(base + "entity/ttp")
    assert '<a href="/timeline?actor=ttp">Timeline</a>' in actor


def test_query_page_says_what_the_query_leaves_out(base, kg_graph):
    dates = {"from": "2000-01-01", "to": "2030-12-31"}
    notes = kg_graph.run("events", **dates).notes
    assert notes and notes[0].startswith("left out: ") and "undated events" in notes[0]
    _, _, html = page(base + "query/events?" + urllib.parse.urlencode(dates))
    assert re.findall(r'<p class="note">(.*?)</p>', html) == notes


def test_an_events_page_shows_its_figures_with_their_reporters_and_its_disputes(base):
    status, _, html = page(base + "entity/ishkobod-attack")
    assert status == 200
    assert "<h2>Figures (" in html
    assert "<li>4-5 detained: Ministry of Internal Affairs of Tajikistan 4, Tajik Border Service 5</li>" in html
    assert "<li>17 killed</li>" in html
    assert (
        '<dt>date</dt><dd>2018-11-06<br><span class="note">year inferred: Month and day from paragraphs 4 and 8; '
        "year from the curator&#39;s knowledge (see the source&#39;s date).</span></dd>"
    ) in html
    figures = html.split("<h2>Figures (", 1)[1].split("</section>", 1)[0]
    seized = next(r for r in cells(figures) if r[:1] == ["seized"])
    assert seized[3:8] == ["5", "firearms", "ishkobod-attackers", "tajik-border-service", "tajik-border-service"]
    status, _, crossing = page(base + "entity/ishkobod-attackers-crossing")
    assert (
        '<dt>disputed by</dt><dd><a href="/entity/afghan-mod-denies-crossing">afghan-mod-denies-crossing</a>'
        in crossing
    )


def test_a_fact_on_the_curators_knowledge_and_a_suspected_role_say_so(base):
    _, _, html = page(base + "entity/qabodiyon-district")
    assert "<td>the curator's knowledge: Qabodiyon (Kabadiyan) is a district of Khatlon region" in html
    _, _, html = page(base + "entity/kizil-nishon-arrests-2013")
    assert "<td>fact (suspected)</td>" in html
