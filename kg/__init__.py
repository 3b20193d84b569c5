"""kg: a source-backed knowledge graph of armed actors, places, events and claims."""

from __future__ import annotations

__version__ = "0.1.0"
