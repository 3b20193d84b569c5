"""kg review (kg.review): a source's text beside the records that cite each paragraph, offline."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import ARTIFACTS, DATA, open_in_browser

from kg.cli import main
from kg.curation import read_seeds
from kg.project import init_project
from kg.review import ReviewError, find_source, review


@pytest.fixture
def project(tmp_path, monkeypatch):
    made = init_project(tmp_path / "p")
    monkeypatch.chdir(made.root)
    return made


def test_review_writes_one_offline_page(project):
    done = CliRunner().invoke(main, ["review", "001"])
    assert done.exit_code == 0, done.output
    [source] = project.sources.glob("*.txt")
    page = project.root / ".kg" / "review" / f"{source.stem}.html"
    assert done.stdout == f"wrote .kg/review/{source.stem}.html\n"
    html = page.read_text()
    assert "<script" not in html and "http://" not in html.replace("http-equiv", "")
    assert "https://" not in html
    assert (
        'id="summary">4 paragraphs, 2 cited, 2 uncited; 0 records whose entities are not named in their paragraphs.'
    ) in html
    assert '<mark title="red-hand (Red Hand) ← Red Hand rebels" data-entity="red-hand">Red Hand rebels</mark>' in html
    assert 'id="claim-red-hand-denies-raid"' in html
    assert 'disputes <a href="#claim-freeland-blames-red-hand">freeland-blames-red-hand</a>' in html
    assert "uncited: Boilerplate." in html


def test_labels_and_notes_are_escaped(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "mini", seeds)
    texts = tmp_path / "texts"
    texts.mkdir()
    text = (DATA / "texts" / "900_00000000000000aa.txt").read_text()
    (texts / "900_00000000000000aa.txt").write_text(text.replace("on the river", "on the <b onmouseover=x>river</b>"))
    corpus = read_seeds(seeds)
    html = review(corpus, find_source(corpus, "900"), texts)
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=x&gt;river&lt;/b&gt;" in html


def test_unknown_source_and_missing_text_are_one_line(project, tmp_path):
    done = CliRunner().invoke(main, ["review", "007"])
    assert done.exit_code == 1
    [source] = project.sources.glob("*.txt")
    assert done.stderr == f"error: unknown source '007' (sources: {source.stem})\n"
    corpus = read_seeds(project.seeds)
    with pytest.raises(ReviewError) as info:
        review(corpus, corpus.sources[0], tmp_path)
    assert str(info.value) == f"no text of {source.stem} in {tmp_path}: kg review shows the text beside its records"


@pytest.mark.browser
def test_review_page_in_chromium(browser, project):
    CliRunner().invoke(main, ["review", "001", "-o", "review.html"])
    page = project.root / "review.html"
    _, urls = open_in_browser(browser, page.as_uri())
    seen = browser.execute_script("""
        const marks = [...document.querySelectorAll('mark')];
        return {marks: marks.length, titles: marks.map(m => m.title),
                uncited: document.querySelectorAll('.uncited').length,
                disputed: document.querySelectorAll('.record.disputed').length,
                target: document.querySelector('a[href="#claim-freeland-blames-red-hand"]') !== null};""")
    browser.save_screenshot(str(ARTIFACTS / "review.png"))
    assert seen["marks"] == 7
    assert "freeland-border-guard (Freeland Border Guard) ← border guards" in seen["titles"]
    assert (seen["uncited"], seen["disputed"], seen["target"]) == (2, 1, True)
    assert urls == [page.as_uri()]  # the page itself, nothing else


def test_the_qualifiers_show_on_the_review_page():
    corpus = read_seeds(DATA / "qualified")
    html = review(corpus, find_source(corpus, "902"), DATA / "texts")
    assert (
        "ford-post-attack: killed ≥7, reported by freeland-border-guard" in html
        and "ford-post-attack: killed (perpetrators) of red-hand 5, part of count 1, reported by" in html
        and "ford-post-attack: fighters (perpetrators) 2 women, part of its side, reported by" in html
        and "ford-post-attack: seized 3 rifles, taken by red-hand, from freeland-border-guard" in html
        and "ford-post-arrests: detained of red-hand [suspected] 4, reported by freeland-police" in html
        and "responder: freeland-police; target: red-hand [suspected]" in html
    )
    assert "inferred: Paragraph 5 calls the attackers &#34;the gunmen&#34;" in html
    # a record cited again is linked by its opening, cut between words
    assert (
        'also: <a href="#event-ford-post-attack">event Night attack on the Ford Post (Attack, 2021-05-05) —…</a>'
        in html
    )
    assert '<div class="record disputed" id="event-ford-post-attack"' in html
    assert 'disputed by <a href="#claim-red-hand-denies-attack">red-hand-denies-attack</a>' in html
    curator = html[html.index('id="curator"') :]
    assert (
        "ford-post locatedIn freeland — the curator&#39;s knowledge: The curator knows the post is in Freeland"
        in curator
    )
