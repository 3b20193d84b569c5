"""kg draft (kg.draft): the next source id, the text kept in the project, a skeleton to fill."""

from __future__ import annotations

import hashlib
import os
import threading
import unicodedata

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.project import init_project

ARTICLE = """Test wire

Red Hand's fighters cross the river again, Freeland says

FORD CITY, 4 May 2021 (Test wire) - The Red-Hand rebels attacked the Ford Post overnight, Freeland's border guards said, adding that five of the attackers were killed.

Officials of the Blue Valley Council said the RH is backed by the Northern Legion. It is unclear who is right.

Subscribe to our newsletter
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    made = init_project(tmp_path / "p")
    monkeypatch.chdir(made.root)
    return made


def _draft(tmp_path, text: str):
    article = tmp_path / "article.txt"
    article.write_text(text)
    return CliRunner().invoke(main, ["draft", str(article)]), article


def test_draft_keeps_the_text_and_writes_a_skeleton(project, tmp_path):
    done, article = _draft(tmp_path, ARTICLE)
    source = "002_" + hashlib.sha256(ARTICLE.encode()).hexdigest()[:16]
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        f"source {source}: text in sources/{source}.txt, 9 mentions found\nwrote seeds/sources/{source}.yaml\n"
    )
    assert (project.sources / f"{source}.txt").read_text() == ARTICLE
    assert article.exists()  # the user's copy stays where it was
    lines = (project.seeds / "sources" / f"{source}.yaml").read_text().splitlines()
    assert lines[4:8] == [
        f"source: {source}",
        'title: "Red Hand\'s fighters cross the river again, Freeland says"',
        "outlet: test-wire",
        "date: 2021-05-04",
    ]
    assert lines[8:10] == [
        "# One fingerprint per paragraph of the text, in order: kg validate says which cited",
        "# paragraphs differ in the copy it reads.",
    ]
    assert lines[17:25] == [
        "# ¶3 FORD CITY, 4 May 2021 (Test wire) - The Red-Hand rebels atta…",
        "#   names: test-wire ('Test wire'), red-hand ('Red-Hand rebels' as 'Red Hand rebels'),",
        "#      ford-post ('Ford Post'), freeland ('Freeland'), freeland-border-guard ('border guards')",
        "#   new names: FORD CITY",
        "#   dates: 4 May 2021",
        "#   figures: five",
        "# ¶4 Officials of the Blue Valley Council said the RH is backed b…",
        "#   names: red-hand ('RH')",
    ]
    assert lines[-3:] == ["facts: []", "events: []", "claims: []"]
    checked = CliRunner().invoke(main, ["validate", "--seeds", "seeds"])
    assert checked.exit_code == 0, checked.output  # it invents no records, and parses


def test_a_surname_alone_is_listed_with_the_full_name(project, tmp_path):
    text = (
        "Guards fight rebels\n\nThe guards' spokesman, Arman Tolib, said about 40 rebels came.\n\n"
        "Tolib said at least 19 were detained.\n"
    )
    done, _ = _draft(tmp_path, text)
    assert done.exit_code == 0, done.output
    [skeleton] = (project.seeds / "sources").glob("002_*.yaml")
    lines = skeleton.read_text().splitlines()
    assert "#   new names: Arman Tolib" in lines and "#   figures: about 40" in lines
    assert "#   new names: Tolib (short for Arman Tolib)" in lines and "#   figures: at least 19" in lines


def test_what_the_text_does_not_say_is_left_todo(project, tmp_path):
    done, _ = _draft(tmp_path, "Rebels seen near the river\n\nNobody knows who they are.\n")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[1].endswith(" (fill in: outlet, date)")


def test_an_article_already_in_the_project_is_refused(project, tmp_path):
    [text] = project.sources.glob("*.txt")
    done = CliRunner().invoke(main, ["draft", str(text)])
    assert done.exit_code == 1
    assert done.stderr == f"error: {text} is already source {text.stem}\n"


def test_the_next_number_follows_the_highest(project, tmp_path):
    (project.sources / "017_0123456789abcdef.txt").write_text("x\n")
    done, _ = _draft(tmp_path, ARTICLE)
    assert done.stdout.startswith("source 018_")


def test_a_project_without_source_texts_is_told_how(tmp_path, monkeypatch):
    made = init_project(tmp_path / "p")
    config = made.config.read_text().replace('sources = "sources"', "")
    made.config.write_text(config)
    monkeypatch.chdir(made.root)
    done, _ = _draft(tmp_path, ARTICLE)
    assert done.exit_code == 1
    assert done.stderr == (
        f"error: {made.config} names no 'sources' folder for source texts: add sources = \"sources\" under [project]\n"
    )


def test_mentions_of_a_source_by_number(project, tmp_path):
    _draft(tmp_path, ARTICLE)
    done = CliRunner().invoke(main, ["mentions", "002"])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[:4] == [
        "paragraph  words            entity                 alias",
        "---------  ---------------  ---------------------  ---------------",
        "1          Test wire        test-wire              Test wire",
        "2          Red Hand         red-hand               Red Hand",
    ]
    assert done.stdout.splitlines()[-1] == "(9 mentions)"
    missing = CliRunner().invoke(main, ["mentions", "009"])
    assert missing.stderr == "error: no such article: 009 (give a text file or a source of sources)\n"


def test_a_todo_left_is_one_line_each(project, tmp_path):
    done, _ = _draft(tmp_path, "Rebels seen near the river\n\nNobody knows who they are.\n")
    [skeleton] = [p for p in (project.seeds / "sources").glob("002_*.yaml")]
    checked = CliRunner().invoke(main, ["validate", "--seeds", "seeds"])
    assert checked.exit_code == 1
    assert checked.stderr.splitlines() == [
        f"seeds/sources/{skeleton.name}:7: 'outlet' is still TODO: fill it in, or remove the line",
        f"seeds/sources/{skeleton.name}:8: 'date' is still TODO: fill it in, or remove the line",
        "2 problems found",
    ]


def test_a_cited_paragraph_changed_in_the_text_is_reported(project):
    [text] = project.sources.glob("*.txt")
    [source] = (project.seeds / "sources").glob("*.yaml")
    paragraphs = [line for line in text.read_text().splitlines() if line.strip()]
    from kg.curation import fingerprint

    fingerprints = ", ".join(fingerprint(p) for p in paragraphs)
    source.write_text(
        source.read_text().replace("outlet: test-wire\n", f"outlet: test-wire\nfingerprints: [{fingerprints}]\n")
    )
    assert CliRunner().invoke(main, ["validate"]).exit_code == 0
    text.write_text(text.read_text().replace("drove them back", "pushed them back"))
    checked = CliRunner().invoke(main, ["validate"])
    assert checked.exit_code == 1
    changed = (
        f"paragraph 3 of {source.stem} is not the paragraph this was curated from "
        "(the text was edited, or is another version): check this pointer"
    )
    assert checked.stderr.splitlines() == [  # every pointer into paragraph 3: the registry's and the source's
        f"seeds/entities/registry.yaml:11: {changed}",
        f"seeds/sources/{source.name}:9: {changed}",
        f"seeds/sources/{source.name}:23: {changed}",
        "3 problems found",
    ]


def test_unmatched_names_are_never_searched_and_must_be_names(project, tmp_path):
    registry = project.seeds / "entities" / "registry.yaml"
    registry.write_text(
        registry.read_text().replace(
            "  aliases: [border guards]\n", "  aliases: [border guards]\n  unmatched: [border guards]\n"
        )
    )
    done = CliRunner().invoke(main, ["mentions", "001"])
    assert "freeland-border-guard" not in done.stdout
    registry.write_text(registry.read_text().replace("unmatched: [border guards]", "unmatched: [guards]"))
    checked = CliRunner().invoke(main, ["validate", "--seeds", "seeds"])
    assert checked.stderr.splitlines()[0] == (
        "seeds/entities/registry.yaml:15: unmatched name 'guards' is not a name of 'freeland-border-guard' "
        "(its label or one of its aliases)"
    )


# --- what is read, and how the number is taken ---


def _files(project) -> set[str]:
    return {p.relative_to(project.root).as_posix() for p in project.root.rglob("*") if p.is_file()}


def _draft_no_hang(article: str):
    """``kg draft ARTICLE``; a hang (a FIFO opened) fails the test after 10 s instead of stopping the run."""
    import signal

    def hung(*_: object) -> None:
        raise TimeoutError("kg draft did not return within 10 s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 10)
    try:
        return CliRunner().invoke(main, ["draft", article])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: os.mkfifo(p), "a named pipe (FIFO), not a regular file: not read"),
        (lambda p: p.symlink_to("/dev/zero"), "a device, not a regular file: not read"),
        (
            lambda p: p.write_bytes(b"x" * 2_000_001),
            "2,000,001 bytes: a source text is at most 2,000,000 bytes (is it an article?)",
        ),
    ],
    ids=["FIFO", "symlink to /dev/zero", "over 2 MB"],
)
def test_only_a_regular_file_of_bounded_size_is_drafted(project, tmp_path, make, reason):
    before = _files(project)
    article = tmp_path / "article.txt"
    make(article)
    done = _draft_no_hang(str(article))
    assert (done.exit_code, done.stderr) == (1, f"error: {article}: {reason}\n")
    assert _files(project) == before


def test_a_device_named_directly_is_refused(project):
    done = _draft_no_hang("/dev/zero")
    assert (done.exit_code, done.stderr) == (1, "error: /dev/zero: a device, not a regular file: not read\n")


def test_a_text_of_one_long_line_is_refused_at_that_line(project, tmp_path):
    before = _files(project)
    done, article = _draft(tmp_path, "Headline\n\n" + "x" * 20_001 + "\n")
    assert (done.exit_code, done.stderr) == (
        1,
        f"error: {article}:3: a paragraph of 20,001 characters: a paragraph (a non-blank line) is at most "
        "20,000 (break the text into its paragraphs)\n",
    )
    assert _files(project) == before


def test_format_characters_of_the_article_are_escaped_in_the_comments(project, tmp_path):
    text = "Rebels\u202e seen\n\nThe Red\u200b Hand and the \u2066Freeland\u2069 guards met\u00ad.\n"
    done, _ = _draft(tmp_path, text)
    assert done.exit_code == 0, done.output
    [skeleton] = (project.seeds / "sources").glob("002_*.yaml")
    lines = skeleton.read_text(encoding="utf-8").splitlines()
    assert lines[5] == 'title: "Rebels\\\\u202e seen"'
    assert "# ¶2 The Red\\u200b Hand and the \\u2066Freeland\\u2069 guards met\\xad." in lines
    assert not any(unicodedata.category(c) == "Cf" for c in skeleton.read_text(encoding="utf-8"))


def test_two_drafts_at_once_take_two_numbers(project, tmp_path, monkeypatch):
    from kg import draft as drafting
    from kg.curation import read_seeds

    real, meeting = drafting.next_source_id, threading.Barrier(2, timeout=1)

    def numbered(*args):
        found = real(*args)
        try:
            meeting.wait()  # without a lock both drafts are here at once, holding one number
        except threading.BrokenBarrierError:
            pass  # with it, the first waited alone: the second cannot number until the first has written
        return found

    monkeypatch.setattr(drafting, "next_source_id", numbered)
    corpus = read_seeds(project.seeds)
    made = []
    articles = [tmp_path / "a.txt", tmp_path / "b.txt"]
    articles[0].write_text(ARTICLE)
    articles[1].write_text(ARTICLE.replace("five", "six"))
    threads = [threading.Thread(target=lambda a=a: made.append(drafting.draft(project, corpus, a))) for a in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(d.source[:3] for d in made) == ["002", "003"]
    assert sorted(p.name[:3] for p in (project.seeds / "sources").glob("00[23]_*.yaml")) == ["002", "003"]
    assert CliRunner().invoke(main, ["validate", "--seeds", "seeds"]).exit_code == 0


def test_a_draft_waits_for_another_numbering_then_says_so(project, tmp_path, monkeypatch):
    import fcntl

    from kg import draft as drafting

    monkeypatch.setattr(drafting, "LOCK_WAIT", 0.2)
    held = os.open(project.seeds / "sources", os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # another kg draft, numbering
        done, _ = _draft(tmp_path, ARTICLE)
    finally:
        os.close(held)
    assert (done.exit_code, done.stderr) == (
        1,
        "error: another kg draft has been numbering a source in seeds/sources for 0.2 seconds: "
        "run this one again when it is done\n",
    )
    assert _draft(tmp_path, ARTICLE)[0].exit_code == 0
