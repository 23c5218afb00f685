"""Drafts from notices: cite the report and span, curfews become daily windows, nothing is published."""

from __future__ import annotations

import datetime as dt

import pytest

from tocsin.model import Area, Notice, Span
from tocsin.warnings.cap import parse_cap, to_cap
from tocsin.warnings.drafts import draft_from_notice

SENT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def test_daily_curfew_notice_becomes_a_recurring_draft() -> None:
    notice = Notice(
        kind="curfew",
        areas=[Area("Kherson", latitude=46.63, longitude=32.61)],
        start=dt.datetime(2026, 3, 1, 20, 0),
        end=dt.datetime(2026, 3, 2, 6, 0),
        recurring="daily",
        issuer="Regional military administration",
        evidence=Span(120, 170, "a curfew from 20:00 to 06:00 every day"),
        timezone="Europe/Kyiv",
    )
    draft = draft_from_notice(notice, "report-42", sent=SENT)
    assert draft.status == "Draft"
    assert draft.report_id == "report-42" and draft.evidence == Span(120, 170, "a curfew from 20:00 to 06:00 every day")
    assert draft.window is not None and draft.window.recurring
    assert (draft.window.daily_start, draft.window.daily_end) == (dt.time(20, 0), dt.time(6, 0))
    assert draft.window.timezone == "Europe/Kyiv"
    assert draft.window.active_at(dt.datetime(2026, 3, 5, 23, 0, tzinfo=dt.UTC))  # 01:00 Kyiv
    assert draft.sender_name == "Regional military administration"
    assert draft.category == "Security" and draft.response_type == "Shelter"
    back = parse_cap(to_cap(draft))
    assert back.status == "Draft" and back.report_id == "report-42" and back.evidence == Span(120, 170)


def test_draft_id_is_stable_per_notice() -> None:
    notice = Notice(kind="evacuation_order", areas=[Area("Podil")], evidence=Span(1, 9, "evacuate"))
    assert draft_from_notice(notice, "r1").id == draft_from_notice(notice, "r1").id
    assert draft_from_notice(notice, "r1").id != draft_from_notice(notice, "r2").id


def test_unresolved_area_stays_a_description_for_the_operator() -> None:
    notice = Notice(kind="evacuation_order", areas=[Area("Unknown village")], start=dt.date(2026, 3, 2))
    draft = draft_from_notice(notice, "r1", timezone="Europe/Kyiv")
    assert [a.description for a in draft.areas] == ["Unknown village"]
    assert draft.areas[0].shape is None
    assert draft.window is not None and draft.window.start == dt.datetime(2026, 3, 1, 22, 0, tzinfo=dt.UTC)


def test_polygon_area_and_resolver() -> None:
    polygon = {"type": "Polygon", "coordinates": [[[30, 50], [30.1, 50], [30.1, 50.1], [30, 50]]]}
    notice = Notice(kind="strike_warning", areas=[Area("Port", geometry=polygon), Area("Depot")])
    resolved = {"Depot": {"type": "Polygon", "coordinates": [[[31, 50], [31.1, 50], [31.1, 50.1], [31, 50]]]}}
    draft = draft_from_notice(notice, "r1", resolver=resolved.get)
    assert [a.shape.bounds for a in draft.areas if a.shape is not None] == [(30, 50, 30.1, 50.1), (31, 50, 31.1, 50.1)]


def test_corridor_notice_becomes_a_route() -> None:
    notice = Notice(kind="safe_corridor", areas=[Area("Mariupol", 47.10, 37.55), Area("Zaporizhzhia", 47.84, 35.14)])
    draft = draft_from_notice(notice, "r1", corridor_width_m=2000)
    assert len(draft.corridors) == 1 and draft.corridors[0].width_m == 2000
    assert list(draft.corridors[0].route.coords) == [(37.55, 47.10), (35.14, 47.84)]


def _corridor_until(end: dt.datetime) -> Notice:
    return Notice(kind="safe_corridor", areas=[Area("Castello road"), Area("Jandoul")], end=end,
                  evidence=Span(0, 40, "corridors which would stay open until 2 p.m."), timezone="Asia/Damascus")


def test_window_with_only_an_end_runs_from_the_report() -> None:
    published = dt.datetime(2026, 1, 8, 6, 40, tzinfo=dt.UTC)
    draft = draft_from_notice(_corridor_until(dt.datetime(2026, 1, 8, 11, 0, tzinfo=dt.UTC)), "r1",
                              sent=SENT, issued=published)
    assert draft.window is not None
    assert (draft.window.start, draft.window.end) == (published, dt.datetime(2026, 1, 8, 11, 0, tzinfo=dt.UTC))
    assert draft.window.active_at(dt.datetime(2026, 1, 8, 10, 0, tzinfo=dt.UTC))
    assert not draft.window.active_at(dt.datetime(2026, 1, 8, 11, 0, tzinfo=dt.UTC))


def test_window_with_only_an_end_is_left_to_the_operator_without_a_report_time_or_when_past() -> None:
    end = dt.datetime(2026, 1, 8, 11, 0, tzinfo=dt.UTC)
    assert draft_from_notice(_corridor_until(end), "r1", sent=SENT).window is None
    late = dt.datetime(2026, 1, 8, 12, 0, tzinfo=dt.UTC)  # the report came after the corridor closed
    assert draft_from_notice(_corridor_until(end), "r1", sent=SENT, issued=late).window is None


def test_end_before_start_does_not_fail_the_draft() -> None:
    notice = Notice(kind="curfew", areas=[Area("Afrin")], start=dt.datetime(2026, 1, 8, 12, 0, tzinfo=dt.UTC),
                    end=dt.datetime(2026, 1, 8, 9, 0, tzinfo=dt.UTC), evidence=Span(0, 6, "curfew"))
    draft = draft_from_notice(notice, "r1", sent=SENT)
    assert draft.window is not None and draft.window.end is None


def test_notice_without_times_takes_effect_when_the_report_was_published() -> None:
    notice = Notice(kind="strike_warning", areas=[Area("Ashrafieh")],
                    evidence=Span(0, 30, "maps of areas it would strike"))
    published = dt.datetime(2026, 1, 8, 10, 0, tzinfo=dt.UTC)
    draft = draft_from_notice(notice, "r1", issued=published)
    assert draft.window is None
    assert draft.effective == published and draft.starts == published and draft.ends is None
    assert parse_cap(to_cap(draft)).effective == published
    assert draft_from_notice(notice, "r1", sent=SENT).starts == SENT  # no report time: from when it was drafted


def test_a_notice_with_a_time_keeps_effective_unset() -> None:
    end = dt.datetime(2026, 1, 8, 11, 0, tzinfo=dt.UTC)
    late = dt.datetime(2026, 1, 8, 12, 0, tzinfo=dt.UTC)  # a closed corridor must not become open-ended
    assert draft_from_notice(_corridor_until(end), "r1", sent=SENT, issued=late).effective is None


@pytest.mark.parametrize(
    ("kind", "leave", "response"),
    [
        # an order to leave ahead of announced strikes: the people must leave, not shelter
        ("strike_warning", True, "Evacuate"),
        # a warning to keep away from positions: shelter, as before
        ("strike_warning", False, "Shelter"),
        ("evacuation_order", True, "Evacuate"),
    ],
)
def test_strike_warning_that_orders_people_out_tells_them_to_leave(kind: str, leave: bool, response: str) -> None:
    notice = Notice(kind=kind, areas=[Area("Kfar Kila")], leave=leave)
    draft = draft_from_notice(notice, "r1", sent=SENT)
    assert draft.response_type == response
    assert ("shelter" in (draft.instruction or "").lower()) == (response == "Shelter")
    assert parse_cap(to_cap(draft)).response_type == response


def test_daily_curfew_until_a_day_ends_that_morning() -> None:
    notice = Notice(kind="curfew", areas=[Area("Kharkiv", latitude=49.99, longitude=36.23)],
                    start=dt.datetime(2026, 1, 8, 21, 0, tzinfo=dt.UTC),
                    end=dt.datetime(2026, 1, 9, 3, 0, tzinfo=dt.UTC),
                    recurring="daily", until=dt.date(2026, 1, 11), timezone="Europe/Kyiv")
    window = draft_from_notice(notice, "r1", sent=SENT).window
    assert window is not None and window.recurring
    assert window.end == dt.datetime(2026, 1, 11, 3, 0, tzinfo=dt.UTC)  # Sunday 05:00 in Kyiv
    assert window.active_at(dt.datetime(2026, 1, 10, 23, 0, tzinfo=dt.UTC))  # Saturday night
    assert not window.active_at(dt.datetime(2026, 1, 11, 23, 0, tzinfo=dt.UTC))  # Sunday night: over
    assert not window.active_at(dt.datetime(2026, 1, 9, 12, 0, tzinfo=dt.UTC))  # Friday noon: outside the hours


def test_daily_curfew_until_a_day_with_naive_local_times() -> None:
    notice = Notice(kind="curfew", areas=[Area("Kharkiv")], start=dt.datetime(2026, 1, 8, 23, 0),
                    end=dt.datetime(2026, 1, 9, 5, 0), recurring="daily", until=dt.date(2026, 1, 11),
                    timezone="Europe/Kyiv")
    window = draft_from_notice(notice, "r1", sent=SENT).window
    assert window is not None and window.end == dt.datetime(2026, 1, 11, 3, 0, tzinfo=dt.UTC)


def test_a_region_without_a_point_gets_no_circle_only_a_polygon_of_its_name() -> None:
    region = Area("Idlib", geonames_id=169387, reason="a region, not a place")
    notice = Notice(kind="curfew", areas=[region], start=dt.datetime(2026, 1, 10, 15, tzinfo=dt.UTC))

    class Point:
        latitude, longitude, geometry = 35.93, 36.63, None

    draft = draft_from_notice(notice, "r1", resolver=lambda name: Point())
    assert draft.areas[0].shape is None  # the city point of the same name is not the region
    polygon = {"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [37, 36], [36, 35]]]}
    drawn = draft_from_notice(notice, "r1", resolver=lambda name: {"Idlib": polygon}.get(name))
    assert drawn.areas[0].shape is not None and drawn.areas[0].shape.bounds == (36, 35, 37, 36)
