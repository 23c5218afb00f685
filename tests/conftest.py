"""Fixtures shared across the suite: the full pipeline is loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    from tocsin.extraction import Extractor

    return Extractor()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tocsin.db"
