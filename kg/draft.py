"""A new article to a source file ready to fill: ``kg draft ARTICLE.txt``.

The article keeps living as text in the project's source-texts folder (copied
there, as the user's own copy, when it is elsewhere) under the next source id:

* the **number** is one more than the highest number among the project's source
  files and texts (``000`` for the first), taken under a lock on ``seeds/sources``
  so that two drafts run at once get two numbers;
* the **hash** is the first 16 hex digits of the SHA-256 of the text's bytes, so
  a changed text gets a new id (``sha256sum FILE | cut -c1-16``).

``seeds/sources/<id>.yaml`` gets the metadata the text gives (title from the
headline, outlet when a registry media outlet is named in the masthead or the
dateline, date when the dateline has one; ``TODO`` where it does not), then,
for each paragraph, a comment block: its number and opening, the registry
entities it names (the exact words and the name that matched), proper names the
registry lacks (with the closest registry names), and its dates and figures.
It invents no records: ``facts``, ``events`` and ``claims`` start empty.

The article is read as every source text is (:func:`kg.curation.read_text`): only a regular
file of at most 2 MB whose paragraphs are at most 20,000 characters, never a FIFO or a device.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.curation import SOURCE_PATTERN, TODO, Corpus, fingerprint, read_text
from kg.errors import KgError, display_path
from kg.mentions import (
    Candidate,
    Matcher,
    Mention,
    candidates,
    dates_in,
    figures_in,
    find_mentions,
    registry_names,
    surnames,
)
from kg.project import Project
from kg.terminal import printable

OPENING = 60
"""Characters of each paragraph quoted in its comment block."""
LOCK_WAIT = 60.0
"""Seconds a ``kg draft`` waits for another one numbering a source in the same project."""


class DraftError(KgError):
    """An article cannot be drafted (no text, already a source, no source-texts folder)."""


@dataclass(frozen=True)
class Draft:
    """What ``kg draft`` made: the source id, the text's path and the new source file."""

    source: str
    text: Path
    seeds_file: Path
    mentions: int
    todo: tuple[str, ...]


def find_article(project: Project, article: str) -> Path:
    """A text file, or the text of one of the project's sources by its id or number."""
    from kg.errors import BadParameter
    from kg.names import find_source

    path = Path(article)
    if os.path.lexists(path):
        return path  # read by kg.curation.read_text, which refuses a FIFO, a device, a folder, a huge file
    texts = project.source_texts()
    if texts is not None:
        stems = {p.stem: p for p in texts.glob("*.txt") if SOURCE_PATTERN.match(p.stem)}
        try:
            return stems[find_source(article, sorted(stems))]
        except BadParameter:
            pass
    where = f" or a source of {display_path(texts)}" if texts else ""
    raise KgError(f"no such article: {article} (give a text file{where})")


def next_source_id(project: Project, text: bytes) -> str:
    """The id the next source of the project gets (see the module docstring)."""
    numbers = [-1]
    folders = [project.seeds / "sources"] + ([project.sources] if project.sources else [])
    for folder in folders:
        if folder.is_dir():
            numbers += [int(p.stem[:3]) for p in folder.iterdir() if SOURCE_PATTERN.match(p.stem)]
    number = max(numbers) + 1
    if number > 999:
        raise DraftError("the project has a source numbered 999: no three-digit number is left")
    return f"{number:03d}_{hashlib.sha256(text).hexdigest()[:16]}"


def draft(project: Project, corpus: Corpus, article: Path) -> Draft:
    """Give ``article`` its source id, keep its text in the project, write its source file."""
    if project.sources is None:
        raise DraftError(
            f"{project.config} names no 'sources' folder for source texts: add sources = \"sources\" under [project]"
        )
    from kg.files import write_atomic

    data, paragraphs = read_text(article)  # a regular file of bounded size, else one line
    if not paragraphs:
        raise DraftError(f"{article}: no text (paragraphs are the non-blank lines)")
    names = registry_names(corpus.entities)
    mentions = find_mentions(paragraphs, Matcher(names))
    outlets = {e.id for e in corpus.entities if e.type == "MediaOutlet"}
    with _numbering(project.seeds / "sources"):  # the number is free until the source file is written
        same = _existing(project, data)
        if same:
            raise DraftError(f"{article} is already source {same}")
        source = next_source_id(project, data)
        target = project.sources / f"{source}.txt"
        seeds_file = project.seeds / "sources" / f"{source}.yaml"
        skeleton, todo = skeleton_yaml(source, paragraphs, mentions, names, outlets)
        if article.resolve() != target.resolve():
            write_atomic(target, data)  # the bytes read and hashed, not the file again
        write_atomic(seeds_file, skeleton.encode("utf-8"))
    return Draft(source, target, seeds_file, len(mentions), todo)


@contextmanager
def _numbering(folder: Path) -> Iterator[None]:
    """Hold ``folder`` (the seeds' sources) for this ``kg draft`` alone, so that two drafts run at once
    never take one number: a lock on the folder itself, released when the draft ends or dies."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (kg validate still reports two sources of one number)
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DraftError(
                        f"another kg draft has been numbering a source in {display_path(folder)} for "
                        f"{LOCK_WAIT:g} seconds: run this one again when it is done"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _existing(project: Project, data: bytes) -> str | None:
    digest = hashlib.sha256(data).hexdigest()[:16]
    for folder in (project.seeds / "sources", project.sources):
        if folder is not None and folder.is_dir():
            for path in folder.iterdir():
                if SOURCE_PATTERN.match(path.stem) and path.stem.endswith(digest):
                    return path.stem
    return None


def skeleton_yaml(
    source: str, paragraphs: list[str], mentions: list[Mention], names: list[tuple[str, str]], outlets: set[str]
) -> tuple[str, tuple[str, ...]]:
    """The source file's text, and the metadata fields left ``TODO``."""
    head = paragraphs[:3]
    title = _headline(paragraphs, mentions, outlets)
    outlet = next((m.entity for m in mentions if m.paragraph <= 3 and m.entity in outlets), None)
    date = next((d for d in map(_iso_date, (d for p in head for d in dates_in(p))) if d), None)
    fields = {"title": _quoted(title) if title else TODO, "outlet": outlet or TODO, "date": date or TODO}
    todo = tuple(k for k, v in fields.items() if v == TODO)
    lines = [
        f"# Source {source[:3]}: drafted by kg draft. Fill in the TODOs and the records;",
        "# every record points at the paragraph that says it (para: N). Paragraphs are the",
        f"# non-blank lines of the text, counted from 1 ({len(paragraphs)} here).",
        "",
        f"source: {source}",
    ]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += [
        "# One fingerprint per paragraph of the text, in order: kg validate says which cited",
        "# paragraphs differ in the copy it reads.",
        "fingerprints: [",
    ]
    prints = [fingerprint(p) for p in paragraphs]
    lines += [
        "  " + ", ".join(prints[i : i + 9]) + ("," if i + 9 < len(prints) else "]") for i in range(0, len(prints), 9)
    ]
    lines.append("")
    by_paragraph = _by_paragraph(mentions)
    known = surnames(
        c for n, text in enumerate(paragraphs, 1) for c in candidates(n, text, by_paragraph.get(n, []), names)
    )
    for number, text in enumerate(paragraphs, 1):
        lines += _paragraph_block(number, text, by_paragraph.get(number, []), names, known)
    lines += ["", "facts: []", "events: []", "claims: []", ""]
    return "\n".join(lines), todo


def _by_paragraph(mentions: list[Mention]) -> dict[int, list[Mention]]:
    """The mentions of each paragraph, in order (one pass, however many paragraphs)."""
    found: dict[int, list[Mention]] = {}
    for m in mentions:
        found.setdefault(m.paragraph, []).append(m)
    return found


def _paragraph_block(
    number: int, text: str, mentions: list[Mention], names: list[tuple[str, str]], known: dict[str, str]
) -> list[str]:
    opening = text if len(text) <= OPENING else text[:OPENING].rstrip() + "…"
    block = [f"# ¶{number} {_comment(opening)}"]
    if mentions:
        named = []
        for m in mentions:
            how = "" if m.words == m.alias else f" as {_comment(m.alias)!r}"
            named.append(f"{m.entity} ({_comment(m.words)!r}{how})")
        block += _wrapped("names:", named)
    new: list[Candidate] = candidates(number, text, mentions, names, known)
    if new:
        block += _wrapped("new names:", [_new_name(c, known) for c in new])
    dates, figures = dates_in(text), figures_in(text)
    if dates:
        block += _wrapped("dates:", dates)
    if figures:
        block += _wrapped("figures:", figures)
    return block


def _new_name(found: Candidate, known: dict[str, str]) -> str:
    """``Mirzoev (short for Saidali Mirzoev)``, ``Tajik (close: tajikistan)``: a new name as listed."""
    notes = []
    if known.get(found.words, found.words) != found.words:
        notes.append(f"short for {known[found.words]}")
    if found.closest:
        notes.append(f"close: {', '.join(found.closest)}")
    return found.words + (f" ({'; '.join(notes)})" if notes else "")


def _wrapped(title: str, items: list[str], width: int = 100) -> list[str]:
    lines, line = [], f"#   {title}"
    for n, item in enumerate(items):
        piece = f" {_comment(item)}" + ("," if n < len(items) - 1 else "")
        if len(line) + len(piece) > width:
            lines.append(line)
            line = "#     "
        line += piece
    return lines + [line]


def _comment(text: str) -> str:
    """Text safe inside a YAML comment: one line, control characters as spaces, format characters
    (bidi marks and overrides, zero-width characters: Unicode's Cf) as visible escapes (``\\u202e``)."""
    return printable(re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text))


def _headline(paragraphs: list[str], mentions: list[Mention], outlets: set[str]) -> str | None:
    """The first short paragraph that is not a masthead or a credit line."""
    for number, text in enumerate(paragraphs[:4], 1):
        outlet_only = any(
            m.paragraph == number and m.entity in outlets and len(m.words) > len(text) * 0.6 for m in mentions
        )
        if outlet_only or text.startswith(("©", "(c)", "Copyright")) or "http" in text or len(text) > 200:
            continue
        return text
    return None


def _quoted(text: str) -> str:
    return '"' + _comment(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


_MONTH_NUMBERS = {
    m: n for n, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}


def _iso_date(text: str) -> str | None:
    """A dateline's date with its year as ``YYYY-MM-DD`` (None without a year)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", text)
    year = re.search(r"\b(19|20)\d{2}\b", text)
    month = re.search(r"[A-Za-z]{3}", text)
    if not (day and year and month) or month.group(0).lower() not in _MONTH_NUMBERS:
        return None
    return f"{year.group(0)}-{_MONTH_NUMBERS[month.group(0).lower()]:02d}-{int(day.group(1)):02d}"
