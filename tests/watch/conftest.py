"""Fixtures of the watch tests; the kit (loopback server, feed builders) is in watchkit.py."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # pyproject's pythonpath does not list tests/watch yet

from watchkit import Loopback, SmtpSink  # noqa: E402


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    yield server
    server.close()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    yield sink
    sink.close()
