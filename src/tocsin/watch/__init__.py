"""Live monitoring: sources to poll (``sources.toml``), the poller, story families, watch rules and alerts.

See docs/watch.md. Modules: ``config`` (sources.toml), ``state`` (the ``watch_*`` tables), ``fetch``
(httpx with caps), ``poller`` (rounds), ``families`` (MinHash LSH), ``rules`` and ``notify``.
"""

from __future__ import annotations

from tocsin.watch.config import Source, add_source, load_sources
from tocsin.watch.poller import RoundSummary, Watcher
from tocsin.watch.state import SourceState, WatchStore

__all__ = ["RoundSummary", "Source", "SourceState", "WatchStore", "Watcher", "add_source", "load_sources"]
