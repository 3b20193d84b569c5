"""Hostile and unlucky seeds: each is one line FILE:LINE: message from `kg validate`, `kg build` and a
command that compiles the cache, never a traceback, a hang or a written file.

Every case copies ``tests/data/mini`` into a project in ``tmp_path`` and breaks it one way.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, MINI

from kg import cache, seedfiles, seedyaml
from kg.cli import main
from kg.curation import read_seeds
from kg.project import load_project

REGISTRY = "entities/registry.yaml"
SOURCE = "sources/900_00000000000000aa.yaml"


@pytest.fixture
def seeds(tmp_path, monkeypatch) -> Path:
    """A project in ``tmp_path`` (the working directory) whose seeds are a copy of the mini fixture."""
    (tmp_path / "kg.toml").write_text('[project]\nbase = "https://example.org/t/"\n')
    shutil.copytree(MINI, tmp_path / "seeds")
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "nodes.csv").write_text("an earlier build\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "seeds"


def run(*args: str) -> tuple[int, list[str]]:
    """Run kg; a hang (a FIFO opened) fails the test after 10 s instead of stopping the run."""

    def hung(*_: object) -> None:
        raise TimeoutError("kg did not return within 10 s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 10)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(result.exception, SystemExit | None), result.exception  # a traceback is a bug
    return result.exit_code, result.stderr.splitlines()


def edit(seeds: Path, name: str, old: str, new: str) -> None:
    path = seeds / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def entity(**fields: str) -> str:
    """One registry entry as YAML text (values written as given)."""
    return "- " + "\n  ".join(f"{key}: {value}" for key, value in fields.items()) + "\n"


# --- the cases: each breaks the seeds one way and expects these lines ---


def _laughs(seeds: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{b}: &{b} [{','.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
    (seeds / "entities" / "laughs.yaml").write_text("\n".join(lines) + "\n")  # 9 lines, 10^9 'lol' if expanded


def _recursive(seeds: Path) -> None:
    (seeds / "entities" / "loop.yaml").write_text(entity(id="x", type="State", label="X", parent="&p {up: *p}"))


def _repeated(seeds: Path) -> None:
    text = entity(id="x", type="State", label="X", description=f"&d {'a' * 100_000}")
    (seeds / "entities" / "many.yaml").write_text(text + "  aliases: [" + ", ".join(["*d"] * 11) + "]\n")


def _deep(seeds: Path) -> None:
    (seeds / "entities" / "deep.yaml").write_text("[" * 20_000 + "]" * 20_000 + "\n")


def _values(seeds: Path) -> None:
    (seeds / "entities" / "wide.yaml").write_text("[" + ", ".join(["a"] * (seedyaml.MAX_VALUES + 1)) + "]\n")


def _big(seeds: Path) -> None:
    with open(seeds / "entities" / "big.yaml", "wb") as out:
        out.truncate(seedfiles.MAX_BYTES + 1)  # sparse: written in no time


def _outside(seeds: Path) -> None:
    (seeds.parent / "outside.yaml").write_text(entity(id="outsider", type="State", label="Outsider"))
    (seeds / "entities" / "outside.yaml").symlink_to("../../outside.yaml")


def _fifo(seeds: Path) -> None:
    os.mkfifo(seeds / "entities" / "x.yaml")


def _device(seeds: Path) -> None:
    try:
        os.mknod(seeds / "entities" / "zero.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("making a device node needs root; the symlink to /dev/zero case covers devices")


def _unreadable(seeds: Path) -> None:
    path = seeds / "entities" / "locked.yaml"
    path.write_text(entity(id="locked", type="State", label="Locked"))
    path.chmod(0)


def _deny_as_root(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads a mode-000 file: make opening it fail as it does for anyone else."""
    if os.geteuid() != 0:
        return
    real, target = os.open, os.path.realpath(seeds / "entities" / "locked.yaml")

    def denied(name: str, flags: int, *args: int, **kwargs: int) -> int:
        if os.fspath(name) == target:
            raise PermissionError(errno.EACCES, "Permission denied", name)
        return real(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)


def _fewer_values(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound is tested, not the parser's speed on 100,000 values."""
    monkeypatch.setattr(seedyaml, "MAX_VALUES", 1_000)


M = "seeds/entities"
CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    # YAML
    "alias bomb": (_laughs, [f"{M}/laughs.yaml:1: YAML anchor '&a' on a list: an anchor may name only a text"]),
    "recursive alias": (
        _recursive,
        [f"{M}/loop.yaml:4: YAML anchor '&p' on a mapping: an anchor may name only a text"],
    ),
    "aliases repeating a long text": (
        _repeated,
        [f"{M}/many.yaml:5: YAML aliases repeat more than 1,000,000 characters: write the text out"],
    ),
    "20,000 nested lists": (_deep, [f"{M}/deep.yaml:1: nested more than 50 levels deep: seed files are flat"]),
    "too many values": (_values, [f"{M}/wide.yaml:1: more than 1,000 values in one file: split it"]),
    "file over 1 MB": (_big, [f"{M}/big.yaml:0: 1,000,001 bytes: a seed file is at most 1,000,000 bytes (split it)"]),
    "NUL byte in the file": (
        lambda s: (s / "entities" / "x.yaml").write_text(entity(id="x", type="State", label="X\0")),
        [f"{M}/x.yaml:3: control character U+0000 (NUL) in the file: remove it"],
    ),
    "lone CR in the file": (
        lambda s: (s / "entities" / "x.yaml").write_text(entity(id="x", type="State", label="X\rY")),
        [f"{M}/x.yaml:3: control character U+000D (CR) in the file: remove it"],
    ),
    "not UTF-8": (
        lambda s: (s / "entities" / "x.yaml").write_bytes(
            entity(id="x", type="State", label="X").encode() + b"#\xff\n"
        ),
        [f"{M}/x.yaml:4: not UTF-8 text: invalid start byte"],
    ),
    "a list as a key": (
        lambda s: edit(s, REGISTRY, "  label: Freeland\n", "  label: Freeland\n  ? [a, b]\n  : c\n"),
        [f"{M}/registry.yaml:5: a key must be text"],
    ),
    # files
    "symlink leaving the seeds folder": (
        _outside,
        [
            f"{M}/outside.yaml:0: symlink to '../../outside.yaml', outside the seeds folder: not read (copy the file in instead)"
        ],
    ),
    "FIFO named x.yaml": (_fifo, [f"{M}/x.yaml:0: a named pipe (FIFO), not a regular file: not read"]),
    "symlink to /dev/zero": (
        lambda s: (s / "entities" / "zero.yaml").symlink_to("/dev/zero"),
        [f"{M}/zero.yaml:0: symlink to '/dev/zero', outside the seeds folder: not read (copy the file in instead)"],
    ),
    "device node": (_device, [f"{M}/zero.yaml:0: a device, not a regular file: not read"]),
    "folder named x.yaml": (
        lambda s: (s / "entities" / "x.yaml").mkdir(),
        [f"{M}/x.yaml:0: a folder, not a regular file: not read"],
    ),
    "symlink loop": (
        lambda s: ((s / "entities" / "a.yaml").symlink_to("b.yaml"), (s / "entities" / "b.yaml").symlink_to("a.yaml")),
        [f"{M}/a.yaml:0: symlink loop: not read", f"{M}/b.yaml:0: symlink loop: not read"],
    ),
    "dangling symlink": (
        lambda s: (s / "entities" / "gone.yaml").symlink_to("nowhere.yaml"),
        [f"{M}/gone.yaml:0: symlink to 'nowhere.yaml', which does not exist: not read"],
    ),
    "unreadable file": (_unreadable, [f"{M}/locked.yaml:0: cannot read: Permission denied"]),
    "file name with an escape": (
        lambda s: (s / "entities" / "x\x1b[2J.yaml").write_text("[]\n"),
        [f"{M}:0: file name 'x\\x1b[2J.yaml' is not printable: rename it"],
    ),
    # names of files and folders
    ".yml file": (
        lambda s: (s / "entities" / "more.yml").write_text(entity(id="x", type="State", label="X")),
        [f"{M}/more.yml:0: rename it to more.yaml: seed files end in .yaml"],
    ),
    "empty source file": (
        lambda s: (s / "sources" / "901_00000000000000bb.yaml").write_text("# to do\n"),
        ["seeds/sources/901_00000000000000bb.yaml:1: a source file must be a mapping of keys to values"],
    ),
    "README.txt in sources": (
        lambda s: (s / "sources" / "README.txt").write_text("notes\n"),
        [
            "seeds/sources/README.txt:0: unexpected file: sources/ holds only *.yaml files (move it out of the seeds folder)"
        ],
    ),
    "passages.yml": (
        lambda s: (s / "passages.yaml").rename(s / "passages.yml"),
        ["seeds/passages.yml:0: rename it to passages.yaml"],
    ),
    "missing sources folder": (
        lambda s: shutil.rmtree(s / "sources"),
        ["seeds/sources:0: no sources folder: the seeds folder holds entities/, sources/ and passages.yaml"],
    ),
    "sources is a file": (
        lambda s: (shutil.rmtree(s / "sources"), (s / "sources").write_text("")),
        ["seeds/sources:0: not a folder: the seeds folder holds entities/, sources/ and passages.yaml"],
    ),
    # values
    "ESC in a label": (
        lambda s: edit(s, REGISTRY, "label: Red Hand\n", 'label: "Red \\e[31mHand"\n'),
        [f"{M}/registry.yaml:7: control character U+001B (ESC) in 'label': remove it"],
    ),
    "BEL in an alias": (
        lambda s: edit(s, REGISTRY, "[Red Hand rebels, RH]", '[Red Hand rebels, "R\\aH"]'),
        [f"{M}/registry.yaml:8: control character U+0007 (BEL) in 'aliases': remove it"],
    ),
    "CR in a description": (
        lambda s: edit(s, REGISTRY, "  label: Freeland\n", '  label: Freeland\n  description: "a\\rb"\n'),
        [f"{M}/registry.yaml:5: control character U+000D (CR) in 'description': remove it"],
    ),
    "NUL in an id": (
        lambda s: (s / "entities" / "nul.yaml").write_text(entity(id='"free\\0land"', type="State", label="X")),
        [f"{M}/nul.yaml:1: control character U+0000 (NUL) in 'id': remove it"],
    ),
    "C1 control (CSI) in a claim id": (
        lambda s: edit(s, SOURCE, "id: red-hand-denies-raid", 'id: "red-hand-\\x9b2J"'),
        [f"seeds/{SOURCE}:23: control character U+009B in 'id': remove it"],
    ),
    "right-to-left override in an alias": (
        lambda s: edit(s, REGISTRY, "[Red Hand rebels, RH]", '[Red Hand rebels, "\\u202eHR"]'),
        [f"{M}/registry.yaml:8: control character U+202E (RIGHT-TO-LEFT OVERRIDE) in 'aliases': remove it"],
    ),
    "line break in an outlet id": (
        lambda s: edit(s, SOURCE, "outlet: test-wire\n", 'outlet: "test-wire\\nok"\n'),
        [f"seeds/{SOURCE}:3: control character U+000A (LF) in 'outlet': remove it"],
    ),
    "escape in a key": (
        lambda s: edit(s, REGISTRY, "  label: Freeland\n", '  label: Freeland\n  "\\e]0;x\\a": 1\n'),
        [f"{M}/registry.yaml:5: control character U+001B (ESC) in a key: remove it"],
    ),
    "| in an alias": (
        lambda s: edit(s, REGISTRY, "[Red Hand rebels, RH]", '[Red Hand rebels, "RH|Reds"]'),
        [f"{M}/registry.yaml:8: '|' in alias 'RH|Reds': '|' separates aliases in the exports"],
    ),
    "| in a label": (
        lambda s: edit(s, REGISTRY, "label: Red Hand\n", "label: Red|Hand\n"),
        [f"{M}/registry.yaml:7: '|' in label 'Red|Hand': '|' separates names in the exports"],
    ),
    "empty label": (
        lambda s: edit(s, REGISTRY, "label: Freeland\n", 'label: ""\n'),
        [f"{M}/registry.yaml:4: empty label: an entity needs one with a letter or digit"],
    ),
    "label of a zero-width space": (
        lambda s: edit(s, REGISTRY, "label: Freeland\n", 'label: "\\u200b "\n'),
        [f"{M}/registry.yaml:4: control character U+200B (ZERO WIDTH SPACE) in 'label': remove it"],
    ),
    "label of a zero-width non-joiner": (
        lambda s: edit(s, REGISTRY, "label: Freeland\n", 'label: "\\u200c "\n'),
        [f"{M}/registry.yaml:4: empty label: an entity needs one with a letter or digit"],
    ),
    "lone surrogate in an alias": (
        lambda s: edit(s, REGISTRY, "[Red Hand rebels, RH]", '[Red Hand rebels, RH, "R\\ud800H"]'),
        [f"{M}/registry.yaml:8: lone surrogate U+D800 in 'aliases': write the character itself (or one \\U escape)"],
    ),
    "lone surrogate in a description": (
        lambda s: edit(s, REGISTRY, "  label: Freeland\n", '  label: Freeland\n  description: "half \\udfff"\n'),
        [
            f"{M}/registry.yaml:5: lone surrogate U+DFFF in 'description': write the character itself (or one \\U escape)"
        ],
    ),
    "lone surrogate in a key": (
        lambda s: edit(s, REGISTRY, "  label: Freeland\n", '  label: Freeland\n  "\\ud83d": 1\n'),
        [f"{M}/registry.yaml:5: lone surrogate U+D83D in a key: write the character itself (or one \\U escape)"],
    ),
    "right-to-left mark in a label": (
        lambda s: edit(s, REGISTRY, "label: Red Hand\n", 'label: "Red\\u200f Hand"\n'),
        [f"{M}/registry.yaml:7: control character U+200F (RIGHT-TO-LEFT MARK) in 'label': remove it"],
    ),
    "soft hyphen in an alias": (
        lambda s: edit(s, REGISTRY, "[Red Hand rebels, RH]", "[Red Hand rebels, R\u00adH]"),
        [f"{M}/registry.yaml:8: control character U+00AD (SOFT HYPHEN) in 'aliases': remove it"],
    ),
    "byte-order mark inside an id": (
        lambda s: (s / "entities" / "bom.yaml").write_text(entity(id="bom\ufeffland", type="State", label="Bom")),
        [f"{M}/bom.yaml:1: control character U+FEFF (ZERO WIDTH NO-BREAK SPACE) in 'id': remove it"],
    ),
    "arabic letter mark in a claim id": (
        lambda s: edit(s, SOURCE, "id: red-hand-denies-raid", 'id: "red-hand-\\u061cdenies-raid"'),
        [f"seeds/{SOURCE}:23: control character U+061C (ARABIC LETTER MARK) in 'id': remove it"],
    ),
    "a name that differs by a zero-width joiner": (
        lambda s: (s / "entities" / "cafe.yaml").write_text(
            entity(id="cafe", type="State", label="Cafe") + entity(id="cafe-two", type="State", label='"Ca\\u200dfe"')
        ),
        [f"{M}/cafe.yaml:4: alias 'Ca\\u200dfe' of 'cafe-two' is already a name of 'cafe'"],
    ),
    "empty alias": (
        lambda s: edit(s, REGISTRY, "[Red Hand rebels, RH]", '[Red Hand rebels, " "]'),
        [f"{M}/registry.yaml:8: empty alias: an alias needs a letter or digit"],
    ),
    "blank event label": (
        lambda s: edit(s, SOURCE, "label: Raid on the Ford Post\n", "label:\n"),
        [f"seeds/{SOURCE}:10: empty label: an event needs one with a letter or digit"],
    ),
    "source dated year 0": (
        lambda s: edit(s, SOURCE, "outlet: test-wire\n", 'outlet: test-wire\ndate: "0000"\n'),
        [f"seeds/{SOURCE}:4: impossible date '0000': year 0 is out of range"],
    ),
    "source dated in the future": (
        lambda s: edit(s, SOURCE, "outlet: test-wire\n", "outlet: test-wire\ndate: 2999-01-01\n"),
        [f"seeds/{SOURCE}:4: date '2999-01-01' is in the future: a source is dated when it was published"],
    ),
    "date in Arabic-Indic digits": (
        lambda s: edit(s, SOURCE, "date: 2020-03-03", "date: ٢٠٢٠-٠٣-٠٣"),
        [f"seeds/{SOURCE}:11: bad date '٢٠٢٠-٠٣-٠٣': write YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD (year unknown)"],
    ),
    "superscript paragraph": (
        lambda s: edit(s, SOURCE, "    para: 2\nevents:", "    para: ²\nevents:"),
        [f"seeds/{SOURCE}:6: bad paragraph '²': a paragraph is a whole number from 1"],
    ),
    "count of 5,000 digits": (
        lambda s: edit(
            s,
            SOURCE,
            "    para: [2, 3]\n",
            f"    para: [2, 3]\n    counts:\n      - {{measure: killed, value: {'9' * 5000}}}\n",
        ),
        [f"seeds/{SOURCE}:17: bad count '{'9' * 5000}': write 15, ~100 (about), >=16 (at least) or 6000-7000"],
    ),
    "pointer out of the source texts": (
        lambda s: edit(s, REGISTRY, "parent_ref: 900_00000000000000aa:2", "parent_ref: ../../etc/passwd:1"),
        [
            f"{M}/registry.yaml:21: 'parent' needs 'parent_ref: SOURCE_ID:PARAGRAPH' (every relationship has a source)",
            f"{M}/registry.yaml:22: bad pointer '../../etc/passwd:1': write SOURCE_ID:PARAGRAPH, e.g. 000_c8205b38d0f11d5b:8",
        ],
    ),
}


PATCHES = {"unreadable file": _deny_as_root, "too many values": _fewer_values}


@pytest.fixture(params=sorted(CASES), ids=sorted(CASES))
def case(request, seeds, monkeypatch) -> list[str]:
    """The seeds broken one way; the lines every command must print."""
    breaks, lines = CASES[request.param]
    if request.param in PATCHES:
        PATCHES[request.param](seeds, monkeypatch)
    breaks(seeds)
    return lines + [f"{len(lines)} problem{'s' if len(lines) > 1 else ''} found"]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_validate_reports_one_line(case, seeds):
    started = time.monotonic()
    assert run("validate", "--seeds", str(seeds)) == (1, case)
    assert time.monotonic() - started < 2


def test_build_and_the_cache_report_the_same_lines_and_write_nothing(case, seeds):
    exports = _snapshot(seeds.parent / "exports")
    assert run("build") == (1, case)
    assert run("show", "red-hand") == (1, case)  # compiles the cache
    assert _snapshot(seeds.parent / "exports") == exports
    assert not (seeds.parent / ".kg").exists() or not any((seeds.parent / ".kg").glob(cache.PREFIX + "*"))


# --- what is still read ---


def test_the_mini_fixture_is_valid(seeds):
    assert run("validate", "--seeds", str(seeds)) == (0, [])


def test_hidden_files_and_top_level_notes_are_ignored(seeds):
    (seeds / "entities" / ".registry.yaml.swp").write_bytes(b"\0\xff")
    (seeds / "README.md").write_text("# notes\n")
    os.mkfifo(seeds / ".pipe.yaml")
    assert run("validate", "--seeds", str(seeds)) == (0, [])


def test_windows_line_ends_are_read(seeds):
    (seeds / "entities" / "x.yaml").write_bytes(entity(id="x", type="State", label="X").replace("\n", "\r\n").encode())
    assert run("validate", "--seeds", str(seeds)) == (0, [])


def test_a_symlink_inside_the_seeds_folder_is_read(seeds):
    (seeds / "shared").mkdir()
    (seeds / REGISTRY).rename(seeds / "shared" / "registry.yaml")
    (seeds / REGISTRY).symlink_to("../shared/registry.yaml")
    assert run("validate", "--seeds", str(seeds)) == (0, [])
    assert {e.at.file for e in read_seeds(seeds).entities} == {"seeds/entities/registry.yaml"}


def test_anchors_on_text_and_numbers_or_booleans_read_as_text(seeds):
    edit(seeds, REGISTRY, "label: Freeland\n", "label: &name 2023\n  description: *name\n")
    edit(seeds, REGISTRY, "label: Test wire\n", "label: yes\n")
    assert run("validate", "--seeds", str(seeds)) == (0, [])
    entities = {e.id: e for e in read_seeds(seeds).entities}
    assert (entities["freeland"].label, entities["freeland"].description, entities["test-wire"].label) == (
        "2023",
        "2023",
        "yes",
    )


def test_a_source_text_that_is_not_utf8_is_one_line(seeds, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "900_00000000000000aa.txt").write_bytes(
        (DATA / "texts" / "900_00000000000000aa.txt").read_bytes() + b"\xff"
    )
    assert run("validate", "--seeds", str(seeds), "--sources", str(texts)) == (
        1,
        ["texts/900_00000000000000aa.txt:8: not UTF-8 text: invalid start byte", "1 problem found"],
    )


def test_a_fifo_added_after_a_build_is_reported_not_served_from_the_cache(seeds):
    assert run("show", "red-hand")[0] == 0
    [compiled] = [p for p in (seeds.parent / ".kg").glob(cache.PREFIX + "*") if p.is_dir()]
    os.mkfifo(seeds / "entities" / "x.yaml")
    assert run("show", "red-hand") == (
        1,
        ["seeds/entities/x.yaml:0: a named pipe (FIFO), not a regular file: not read", "1 problem found"],
    )
    assert [p for p in (seeds.parent / ".kg").glob(cache.PREFIX + "*") if p.is_dir()] == [compiled]
    assert cache.cache_key(load_project(seeds.parent)) not in compiled.name


# --- source texts: read only as regular files of bounded size, by every command that reads them ---

TEXT = "900_00000000000000aa"


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as out:
        out.truncate(size)  # written in no time


TEXT_CASES: dict[str, tuple[Callable[[Path], None], int, str]] = {
    "FIFO": (lambda p: os.mkfifo(p), 0, "a named pipe (FIFO), not a regular file: not read"),
    "symlink to /dev/zero": (lambda p: p.symlink_to("/dev/zero"), 0, "a device, not a regular file: not read"),
    "folder": (lambda p: p.mkdir(), 0, "a folder, not a regular file: not read"),
    "symlink loop": (lambda p: p.symlink_to(p.name), 0, "symlink loop: not read"),
    "over 2 MB": (
        lambda p: _sparse(p, 2_000_001),
        0,
        "2,000,001 bytes: a source text is at most 2,000,000 bytes (is it an article?)",
    ),
    "a paragraph of 20,001 characters": (
        lambda p: p.write_text("Title\n\n" + "word " * 4000 + "x\n"),
        3,
        "a paragraph of 20,001 characters: a paragraph (a non-blank line) is at most 20,000 "
        "(break the text into its paragraphs)",
    ),
}


@pytest.fixture(params=sorted(TEXT_CASES), ids=sorted(TEXT_CASES))
def bad_text(request, seeds) -> tuple[str, int, str]:
    """The mini project with its source texts in texts/, the text of its source broken one way:
    the file as shown, the line and the reason every command gives."""
    breaks, line, reason = TEXT_CASES[request.param]
    (seeds.parent / "kg.toml").write_text('[project]\nbase = "https://example.org/t/"\nsources = "texts"\n')
    (seeds.parent / "texts").mkdir()
    breaks(seeds.parent / "texts" / f"{TEXT}.txt")
    return f"texts/{TEXT}.txt", line, reason


def test_validate_reads_a_source_text_only_if_it_is_a_regular_file_of_bounded_size(bad_text):
    file, line, reason = bad_text
    started = time.monotonic()
    assert run("validate") == (1, [f"{file}:{line}: {reason}", "1 problem found"])
    assert time.monotonic() - started < 2


def test_mentions_and_review_read_the_text_as_validate_does(bad_text):
    file, line, reason = bad_text
    where = f"{file}:{line}" if line else file
    assert run("mentions", TEXT) == (1, [f"error: {where}: {reason}"])
    assert run("mentions", file) == (1, [f"error: {where}: {reason}"])
    assert run("review", "900") == (1, [f"error: {where}: {reason}"])
    assert not (Path(".kg") / "review").exists()


# --- format characters reach the terminal as escapes ---


def test_every_format_character_and_separator_is_escaped_for_the_terminal():
    import sys
    import unicodedata

    from kg.terminal import printable

    hidden = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Cf", "Zl", "Zp")]
    assert [c for c in hidden if printable(c) == c] == []  # FORMAT holds every Cf of this Python's Unicode
    assert printable("a\u200fb\u061cc\u200ed\ufeffe\u00adf\u200bg\u200dh\U000e0041\u2028") == (
        "a\\u200fb\\u061cc\\u200ed\\ufeffe\\xadf\\u200bg\\u200dh\\U000e0041\\u2028"
    )


def test_a_query_answer_shows_format_characters_as_escapes(seeds):
    query = 'SELECT ("a\\u200fb\\u061cc\\u200ed\\ufeffe\\u00adf" AS ?x) WHERE {}'
    result = CliRunner().invoke(main, ["query", "-e", query])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].strip() == "a\\u200fb\\u061cc\\u200ed\\ufeffe\\xadf"
