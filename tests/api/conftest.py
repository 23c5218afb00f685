"""Fixtures for the API tests: an app on a fresh SQLite file with a token per role (see apikit.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # apikit, like the other test folders' kits

from apikit import Api, make_api  # noqa: E402


@pytest.fixture
def api(tmp_path: Path, extractor: Any) -> Iterator[Api]:
    made = make_api(tmp_path / "api.db", extractor)
    with made.client:
        yield made
    made.store.close()
