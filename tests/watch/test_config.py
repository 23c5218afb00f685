"""sources.toml: reading, validation, appending."""

from __future__ import annotations

from pathlib import Path

import pytest

from tocsin.errors import InputError
from tocsin.watch.config import Source, add_source, load_sources


def test_add_then_load_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    first = Source("wire", "http://127.0.0.1:8000/feed.xml", kind="atom", interval_s=30, language="en",
                   fetch_article=True, trust=5)
    second = Source("ministry", "https://example.org/news.json", kind="json")
    add_source(path, first)
    add_source(path, second)
    assert load_sources(path) == [first, second]


def test_absent_file_declares_no_source(tmp_path: Path) -> None:
    assert load_sources(tmp_path / "missing.toml") == []


def test_name_taken_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    add_source(path, Source("wire", "http://127.0.0.1/a"))
    with pytest.raises(InputError, match="T010"):
        add_source(path, Source("wire", "http://127.0.0.1/b"))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[[source]]\nname = "a"\nurl = "ftp://x/y"\n', "url"),  # not http(s)
        ('[[source]]\nname = "a"\nurl = "http://x/y"\nkind = "pdf"\n', "kind"),  # unknown kind
        ('[[source]]\nname = "a"\nurl = "http://x/y"\ninterval_s = 0\n', "interval_s"),  # no interval
        ('[[source]]\nname = "a"\nurl = "http://x/y"\ntrust = 9\n', "trust"),  # trust out of range
        ('[[source]]\nname = "a"\nurl = "http://x/y"\nreorder = "yes"\n', "reorder"),  # not a boolean
        ('[[source]]\nname = "a"\nurl = "http://x/y"\ncolour = "red"\n', "colour"),  # unknown key
        ('[[source]]\nname = "a"\n', "name/url"),  # no url
        ('[[source]\nname = "a"\n', "file"),  # broken TOML
    ],
)
def test_bad_entries_name_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="T010") as caught:
        load_sources(path)
    assert repr(field) in caught.value.message
