"""kg: a source-backed knowledge graph of armed actors, places, events and claims."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.api import KnowledgeGraph
    from kg.stores import Store

__version__ = "0.4.0"


def load(project: Path | str | None = None, *, seeds: Path | None = None, store: Store | None = None) -> KnowledgeGraph:
    """The knowledge graph of a project, of seeds or of a store (:func:`kg.api.load`)."""
    from kg import api

    return api.load(project, seeds=seeds, store=store)


def __getattr__(name: str) -> Any:
    if name == "KnowledgeGraph":  # imported on first use, so ``import kg.vocab`` stays light
        from kg.api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


__all__ = ["KnowledgeGraph", "__version__", "load"]
