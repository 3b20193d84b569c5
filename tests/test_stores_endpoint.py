"""kg.stores.endpoint: a remote SPARQL endpoint as a store (the real server is in test_virtuoso.py)."""

from __future__ import annotations

import pytest

from kg.errors import EndpointError
from kg.stores.endpoint import EndpointStore


def test_unreachable_endpoint_is_one_error():
    with pytest.raises(EndpointError, match=r"^http://127.0.0.1:9/sparql: cannot reach the server"):
        EndpointStore("http://127.0.0.1:9/sparql").query("ASK { ?s ?p ?o }")
