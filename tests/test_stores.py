"""kg.stores: a store named by a spec (memory, oxigraph:PATH, an endpoint URL) or by the environment."""

from __future__ import annotations

import pytest

from kg.errors import StoreError
from kg.stores.choose import open_store, oxigraph_path
from kg.stores.endpoint import EndpointStore
from kg.stores.oxigraph import OxigraphStore, load

GOOD = '<http://example.org/a> <http://example.org/p> "1" .\n'


def test_open_store_reads_specs_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    good = tmp_path / "good.nt"
    good.write_text(GOOD)
    load([good], tmp_path / "db")
    assert isinstance(open_store(f"oxigraph:{tmp_path / 'db'}"), OxigraphStore)
    monkeypatch.setenv("KG_STORE", f"oxigraph:{tmp_path / 'db'}")
    assert isinstance(open_store(), OxigraphStore)
    assert oxigraph_path() == tmp_path / "db"
    monkeypatch.setenv("KG_ENDPOINT", "http://127.0.0.1:9/sparql")
    endpoint = open_store()
    assert isinstance(endpoint, EndpointStore) and endpoint.endpoint.url == "http://127.0.0.1:9/sparql"
    with pytest.raises(StoreError, match=r"no Oxigraph store at .*nowhere \(create one with kg"):
        open_store(f"oxigraph:{tmp_path / 'nowhere'}")
    with pytest.raises(StoreError, match="unknown store 'postgres://x'"):
        open_store("postgres://x")
