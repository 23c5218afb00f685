"""Readers for each input format: text, HTML, JSONL, RSS/Atom.

``read_paths`` turns files and directories into a stream of ``tocsin.model.Report`` records and
``Problem`` records (coded, with the file or line they concern); nothing is dropped without a Problem
saying why. ``content_hash`` gives a report's identity for idempotent ingest, ``parse_published`` reads
publication times into aware UTC datetimes. Formats and rules: ``sources/paths.py`` (files, directories,
gzip, size limits), ``txt.py`` (the header block), ``html.py``, ``jsonl.py``, ``feeds.py``,
``published.py``.
"""

from tocsin.sources.paths import FORMATS, MAX_TEXT_BYTES, count_items, read_file, read_paths
from tocsin.sources.problem import REJECTED, WARNING, Problem
from tocsin.sources.published import parse_published
from tocsin.sources.text import content_hash
from tocsin.sources.txt import HEADER_KEYS

__all__ = [
    "FORMATS",
    "HEADER_KEYS",
    "MAX_TEXT_BYTES",
    "REJECTED",
    "WARNING",
    "Problem",
    "content_hash",
    "count_items",
    "parse_published",
    "read_file",
    "read_paths",
]
