"""Geo fixtures: the base gazetteer once per session, a private copy for tests that add places."""

from __future__ import annotations

import pytest

from tocsin.geo.gazetteer import Gazetteer


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


@pytest.fixture
def private_gazetteer(gazetteer: Gazetteer) -> Gazetteer:
    """A separate instance (from the on-disk cache), so added user places do not leak into other tests."""
    fresh = Gazetteer.load()
    assert fresh is not gazetteer
    return fresh


@pytest.fixture(scope="session")
def places_nlp():  # type: ignore[no-untyped-def]
    from tocsin.nlp.pipeline import load

    return load(components=("tocsin_places",))
