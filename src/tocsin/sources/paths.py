"""Reading files and directories into Reports and Problems, one stream in file order.

The format follows the suffix (case-insensitive), optionally followed by ``.gz`` (read through gzip,
streaming): ``.txt``; ``.html``/``.htm``; ``.jsonl``; ``.xml``/``.rss``/``.atom`` (feeds). Directories are
walked skipping hidden files and directories (names starting with ``.``): a
folder's files first, then its sub-folders, each in name order; symbolic links to folders are not followed.
In a directory only files with a known suffix are read, while a file named explicitly with an unknown suffix
gives T007. A missing path is T008, an empty file T001, a file with a NUL byte in its first 8 KiB T002,
an unreadable or corrupt (gzip) file T013, a txt/html file over 5 MB or a feed over 50 MB T014.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from tocsin import settings
from tocsin.errors import E
from tocsin.model import Report
from tocsin.sources.feeds import read_feed
from tocsin.sources.html import read_html
from tocsin.sources.jsonl import read_jsonl
from tocsin.sources.problem import Problem, problem
from tocsin.sources.txt import read_txt

__all__ = ["FORMATS", "MAX_FEED_BYTES", "MAX_TEXT_BYTES", "count_items", "read_file", "read_paths"]

#: Suffix -> format.
FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
MAX_TEXT_BYTES = 5_000_000
"""A single txt/html report larger than this is refused (T014) instead of being read whole."""
MAX_FEED_BYTES = 50_000_000
_SNIFF_BYTES = 8192
_COUNT_LIMIT_BYTES = 2_000_000_000
_FEED_ENTRY = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(?:item|entry)[\s/>]")
_READERS = {"txt": read_txt, "html": read_html, "feed": read_feed}

PathLike = str | os.PathLike[str]


def _format_of(path: Path) -> tuple[str | None, bool, str, str]:
    """(format or None, gzipped, stem, suffix as written)."""
    name = path.name
    gz = name.lower().endswith(".gz")
    if gz:
        name = name[:-3]
    stem, suffix = os.path.splitext(name)
    return FORMATS.get(suffix.lower()), gz, stem or name, suffix + (".gz" if gz else "")


def _open(path: Path, gz: bool) -> BinaryIO:
    return gzip.open(path, "rb") if gz else open(path, "rb")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: Path, recursive: bool) -> Iterator[Path | Problem]:
    """Known-suffix files of ``folder`` in sorted order, then (if ``recursive``) each sub-folder in sorted order."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield problem(E.T013, str(folder), path=str(folder), detail=exc.strerror or type(exc).__name__)
        return
    subfolders = []
    for entry in entries:
        if _hidden(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            subfolders.append(Path(entry.path))
        elif entry.is_file() and _format_of(Path(entry.name))[0] is not None:
            yield Path(entry.path)
    if recursive:
        for sub in subfolders:
            yield from _walk(sub, recursive)


def _files(paths: PathLike | Iterable[PathLike], recursive: bool) -> Iterator[Path | Problem]:
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    for item in items:
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, recursive)
        elif path.exists():
            yield path
        else:
            yield problem(E.T008, str(path), path=str(path))


def _sniff(head: bytes, where: str) -> Problem | None:
    if not head:
        return problem(E.T001, where, path=where)
    nul = head.find(b"\x00")
    if nul >= 0:
        return problem(E.T002, where, path=where, detail=f"NUL byte at offset {nul}")
    return None


def _read(path: Path, kind: str, gz: bool, stem: str, max_line_bytes: int) -> Iterator[Report | Problem]:
    where = str(path)
    if kind == "jsonl":
        with _open(path, gz) as stream:
            refused = _sniff(stream.read(_SNIFF_BYTES), where)
        if refused is not None:
            yield refused
            return
        with _open(path, gz) as stream:
            yield from read_jsonl(stream, where, max_line_bytes)
        return
    limit = MAX_FEED_BYTES if kind == "feed" else MAX_TEXT_BYTES
    with _open(path, gz) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        yield problem(E.T014, where, path=where, limit=limit)
        return
    refused = _sniff(data[:_SNIFF_BYTES], where)
    if refused is not None:
        yield refused
        return
    yield from _READERS[kind](data, where, stem)


def read_file(path: PathLike, *, max_line_bytes: int | None = None) -> Iterator[Report | Problem]:
    """Reports and problems of one file; ``max_line_bytes`` defaults to the setting of that name."""
    path = Path(path)
    kind, gz, stem, suffix = _format_of(path)
    where = str(path)
    if kind is None:
        yield problem(E.T007, where, path=where, suffix=suffix)
        return
    if not path.exists():
        yield problem(E.T008, where, path=where)
        return
    limit = settings.get("max_line_bytes") if max_line_bytes is None else max_line_bytes
    try:
        yield from _read(path, kind, gz, stem, limit)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield problem(E.T013, where, path=where, detail=f"corrupt gzip: {exc or type(exc).__name__}")
    except OSError as exc:
        yield problem(E.T013, where, path=where, detail=exc.strerror or str(exc) or type(exc).__name__)
    except Exception as exc:  # a reader bug or a library failing on odd input must not stop a bulk read
        yield problem(E.T013, where, path=where, detail=f"unexpected {type(exc).__name__}: {exc}")


def read_paths(
    paths: PathLike | Iterable[PathLike], *, recursive: bool = True, published: dt.datetime | None = None
) -> Iterator[Report | Problem]:
    """Reports and problems from files and directories, streamed in file order.

    Within a file, a report's warnings come just before it. ``published`` (aware) is the publication
    time of every report that does not give its own: a folder of plain texts saved on one day.
    """
    max_line_bytes = settings.get("max_line_bytes")
    for item in _files(paths, recursive):
        if isinstance(item, Problem):
            yield item
            continue
        for read in read_file(item, max_line_bytes=max_line_bytes):
            if published is not None and isinstance(read, Report) and read.published is None:
                read = dataclasses.replace(read, published=published)
            yield read


def _count(path: Path, kind: str, gz: bool) -> tuple[int, int]:
    """(items, bytes read): JSONL lines (a last line without a newline counts), feed entries, else 1."""
    if kind not in ("jsonl", "feed"):
        return 1, 0
    items = size = 0
    last = b"\n"
    pattern = _FEED_ENTRY if kind == "feed" else None
    with _open(path, gz) as stream:
        while chunk := stream.read(1 << 20):
            items += chunk.count(b"\n") if pattern is None else len(pattern.findall(chunk))
            size += len(chunk)
            last = chunk
    if pattern is None and not last.endswith(b"\n"):
        items += 1
    return items, size


def count_items(paths: PathLike | Iterable[PathLike], *, recursive: bool = True) -> int | None:
    """A cheap estimate of how many items ``read_paths`` will yield, for a progress bar.

    Each JSONL line counts one, each feed entry one, every other file one. None when counting would
    mean reading more than 2 GB or a file cannot be read.
    """
    total = read = 0
    for item in _files(paths, recursive):
        if isinstance(item, Problem):
            total += 1
            continue
        kind, gz, _, _ = _format_of(item)
        try:
            items, size = _count(item, kind or "", gz)
        except (OSError, EOFError, zlib.error):
            return None
        total += items
        read += size
        if read > _COUNT_LIMIT_BYTES:
            return None
    return total
