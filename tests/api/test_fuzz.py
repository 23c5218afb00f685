"""A bounded schemathesis fuzz run against the app's own OpenAPI document: no input gets a 5xx.

Seeded and small (a few cases per operation) so it runs in well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apikit import Api, make_api

schemathesis = pytest.importorskip("schemathesis")  # test dependency: schemathesis==4.32.5 (brings hypothesis)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as fixed_seed  # noqa: E402


@pytest.fixture
def fuzz_api(tmp_path: Path, extractor: Any) -> Iterator[Api]:
    made = make_api(tmp_path / "fuzz.db", extractor, max_body_bytes=200_000)
    with made.client:
        made.ingest()
        draft = made.draft()
        made.client.post(f"/api/warnings/{draft['id']}/publish", headers=made.h("operator"))
        yield made
    made.store.close()


def test_fuzz_no_server_errors(fuzz_api: Api) -> None:
    """Every operation, a few generated cases each (fixed seed), as an admin so nothing stops at 401/403."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_api.client.app)
    failures: list[tuple[str, str, int, str]] = []
    calls = 0

    @fixed_seed(20261126)
    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        nonlocal calls
        calls += 1
        response = case.call(headers={**(case.headers or {}), **fuzz_api.h("admin")})
        if response.status_code >= 500:
            failures.append((case.method, case.formatted_path, response.status_code, response.text[:300]))

    for result in schema.get_all_operations():
        given(result.ok().as_strategy())(run)()
    assert calls > 100
    assert failures == []
