"""What a change to the seeds does to the graph, record by record: ``kg diff``.

Two sets of seeds are read (a git revision of the project, read from git
without a checkout, or a folder) and compared by record: entities, sources,
facts, events, counts, claims, disputes and passage notes, each added,
removed or changed, with the fields that changed. This is what a reviewer
reads instead of thousands of lines of regenerated exports.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.curation import Corpus, Count, read_seeds
from kg.dates import Date
from kg.errors import KgError

WORKING_TREE = "working tree"
KINDS = ("entity", "source", "fact", "event", "count", "claim", "dispute", "passage")
"""Record kinds, in the order a diff lists them."""


class DiffError(KgError):
    """Seeds that cannot be read for a diff (an unknown revision, no git repository)."""


@dataclass(frozen=True)
class Change:
    """One record added, removed or changed; ``fields`` maps a changed field to (old, new)."""

    kind: str
    key: str
    change: str
    record: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def plain(value: Any) -> Any:
    """A record as plain data: references by name, dates as text, where it was written dropped."""
    if isinstance(value, Date):
        return value.text
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value)]
        if names == ["name", "line"]:  # a Ref
            return value.name  # type: ignore[attr-defined]
        return {name: plain(getattr(value, name)) for name in names if name not in ("at", "line")}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def records(corpus: Corpus) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record of a corpus by (kind, key), as plain data."""
    found: dict[tuple[str, str], dict[str, Any]] = {}

    def add(kind: str, key: str, record: Any) -> None:
        n, unique = 1, key
        while (kind, unique) in found:
            n += 1
            unique = f"{key} #{n}"
        found[(kind, unique)] = record

    for entity in corpus.entities:
        add("entity", entity.id, plain(entity))
    for source in corpus.sources:
        meta = {k: v for k, v in plain(source).items() if k not in ("facts", "events", "claims", "counts")}
        add("source", source.id, meta)
        for fact in source.facts:
            add("fact", f"{source.id}: {fact.subject.name} {fact.relation.name} {fact.object.name}", plain(fact))
        for event in source.events:
            add("event", event.id, {k: v for k, v in plain(event).items() if k != "counts"})
            for count in event.counts:
                add("count", _count_key(event.id, count), plain(count))
        for claim in source.claims:
            add("claim", claim.id, {k: v for k, v in plain(claim).items() if k not in ("counts", "disputes")})
            for disputed in claim.disputes:
                add("dispute", f"{claim.id} disputes {disputed.name}", {"claim": claim.id, "disputes": disputed.name})
            for count in claim.counts:
                add("count", _count_key(claim.id, count), plain(count))
        for count in source.counts:
            add("count", _count_key(count.of.name if count.of else source.id, count), plain(count))
    for note in corpus.passage_notes:
        add("passage", f"{note.source}:{note.para}", plain(note))
    return found


def _count_key(owner: str, count: Count) -> str:
    parts = [owner, count.measure.name if count.measure else "?", count.side.name if count.side else "all"]
    parts += [f"{k} {getattr(count, k).name}" for k in ("party", "reported_by", "via") if getattr(count, k)]
    if count.item:
        parts.append(f"item {count.item}")
    return " ".join(parts)


def compare(old: Corpus, new: Corpus) -> list[Change]:
    """The changes from ``old`` to ``new``, by kind then key."""
    before, after = records(old), records(new)
    changes = []
    for kind, key in sorted(before.keys() | after.keys(), key=lambda k: (KINDS.index(k[0]), k[1])):
        a, b = before.get((kind, key)), after.get((kind, key))
        if a is None and b is not None:
            changes.append(Change(kind, key, "added", b))
        elif b is None and a is not None:
            changes.append(Change(kind, key, "removed", a))
        elif a != b and a is not None and b is not None:
            fields = {f: (a.get(f), b.get(f)) for f in sorted(a.keys() | b.keys()) if a.get(f) != b.get(f)}
            changes.append(Change(kind, key, "changed", b, fields))
    return changes


# --- reading seeds from git ---


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise DiffError("git is not installed: compare two folders with kg diff --seeds A --seeds B") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return done.stdout


def seeds_at(seeds: Path, revision: str) -> Corpus:
    """The seeds folder as it was at a git ``revision`` (read from git, no checkout)."""
    try:
        top = Path(_git(seeds if seeds.is_dir() else seeds.parent, "rev-parse", "--show-toplevel").decode().strip())
    except DiffError:
        raise DiffError(
            f"{seeds} is not in a git repository: compare two folders with kg diff --seeds A --seeds B"
        ) from None
    relative = seeds.resolve().relative_to(top.resolve()).as_posix()
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except DiffError:
        raise DiffError(f"unknown revision '{revision}' (a commit, branch or tag of {top})") from None
    listing = _git(top, "ls-tree", "-r", "-z", "--name-only", revision, "--", relative).split(b"\0")
    with tempfile.TemporaryDirectory(prefix="kg-diff-") as tmp:
        copy = Path(tmp) / "seeds"
        copy.mkdir()
        for name in filter(None, listing):
            path = name.decode("utf-8")
            target = copy / Path(path).relative_to(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git(top, "show", f"{revision}:{path}"))
        return read_seeds(copy)


def corpus_of(seeds: Path, revision: str | None) -> Corpus:
    """The seeds at ``revision``, or as they are now (``None``)."""
    return read_seeds(seeds) if revision is None else seeds_at(seeds, revision)


# --- text ---

_IN_KEY = {
    "entity": {"id"},
    "source": {"id"},
    "fact": {"subject", "relation", "object", "source"},
    "event": {"id"},
    "claim": {"id"},
    "dispute": {"claim", "disputes"},
    "passage": {"source", "para"},
}
"""Fields a record's key already shows."""


def render(changes: list[Change], old: str, new: str) -> str:
    """The changes as a reviewer reads them: a summary line, then one block per record."""
    if not changes:
        return f"{old} -> {new}: no change to the graph's records"
    tally: dict[tuple[str, str], int] = {}
    for c in changes:
        tally[(c.kind, c.change)] = tally.get((c.kind, c.change), 0) + 1
    summary = ", ".join(f"{n} {_plural(kind, n)} {change}" for (kind, change), n in tally.items())
    lines = [f"{old} -> {new}: {summary}"]
    for c in changes:
        mark = {"added": "+", "removed": "-", "changed": "~"}[c.change]
        lines.append(f"{mark} {c.kind} {c.key}")
        if c.change == "changed":
            for name, (a, b) in c.fields.items():
                lines.append(f"    {name}: {_show(a)} -> {_show(b)}")
        else:
            shown = {
                k: v for k, v in c.record.items() if k not in _IN_KEY.get(c.kind, ()) and v not in (None, False, [], {})
            }
            lines += [f"    {name}: {_show(value)}" for name, value in shown.items()]
    return "\n".join(lines)


def _plural(kind: str, n: int) -> str:
    """``entity`` -> ``entities``: the kinds' plurals, for the summary line."""
    if n == 1:
        return kind
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def _worth_showing(value: Any) -> bool:
    """Whether a field of an added or removed record says something (0 does; an unset flag does not)."""
    return value is not None and value is not False and value != [] and value != {}


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items() if v not in (None, [], {})) + "}"
    return str(value)


def as_json(changes: list[Change], old: str, new: str) -> dict[str, Any]:
    """The changes as JSON-ready data."""

    def one(c: Change) -> Iterator[tuple[str, Any]]:
        yield from (("kind", c.kind), ("key", c.key), ("change", c.change))
        if c.change == "changed":
            yield "fields", {k: {"old": a, "new": b} for k, (a, b) in c.fields.items()}
        else:
            yield "record", c.record

    return {"from": old, "to": new, "changes": [dict(one(c)) for c in changes]}
