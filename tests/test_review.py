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
    page = project.root / f"{source.stem}.review.html"
    assert done.stdout == f"wrote {page.name}\n"
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
