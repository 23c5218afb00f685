"""What one app instance holds: the store, warning store, auth, the extractor, the status snapshot.

``StatusCache`` keeps the warnings' ``StatusIndex`` in memory: a status request only queries the
index. The index is re-checked against the database (``WarningStore.status_index`` compares a
signature of the published warnings) at most every ``ttl_s`` seconds, at once after a warning is
changed through this app, and while a re-check runs the other requests keep using the old index.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread

from tocsin.auth import Auth
from tocsin.store import Store
from tocsin.warnings.status import StatusIndex

__all__ = ["ApiState", "StatusCache"]


class StatusCache:
    def __init__(self, warning_store: Any, ttl_s: float = 1.0) -> None:
        self._ws = warning_store
        self.ttl_s = ttl_s
        self._index: StatusIndex | None = None
        self._checked = float("-inf")
        self._refreshing = False
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Re-check on the next request (after a write through this app)."""
        self._checked = float("-inf")

    def refresh(self) -> StatusIndex:
        """Check the database now (blocking); rebuild the index if published warnings changed."""
        with self._lock:
            checked = time.monotonic()
            index = self._ws.status_index()
            self._index, self._checked = index, checked
            return index

    async def index(self) -> StatusIndex:
        """The current index; the caller that finds it stale re-checks it in a worker thread."""
        index = self._index
        if index is not None and (time.monotonic() - self._checked < self.ttl_s or self._refreshing):
            return index
        self._refreshing = True
        try:
            return await anyio.to_thread.run_sync(self.refresh)
        finally:
            self._refreshing = False


@dataclass
class ApiState:
    store: Store
    warnings: Any
    """The ``WarningStore`` on the same database."""
    auth: Auth
    status: StatusCache
    max_body_bytes: int
    tiles_url: str | None
    attribution: str
    extractor: Any = None
    tiles: Any = None
    """The ``TileProbe`` of ``tiles_url`` (``GET /api/config`` says whether it answers)."""
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)

    def get_extractor(self) -> Any:
        """The extraction pipeline, loaded on first ingest (spaCy takes seconds to load)."""
        if self.extractor is None:
            from tocsin.extraction import Extractor

            self.extractor = Extractor(places=self.store.places())
        return self.extractor
