"""Bulk backfill: a large corpus into the store, extracted on a Ray cluster with Ray Data.

The flow is the one of ``tocsin ingest`` with the extraction moved onto a pool of actors:

1. the driver reads the files (``sources.read_paths``: directories, JSONL/txt/html/feeds, ``.gz``) and
   skips reports whose content hash is already stored or already seen in this run;
2. the fresh reports go, one window at a time, into a Ray Dataset whose ``map_batches`` runs on an
   ``ActorPoolStrategy`` of ``ExtractActor``s, each loading the spaCy pipeline once;
3. the driver writes the results in batches (``Store.stage``, one transaction per batch), in read order;
4. at the end, one ``Store.merge_pending`` merges the staged events (in read order: the same events as
   ``tocsin extract`` / ``Store.add`` would give). ``staged=False`` merges every batch at once instead.

A backfill killed half-way leaves whole batches only (their events pending); a rerun skips them by content
hash, completes, and merges everything pending (``tocsin db merge`` does that alone).
An actor that dies is restarted by Ray and its task retried (``max_restarts``/``max_task_retries``), so no
report is lost. ``engine="local"`` runs the same flow in this process without Ray (``ingestion.ingest``).

Ray is an optional extra (``pip install 'tocsin[cluster]'``); without it the Ray engine raises T702.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tocsin import settings
from tocsin.errors import ConfigError, E, TocsinError
from tocsin.extraction import Extractor
from tocsin.ingestion import IngestSummary, fresh_batches, ingest, store_batch
from tocsin.model import Extraction, Place, Report
from tocsin.sources import read_paths
from tocsin.store import Store

__all__ = [
    "CRASH_ENV",
    "ENGINES",
    "INSTALL_HINT",
    "ExtractActor",
    "RaySession",
    "backfill",
    "extract_on_ray",
    "ray_available",
    "start_ray",
]

ENGINES = ("local", "ray")
INSTALL_HINT = "pip install 'tocsin[cluster]'"
CRASH_ENV = "TOCSIN_CLUSTER_CRASH_ONCE"
"""Fault-injection hook for tests: a file path; the first actor call that creates this file exits its process."""
WINDOW = 20_000
"""Fresh reports handed to Ray per Dataset; bounds the driver's memory, and each window loads the actors once."""
_CONNECT_TIMEOUT_S = 5.0

Progress = Callable[[int], None]


def ray_available() -> bool:
    """True when ``ray[data]`` can be imported (the ``cluster`` extra is installed)."""
    try:
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ConfigError(E.T702.format(detail=f"cannot import {exc.name or 'ray'}")) from exc
    return ray


# -- the actor --------------------------------------------------------------------------------


class ExtractActor:
    """The ``map_batches`` callable: one per Ray actor, holding one loaded pipeline.

    A batch is a pyarrow table of ``hash`` (str) and ``report`` (pickled ``Report``); the answer
    is ``hash`` and ``extraction`` (pickled ``Extraction``), row for row.
    """

    def __init__(self, *, model: str | None = None, places: Sequence[Place] = (), batch_size: int = 64) -> None:
        self.extractor = Extractor(model=model, places=places)
        self.batch_size = batch_size

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        _maybe_crash()
        reports = [pickle.loads(b) for b in batch.column("report").to_pylist()]
        extractions = self.extractor.extract_reports(reports, batch_size=self.batch_size)
        payload = [pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL) for x in extractions]
        return pa.table({"hash": batch.column("hash"), "extraction": pa.array(payload, type=pa.binary())})


def _maybe_crash() -> None:
    marker = os.environ.get(CRASH_ENV)
    if not marker:
        return
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    os._exit(17)


# -- connecting -------------------------------------------------------------------------------


@dataclass
class RaySession:
    """A connection to Ray: ``started`` when this process started a local Ray (and must shut it down)."""

    address: str | None
    started: bool

    def close(self) -> None:
        if self.started:
            import ray

            ray.shutdown()


def _host_port(address: str, shown: str) -> tuple[str, int]:
    split = urlsplit(address if "://" in address else f"ray://{address}")
    try:
        host, port = split.hostname, split.port
    except ValueError as exc:
        raise ConfigError(E.T701.format(address=shown, detail=f"not host:port ({exc})"), address=shown) from exc
    if not host or port is None:
        raise ConfigError(E.T701.format(address=shown, detail="not host:port"), address=shown)
    return host, port


def _resolve_auto(address: str) -> str:
    """The cluster ``auto`` means (``RAY_ADDRESS``, else the latest local cluster), without Ray's rewriting
    of 127.0.0.1 into this machine's network address; T701 when there is none."""
    from ray._private.services import get_ray_address_from_environment

    try:
        found = get_ray_address_from_environment(address, None)
    except ConnectionError as exc:
        raise ConfigError(E.T701.format(address=address, detail=exc), address=address) from exc
    if not found or found == "auto":
        raise ConfigError(E.T701.format(address=address, detail="no running Ray cluster found"), address=address)
    return str(found)


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def _check_reachable(address: str) -> str:
    """The address to give ``ray.init``; T701 at once when its ``host:port`` does not accept a TCP connection.

    Ray itself would retry for minutes. ``auto`` is resolved first and named with what it resolved to.
    """
    if address.startswith("local"):
        return address
    target = _resolve_auto(address) if address == "auto" else address
    shown = address if target == address else f"{address} ({target})"
    host, port = _host_port(target, shown)
    try:
        with socket.create_connection((host, port), timeout=_CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        detail = exc.strerror or str(exc) or type(exc).__name__
        raise ConfigError(E.T701.format(address=shown, detail=detail), address=shown) from exc
    if _is_loopback(host):
        _loopback_only()  # else Ray rewrites 127.0.0.1 into this machine's network address and cannot connect
    return target


def start_ray(
    address: str | None = None, *, num_cpus: int | None = None, object_store_memory: int | None = None
) -> RaySession:
    """Join the cluster at ``address``, or start a local Ray (``num_cpus`` default: this machine's).

    A Ray already initialised in this process is used as it is.
    """
    ray = _import_ray()
    target = _check_reachable(address) if address is not None else None
    if ray.is_initialized():
        return RaySession(address=address, started=False)
    quiet = {"include_dashboard": False, "logging_level": logging.WARNING, "log_to_driver": False}
    if address is not None:
        try:
            ray.init(address=target, **quiet)
        except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
            raise ConfigError(E.T701.format(address=address, detail=exc), address=address) from exc
        return RaySession(address=address, started=True)
    _loopback_only()
    # "local": a new Ray of our own, even where `ray start` left /tmp/ray/ray_current_cluster behind (ray.init
    # would otherwise join that cluster, or fail on num_cpus when it is gone)
    ray.init(address="local", num_cpus=num_cpus or os.cpu_count() or 1, object_store_memory=object_store_memory,
             **quiet)
    return RaySession(address=None, started=True)


def _loopback_only() -> None:
    """Make a local Ray bind and talk on 127.0.0.1 only, not on this machine's network address.

    Ray otherwise picks the address other nodes would reach it by; a single-machine run needs
    none, and its workers (which inherit the environment) must agree on the same address.
    """
    from ray._private import ray_constants

    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    ray_constants.ENABLE_RAY_CLUSTER = False


# -- extraction on Ray ------------------------------------------------------------------------


def _cluster_cpus() -> int:
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _configure_data(ray: Any) -> None:
    with warnings.catch_warnings():  # Ray 2.60's DataContext() sets its own deprecated field on creation
        warnings.simplefilter("ignore", DeprecationWarning)
        context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.execution_options.preserve_order = True
    logging.getLogger("ray.data").setLevel(logging.ERROR)


def extract_on_ray(
    items: Sequence[tuple[Report, str]],
    *,
    actors: int | None = None,
    batch_size: int | None = None,
    model: str | None = None,
    places: Sequence[Place] = (),
) -> Iterator[list[tuple[Report, str, Extraction]]]:
    """Extract ``(report, content hash)`` pairs on a pool of Ray actors; batches of results, in input order.

    Ray must be initialised (``start_ray``). Content hashes must be distinct. ``actors`` defaults to the
    cluster's CPUs.
    """
    if not items:
        return
    ray = _import_ray()
    _configure_data(ray)
    size = batch_size or int(settings.get("batch_size"))
    pool = actors or _cluster_cpus()
    by_hash = {h: r for r, h in items}
    rows = [{"hash": h, "report": pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)} for r, h in items]
    blocks = max(1, -(-len(rows) // size))
    crash = os.environ.get(CRASH_ENV)
    # Ray Data gives pool actors max_restarts=-1 and max_task_retries=-1: a dead actor is restarted and its
    # batch retried (passing them here is deprecated in Ray 2.60).
    dataset = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
        ExtractActor,
        batch_size=size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=pool),
        num_cpus=1,
        fn_constructor_kwargs={"model": model, "places": list(places), "batch_size": size},
        runtime_env={"env_vars": {CRASH_ENV: crash}} if crash else None,
    )
    try:
        for batch in dataset.iter_batches(batch_size=size, batch_format="pyarrow", prefetch_batches=1):
            hashes = batch.column("hash").to_pylist()
            payload = batch.column("extraction").to_pylist()
            yield [(by_hash[h], h, pickle.loads(x)) for h, x in zip(hashes, payload, strict=True)]
    except TocsinError:
        raise
    except Exception as exc:  # a Ray task or actor failed beyond its retries
        raise ConfigError(E.T703.format(detail=f"{type(exc).__name__}: {str(exc)[:500]}")) from exc


# -- the backfill -----------------------------------------------------------------------------


def backfill(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    engine: str = "local",
    address: str | None = None,
    actors: int | None = None,
    batch_size: int | None = None,
    window: int = WINDOW,
    num_cpus: int | None = None,
    object_store_memory: int | None = None,
    model: str | None = None,
    progress: Progress | None = None,
    drafts: bool = True,
    staged: bool = True,
    merge_progress: Progress | None = None,
) -> IngestSummary:
    """Read every report under ``paths``, extract the ones not yet stored, and store them.

    ``engine="ray"`` extracts on Ray actors (joining ``address``, else a local Ray of ``num_cpus``);
    ``"local"`` is ``tocsin ingest`` in this process. ``progress(n)`` is called as ``n`` reports are done.
    ``staged``: batches are staged and merged once at the end (``merge_progress(n)`` per merged chunk of
    ``n`` events); an interrupted run leaves its events pending for the rerun or ``tocsin db merge``.
    """
    if engine not in ENGINES:
        raise ConfigError(E.T102.format(name="engine", value=engine, valid=", ".join(ENGINES)))
    paths = [Path(p) for p in paths]
    size = batch_size or int(settings.get("batch_size"))
    places = store.places()
    if engine == "local":
        extractor = Extractor(model=model, places=places)
        summary = ingest(paths, store, extractor=extractor, batch_size=size, progress=progress, drafts=drafts,
                         stage=staged)
    else:
        session = start_ray(address, num_cpus=num_cpus, object_store_memory=object_store_memory)
        summary = IngestSummary()
        try:
            windows = fresh_batches(read_paths(paths), store, summary, size=max(1, window), check=500,
                                    progress=progress)
            for fresh in windows:
                for batch in extract_on_ray(fresh, actors=actors, batch_size=size, model=model, places=places):
                    store_batch(store, batch, summary, drafts=drafts, stage=staged)
                    if progress is not None:
                        progress(len(batch))
        finally:
            session.close()
    if staged:
        store.merge_pending(progress=merge_progress)
    return summary
