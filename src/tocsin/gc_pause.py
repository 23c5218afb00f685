"""Pausing Python's cyclic garbage collector around bulk work.

Bulk steps (merging a batch of events, building a million geometries) create very many objects
at once; each full collection then walks every tracked object of the process, which cost more
than the work itself. These steps make no reference cycles, so the collector resumes afterwards
with nothing left behind.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's previous state afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
