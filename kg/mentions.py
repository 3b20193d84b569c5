"""Finding the registry's entities in a text: every label and alias, in one pass.

One Aho-Corasick automaton (pyahocorasick) holds every name of the registry,
folded (no case, no accents, one kind of apostrophe, hyphens read as spaces),
so ``Tehrik-e-Taliban`` matches ``Tehrik e Taliban``. Short all-caps names
(``IS``, ``TTP``, ``ISKP``) match only in capitals, so that the word "is" never
names the Islamic State. A match must stand on word boundaries (a possessive
``'s`` may follow), and where matches overlap the longest wins: "Islamic State
Khorasan Province", not "Islamic State". Each mention keeps the exact words
of the text and the registry name that matched, so a curator sees why an
entity was found. Names a registry entry lists as ``unmatched`` (ordinary words such
as "some experts") are never searched.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.curation import Entity

SHORT_CAPS = 5
"""All-caps names up to this length match in capitals only."""

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_APOSTROPHES = "'\u2018\u2019\u02bc"


@dataclass(frozen=True)
class Mention:
    """An entity named in a paragraph: where, by which words, through which registry name."""

    paragraph: int
    start: int
    end: int
    words: str
    """The exact words of the text."""
    entity: str
    alias: str
    """The registry name (label or alias) that matched."""


@dataclass(frozen=True)
class _Folded:
    """A text folded for matching, with the offset in the original of each folded character."""

    text: str
    lower: str
    origin: tuple[int, ...]


def fold(text: str) -> _Folded:
    """``text`` without accents, with one apostrophe, hyphens and runs of spaces as one space.

    The folded text keeps case (``lower`` is the same without it) and maps back to ``text``.

    >>> fold("Tehrik-e-Taliban’s").text
    "Tehrik e Taliban's"
    """
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        if char in _DASHES or char.isspace():
            char = " "
        elif char in _APOSTROPHES:
            char = "'"
        else:  # accents and format characters (a zero-width joiner) dropped, as kg.names.normalise does
            base = unicodedata.normalize("NFKD", char)
            char = "".join(c for c in base if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")[:1]
            if not char:
                continue
        if char == " " and chars and chars[-1] == " ":
            continue
        chars.append(char)
        origin.append(i)
    lower = "".join(c.lower()[:1] or c for c in chars)
    return _Folded("".join(chars), lower, tuple(origin))


def _case_sensitive(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(name) <= SHORT_CAPS and bool(letters) and all(c.isupper() for c in letters)


Spellings = tuple[tuple[str, str], ...]
"""The ``(entity, name)`` pairs that fold to one key: one entity's names differing in case or hyphens."""


class Matcher:
    """Every matchable name of a registry in two automatons (capitals-only names apart)."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """``names``: ``(entity id, name)`` pairs, labels and aliases alike."""
        import ahocorasick

        self._exact = ahocorasick.Automaton()
        self._folded = ahocorasick.Automaton()
        spellings: dict[tuple[bool, str], list[tuple[str, str]]] = {}  # (exact?, key): (entity, name)
        for entity, name in names:
            key = fold(name.strip()).text
            if key.strip():
                exact = _case_sensitive(name)
                spellings.setdefault((exact, key if exact else key.lower()), []).append((entity, name))
        for (exact, key), spelt in spellings.items():
            (self._exact if exact else self._folded).add_word(key, (tuple(spelt), len(key)))
        for automaton in (self._exact, self._folded):
            if len(automaton):
                automaton.make_automaton()
        self.size = sum(map(len, spellings.values()))

    def find(self, text: str, paragraph: int = 0) -> list[Mention]:
        """The mentions in ``text``, in order; overlapping matches resolved to the longest."""
        folded = fold(text)
        found: list[tuple[int, int, Spellings]] = []
        for automaton, haystack in ((self._exact, folded.text), (self._folded, folded.lower)):
            if not len(automaton):
                continue
            for end, (spelt, length) in automaton.iter(haystack):
                start = end - length + 1
                if _bounded(folded.text, start, end + 1):
                    found.append((start, end + 1, spelt))
        chosen: list[tuple[int, int, Spellings]] = []
        for match in sorted(found, key=lambda m: (m[0] - m[1], m[0], m[2][0][0])):
            if all(match[1] <= other[0] or match[0] >= other[1] for other in chosen):
                chosen.append(match)
        mentions = []
        for start, end, spelt in sorted(chosen):
            first, last = folded.origin[start], folded.origin[end - 1] + 1
            entity, name = _spelling(spelt, text[first:last])
            mentions.append(Mention(paragraph, first, last, text[first:last], entity, name))
        return mentions


def _spelling(spelt: Spellings, words: str) -> tuple[str, str]:
    """The name among an entity's spellings of one key ("Asia-Plus", "ASIA-Plus") the text writes."""
    return next((pair for pair in spelt if pair[1] == words), spelt[0])


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is whole words: no letter or digit just before or after it
    (a possessive ``'s`` after it is fine)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def registry_names(entities: Iterable[Entity]) -> list[tuple[str, str]]:
    """``(id, name)`` for every label and alias a registry allows matching on."""
    pairs = []
    for entity in entities:
        unmatched = {ref.name for ref in entity.unmatched}
        for name in (entity.label, *(ref.name for ref in entity.aliases)):
            if name not in unmatched:
                pairs.append((entity.id, name))
    return pairs


def find_mentions(paragraphs: Sequence[str], matcher: Matcher) -> list[Mention]:
    """The mentions in each paragraph (numbered from 1, as pointers count them)."""
    return [m for number, text in enumerate(paragraphs, 1) for m in matcher.find(text, number)]


# --- what else a paragraph holds: candidate names, dates and figures ---

_CAPITALISED = re.compile(
    r"(?<![\w'’])(?:[A-Z][\w'’-]*|al-[A-Z][\w-]*)(?:[ \t]+(?:(?:of|the|and|for|e|al|de|ul|bin|ibn)[ \t]+)*"
    r"(?:[A-Z][\w'’-]*|al-[A-Z][\w-]*))*"
)
_SENTENCE_WORDS = frozenset(
    "A An The This That These Those It Its He She They We I In On At By For From With After Before "
    "According But And Or If As When While Since Also Meanwhile However Earlier Later Last Next "
    "Some Many Most Other Such There Their His Her Our One Two Three Several Both Each All No".split()
)
_HEAD_NOUNS = frozenset(
    "Ministry Committee Council Party Movement Front Army Bank University Office Department Agency Union "
    "Republic State Islamic Federation Service Court Commission Organisation Organization Bureau Centre "
    "Center Institute Association League Brigade Battalion Emirate Caliphate Kingdom People".split()
)
"""First words of a name that a sentence may begin with ("Ministry of ...") and that stay in it."""
_CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATES = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"(?:,?\s+\d{{4}})?|(?:{_MONTHS})\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?:19|20)\d{{2}})\b"
)
FIGURES = re.compile(
    r"(?<![\w.])(?:(?:about|around|approximately|roughly|some|nearly|almost|over|more than|fewer than|"
    r"less than|at least|at most|up to|as many as)\s+)?(?:\d(?:[\d,.]*\d)?(?:\s*(?:-|–|to)\s*\d(?:[\d,.]*\d)?)?"
    r"(?:\s*(?:percent|%|thousand|million))?|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|hundred|dozens?|hundreds|thousands))"
    r"(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """A proper name in a paragraph that names no registry entity, with the closest registry names."""

    paragraph: int
    words: str
    closest: tuple[str, ...]
    """Registry ids whose names are close, best first (at most three)."""


def candidates(
    paragraph: int,
    text: str,
    mentions: Sequence[Mention],
    names: Sequence[tuple[str, str]],
    known: Collection[str] = (),
) -> list[Candidate]:
    """Proper-name phrases of ``text`` that no mention covers, each with the registry's closest
    names (rapidfuzz), so a curator can tell a new entity from a spelling the registry lacks.

    A lone capitalised word opening a sentence is taken only when it is in ``known`` (a surname
    the article gave in full elsewhere): otherwise it is the sentence's own capital.
    """
    from rapidfuzz import fuzz, process

    spans = sorted((m.start, m.end) for m in mentions)  # disjoint, as Matcher.find gives them
    starts, ends = [a for a, _ in spans], [b for _, b in spans]
    choices = [name for _, name in names]
    found: list[Candidate] = []
    seen: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        words, start = match.group(0).rstrip(".'’"), match.start()
        while " " in words and words.split(" ", 1)[0] in _SENTENCE_WORDS:
            head, words = words.split(" ", 1)
            start += len(head) + 1
        first, _, rest = words.partition(" ")
        if rest and _at_sentence_start(text, start) and first not in _HEAD_NOUNS:
            joined = re.match(r"(?:(?:of|the|and|for|e|al|de|ul|bin|ibn) )+", rest)
            if joined:  # "Fighters of Jamaat ...": a sentence's first word, capitalised as such
                start += len(first) + 1 + joined.end()
                words = rest[joined.end() :]
        end = start + len(words)
        if _covered(starts, ends, start, end) or words in seen:
            continue
        if " " not in words and (
            words in _SENTENCE_WORDS or len(words) < 3 or (_at_sentence_start(text, start) and words not in known)
        ):
            continue
        if all(w in _CALENDAR for w in words.split()):
            continue
        seen.add(words)
        close = process.extract(words, choices, scorer=fuzz.WRatio, limit=6, score_cutoff=85)
        ids: list[str] = []
        for _, _, index in close:
            ident = names[index][0]
            if ident not in ids:
                ids.append(ident)
        found.append(Candidate(paragraph, words, tuple(ids[:3])))
    return found


def surnames(found: Iterable[Candidate]) -> dict[str, str]:
    """The last words of the many-word names in ``found`` (what a later sentence may call them),
    each with the name in full: ``{"Mirzoev": "Saidali Mirzoev"}``."""
    return {c.words.split()[-1]: c.words for c in reversed(list(found)) if " " in c.words}


def _covered(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the mentions ``[starts[i], ends[i])`` (sorted, disjoint)."""
    i = bisect.bisect_left(ends, start + 1)  # the first mention ending after ``start``
    return i < len(starts) and starts[i] < end


def _at_sentence_start(text: str, start: int) -> bool:
    """Whether only spaces stand between ``start`` and the text's start or a sentence's end."""
    at = start
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at == 0 or text[at - 1] in '.!?:"“”'


def dates_in(text: str) -> list[str]:
    """The dates a paragraph writes (``3 March 2020``, ``November 6``, ``2018``), in order."""
    return [m.group(0) for m in DATES.finditer(text)]


def figures_in(text: str) -> list[str]:
    """The figures a paragraph gives (``17``, ``6,000-7,000``, ``five``, ``at least 19``), with the
    words that qualify them ("about", "at least"), in order; years and numbers inside dates left out."""
    inside = [(m.start(), m.end()) for m in DATES.finditer(text)]
    return [m.group(0) for m in FIGURES.finditer(text) if not any(a <= m.start() < b for a, b in inside)]
