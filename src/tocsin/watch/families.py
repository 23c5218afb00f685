"""Story families: syndicated copies of one wire story found by MinHash with locality-sensitive hashing.

A text becomes word 5-gram shingles (3-grams for short texts), hashed with CRC-32, and a 64-value
MinHash signature (universal hashing ``(a*x + b) mod p``, fixed seed so signatures are stable across
processes). LSH splits the signature into 16 bands of 4 rows: two texts share a band bucket with high
probability once their Jaccard similarity passes ~0.5; a candidate joins the family when its
estimated similarity is at least ``threshold``. The bucket index lives in memory (loaded once from
``watch_bands``), so a lookup is a few dict probes plus one vector comparison per candidate.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict

import numpy as np

__all__ = ["BANDS", "NUM_PERM", "FamilyIndex", "band_keys", "signature", "similarity"]

NUM_PERM = 64
BANDS = 16
_ROWS = NUM_PERM // BANDS
_PRIME = np.uint64(4294967291)  # the largest prime below 2**32
_rng = np.random.default_rng(20261126)
_A = _rng.integers(1, 2**31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 2**31, size=NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str) -> np.ndarray:
    words = _WORD.findall(text.lower())
    size = 5 if len(words) >= 20 else 3
    if len(words) < size:
        grams = {" ".join(words)}
    else:
        grams = {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}
    return np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text`` (``NUM_PERM`` uint32 values)."""
    values = _shingles(text)
    hashed = (values[:, None] * _A[None, :] + _B[None, :]) % _PRIME
    return hashed.min(axis=0).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[str]:
    return [f"{b}:{hashlib.blake2b(sig[b * _ROWS:(b + 1) * _ROWS].tobytes(), digest_size=8).hexdigest()}"
            for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts behind two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


class FamilyIndex:
    """LSH buckets -> family ids, with each family's signature for the final check."""

    def __init__(self, threshold: float = 0.6) -> None:
        self.threshold = threshold
        self._buckets: dict[str, list[int]] = defaultdict(list)
        self._sigs: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, family_id: int, sig: np.ndarray) -> None:
        self._sigs[family_id] = sig
        for key in band_keys(sig):
            self._buckets[key].append(family_id)

    def find(self, sig: np.ndarray) -> tuple[int | None, float]:
        """The most similar family at or above the threshold, with its similarity; (None, best) if none."""
        candidates = {fid for key in band_keys(sig) for fid in self._buckets.get(key, ())}
        best, best_sim = None, 0.0
        for fid in sorted(candidates):
            sim = similarity(sig, self._sigs[fid])
            if sim > best_sim:
                best, best_sim = fid, sim
        if best is not None and best_sim >= self.threshold:
            return best, best_sim
        return None, best_sim

    @staticmethod
    def to_bytes(sig: np.ndarray) -> bytes:
        return sig.astype("<u4").tobytes()

    @staticmethod
    def from_bytes(data: bytes) -> np.ndarray:
        return np.frombuffer(data, dtype="<u4").astype(np.uint32)
