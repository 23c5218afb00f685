"""The shipped sample reports read cleanly and cover what the README promises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_samples_read_without_problems(read_path) -> None:
    reports, problems = read_path(SAMPLES)
    assert problems == []
    assert len(reports) == 13
    assert len({r.id for r in reports}) == 13
    for report in reports:
        assert report.published is not None and report.published.tzinfo == dt.UTC, report.id
        assert report.source and report.title, report.id


def test_samples_cover_formats_and_key_content(read_path) -> None:
    reports, _ = read_path(SAMPLES)
    by_id = {r.id: r for r in reports}
    evacuation = by_id["sw-2026-0108-aleppo-evacuation"]
    assert "from 3 p.m. local time (12:00 GMT)" in evacuation.text
    assert "Sheikh Maqsoud and Ashrafieh" in evacuation.text
    assert evacuation.published == dt.datetime(2026, 1, 8, 6, 40, tzinfo=dt.UTC)  # a Thursday in Aleppo
    assert "killed 30" in by_id["sw-2026-0108-aleppo-clashes"].text
    assert "yesterday" in by_id["sg-2026-0109-aleppo-fighting"].text
    assert "affrontements" in by_id["sw-fr-2026-0109-goma"].text.lower()
    html = by_id["el-obeid-drone-strike"]
    assert html.origin.endswith(".html") and "dataLayer" not in html.text and "Subscribe" not in html.text
    assert by_id["sw-2026-0107-afgoye-ied"].origin.endswith(".txt")
