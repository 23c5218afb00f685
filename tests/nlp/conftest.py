"""Fixtures for the nlp tests: pipelines are loaded once per session and per set of components."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from tocsin.nlp import pipeline


@pytest.fixture(scope="session")
def load_pipeline() -> Callable[..., Language]:
    """``load_pipeline("tocsin_dates", ...)``: the base model with those components, cached per session."""
    cache: dict[tuple[str, ...], Language] = {}

    def load(*components: str) -> Language:
        if components not in cache:
            cache[components] = pipeline.load(components=components)
        return cache[components]

    return load
