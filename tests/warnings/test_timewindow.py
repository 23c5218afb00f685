"""Time windows: one-off and daily windows in the area's zone, across midnight and DST changes."""

from __future__ import annotations

import datetime as dt

import pytest

from tocsin.errors import InputError
from tocsin.warnings.timewindow import TimeWindow, parse_window

UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


CURFEW = parse_window("daily 22:00-06:00 Europe/Kyiv")


@pytest.mark.parametrize(
    ("at", "active"),
    [
        (utc(2026, 1, 10, 19, 59), False),  # 21:59 Kyiv (UTC+2), a minute before the curfew
        (utc(2026, 1, 10, 20, 0), True),  # 22:00 Kyiv: starts
        (utc(2026, 1, 10, 23, 30), True),  # 01:30 Kyiv the next day: across midnight
        (utc(2026, 1, 11, 3, 59), True),  # 05:59 Kyiv
        (utc(2026, 1, 11, 4, 0), False),  # 06:00 Kyiv: ended
        (utc(2026, 7, 10, 19, 30), True),  # 22:30 Kyiv in summer (UTC+3)
        (utc(2026, 7, 10, 18, 30), False),  # 21:30 Kyiv in summer
    ],
)
def test_daily_curfew_in_local_time(at: dt.datetime, active: bool) -> None:
    assert CURFEW.active_at(at) is active


def test_curfew_on_the_night_clocks_go_forward_lasts_seven_hours() -> None:
    # Kyiv moves from UTC+2 to UTC+3 at 03:00 local on 2026-03-29: 22:00 EET -> 06:00 EEST is 7 h.
    start, end = CURFEW.interval_at(utc(2026, 3, 28, 23, 0)) or (None, None)
    assert (start, end) == (utc(2026, 3, 28, 20, 0), utc(2026, 3, 29, 3, 0))
    assert CURFEW.next_change_after(utc(2026, 3, 28, 23, 0)) == utc(2026, 3, 29, 3, 0)


def test_curfew_on_the_night_clocks_go_back_lasts_nine_hours() -> None:
    # Kyiv moves from UTC+3 to UTC+2 at 04:00 local on 2026-10-25: 22:00 EEST -> 06:00 EET is 9 h.
    start, end = CURFEW.interval_at(utc(2026, 10, 24, 22, 0)) or (None, None)
    assert (start, end) == (utc(2026, 10, 24, 19, 0), utc(2026, 10, 25, 4, 0))


def test_next_change_when_outside_the_window_is_the_next_start() -> None:
    assert CURFEW.next_change_after(utc(2026, 1, 10, 12, 0)) == utc(2026, 1, 10, 20, 0)


def test_daily_window_respects_its_bounds() -> None:
    window = parse_window("daily 22:00-06:00 Europe/Kyiv 2026-01-10T00:00:00+02:00/2026-01-12T00:00:00+02:00")
    assert window.active_at(utc(2026, 1, 10, 21, 0))
    assert not window.active_at(utc(2026, 1, 12, 21, 0))  # after the end bound
    # The night of the 11th is cut at the end bound (midnight local).
    assert window.interval_at(utc(2026, 1, 11, 21, 0)) == (utc(2026, 1, 11, 20, 0), utc(2026, 1, 11, 22, 0))
    assert window.next_change_after(utc(2026, 1, 11, 23, 0)) is None


def test_one_off_window_is_stored_in_utc() -> None:
    window = TimeWindow.once(dt.datetime(2026, 5, 1, 8, 0), dt.datetime(2026, 5, 1, 20, 0), "Europe/Kyiv")
    assert window.start == utc(2026, 5, 1, 5, 0)
    assert window.active_at(utc(2026, 5, 1, 16, 59)) and not window.active_at(utc(2026, 5, 1, 17, 0))
    assert window.next_change_after(utc(2026, 5, 1, 4, 0)) == utc(2026, 5, 1, 5, 0)


@pytest.mark.parametrize(
    "text",
    [
        "daily 22:00-06:00",  # no zone: read in the default (UTC)
        "daily 22:00-06:00 Europe/Kyiv 2026-01-10T00:00:00+00:00/..",  # open end
        "2026-01-10T00:00:00+00:00/2026-01-11T00:00:00+00:00",  # one-off
    ],
)
def test_text_form_round_trips(text: str) -> None:
    window = parse_window(text)
    assert parse_window(window.to_text()) == window


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("daily 22:00-22:00 Europe/Kyiv", "equal"),  # empty daily window
        ("daily 22:00-06:00 Mars/Olympus", "unknown IANA time zone"),  # bad zone
        ("2026-01-11T00:00:00+00:00/2026-01-10T00:00:00+00:00", "not after start"),  # end before start
        ("every night", "use 'daily"),  # not a window
        ("daily 25:00-06:00 UTC", "bad clock time"),  # impossible hour
    ],
)
def test_bad_windows_are_refused_with_a_reason(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        parse_window(text)
    assert "[T311]" in err.value.message and fragment in err.value.message
