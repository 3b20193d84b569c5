"""kg: a source-backed knowledge graph of armed actors, places, events and claims."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {"load", "KnowledgeGraph"}
"""The Python API (``kg.load()``), imported on first use so ``import kg.vocab`` stays light."""


def __getattr__(name: str) -> Any:
    if name in _API:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


__all__ = ["KnowledgeGraph", "__version__", "load"]
